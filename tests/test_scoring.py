import copy
import importlib.util
import random

import pytest

from aliansi.scoring import max_weight_assignment, score, load_documents, match, same_event
from shared import shared_path


def _reference_scorer():
    path = shared_path("eval", "score.py")
    spec = importlib.util.spec_from_file_location("reference_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _perturb(gold: dict, seed: int) -> dict:
    """A plausible system output: some events dropped, dates blurred, actors swapped, noise added."""
    rng = random.Random(seed)
    system = {}
    for doc_id, doc in gold.items():
        events = []
        for e in copy.deepcopy(doc["events"]):
            roll = rng.random()
            if roll < 0.2:
                continue
            if roll < 0.35 and e.get("date"):
                e["date"] = e["date"][:7]
            elif roll < 0.45:
                e["source"], e["target"] = e["target"], e["source"]
            elif roll < 0.5:
                e["type"] = rng.choice(["ACCUSE", "CONSULT", "AGREE"])
            elif roll < 0.55:
                e["hypothetical"] = True
            events.append(e)
            if rng.random() < 0.15:
                events.append(dict(e, date=None, evidence="something else entirely"))
        actors = [a for a in doc["actors"] if rng.random() < 0.9] + (["XXX"] if rng.random() < 0.3 else [])
        persons = [p for p in doc["persons"] if rng.random() < 0.85]
        system[doc_id] = {"doc_id": doc_id, "actors": actors, "persons": persons, "events": events}
    return system


@pytest.mark.parametrize("gold_set", ["dev", "plover-gsr/gold.jsonl"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_scoring_agrees_with_reference_scorer(gold_set, seed):
    reference = _reference_scorer()
    gold_path = shared_path("gold", *gold_set.split("/"))
    gold = load_documents(gold_path)
    system = _perturb(gold, seed)
    ours, our_docs = score(gold, system)
    theirs, their_docs = reference.score(reference.load(gold_path), system)
    assert ours == theirs
    assert our_docs == their_docs


def test_scoring_hand_computed_document():
    gold = {"d": {"actors": ["JPN", "USA", "CHN"], "persons": [{"name": "Pete Hegseth"}], "events": [
        {"type": "CONSULT", "source": ["JPN"], "target": ["USA"], "date": "2026-01-15", "mode": "visit", "evidence": "a"},
        {"type": "SANCTION", "source": ["CHN"], "target": ["JPN"], "date": None, "evidence": "b"},
        {"type": "ACCUSE", "source": ["JPN"], "target": ["CHN"], "date": None, "optional": True, "evidence": "c"},
    ]}}
    system = {"d": {"actors": ["JPN", "USA", "TWN"], "persons": [{"name": "pete  hegseth"}], "events": [
        # symmetric: direction does not matter; the month does not fit the gold day
        {"type": "CONSULT", "source": ["USA"], "target": ["JPN"], "date": "2026-01", "mode": "visit", "evidence": "zzz"},
        {"type": "CONSULT", "source": ["USA"], "target": ["JPN"], "date": "2026-01-15", "mode": "phone", "evidence": "y"},
        {"type": "SANCTION", "source": ["CHN"], "target": ["JPN"], "date": "2025-11", "evidence": "b"},
        {"type": "ACCUSE", "source": ["JPN"], "target": ["CHN"], "evidence": "c"},            # optional: neutral
        {"type": "ASSAULT", "source": ["CHN"], "target": ["JPN"], "negated": True, "evidence": "d"},  # not scored
    ]}}
    result, _ = score(gold, system)
    assert (result["event"]["tp"], result["event"]["fp"], result["event"]["fn"]) == (2, 1, 0)
    assert result["actor"]["tp"] == 2 and result["actor"]["fp"] == 1 and result["actor"]["fn"] == 1
    assert result["person"]["f1"] == 1.0
    assert result["date_accuracy"] == 1.0       # the CONSULT on the right day is the one matched
    assert result["mode_accuracy"] == 0.0       # ... and it says phone, not visit


def test_scoring_assignment_is_optimal():
    # greedy would take (0,0) and leave row 1 unmatched
    weights = [[5, 4], [5, 0]]
    assert sorted(max_weight_assignment(weights)) == [(0, 1), (1, 0)]


def test_scoring_non_symmetric_needs_both_sides():
    g = {"type": "ACCUSE", "source": ["UKR"], "target": ["RUS"]}
    assert same_event(g, {"type": "ACCUSE", "source": ["UKR", "GBR"], "target": ["RUS"]})
    assert not same_event(g, {"type": "ACCUSE", "source": ["RUS"], "target": ["UKR"]})
    assert not same_event(g, {"type": "ACCUSE", "source": ["UKR"], "target": []})
    assert match([g], [{"type": "ACCUSE", "source": ["UKR"], "target": ["RUS"]}], same_event) == [(0, 0)]
