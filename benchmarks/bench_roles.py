"""Agent and patient of a verb: POS-tag patterns (A) against a dependency parser (B).

Measures, on the Indonesian UD treebanks in ../shared/data/ud-id, which way of
finding "who did what to whom" serves aliansi's event stage better:

- A, patterns over POS tags: a small version of the rule in aliansi.extraction.arguments
  (agent = first nominal of the verb's clause before it, patient = first nominal
  after it, "di-" verbs and "oleh" swap them), run on the GOLD UPOS tags, so that
  only the structural method is compared. A second row runs it on the tags
  predicted by B's tagger, as aliansi would have to at run time.
- B, a spaCy tagger+parser trained here from scratch on CPU (no pretrained
  vectors, nothing downloaded) on id_csui-ud-train + id_gsd-ud-dev, every 10th
  sentence held out to pick the best checkpoint; `spacy init config --optimize
  efficiency`, seed 0, a fixed number of epochs, no early stop (two runs give
  identical weights). The training docs are built by this script's own CoNLL-U
  reader (the same one the tests go through) rather than `spacy convert`, with the
  UPOS as the tag to learn: the treebanks' XPOS schemes differ.

Both are scored on id_csui-ud-test + id_gsd-ud-test + id_pud-ud-test with gold
tokenisation (the syntactic words; multiword-token lines and empty nodes are
skipped). For every gold-UPOS VERB: gold agent = its nsubj, or its obl:agent when
it has an nsubj:pass; gold patient = its obj or nsubj:pass. Scored as
(verb, role, dependent) triples; "both right" = of the verbs with a gold agent
and a gold patient, those whose predicted agents and patients both equal gold.
Three views are printed: 1. UD as annotated; 2. a relative "yang" (UD's nsubj of
"kapal yang membawa") replaced by the noun it modifies, the actor aliansi wants;
3. as 2, but a role predicted for a verb that has none in gold is not counted
(basic UD gives controlled and shared subjects no arc).

usage:
    python3 -m venv /tmp/parser-venv
    /tmp/parser-venv/bin/pip install spacy==3.8.18
    /tmp/parser-venv/bin/python benchmarks/bench_roles.py            # A and B; trains B once
    python3 benchmarks/bench_roles.py --patterns-only                 # A alone, no dependencies

Options: --max-epochs N (training budget, default 40), --retrain, --cache DIR
(default /tmp/aliansi-roles-cache; the trained model is reused from there).
"""
from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import time
from collections import namedtuple
from pathlib import Path

UD = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ud-id"
TRAIN = ["id_csui-ud-train.conllu", "id_gsd-ud-dev.conllu"]
TEST = ["id_csui-ud-test.conllu", "id_gsd-ud-test.conllu", "id_pud-ud-test.conllu"]
SEED = 0

Word = namedtuple("Word", "form lemma upos head deprel")   # head: 0-based index, -1 for the root


def read_conllu(path: Path) -> list[list[Word]]:
    sents, words = [], []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if words:
                sents.append(words)
            words = []
        elif not line.startswith("#"):
            c = line.split("\t")
            if c[0].isdigit():          # skips multiword tokens (3-4) and empty nodes (3.1)
                words.append(Word(c[1], c[2], c[3], int(c[6]) - 1, c[7]))
    return sents


# ---- the task: roles from a tree -------------------------------------------------

def roles_from_tree(upos, heads, deprels, forms=None) -> set[tuple[int, str, int]]:
    """(verb, role, dependent) triples for the verbs (by `upos`) of one sentence. Given
    `forms`, a relative "yang" stands for the noun its clause modifies ("kapal yang
    membawa senjata": kapal carries), the actor aliansi wants; UD makes "yang" the nsubj."""
    deps: dict[int, list[tuple[int, str]]] = {}
    for d, (h, r) in enumerate(zip(heads, deprels)):
        deps.setdefault(h, []).append((d, r))
    triples = set()
    for v, tag in enumerate(upos):
        if tag != "VERB":
            continue
        passive = any(r == "nsubj:pass" for _, r in deps.get(v, ()))
        for d, r in deps.get(v, ()):
            if forms and forms[d].lower() == "yang" and deprels[v].startswith("acl") and heads[v] >= 0:
                d = heads[v]
            if r == "nsubj" or (r == "obl:agent" and passive):
                triples.add((v, "agent", d))
            elif r in ("obj", "nsubj:pass"):
                triples.add((v, "patient", d))
    return triples


# ---- method A: patterns over POS tags ---------------------------------------------

NOMINAL = {"PROPN", "NOUN", "PRON"}
BREAK_WORDS = {"yang", "bahwa", "sementara", "namun", "tetapi", "setelah", "sebelum", "ketika", "saat", "karena"}
BREAK_PUNCT = set(",;:()\"'“”‘’«»—–-")
SENT_END = {".", "!", "?"}
MAX_OBJECT_GAP = 12


def pattern_roles(forms, upos) -> set[tuple[int, str, int]]:
    n, low = len(forms), [f.lower() for f in forms]
    brk = [low[i] in BREAK_WORDS or (upos[i] == "PUNCT" and forms[i] in BREAK_PUNCT) for i in range(n)]
    # a run of nominals is one actor, headed by its FIRST word, as UD does for
    # "Joko Widodo" (flat:name) and "pemerintah Indonesia" (nmod): 6401 of 6892 runs
    heads = [i for i in range(n) if upos[i] in NOMINAL and not brk[i]
             and (i == 0 or upos[i - 1] not in NOMINAL or brk[i - 1])]

    def in_pp(i):       # "di Jakarta", "dari dua negara": inside a prepositional phrase
        j = i - 1
        while j >= 0 and upos[j] in ("DET", "NUM"):
            j -= 1
        return j >= 0 and upos[j] == "ADP"

    triples, s0 = set(), 0
    for v in range(n):
        if forms[v] in SENT_END and upos[v] == "PUNCT":
            s0 = v + 1          # GSD units may hold several sentences; aliansi splits them
        if upos[v] != "VERB":
            continue
        s1 = next((j for j in range(v, n) if forms[j] in SENT_END and upos[j] == "PUNCT"), n)
        clause = max([j + 1 for j in range(s0, v) if brk[j]], default=s0)
        before = [h for h in heads if s0 <= h < v and not in_pp(h)]
        own = [h for h in before if h >= clause]
        subject = own[0] if own else (before[0] if before else None)
        # the object lies before a coordinated next verb ("... dan meminta Myanmar")
        limit = min(s1, v + MAX_OBJECT_GAP + 1)
        nxt = next((j for j in range(v + 1, s1) if upos[j] == "VERB"), None)
        if nxt is not None and low[nxt - 1] in ("dan", "serta", ","):
            limit = min(limit, nxt)
        oleh = next((j for j in range(v + 1, limit) if low[j] == "oleh"), None)
        if low[v].startswith("di") or oleh is not None:       # passive: "diserang oleh X"
            agent = next((h for h in heads if oleh is not None and oleh < h < limit), None)
            patient = subject
        else:
            agent = subject
            patient = next((h for h in heads if v < h < limit and not in_pp(h)), None)
        triples |= {(v, role, d) for role, d in (("agent", agent), ("patient", patient)) if d is not None}
    return triples


# ---- scoring ----------------------------------------------------------------------

def score(gold_sets, pred_sets, upos_sets, gold_verbs_only=False):
    """P/R/F1 per role, the same for PROPN dependents only, and % of verbs with both right.
    `gold_verbs_only` ignores a role predicted for a verb that has none in gold."""
    out = {}
    for role in ("agent", "patient"):
        for propn in (False, True):
            tp = fp = fn = 0
            for gold, pred, upos in zip(gold_sets, pred_sets, upos_sets):
                verbs = {t[0] for t in gold if t[1] == role}
                keep = lambda t: t[1] == role and (not propn or upos[t[2]] == "PROPN")
                g = {t for t in gold if keep(t)}
                p = {t for t in pred if keep(t) and (t[0] in verbs or not gold_verbs_only)}
                tp, fp, fn = tp + len(g & p), fp + len(p - g), fn + len(g - p)
            prec, rec = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
            out[role, propn] = (prec, rec, 2 * prec * rec / max(prec + rec, 1e-9))
    both = right = 0
    for gold, pred in zip(gold_sets, pred_sets):
        for v in {t[0] for t in gold if t[1] == "agent"} & {t[0] for t in gold if t[1] == "patient"}:
            both += 1
            right += {t for t in gold if t[0] == v} == {t for t in pred if t[0] == v}
    out["both"] = (right / max(both, 1), both)
    return out


def row(name, s, speed, training):
    pr = lambda x: f"{100 * x[0]:.1f} / {100 * x[1]:.1f} / {100 * x[2]:.1f}"
    return (f"| {name} | {pr(s['agent', False])} | {pr(s['patient', False])} | {100 * s['both'][0]:.1f} "
            f"| {100 * s['agent', True][2]:.1f} | {100 * s['patient', True][2]:.1f} | {speed} | {training} |")


# ---- method B: spaCy tagger + parser ----------------------------------------------

def to_doc(vocab, sent):
    from spacy.tokens import Doc
    return Doc(vocab, words=[w.form for w in sent], tags=[w.upos for w in sent], pos=[w.upos for w in sent],
               heads=[i if w.head < 0 else w.head for i, w in enumerate(sent)],
               deps=["ROOT" if w.head < 0 else w.deprel for w in sent])


def train_model(cache: Path, max_epochs: int, retrain: bool) -> tuple[Path, float]:
    """Train (or reuse) the tagger+parser; returns the model path and its training seconds."""
    import spacy
    from spacy.tokens import DocBin
    key = hashlib.sha256(b"".join((UD / f).read_bytes() for f in TRAIN)
                         + f"{spacy.__version__} {max_epochs} {SEED}".encode()).hexdigest()[:12]
    folder = cache / f"spacy-{key}"
    model, stamp = folder / "model-best", folder / "train-seconds"
    if model.exists() and stamp.exists() and not retrain:
        return model, float(stamp.read_text())
    folder.mkdir(parents=True, exist_ok=True)
    nlp = spacy.blank("id")
    sents = [s for f in TRAIN for s in read_conllu(UD / f)]
    # every 10th training sentence is held out to pick the best checkpoint; the tests never are
    DocBin(docs=[to_doc(nlp.vocab, s) for i, s in enumerate(sents) if i % 10]).to_disk(folder / "train.spacy")
    DocBin(docs=[to_doc(nlp.vocab, s) for i, s in enumerate(sents) if not i % 10]).to_disk(folder / "dev.spacy")
    py = [sys.executable, "-m", "spacy"]
    subprocess.run(py + ["init", "config", str(folder / "config.cfg"), "--lang", "id", "--pipeline",
                         "tagger,parser", "--optimize", "efficiency", "--force"], check=True, stdout=subprocess.DEVNULL)
    start = time.perf_counter()
    subprocess.run(py + ["train", str(folder / "config.cfg"), "--output", str(folder), "--gpu-id", "-1",
                         "--paths.train", str(folder / "train.spacy"), "--paths.dev", str(folder / "dev.spacy"),
                         "--system.seed", str(SEED), "--training.max_epochs", str(max_epochs),
                         "--training.max_steps", "0", "--training.patience", "0"], check=True)
    seconds = time.perf_counter() - start
    stamp.write_text(f"{seconds:.1f}")
    return model, seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--patterns-only", action="store_true", help="method A only (plain python3)")
    ap.add_argument("--max-epochs", type=int, default=40, help="training budget of B (default 40)")
    ap.add_argument("--retrain", action="store_true", help="train B again even if the cache has it")
    ap.add_argument("--cache", type=Path, default=Path(os.environ.get("ROLES_CACHE", "/tmp/aliansi-roles-cache")))
    args = ap.parse_args()
    missing = [f for f in TRAIN + TEST if not (UD / f).exists()]
    if missing:
        sys.exit(f"bench_roles: treebanks not found in {UD}: {', '.join(missing)}")

    test = [s for f in TEST for s in read_conllu(UD / f)]
    forms = [[w.form for w in s] for s in test]
    upos = [[w.upos for w in s] for s in test]
    gold_trees = [([w.head for w in s], [w.deprel for w in s]) for s in test]

    # each method: (name, its roles as a function of `resolve`, speed, training)
    methods = []
    start = time.perf_counter()
    pred_a = [pattern_roles(f, u) for f, u in zip(forms, upos)]
    rate = len(test) / (time.perf_counter() - start)
    methods.append(("A: patterns over gold UPOS", lambda resolve: pred_a, f"{rate:,.0f} sent/s", "none"))

    notes = []
    if not args.patterns_only:
        import spacy
        from spacy.tokens import Doc
        model, seconds = train_model(args.cache, args.max_epochs, args.retrain)
        print(f"\nmodel: {model} (cache {args.cache})")
        nlp = spacy.load(model)
        docs = [Doc(nlp.vocab, words=f) for f in forms]     # gold words only; tags and tree are predicted
        start = time.perf_counter()
        parsed = list(nlp.pipe(docs, batch_size=256))
        rate = len(test) / (time.perf_counter() - start)
        tagged = [[t.tag_ for t in d] for d in parsed]
        # A on the tagger's UPOS; the verbs scored stay the gold VERBs for every method
        pred_a2 = [pattern_roles(f, p) for f, p in zip(forms, tagged)]
        methods.append(("A: patterns over B's predicted UPOS", lambda resolve: pred_a2, "(tagger + A)",
                        f"{seconds / 60:.1f} min (tagger)"))
        trees = [([t.head.i for t in d], [t.dep_ for t in d]) for d in parsed]
        methods.append(("B: spaCy tagger+parser",
                        lambda resolve: [roles_from_tree(u, h, r, f if resolve else None)
                                         for u, (h, r), f in zip(upos, trees, forms)],
                        f"{rate:,.0f} sent/s", f"{seconds / 60:.1f} min"))
        mb = sum(p.stat().st_size for p in model.rglob("*") if p.is_file()) / 2 ** 20
        acc = sum(a == b for p, u in zip(tagged, upos) for a, b in zip(p, u)) / sum(map(len, upos))
        uas = sum(a == (b if b >= 0 else i) for (h, _), (g, _) in zip(trees, gold_trees)
                  for i, (a, b) in enumerate(zip(h, g))) / sum(map(len, upos))
        notes.append(f"B: spaCy {spacy.__version__}, tagger+parser from scratch, {args.max_epochs} epochs, "
                     f"seed {SEED}, model {mb:.1f} MiB on disk; on the tests: UPOS accuracy {100 * acc:.1f}%, "
                     f"UAS {100 * uas:.1f}%.")

    print(f"test: {len(test)} sentences, {sum(map(len, test))} words, {sum(u.count('VERB') for u in upos)} verbs")
    views = ((False, False, "1. UD roles as annotated (a relative \"yang\" is the agent or patient)"),
             (True, False, "2. relative \"yang\" resolved to the noun it modifies (the actor aliansi needs)"),
             (True, True, "3. as 2, scoring a role only on verbs that have it in gold (basic UD leaves "
                          "the subjects of xcomp/conj/advcl verbs implicit, where aliansi still wants one)"))
    for resolve, gold_verbs_only, title in views:
        gold = [roles_from_tree(u, h, r, f if resolve else None) for u, (h, r), f in zip(upos, gold_trees, forms)]
        count = lambda role, propn=False: sum(t[1] == role and (not propn or u[t[2]] == "PROPN")
                                              for g, u in zip(gold, upos) for t in g)
        print(f"\n{title}: {count('agent')} gold agents ({count('agent', True)} PROPN), "
              f"{count('patient')} gold patients ({count('patient', True)} PROPN), "
              f"{score(gold, gold, upos)['both'][1]} verbs with both\n")
        print("| method | agent P / R / F1 | patient P / R / F1 | both right % | PROPN agent F1 "
              "| PROPN patient F1 | speed | training |")
        print("|---|---|---|---|---|---|---|---|")
        for name, predict, speed, training in methods:
            print(row(name, score(gold, predict(resolve), upos, gold_verbs_only), speed, training))
    print("\n" + "\n".join(notes) if notes else "")


if __name__ == "__main__":
    main()
