"""How honest the events' confidence is, per yardstick: the Brier score and the expected
calibration error (ECE, ten bins) of `confidence` against whether the event matches a
gold event (the scorer's own matching), and the precision above 0.5 and 0.7.

usage: python benchmarks/bench_confidence.py
Scores only; the check half's events and texts are never printed.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))


def labelled(articles, gold_path, pipeline) -> list[tuple[Any, int]]:
    """(event, 1 if it matches a gold event else 0) for every unflagged event the
    pipeline finds in `articles`, by the scorer's own matching."""
    from aliansi.api import explain
    from aliansi.scoring import load_documents, match, same_event

    gold = load_documents(gold_path)
    out = []
    for article, _ in explain([articles], pipeline=pipeline):
        wanted = [e for e in gold.get(article.id, {}).get("events", [])
                  if not e.get("hypothetical") and not e.get("negated")]
        found = [e for e in article.events if not e.hypothetical and not e.negated]
        hit = {j for _, j in match(wanted, [e.to_dict() for e in found], same_event)}
        out += [(e, int(j in hit)) for j, e in enumerate(found)]
    return out


def report(name: str, pairs: list[tuple[float, int]]) -> str:
    n = len(pairs)
    brier = sum((c - y) ** 2 for c, y in pairs) / n
    bins: dict[int, list[tuple[float, int]]] = {}
    for c, y in pairs:
        bins.setdefault(min(9, int(c * 10)), []).append((c, y))
    ece = sum(abs(sum(c for c, _ in b) - sum(y for _, y in b)) for b in bins.values()) / n
    above = {t: [y for c, y in pairs if c >= t] for t in (0.5, 0.7)}
    shown = "  ".join(f"P(conf>={t}) {sum(v) / len(v):.3f} of {len(v)}" if v else f"P(conf>={t}) -"
                      for t, v in above.items())
    return (f"{name:16s} {n:5d} events  matched {sum(y for _, y in pairs) / n:.3f}  "
            f"mean conf {sum(c for c, _ in pairs) / n:.3f}  Brier {brier:.3f}  ECE {ece:.3f}  {shown}")


def main() -> int:
    import score_all
    from aliansi.pipeline import Pipeline

    logging.getLogger("aliansi").setLevel(logging.ERROR)
    why = score_all.build_realnews()
    pipeline = Pipeline()
    for name, articles, gold, _ in score_all.sets():
        if name.startswith("realnews") and why or not articles.exists():
            print(f"{name}: skipped")
            continue
        print(report(name, [(e.confidence, y) for e, y in labelled(articles, gold, pipeline)]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
