"""Fit the confidence model (aliansi.extraction.confidence) on the real-news tune half.

usage: python scripts/train_confidence.py [--out src/aliansi/data/confidence.json]

Every unflagged event the pipeline finds in the tune half is labelled by the scorer's
own matching (aliansi.scoring.match): 1 when it matches a gold event, else 0; an
L2-regularised logistic regression is fitted by Newton's method (deterministic). Needs
the tune texts (benchmarks/realnews/README.md says how to restore them). The check half
is never read here.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

L2 = 1.0


def dataset() -> tuple[list[str], np.ndarray, np.ndarray]:
    import score_all
    from aliansi.api import explain
    from aliansi.extraction.confidence import features
    from aliansi.pipeline import Pipeline
    from aliansi.scoring import load_documents, match, same_event

    why = score_all.build_realnews()
    if why:
        sys.exit(f"no tune half: {why}")
    name, articles, gold_path, _ = next(s for s in score_all.sets() if s[0] == "realnews-tune")
    gold = load_documents(gold_path)
    rows, labels = [], []
    for article, _ in explain([articles], pipeline=Pipeline()):
        wanted = [e for e in gold.get(article.id, {}).get("events", [])
                  if not e.get("hypothetical") and not e.get("negated")]
        found = [e for e in article.events if not e.hypothetical and not e.negated]
        hit = {j for _, j in match(wanted, [e.to_dict() for e in found], same_event)}
        for j, event in enumerate(found):
            rows.append(features(event))
            labels.append(1.0 if j in hit else 0.0)
    names = list(rows[0])
    return names, np.array([[r[n] for n in names] for r in rows]), np.array(labels)


def fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], L2)
    penalty[0] = 0.0                                    # the bias is not shrunk
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-x @ w))
        grad = x.T @ (p - y) + penalty * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-9:
            break
    return w


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "src/aliansi/data/confidence.json"))
    args = ap.parse_args()
    logging.getLogger("aliansi").setLevel(logging.ERROR)
    names, x, y = dataset()
    w = fit(x, y)
    out = {"source": "scripts/train_confidence.py on benchmarks/realnews tune half",
           "events": int(len(y)), "matched": int(y.sum()), "l2": L2,
           "weights": {n: round(float(v), 4) for n, v in zip(names, w)}}
    Path(args.out).write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
