"""Triggers: hand entries and verb groups whose senses fire only in context."""
import pytest
import yaml

from aliansi.errors import ConfigError
from aliansi.extraction.triggers import find_triggers, load_lexicon
from event_articles import events_of

SUMMON = {
    "group": "SUMMON", "source": "CAMEO.2.0.txt:10", "words": "summon|summons|summoned|summoning",
    "default": None,
    "patterns": [
        {"type": "PROTEST", "mode": None, "context": ["diplomatic"], "cameo": "1xx",
         "after": r"\W+(?:\w+\W+){0,3}?(?:ambassadors?|envoys?)\b", "source": "CAMEO.2.0.txt:12"},
        {"type": "REQUEST", "mode": None, "context": [], "before": r"\bcourt\W+(?:\w+\W+){0,2}",
         "source": "CAMEO.2.0.txt:13"},
    ],
}
ATTACK = {"group": "ATTACK", "source": "x:1", "words": "attack|attacked",
          "default": {"type": "ASSAULT", "mode": None, "context": ["military"], "source": "x:1",
                      "unless": r"heart attack"}, "patterns": []}


@pytest.fixture
def lexicon(tmp_path):
    path = tmp_path / "en.yaml"
    path.write_text(yaml.safe_dump([SUMMON, ATTACK]), encoding="utf-8")
    return load_lexicon("en", path, fallback=False)


@pytest.mark.parametrize("text, fired", [
    ("Beijing summoned the Japanese ambassador on Monday.", [("summoned", "PROTEST")]),
    ("Manila summoned China's envoy.", [("summoned", "PROTEST")]),
    ("She summoned up the courage to speak.", []),
    ("The court has summoned the minister.", [("summoned", "REQUEST")]),
    ("Rebels attacked the base.", [("attacked", "ASSAULT")]),
    ("He died of a heart attack.", []),
])
def test_triggers_a_group_fires_only_through_a_fitting_sense(lexicon, text, fired):
    hits = find_triggers(text, lexicon)
    assert [(h.text, h.trigger.type) for h in hits] == fired


def test_triggers_a_stopped_word_says_why(lexicon):
    stopped = []
    assert find_triggers("She summoned up the courage to speak.", lexicon, stopped) == []
    (hit, why), = stopped
    assert hit.text == "summoned" and "no sense of SUMMON fits" in why
    assert "PROTEST (CAMEO.2.0.txt:12): what follows does not fit" in why


def test_triggers_a_sense_keeps_its_source_in_the_rule(lexicon):
    (hit,) = find_triggers("Beijing summoned the Japanese ambassador.", lexicon)
    assert hit.trigger.rule == "lexicon-en:SUMMON:PROTEST:CAMEO.2.0.txt:12"
    assert hit.trigger.context == ("diplomatic",)


def test_triggers_a_fallback_lexicon_fires_only_where_no_other_entry_does(tmp_path):
    path = tmp_path / "en.yaml"
    path.write_text(yaml.safe_dump([SUMMON, ATTACK]), encoding="utf-8")
    fallback = load_lexicon("en", path)                      # English is a fallback by default
    assert all(t.fallback and t.default is None for t in fallback)
    assert [t.group for t in fallback] == ["SUMMON"]        # ATTACK has a default only
    hand = [t for t in load_lexicon("en", path, fallback=False) if t.group == "ATTACK"]
    alone = "Beijing summoned the Japanese ambassador."
    assert [h.trigger.type for h in find_triggers(alone, fallback + hand)] == ["PROTEST"]
    stopped = []
    both = "Beijing summoned the Japanese ambassador after rebels attacked the embassy."
    assert [h.text for h in find_triggers(both, fallback + hand, stopped)] == ["attacked"]
    assert [(h.text, why) for h, why in stopped] == \
        [("summoned", "a fallback pattern: another entry fires in the sentence")]


@pytest.mark.parametrize("text, expected", [
    # the CAMEO pattern MOVE * INTO (192), alone in its sentence
    ("TBILISI, Aug 9 (Reuters) - Russian forces moved into Georgia on Saturday.", [("COERCE", "moved")]),
    # GRANT * &MILITARY (072) on "according", which the parse reads as part of a preposition
    ("MANILA, Jan 21 (Reuters) - China did not send ships to shadow the allied vessels, "
     "according to the Philippine Navy.", []),
    # a hand entry in the sentence: the CAMEO pattern on "moved" stands back
    ("TBILISI, Aug 9 (Reuters) - Russia accused Georgia of aggression and moved troops into Georgia.",
     [("ACCUSE", "accused")]),
])
def test_triggers_the_cameo_patterns_fill_the_hand_lexicons_gaps_on_verbs(text, expected):
    from aliansi import api
    from aliansi.model import Article

    article = api.make_pipeline()(Article(text=text, language="en", published="2026-01-21"))
    assert [(e.type, e.trigger) for e in article.events] == expected


def test_triggers_a_bad_group_is_named(tmp_path):
    path = tmp_path / "id.yaml"
    path.write_text(yaml.safe_dump([dict(SUMMON, patterns=[{"type": "ATTACK"}])]), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"id.yaml: group 1 \(SUMMON\) is invalid: .*ATTACK"):
        load_lexicon("id", path)


def test_triggers_an_absent_lexicon_is_empty(tmp_path):
    assert load_lexicon("xx", tmp_path / "xx.yaml") == []


def test_triggers_handing_over_ships_is_aid():
    _, a = events_of("Jepang menyerahkan tiga kapal patroli kepada Indonesia pada 2022.")
    aid = next(e for e in a.events if e.type == "AID")
    assert aid.source == ["JPN"] and aid.target == ["IDN"] and aid.date == "2022"


@pytest.mark.parametrize("text,language", [
    ("Japan banned imports of China seafood on Wednesday.", "en"),
    ("Jepang melarang impor produk laut Tiongkok pada Senin (1/12).", "id"),
])
def test_triggers_a_ban_on_imports_is_a_sanction(text, language):
    found, _ = events_of(text, language)
    assert ("SANCTION", ["JPN"], ["CHN"], False, False) in found


@pytest.mark.parametrize("text, language", [
    ("Ukraine will not recognize the referendum held by Russia.", "en"),
    ("Japan does not recognize the claims of China.", "en"),
    ("Ukraina tidak akan mengakui hasil referendum yang digelar Rusia.", "id"),
    ("Jepang menolak mengakui klaim Tiongkok.", "id"),
])
def test_triggers_refusing_to_recognise_is_a_rejection_not_a_denied_support(text, language):
    # CAMEO "REFUSAL (TO RECOGNIZE)" [1232]: the negation is the act
    found, _ = events_of(text, language)
    assert [f for f in found if f[0] == "REJECT" and not f[3] and not f[4]], found
    assert not [f for f in found if f[0] == "SUPPORT"], found


@pytest.mark.parametrize("text, language", [
    ("Jepang menolak memberikan rincian kepada wartawan soal kapal Tiongkok.", "id"),
    ("Japan declined to comment on the plans of China.", "en"),
    ("Japan refused to give details of its talks with China.", "en"),
])
def test_triggers_declining_to_comment_rejects_no_one(text, language):
    # CAMEO.2.0.txt REFUSE + COMMENT [011]: a public statement, no PLOVER event
    found, _ = events_of(text, language)
    assert not [f for f in found if f[0] == "REJECT"], found


def test_triggers_the_keyword_index_finds_what_trying_every_entry_everywhere_finds():
    """The index tries an entry only where a word begins with one of its alternatives'
    first letters; over the bundled sample articles and the sentences of the extraction
    tests (both languages, every lexicon) it finds exactly the matches of every entry's
    regex run over every sentence."""
    import ast
    from pathlib import Path

    from aliansi.extraction import triggers as module
    from aliansi.sentences import split

    root = Path(__file__).parents[2]
    texts = [p.read_text(encoding="utf-8") for p in sorted((root / "samples").glob("*.txt"))]
    for test in sorted(Path(__file__).parent.glob("test_*.py")):
        texts += [node.value for node in ast.walk(ast.parse(test.read_text(encoding="utf-8")))
                  if isinstance(node, ast.Constant) and isinstance(node.value, str) and " " in node.value]
    # words whose alternatives end in an optional letter ("airstrikes?", "bann?(?:ed|s)")
    texts.append("The airstrike hit a depot. Beijing banned imports and slapped tariffs on Japan. "
                 "Ships patrolled the strait after one vessel rammed another. A tariff, a "
                 "demonstration and the allegation that Manila lied followed.")
    sentences = [s.text for text in texts for s in split(text)]
    lexicon = module.load_triggers(lexicons=("id", "en"))
    compared = 0
    for text in sentences:
        indexed = {(t.index, t.group, m.span()) for t, starts in module._candidates(lexicon, text)
                   for m in module._matches(t.pattern, text, starts)}
        everywhere = {(t.index, t.group, m.span()) for t in lexicon for m in t.pattern.finditer(text)}
        assert indexed == everywhere, text
        compared += len(everywhere)
    assert compared > 500


@pytest.mark.parametrize("words, text, found", [
    ("tariffs?|embargo", "Washington slapped a tariff on steel.", ["tariff"]),          # optional last letter
    ("patroll?(?:ed|ing)", "Two ships were patroling the strait.", ["patroling"]),
    ("(?:tele)?phoned|video call", "Widodo telephoned Albanese.", ["telephoned"]),       # tried everywhere
    ("KTT|pertemuan puncak", "ktt itu ditunda; KTT ASEAN digelar.", ["KTT"]),          # case kept
    ("serang|menyerang", "Israel menyerang Gaza dan pasukannya serang-menyerang.", ["menyerang"]),
])
def test_triggers_the_keyword_index_keeps_every_kind_of_alternative(tmp_path, words, text, found):
    from aliansi.extraction.triggers import load_triggers

    path = tmp_path / "triggers.yaml"
    path.write_text(yaml.safe_dump([{"type": "ASSAULT", "lang": "en", "words": words}]), encoding="utf-8")
    assert [h.text for h in find_triggers(text, load_triggers(path))] == found


def test_triggers_an_indonesian_word_may_carry_the_enclitic_nya(tmp_path):
    # "-nya" (his, her, its; him, it) attaches to nouns and verbs: "dukungannya" is
    # "dukungan", "menyerangnya" "menyerang"; English words take no such ending
    from aliansi.extraction.triggers import load_triggers

    path = tmp_path / "triggers.yaml"
    path.write_text(yaml.safe_dump([{"type": "SUPPORT", "lang": "id", "words": "dukungan|menyerang"},
                                    {"type": "SUPPORT", "lang": "en", "words": "support"}]), encoding="utf-8")
    lexicon = load_triggers(path)
    found = find_triggers("Tiga negara menyuarakan dukungannya; milisi menyerangnya; supportnya.", lexicon)
    assert [h.text for h in found] == ["dukungannya", "menyerangnya"]
    assert [h.text for h in find_triggers("dukungan-nya dan dukungannyalah", lexicon)] == ["dukungan-nya"]
