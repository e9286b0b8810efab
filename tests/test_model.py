"""The data model: spans of an article looked up by offset."""
import random

import pytest

from aliansi.model import Article, Mention


def mentions(spans):
    return [Mention(s, e, "x" * (e - s), "state", "IDN", "Indonesia") for s, e in spans]


@pytest.mark.parametrize("ordered", [True, False])
def test_model_mentions_in_finds_what_a_scan_finds(ordered):
    rng = random.Random(7)
    spans = [(s, s + rng.randint(1, 30)) for s in (rng.randint(0, 5000) for _ in range(300))]
    article = Article(text="x" * 6000, id="a", mentions=mentions(sorted(spans) if ordered else spans))
    for start in range(0, 5000, 97):
        end = start + rng.randint(1, 400)
        expected = [m for m in article.mentions if start <= m.start and m.end <= end]
        assert article.mentions_in(start, end) == expected


def test_model_mentions_in_sees_a_changed_list():
    article = Article(text="x" * 200, id="a", mentions=mentions([(i, i + 3) for i in range(0, 120, 3)]))
    assert len(article.mentions_in(0, 30)) == 10
    article.mentions.append(Mention(150, 155, "xxxxx", "state", "MYS", "Malaysia"))
    assert [m.actor for m in article.mentions_in(140, 160)] == ["MYS"]
    article.mentions = mentions([(10, 12)])
    assert len(article.mentions_in(0, 30)) == 1
