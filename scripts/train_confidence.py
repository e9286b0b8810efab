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
    from bench_confidence import labelled
    from aliansi.extraction.confidence import features
    from aliansi.pipeline import Pipeline

    why = score_all.build_realnews()
    if why:
        sys.exit(f"no tune half: {why}")
    _, articles, gold_path, _ = next(s for s in score_all.sets() if s[0] == "realnews-tune")
    pairs = labelled(articles, gold_path, Pipeline())
    rows = [features(event) for event, _ in pairs]
    names = list(rows[0])
    return names, np.array([[r[n] for n in names] for r in rows]), np.array([float(y) for _, y in pairs])


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
