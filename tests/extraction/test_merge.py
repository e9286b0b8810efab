"""One event per occurrence in a document, one meeting per sentence
(aliansi.extraction.merge), through the event stage on hand-built articles
(tests/extraction/event_articles.py)."""
from event_articles import events_of


def test_merge_repeated_statement_merges_with_all_evidence():
    found, a = events_of("Jepang dan Amerika Serikat sepakat memperluas kerja sama. "
                         "Jepang dan Amerika Serikat menyepakati langkah strategis pada 15 Januari.")
    agrees = [e for e in a.events if e.type == "AGREE"]
    assert len(agrees) == 1
    assert agrees[0].date == "2026-01-15" and len(agrees[0].evidence_spans) == 2


def test_merge_mediator_joins_the_talks_as_third_party():
    _, a = events_of("Thailand dan Kamboja menggelar perundingan yang dimediasi Malaysia pada Senin (1/12).")
    consult = [e for e in a.events if e.type == "CONSULT"]
    assert len(consult) == 1
    assert consult[0].mode == "third-party" and consult[0].source == ["MYS"]
    assert set(consult[0].target) == {"THA", "KHM"}


def test_merge_confidence_is_the_calibrated_probability_and_counts_corroboration():
    # the same occurrence told twice is more likely right than told once; a second
    # merge (segments joined) gives the same figures
    from aliansi.extraction.confidence import calibrated
    from aliansi.extraction.merge import MergeStage
    from aliansi.model import Article, Event

    def told(start):
        return Event(type="ACCUSE", source=["JPN"], target=["CHN"], evidence="x",
                     evidence_spans=[(start, start + 1)], date="2025-12-01", date_precision="day",
                     date_basis="sentence", rule="lexicon:id:ACCUSE:17:agent=parse/nsubj;patient=pattern:direct")
    once = MergeStage()(Article(text="x", events=[told(0)])).events
    twice = MergeStage()(Article(text="x", events=[told(0), told(10)])).events
    assert 0 < once[0].confidence < twice[0].confidence < 1
    again = MergeStage()(Article(text="x", events=twice)).events
    assert again[0].confidence == twice[0].confidence == calibrated(twice[0])


def test_merge_min_confidence_filters_on_the_calibrated_confidence():
    from aliansi.extraction.merge import MergeStage
    from aliansi.model import Article, Event

    def told(start, target, date):
        return Event(type="ACCUSE", source=["JPN"], target=[target], evidence="x",
                     evidence_spans=[(start, start + 1)], date=date, date_precision="day" if date else None,
                     date_basis="sentence" if date else None,
                     rule="lexicon:id:ACCUSE:17:agent=parse/nsubj;patient=pattern:direct")

    def article():
        return Article(text="x", events=[told(0, "CHN", "2025-12-01"), told(10, "RUS", None)])
    confidence = {e.target[0]: e.confidence for e in MergeStage()(article()).events}
    assert confidence["CHN"] != confidence["RUS"]          # dated or not: calibrated apart
    likelier = max(confidence, key=confidence.get)
    between = sum(confidence.values()) / 2
    kept = MergeStage(min_confidence=between)(article()).events
    assert [(e.target[0], e.confidence) for e in kept] == [(likelier, confidence[likelier])]
