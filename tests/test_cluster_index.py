"""Clusters found through the index (issue 15): `Database.update_clusters` reads only the
clusters a new event could join (same actors, dates within the window), compares each
through a summary of its distinct values, and places events in steps; its clusters must
be those of the plain algorithm, which compares every new mention with every member of
every cluster, re-reading the features of both sentences each time. On the shared dev
articles and on articles recombined from their sentences (so that many reports share
their evidence word for word and tie), ingested in three batches, then one article
re-ingested with a later date; SQLite and PostgreSQL."""
from __future__ import annotations

import copy
import hashlib
import json
import math
import random
from pathlib import Path

import pytest

from aliansi import database
from aliansi.dedup import (THRESHOLDS, ClusterMember, LexicalSimilarity, actor_key,
                           date_agreement, places_contradict)
from aliansi.model import Article
from aliansi.store import open_store

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DEV_ARTICLES = SHARED / "gold" / "dev" / "articles.jsonl"
SAME_EVENT = SHARED / "gold" / "dev" / "SAME_EVENT.tsv"


# --- the plain algorithm ---------------------------------------------------------------

def _order(m) -> tuple:
    return (m.published or "9999", m.article_id, m.event_id if hasattr(m, "event_id") else m.id)


class _Plain:
    """Clusters as lists of members, every comparison made member by member."""

    def __init__(self, kb, window_days: int = 3):
        self.lexical = LexicalSimilarity.from_kb(kb)
        self.window_days = window_days
        self.clusters: list[dict] = []      # {"key", "members": [ClusterMember]}
        self.ties = 0                       # events that matched two clusters equally

    def similarity(self, a: str, b: str) -> float:
        fa, fb = self.lexical.features(a), self.lexical.features(b)
        if not fa or not fb:
            return 0.0
        shared = sum(fa[k] * fb[k] for k in fa.keys() & fb.keys())
        norm = math.sqrt(sum(v * v for v in fa.values()) * sum(v * v for v in fb.values()))
        return shared / norm

    def margin(self, new: ClusterMember, members: list[ClusterMember]) -> float | None:
        best = None
        for m in members:
            if m.article_id == new.article_id:
                return None
            level = date_agreement(new, m, self.window_days)
            if level is None or places_contradict(new, m):
                return None
            score = self.similarity(new.evidence, m.evidence) - THRESHOLDS[level]
            best = score if best is None else max(best, score)
        return best

    def place(self, events) -> None:
        """Each new event, in the order of its report, joins the cluster it matches
        best (the earliest reported of equals) or starts one."""
        for e in sorted(events, key=_order):
            if e.hypothetical or e.negated:
                continue
            new = ClusterMember(event_id=e.id, article_id=e.article_id, evidence=e.evidence or "",
                                date=e.date, published=e.published, location=e.location,
                                location_country=e.location_country)
            key = actor_key(e.type, e.source, e.target)
            best, best_margin = None, None
            for cluster in self.clusters:
                if cluster["key"] != key:
                    continue
                margin = self.margin(new, cluster["members"])
                if margin is None or margin < 0:
                    continue
                first = min(_order(m) for m in cluster["members"])
                self.ties += margin == best_margin
                if best_margin is None or margin > best_margin or (
                        margin == best_margin and first < min(_order(m) for m in best["members"])):
                    best, best_margin = cluster, margin
            if best is None:
                best = {"key": key, "members": []}
                self.clusters.append(best)
            best["members"].append(new)

    def forget(self, article_id: str) -> None:
        """An article re-ingested: its reports leave their clusters."""
        for cluster in self.clusters:
            cluster["members"] = [m for m in cluster["members"] if m.article_id != article_id]
        self.clusters = [c for c in self.clusters if c["members"]]

    def ids(self) -> dict[str, str]:
        """{event id: cluster id}: a cluster's id is a hash of its earliest report."""
        found = {}
        for cluster in self.clusters:
            first = min(cluster["members"], key=_order)
            cid = "ev-" + hashlib.sha256(first.event_id.encode("utf-8")).hexdigest()[:16]
            found.update((m.event_id, cid) for m in cluster["members"])
        return found


# --- the articles ----------------------------------------------------------------------

def _recombined(records: list[dict], n: int, seed: int = 5) -> list[dict]:
    """N articles of sentences drawn from the dev articles, with their own dates (a
    small version of benchmarks/bench_feedback.distinct_articles)."""
    pools: dict[str, list[str]] = {}
    for record in records:
        lines = [line.strip() for line in record["text"].split("\n") if len(line.strip()) > 40]
        pools.setdefault(record.get("language") or "id", []).extend(lines)
    rng = random.Random(seed)
    out = []
    for i in range(n):
        language = "en" if i % 4 == 3 else "id"
        pool = pools.get(language) or next(iter(pools.values()))
        out.append({"id": f"recombined-{i}", "language": language,
                    "published": f"2025-12-{1 + i % 20:02d}",
                    "url": f"https://outlet{i % 7}.example/{i}", "title": f"Recombined {i}",
                    "text": "\n\n".join(rng.sample(pool, min(len(pool), rng.randint(6, 10))))})
    return out


@pytest.fixture(scope="module")
def kb():
    from aliansi.kb import KnowledgeBase
    return KnowledgeBase.load()


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> list[Article]:
    if not DEV_ARTICLES.exists():
        pytest.skip(f"{DEV_ARTICLES} is absent: the shared dev set sits beside the repo only "
                    f"for developers and CI")
    from aliansi import api
    records = [json.loads(line) for line in DEV_ARTICLES.read_text(encoding="utf-8").splitlines()
               if line.strip()]
    source = tmp_path_factory.mktemp("articles") / "articles.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                              for r in records + _recombined(records, 90)), encoding="utf-8")
    return list(api.extract([source]))


def _stored(db) -> dict[str, str]:
    return {r.event_id: r.cluster_id for r in db.store.cluster_rows()}


def test_cluster_index_equals_the_plain_algorithm(store_location, kb, articles, monkeypatch):
    monkeypatch.setattr(database, "CLUSTER_STEP", 60)       # several steps per update
    plain = _Plain(kb)
    third = len(articles) // 3
    batches = [articles[:third], articles[third:2 * third], articles[2 * third:]]
    with database.open(store_location, kb=kb) as db:
        for batch in batches:
            before = {e.id for e in db.store.events(include_flagged=True)}
            db.store.ingest(batch)
            update = db.update_clusters()
            new = [e for e in db.store.events() if e.id not in before]
            plain.place(new)
            assert update.assigned == len(new)
            assert _stored(db) == plain.ids()

        # the earliest report of a cluster of several re-ingested with a later date:
        # it leaves, the cluster takes the id of its next report, then it is placed again
        sizes: dict[str, list[str]] = {}
        for event, cluster in _stored(db).items():
            sizes.setdefault(cluster, []).append(event)
        events = {e.id: e for e in db.store.events()}
        first = min((min((events[e] for e in members), key=_order) for members in sizes.values()
                     if len({events[e].article_id for e in members}) > 2), key=_order)
        moved = copy.deepcopy(next(a for a in articles if a.id == first.article_id))
        moved.published = "2026-02-01"
        assert db.store.ingest([moved]).replaced == 1
        update = db.update_clusters()
        assert update.renamed >= 1
        plain.forget(moved.id)
        plain.place(e for e in db.store.events() if e.article_id == moved.id)
        assert _stored(db) == plain.ids()
        assert db.update_clusters().to_dict() == {"assigned": 0, "created": 0, "grown": 0,
                                                  "renamed": 0}
        assert db.store.cluster_queue() == [] and db.store.shrunk_clusters() == []

        # reports that tie (the same sentence in several articles) are common here
        assert plain.ties > 0
        clusters = {}
        for event, cluster in _stored(db).items():
            clusters.setdefault(cluster, set()).add(events[event].article_id
                                                    if event in events else event)
        assert sum(len(c) > 2 for c in clusters.values()) >= 5

    # each pair of dev articles the gold says report one story shares a cluster
    pairs = [line.split("\t")[:2] for line in SAME_EVENT.read_text(encoding="utf-8")
             .splitlines()[1:] if line.strip()]
    assert pairs and all(any({a, b} <= docs for docs in clusters.values()) for a, b in pairs)


def test_cluster_index_read_only_plan_equals_the_update(tmp_path, kb, articles):
    """A store open read-only places its new events in memory, as an update would."""
    location = tmp_path / "events.db"
    with open_store(location) as store:
        store.ingest(articles[:40])
    with database.open(location, kb=kb) as db:
        db.update_clusters()
        db.store.ingest(articles[40:])
    with database.open(location, read_only=True, kb=kb) as db:
        in_memory = db._cluster_map(3, None)
    with database.open(location, kb=kb) as db:
        db.update_clusters()
        assert _stored(db) == in_memory
