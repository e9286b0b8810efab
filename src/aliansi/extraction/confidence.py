"""An event's confidence as a calibrated probability that a careful annotator would code
it: a logistic model over what the extraction knows of how it found the event (its
trigger's lexicon, how its roles were found, how it is dated, how many sentences report
it), fitted on the real-news tune half by `scripts/train_confidence.py`. The weights
and their provenance are in data/confidence.json. The figure depends on the event's
attributes only, so that recomputing it after a later merge gives the same answer.
"""
from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources

from ..model import Event

# how the target was found when the sentence does not name it (aliansi.extraction.arguments)
FROM_CONTEXT = {"discourse", "coref-event", "anaphoric-object", "anaphoric-claim", "anaphoric-subject", "focus-patient",
                "captor", "place-authority", "unnamed-agent", "domestic", "own", "unilateral",
                "visit-place", "speaker"}


def features(event: Event) -> dict[str, float]:
    """The model's inputs, each 0 or 1 (and the bias)."""
    rule = event.rule or ""
    how = rule.rsplit(":", 1)[-1]
    return {
        "bias": 1.0,
        "built_lexicon": float(rule.startswith("lexicon-")),
        "english": float(rule.startswith(("lexicon:en:", "lexicon-en:"))),
        "agent_from_parse": float("agent=parse/" in rule),
        "target_from_context": float(how in FROM_CONTEXT),
        "said_will": float(how in ("promise", "threat", "decided")),
        "dated_in_sentence": float(event.date_basis == "sentence"),
        "undated": float(event.date is None),
        "reported_twice": float(len(event.evidence_spans) >= 2),
        "no_target": float(not event.target),
    }


@lru_cache(maxsize=1)
def weights() -> dict[str, float]:
    data = json.loads((resources.files("aliansi") / "data" / "confidence.json").read_text("utf-8"))
    return data["weights"]


def calibrated(event: Event) -> float:
    w = weights()
    z = sum(w.get(name, 0.0) * value for name, value in features(event).items())
    return round(1.0 / (1.0 + math.exp(-z)), 3)
