"""Train the dependency parser aliansi ships (spaCy tagger + parser, CPU, from scratch).

    python scripts/train_parser.py --lang id            # -> src/aliansi/data/models/parser-id/
    python scripts/train_parser.py --lang en            # -> src/aliansi/data/models/parser-en/
    python scripts/train_parser.py --lang id --score-only   # attachment scores of the shipped model

Data: the Universal Dependencies treebanks in ../shared/data/ud-id (CSUI train and
test, GSD dev and test, PUD test; CC BY-SA 4.0 / 3.0) or ../shared/data/ud-en (EWT
dev and test, CC BY-SA 4.0). Every 10th sentence of their concatenation (in the
file order below) is held out and never trained on; the attachment scores (UAS,
LAS, over words, punctuation included, on the gold tokenisation) are measured on
it. Training runs a fixed number of epochs with a fixed seed, no early stop, and
keeps the last model (the held-out slice picks nothing), single-threaded: two runs
give identical files (checked for the English model: byte-identical weights).

Indonesian multiword tokens ("menyetujuinya" = "menyetujui" + "nya") are trained as
one token, as aliansi's tokeniser sees them: the token takes the head and relation of
the span's root word. English ones ("don't") keep UD's split, which spaCy's English
tokeniser makes too.

Needs `pip install spacy==3.8.7` (no torch, no vectors, nothing downloaded). The
Indonesian model (30 epochs) took 17 minutes of CPU on one core, 47 minutes of wall
clock on the project's 2-core machine shared with other work; the English one (10
epochs) 6 minutes of CPU, 8 of wall clock.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
FILES = {
    "id": ["id_csui-ud-train.conllu", "id_csui-ud-test.conllu", "id_gsd-ud-dev.conllu",
           "id_gsd-ud-test.conllu", "id_pud-ud-test.conllu"],
    "en": ["en_ewt-ud-dev.conllu", "en_ewt-ud-test.conllu"],
}
MERGE_MWT = {"id": True, "en": False}
SEED = 0
EPOCHS = {"id": 30, "en": 10}
HELD_OUT_EVERY = 10
# the network's size where it differs from spaCy's "efficiency" config (a parser of 128
# hidden units and 3 maxout pieces, a tok2vec of width 96 and depth 4). The Indonesian
# parser has 64 and 2: its parser step takes 0.35 ms a sentence instead of 0.78, at UAS
# 79.6 against 80.1 (BENCHMARKS.md, 2026-12-07). The English one of that size lowered
# realnews-tune F1, and a smaller tok2vec lowered dev and tune in both (2026-12-06).
SIZE: dict[str, dict[str, int]] = {"id": {"hidden_width": 64, "maxout_pieces": 2}, "en": {}}
SIZE_KEYS = {"width": "components.tok2vec.model.encode.width",
             "depth": "components.tok2vec.model.encode.depth",
             "hidden_width": "components.parser.model.hidden_width",
             "maxout_pieces": "components.parser.model.maxout_pieces"}
LICENCE = {
    "id": """The treebanks it was trained on:
- UD_Indonesian-CSUI (id_csui-ud-train, id_csui-ud-test), CC BY-SA 4.0
- UD_Indonesian-GSD (id_gsd-ud-dev, id_gsd-ud-test), CC BY-SA 4.0
- UD_Indonesian-PUD (id_pud-ud-test), CC BY-SA 3.0
(UniversalDependencies on GitHub; copies in the project's shared data, ud-id/).
""",
    "en": """The treebank it was trained on:
- UD_English-EWT (en_ewt-ud-dev, en_ewt-ud-test; commit 15d613d8), CC BY-SA 4.0
(UniversalDependencies on GitHub; copy in the project's shared data, ud-en/).
""",
}


def read_conllu(path: Path, merge_mwt: bool) -> list[list[tuple[str, int, str, str, bool]]]:
    """Sentences as (form, head index or -1, relation, UPOS, space after) per token."""
    sentences, lines = [], []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.strip():
            if not line.startswith("#"):
                lines.append(line.split("\t"))
            continue
        if lines:
            sentences.append(_sentence(lines, merge_mwt))
        lines = []
    return sentences


def _sentence(lines: list[list[str]], merge_mwt: bool):
    words = {int(c[0]): c for c in lines if c[0].isdigit()}
    spans = {}          # first word id -> (last word id, surface, misc)
    for c in lines:
        if "-" in c[0]:
            a, b = map(int, c[0].split("-"))
            spans[a] = (b, c[1], c[9])
    tokens: list[tuple[str, int, str, str, bool]] = []   # form, its root word's id, relation, UPOS, space
    token_of: dict[int, int] = {}
    i = 1
    while i <= len(words):
        if merge_mwt and i in spans:
            last, surface, misc = spans[i]
            ids = range(i, last + 1)
            root = next((w for w in ids if not (i <= int(words[w][6]) <= last)), i)
            for w in ids:
                token_of[w] = len(tokens)
            tokens.append((surface, root, words[root][7], words[root][3], "SpaceAfter=No" not in misc))
            i = last + 1
            continue
        c = words[i]
        space = "SpaceAfter=No" not in c[9]
        inside = next(((a, b, misc) for a, (b, _, misc) in spans.items() if a <= i <= b), None)
        if inside:      # a word of a token written as one: a space only after its last word
            space = i == inside[1] and "SpaceAfter=No" not in inside[2]
        token_of[i] = len(tokens)
        tokens.append((c[1], i, c[7], c[3], space))
        i += 1
    out = []
    for form, root, rel, upos, space in tokens:
        head_word = int(words[root][6])
        head = -1 if head_word == 0 else token_of[head_word]
        out.append((form, head, rel, upos, space))
    return out


def to_doc(vocab, sentence):
    from spacy.tokens import Doc
    return Doc(vocab, words=[t[0] for t in sentence], spaces=[t[4] for t in sentence],
               tags=[t[3] for t in sentence], pos=[t[3] for t in sentence],
               heads=[i if t[1] < 0 else t[1] for i, t in enumerate(sentence)],
               deps=["ROOT" if t[1] < 0 else t[2] for t in sentence])


def split(lang: str, data: Path):
    sentences = [s for name in FILES[lang] for s in read_conllu(data / name, MERGE_MWT[lang])]
    train = [s for i, s in enumerate(sentences) if i % HELD_OUT_EVERY]
    held = [s for i, s in enumerate(sentences) if not i % HELD_OUT_EVERY]
    return train, held


def attachment(nlp, held) -> tuple[float, float, float, int]:
    """UAS, LAS and UPOS accuracy of `nlp` on the held-out sentences (gold tokens)."""
    from spacy.tokens import Doc
    docs = [Doc(nlp.vocab, words=[t[0] for t in s], spaces=[t[4] for t in s]) for s in held]
    words = uas = las = tags = 0
    for doc, gold in zip(nlp.pipe(docs, batch_size=128), held):
        for token, (_, head, rel, upos, _) in zip(doc, gold):
            words += 1
            gold_head = token.i if head < 0 else head
            if token.head.i == gold_head:
                uas += 1
                las += (token.dep_ == "ROOT" and head < 0) or token.dep_ == rel
            tags += (token.pos_ or token.tag_) == upos      # spaCy's own models put UPOS in pos_
    return uas / words, las / words, tags / words, words


def train(lang: str, out: Path, epochs: int, data: Path, size: dict[str, int] | None = None) -> None:
    import spacy
    from spacy.tokens import DocBin
    train_sents, held = split(lang, data)
    with tempfile.TemporaryDirectory(prefix="aliansi-parser-") as tmp:
        work = Path(tmp)
        nlp = spacy.blank(lang)
        DocBin(docs=[to_doc(nlp.vocab, s) for s in train_sents]).to_disk(work / "train.spacy")
        DocBin(docs=[to_doc(nlp.vocab, s) for s in held]).to_disk(work / "held.spacy")
        py = [sys.executable, "-m", "spacy"]
        env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
               "PYTHONHASHSEED": "0"}
        subprocess.run(py + ["init", "config", str(work / "config.cfg"), "--lang", lang, "--pipeline",
                             "tagger,parser", "--optimize", "efficiency", "--force"],
                       check=True, stdout=subprocess.DEVNULL, env=env)
        start = time.perf_counter()
        # the held-out slice is only the "dev" spaCy reports on; the last model is kept
        subprocess.run(py + ["train", str(work / "config.cfg"), "--output", str(work / "out"), "--gpu-id", "-1",
                             "--paths.train", str(work / "train.spacy"), "--paths.dev", str(work / "held.spacy"),
                             "--system.seed", str(SEED), "--training.max_epochs", str(epochs),
                             "--training.max_steps", "0", "--training.patience", "0",
                             "--training.eval_frequency", "100000"]
                       + [arg for key, value in (SIZE[lang] if size is None else size).items()
                          for arg in (f"--{SIZE_KEYS[key]}", str(value))],
                       check=True, env=env)
        seconds = time.perf_counter() - start
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(work / "out" / "model-last", out)
    # the training files' temporary paths would make two runs' configs differ
    config = out / "config.cfg"
    config.write_text(re.sub(r'(?m)^(train|dev) = "[^"]*"$', r"\1 = null", config.read_text(encoding="utf-8")),
                      encoding="utf-8")
    meta_path = out / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta.update(name=f"aliansi_parser_{lang}", license="CC BY-SA 4.0",
                description=f"aliansi's {lang} tagger and dependency parser (scripts/train_parser.py)")
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    nlp = spacy.load(out)
    uas, las, tag, words = attachment(nlp, held)
    mib = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 2 ** 20
    summary = (f"UAS {100 * uas:.1f}, LAS {100 * las:.1f}, UPOS {100 * tag:.1f} on {len(held)} held-out "
               f"sentences ({words} words); {len(train_sents)} training sentences, {epochs} epochs, seed {SEED}, "
               f"{seconds / 60:.1f} min, {mib:.1f} MiB, spaCy {spacy.__version__}")
    (out / "README.md").write_text(
        f"# parser-{lang}: a spaCy tagger and dependency parser for aliansi\n\n"
        f"Trained from scratch by `scripts/train_parser.py --lang {lang}` (no pretrained vectors).\n"
        f"{summary} (wall clock; other work shared the cores).\n\n"
        f"Loaded by `aliansi.extraction.parse` with aliansi's own tokenizer (`tokenizer` is spaCy's, unused).\n\n"
        f"Licence: CC BY-SA 4.0 (the model is derived from CC BY-SA treebanks).\n\n"
        + LICENCE[lang], encoding="utf-8")
    print(summary)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lang", choices=sorted(FILES), default="id")
    ap.add_argument("--out", type=Path, help="default src/aliansi/data/models/parser-LANG")
    ap.add_argument("--epochs", type=int)
    ap.add_argument("--size", nargs="*", default=None, metavar="KEY=N",
                    help=f"network size instead of the shipped one ({', '.join(SIZE_KEYS)})")
    ap.add_argument("--data", type=Path, help="default ../shared/data/ud-LANG")
    ap.add_argument("--score-only", action="store_true", help="attachment scores of the model in --out")
    ap.add_argument("--model", help="with --score-only: a spaCy package or path to score instead")
    args = ap.parse_args()
    size = None
    if args.size is not None:
        try:
            size = {k: int(v) for k, v in (kv.split("=") for kv in args.size)}
        except ValueError:
            ap.error(f"--size takes KEY=N pairs, not {' '.join(args.size)}")
        if set(size) - set(SIZE_KEYS):
            ap.error(f"--size: unknown {', '.join(sorted(set(size) - set(SIZE_KEYS)))} (one of {', '.join(SIZE_KEYS)})")
    out = args.out or ROOT / "src" / "aliansi" / "data" / "models" / f"parser-{args.lang}"
    data = args.data or SHARED / f"ud-{args.lang}"
    missing = [f for f in FILES[args.lang] if not (data / f).exists()]
    if missing:
        sys.exit(f"train_parser: treebanks not found in {data}: {', '.join(missing)}")
    if args.score_only:
        import spacy
        _, held = split(args.lang, data)
        nlp = spacy.load(args.model or out, exclude=["ner", "lemmatizer", "senter"])
        uas, las, tag, words = attachment(nlp, held)
        print(f"{args.model or out}: UAS {100 * uas:.1f}, LAS {100 * las:.1f}, tag-as-UPOS {100 * tag:.1f} "
              f"on {len(held)} held-out sentences ({words} words)")
        return
    train(args.lang, out, args.epochs or EPOCHS[args.lang], data, size)


if __name__ == "__main__":
    main()
