import blingfire
import pytest

from aliansi.model import Article
from aliansi.sentences import MAX_SENTENCE, SentenceStage, _sentence_offsets, split


@pytest.mark.parametrize("text,first", [
    ("KUALA LUMPUR, Jan 18 (Meridian Wire) - Thailand and Cambodia agreed on Saturday.", "KUALA LUMPUR, Jan 18 (Meridian Wire)"),
    ("Kabar Global. Den Haag, 13 Januari 2026 – Mahkamah Internasional mulai menggelar sidang.", "Kabar Global. Den Haag, 13 Januari 2026"),
    ("Suara Nusantara – Pemerintah Indonesia memberangkatkan bantuan.", "Suara Nusantara"),
])
def test_sentences_a_dateline_is_its_own_sentence(text, first):
    sentences = split(text)
    assert sentences[0].text == first and sentences[0].kind == "dateline"
    assert sentences[1].kind == "text" and not sentences[1].text.startswith(("-", "–"))


def test_sentences_offsets_abbreviations_and_paragraphs():
    text = "Menteri Jepang tiba di AS.\nJend. Smith bertemu Dr. Lee di Washington pada Senin (1/12). U.S. forces left."
    sentences = split(text)
    assert [s.text for s in sentences] == [
        "Menteri Jepang tiba di AS.", "Jend. Smith bertemu Dr. Lee di Washington pada Senin (1/12).",
        "U.S. forces left."]
    assert all(text[s.start:s.end] == s.text for s in sentences)
    assert [s.paragraph for s in sentences] == [0, 1, 1]
    assert all(s.kind == "text" for s in sentences)


def test_sentences_a_plain_first_sentence_is_no_dateline():
    assert split("Jepang dan Amerika Serikat sepakat memperluas kerja sama.")[0].kind == "text"


def test_sentences_text_without_breaks_is_cut_at_clause_boundaries():
    clause = "Menteri Luar Negeri Retno Marsudi bertemu Menlu Malaysia di Jakarta, "
    text = clause * 150          # 10,500 characters with no sentence end
    sentences = split(text)
    assert len(sentences) > 10
    assert all(len(s.text) <= MAX_SENTENCE for s in sentences)
    assert all(s.kind == "cut" for s in sentences)
    assert all(text[s.start:s.end] == s.text for s in sentences)
    assert all(s.text.endswith(",") for s in sentences[:-1])     # at a comma, not mid-word
    covered = "".join(text[s.start:s.end] for s in sentences)
    assert covered.replace(" ", "") == text.replace(" ", "")


def test_sentences_a_cut_is_reported_with_the_article(caplog):
    article = Article(text="kata " * 400, id="tanpa-titik")
    SentenceStage()(article)
    assert "article tanpa-titik: 3 pieces of text without sentence breaks" in caplog.text


def test_sentences_ordinary_sentences_are_not_cut():
    text = "Jepang dan Amerika Serikat sepakat memperluas kerja sama. " * 40
    assert all(s.kind == "text" for s in split(text))


@pytest.mark.parametrize("paragraph", [
    "Jepang dan AS sepakat. Kerja sama itu diumumkan di Tokyo! Apa langkah berikutnya?",
    "Café déjà vu in Brüssel. Menteri Luar Negeri Retno L.P. Marsudi tiba. 日本語の文です。 Another one.",
    "“Kami menolak,” kata juru bicara itu. — Selesai 🙂 di sini. Tanpa titik di akhir",
    "one sentence only",
])
def test_sentences_offsets_are_blingfires_in_characters(paragraph):
    """The spans are those of blingfire's own wrapper, in characters, for ASCII text and
    for text whose characters take two to four bytes."""
    expected = blingfire.text_to_sentences_and_offsets(paragraph)[1]
    assert _sentence_offsets(paragraph) == expected
    assert len(expected) > 1 or paragraph == "one sentence only"
