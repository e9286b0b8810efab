"""Scores extracted events against gold annotations, as EVENTS.md §5 defines.

An extracted event matches a gold event of the same document when the types are
equal, the actors agree (union of both sides for symmetric types; a shared code
on each side otherwise) and it is the same occurrence (dates do not contradict,
or the evidence sentences share most of their words). Matching is one-to-one
and optimal. The result agrees with the shared reference scorer (a test checks).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from .errors import InputError
from .model import EVENT_TYPES, SYMMETRIC_TYPES

Doc = dict[str, Any]
EventDict = dict[str, Any]


def load_documents(path: str | Path) -> dict[str, Doc]:
    """Gold or system documents from a folder of <id>.json files or a JSON Lines file."""
    path = Path(path)
    docs: dict[str, Doc] = {}
    if path.is_dir():
        for file in sorted(path.glob("*.json")):
            try:
                doc = json.loads(file.read_text(encoding="utf-8"))
            except json.JSONDecodeError as exc:
                raise InputError(f"not JSON: {exc}", origin=str(file)) from None
            docs[doc.get("doc_id") or file.stem] = doc
        return docs
    if not path.exists():
        raise InputError("no such file or folder", origin=str(path))
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                doc = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"not JSON: {exc}", origin=str(path), record=number) from None
            doc_id = doc.get("doc_id") or doc.get("id")
            if doc_id is None:
                raise InputError("object has no doc_id", origin=str(path), record=number)
            if doc_id in docs:
                for key in ("events", "actors", "persons"):
                    docs[doc_id].setdefault(key, []).extend(doc.get(key) or [])
            else:
                docs[doc_id] = doc
    return docs


def _codes(value: Any) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str):
        value = [value]
    return frozenset(str(v).strip().upper() for v in value if v)


def _sides(event: EventDict) -> tuple[frozenset[str], frozenset[str]]:
    return _codes(event.get("source")), _codes(event.get("target"))


def _type(event: EventDict) -> str:
    return str(event.get("type", "")).upper()


def same_actors(gold: EventDict, system: EventDict) -> bool:
    (gs, gt), (ss, st) = _sides(gold), _sides(system)
    if gold["type"] in SYMMETRIC_TYPES:
        return gs | gt == ss | st
    return bool(gs & ss) and (bool(gt & st) if gt else not st)


def same_dyad(gold: EventDict, system: EventDict) -> bool:
    (gs, gt), (ss, st) = _sides(gold), _sides(system)
    return gs | gt == ss | st


def same_event(gold: EventDict, system: EventDict) -> bool:
    return gold["type"] == _type(system) and same_actors(gold, system)


def date_agrees(gold: str | None, system: str | None) -> bool | None:
    """None when the gold date is unknown, else whether the system date fits inside it."""
    if not gold:
        return None
    if not system:
        return False
    gold, system = str(gold), str(system)
    return system == gold or (len(system) > len(gold) and system.startswith(gold + "-"))


def _words(text: Any) -> set[str]:
    return set("".join(c.lower() if c.isalnum() else " " for c in str(text or "")).split())


def same_evidence(gold: EventDict, system: EventDict) -> bool:
    a, b = _words(gold.get("evidence")), _words(system.get("evidence"))
    return bool(a and b) and len(a & b) / min(len(a), len(b)) >= 0.6


def same_occurrence(gold: EventDict, system: EventDict) -> bool:
    return date_agrees(gold.get("date"), system.get("date")) is not False \
        or same_evidence(gold, system)


def max_weight_assignment(weights: list[list[int]]) -> list[tuple[int, int]]:
    """Optimal one-to-one assignment maximising the summed weight (Hungarian method,
    shortest augmenting paths with potentials). Returns (row, column) pairs."""
    rows = len(weights)
    cols = len(weights[0]) if rows else 0
    n = max(rows, cols)
    if n == 0:
        return []
    top = max(max(row) for row in weights)
    cost = [[top - (weights[i][j] if i < rows and j < cols else 0) for j in range(n)]
            for i in range(n)]
    inf = float("inf")
    u, v = [0.0] * (n + 1), [0.0] * (n + 1)
    owner, way = [0] * (n + 1), [0] * (n + 1)   # owner[col] = row (1-based)
    for row in range(1, n + 1):
        owner[0], col0 = row, 0
        best, seen = [inf] * (n + 1), [False] * (n + 1)
        while owner[col0]:
            seen[col0] = True
            r, delta, next_col = owner[col0], inf, 0
            for col in range(1, n + 1):
                if seen[col]:
                    continue
                reduced = cost[r - 1][col - 1] - u[r] - v[col]
                if reduced < best[col]:
                    best[col], way[col] = reduced, col0
                if best[col] < delta:
                    delta, next_col = best[col], col
            for col in range(n + 1):
                if seen[col]:
                    u[owner[col]] += delta
                    v[col] -= delta
                else:
                    best[col] -= delta
            col0 = next_col
        while col0:
            previous = way[col0]
            owner[col0] = owner[previous]
            col0 = previous
    return [(owner[c] - 1, c - 1) for c in range(1, n + 1)
            if owner[c] and owner[c] - 1 < rows and c - 1 < cols]


def match(gold: list[EventDict], system: list[EventDict],
          same: Callable[[EventDict, EventDict], bool]) -> list[tuple[int, int]]:
    """Required gold events first, then optional ones, then same type, then agreeing date."""
    if not gold or not system:
        return []
    weights = [[0] * len(system) for _ in gold]
    for i, g in enumerate(gold):
        for j, s in enumerate(system):
            if same(g, s) and same_occurrence(g, s):
                weights[i][j] = ((10_000 if g.get("optional") else 1_000_000)
                                 + (100 if g.get("type") == _type(s) else 0)
                                 + (1 if date_agrees(g.get("date"), s.get("date")) else 0))
    return [(i, j) for i, j in max_weight_assignment(weights) if weights[i][j] > 0]


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: "Counts") -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    def as_dict(self) -> dict[str, float | int]:
        tp, fp, fn = self.tp, self.fp, self.fn
        p = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
        r = tp / (tp + fn) if tp + fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
                "tp": tp, "fp": fp, "fn": fn}


def _event_counts(gold: list[EventDict], system: list[EventDict], same) -> tuple[Counts, list]:
    pairs = match(gold, system, same)
    hit_gold, hit_sys = {i for i, _ in pairs}, {j for _, j in pairs}
    counts = Counts(
        tp=sum(1 for i in hit_gold if not gold[i].get("optional")),
        fn=sum(1 for i, g in enumerate(gold) if i not in hit_gold and not g.get("optional")),
        fp=len(system) - len(hit_sys),
    )
    # an unmatched system event that fits only an optional gold event is neither right nor wrong
    counts.fp -= sum(1 for j, s in enumerate(system) if j not in hit_sys and any(
        g.get("optional") and same(g, s) and same_occurrence(g, s) for g in gold))
    return counts, pairs


def _name(name: Any) -> str:
    return " ".join(str(name).lower().replace(".", " ").split())


def score(gold_docs: dict[str, Doc], system_docs: dict[str, Doc]) -> tuple[dict, dict]:
    """Totals and per-document figures, keyed as the reference scorer keys them."""
    totals = {kind: Counts() for kind in ("event", "dyad", "actor", "person")}
    dates = [0, 0]
    modes = [0, 0]
    per_doc: dict[str, dict] = {}
    for doc_id, gold in gold_docs.items():
        system = system_docs.get(doc_id, {})
        g_events = [e for e in gold.get("events", []) if e.get("type") in EVENT_TYPES]
        s_events = [e for e in system.get("events") or []
                    if not e.get("hypothetical") and not e.get("negated")]
        doc: dict[str, dict] = {}
        for kind, same in (("event", same_event), ("dyad", same_dyad)):
            counts, pairs = _event_counts(g_events, s_events, same)
            if kind == "event":
                for i, j in pairs:
                    g, s = g_events[i], s_events[j]
                    agree = date_agrees(g.get("date"), s.get("date"))
                    if agree is not None:
                        dates[0] += agree
                        dates[1] += 1
                    if g.get("mode"):
                        modes[0] += str(s.get("mode") or "").lower() == g["mode"].lower()
                        modes[1] += 1
            totals[kind].add(counts)
            doc[kind] = counts.as_dict()
        sets = {
            "actor": (_codes(gold.get("actors")), _codes(system.get("actors"))),
            "person": ({_name(p["name"]) for p in gold.get("persons", [])},
                       {_name(p.get("name", "")) for p in system.get("persons") or []}),
        }
        for kind, (g, s) in sets.items():
            counts = Counts(tp=len(g & s), fp=len(s - g), fn=len(g - s))
            totals[kind].add(counts)
            doc[kind] = counts.as_dict()
        per_doc[doc_id] = doc
    result: dict[str, Any] = {kind: c.as_dict() for kind, c in totals.items()}
    result["date_accuracy"] = round(dates[0] / dates[1], 4) if dates[1] else None
    result["mode_accuracy"] = round(modes[0] / modes[1], 4) if modes[1] else None
    result["documents"] = len(gold_docs)
    result["documents_missing_from_system"] = sorted(set(gold_docs) - set(system_docs))
    return result, per_doc


def format_report(result: dict) -> Iterable[str]:
    yield (f"documents: {result['documents']}  missing from system: "
           f"{len(result['documents_missing_from_system'])}")
    for kind in ("event", "dyad", "actor", "person"):
        r = result[kind]
        yield (f"{kind:7s} P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}"
               f"   (tp {r['tp']}, fp {r['fp']}, fn {r['fn']})")
    yield f"date accuracy (matched events): {result['date_accuracy']}"
    yield f"mode accuracy (matched events): {result['mode_accuracy']}"
