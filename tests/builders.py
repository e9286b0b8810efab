"""Hand-built articles with events, for tests of what comes after extraction."""
from aliansi.model import Article, Event, Sentence


def article_with_events(id, published, language, items, *, outlet=None, url=None, persons=()):
    """An article from (sentence, [event kwargs]) pairs; each event's evidence is its sentence."""
    text = " ".join(sentence for sentence, _ in items)
    sentences, events, pos = [], [], 0
    for sentence, specs in items:
        start = text.index(sentence, pos)
        pos = end = start + len(sentence)
        sentences.append(Sentence(start, end, sentence))
        events += [Event(evidence=sentence, evidence_spans=[(start, end)], **spec)
                   for spec in specs]
    return Article(text=text, id=id, published=published, language=language, outlet=outlet,
                   url=url, sentences=sentences, events=events, persons=list(persons))
