"""The Indonesian trigger lexicon: morphology of scripts/build_lexicon_id.py, its
reports of bad entries, and the generated lexicon/id.yaml read as FORMAT.md says."""
import importlib.util
import re
from pathlib import Path

import pytest
import yaml

from shared import shared_path

REPO = Path(__file__).resolve().parents[1]
LEXICON = REPO / "src" / "aliansi" / "data" / "lexicon"
_spec = importlib.util.spec_from_file_location("build_lexicon_id", REPO / "scripts" / "build_lexicon_id.py")
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)

TYPES = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
         "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]


# --- morphology -------------------------------------------------------------------------

@pytest.mark.parametrize("root, tag, written", [
    ("tembak", "meN", "menembak"), ("tembak", "di", "ditembak"), ("tembak", "peN-an", "penembakan"),
    ("tembak", "meN-kan", "menembakkan"), ("tembak", "meN-i", "menembaki"), ("tembak", "-an", "tembakan"),
    ("tembak", "N", "nembak"), ("tembak", "R-meN", "tembak-menembak"), ("tembak", "ter", "tertembak"),
    ("kirim", "meN", "mengirim"), ("kirim", "peN-an", "pengiriman"),
    ("serang", "meN", "menyerang"), ("serang", "peN-an", "penyerangan"), ("serang", "N", "nyerang"),
    ("pukul", "meN", "memukul"), ("pukul", "meN-i", "memukuli"),
    ("bom", "meN", "mengebom"), ("bom", "peN-an", "pengeboman"), ("bom", "di", "dibom"), ("bom", "N", "ngebom"),
    ("sepakat", "meN-i", "menyepakati"), ("sepakat", "ke-an", "kesepakatan"), ("sepakat", "ber", "bersepakat"),
    ("usir", "meN", "mengusir"), ("usir", "peN-an", "pengusiran"),
    ("tolak", "meN", "menolak"), ("tolak", "peN-an", "penolakan"),
    ("protes", "meN", "memprotes"), ("kritik", "meN", "mengkritik"),            # clusters keep p/k
    ("sanksi", "meN", "menyanksi"), ("vonis", "meN", "memvonis"), ("gempur", "meN", "menggempur"),
    ("larang", "meN", "melarang"), ("larang", "peN-an", "pelarangan"), ("nyata", "meN-kan", "menyatakan"),
    ("maaf", "meN-kan", "memaafkan"), ("naik", "meN-i", "menaiki"), ("otot", "N", "ngotot"),
    ("runding", "ber", "berunding"), ("runding", "per-an", "perundingan"), ("rampas", "per-an", "perampasan"),
    ("kerja sama", "ber", "bekerja sama"), ("temu", "per-an", "pertemuan"), ("temu", "memper-kan", "mempertemukan"),
    ("ketat", "memper", "memperketat"), ("ketat", "peN-an", "pengetatan"), ("senjata", "memper-i", "mempersenjatai"),
    ("ingat", "memper-kan", "memperingatkan"), ("ingat", "per-an", "peringatan"), ("rusuh", "ke-an", "kerusuhan"),
    ("bincang", "ber-R", "berbincang-bincang"),
    ("tanda tangan", "meN-i", "menandatangani"), ("tanda tangan", "peN-an", "penandatanganan"),
    ("tanda tangan", "ber", "bertanda tangan"), ("ambil alih", "peN-an", "pengambilalihan"),
    ("uji coba", "meN", "menguji coba"), ("uji coba", "di-kan", "diujicobakan"),
])
def test_lexicon_id_morphology(root, tag, written):
    assert build.form(tag, root) == written


def test_lexicon_id_words_regex_matches_spacing_and_hyphen_variants():
    words = re.compile(rf"\b(?:{build.words_regex(['gencatan senjata', 'tembak-menembak'])})\b", re.I)
    for text in ["Gencatan  Senjata", "tembak-menembak", "tembak menembak", "tembakmenembak"]:
        assert words.fullmatch(text)


# --- bad entries ------------------------------------------------------------------------

BAD_ROOTS = """\
classes:
  GAP: '\\W+(?:\\w+\\W+){0,4}?'
roots:
  - root: tembak
    affixes: [meN, di]
    senses:
      - {type: ATTACK, cameo: "190"}
  - root: serang
    affixes: [meN, xyz]
    senses:
      - {type: ASSAULT, cameo: 190, unless: '&NOSUCH'}
  - root: usir
    affixes: [meN]
    senses:
      - {type: SANCTION, cameo: "173", after: '(unclosed', example: "mengusir"}
  - root: pukul
    affixes: [meN]
    senses:
      - {type: ASSAULT, mode: beat, cameo: "182", example: "memukul"}
      - {type: ASSAULT, cameo: "190", example: "memukul lagi"}
"""


@pytest.fixture
def table(tmp_path):
    path = tmp_path / "table.txt"
    path.write_text("173: COERCE, arrest, legal # x\n182: ASSAULT, beat, # x\n"
                    "190: ASSAULT, , military # x\n166: SANCTION, expel , diplomatic # x\n", encoding="utf-8")
    return path


def test_lexicon_id_bad_entries_are_reported_with_their_line(tmp_path, table, capsys):
    roots, out = tmp_path / "id_roots.yaml", tmp_path / "id.yaml"
    roots.write_text(BAD_ROOTS, encoding="utf-8")
    assert build.main(["--roots", str(roots), "--out", str(out), "--table", str(table)]) == 1
    err = capsys.readouterr().err
    assert "id_roots.yaml:7: type 'ATTACK' is not one of the 16 PLOVER types" in err
    assert "id_roots.yaml:9: unknown affix 'xyz'" in err
    assert "id_roots.yaml:11: CAMEO code 190 must be a quoted string" in err
    assert "id_roots.yaml:11: unknown (or circular) class &NOSUCH" in err
    assert re.search(r"id_roots\.yaml:15: regex '\(unclosed' does not compile", err)
    assert "id_roots.yaml:15: SANCTION differs from the table (173 is COERCE): say `why`" in err
    assert "id_roots.yaml:20: two unconstrained senses apply to 'memukul'" in err
    assert not out.exists()                      # nothing written, nothing dropped silently


def test_lexicon_id_duplicate_keys_and_shadowed_examples_are_reported(tmp_path, table, capsys):
    roots = tmp_path / "id_roots.yaml"
    roots.write_text("""\
classes:
  GAP: '\\W+(?:\\w+\\W+){0,4}?'
roots:
  - root: usir
    affixes: [meN]
    affixes: [di]
    senses:
      - {type: SANCTION, mode: expel, cameo: "166", object: 'diplomat|duta\\W+besar', example: "mengusir diplomat"}
      - {type: SANCTION, mode: expel, cameo: "166", object: 'diplomat', example: "mengusir diplomat asing"}
""", encoding="utf-8")
    assert build.main(["--roots", str(roots), "--out", str(tmp_path / "o.yaml"), "--table", str(table)]) == 1
    err = capsys.readouterr().err
    assert "id_roots.yaml:6: duplicate key 'affixes'" in err
    assert "id_roots.yaml:9: example 'mengusir diplomat asing' is not read as this sense" in err


def test_lexicon_id_yaml_syntax_errors_are_reported_with_their_line(tmp_path, table, capsys):
    roots = tmp_path / "id_roots.yaml"
    roots.write_text("roots:\n  - root: usir\n    gloss: expel: drive out\n", encoding="utf-8")
    assert build.main(["--roots", str(roots), "--out", str(tmp_path / "o.yaml"), "--table", str(table)]) == 1
    assert "id_roots.yaml:3: not YAML: mapping values are not allowed here" in capsys.readouterr().err


# --- the generated lexicon --------------------------------------------------------------

@pytest.fixture(scope="module")
def groups():
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load((LEXICON / "id.yaml").read_text(encoding="utf-8"), Loader=loader)


def readings(text: str, groups: list) -> list[tuple[str, str | None]]:
    """(group, type or None) for every trigger in `text`, read as FORMAT.md says: the
    first pattern that fits, else the default."""
    out = []
    for g in groups:
        for m in re.finditer(rf"\b(?:{g['words']})\b", text, re.I):
            sense = None
            for p in g["patterns"] + ([g["default"]] if g["default"] else []):
                if p.get("after") and not re.match(p["after"], text[m.end():], re.I):
                    continue
                if p.get("before") and not re.search(f"(?:{p['before']})$", text[:m.start()], re.I):
                    continue
                if p["unless"] and re.search(p["unless"], text, re.I):
                    continue
                sense = p["type"]
                break
            out.append((g["group"], sense))
    return out


def test_lexicon_id_follows_the_format(groups):
    assert len(groups) > 500
    for g in groups:
        assert list(g) == ["group", "source", "words", "voice", "nominal", "default", "patterns"]
        assert g["voice"] in ("active", "passive") and isinstance(g["nominal"], bool)
        assert re.fullmatch(r"id_roots\.yaml:\d+", g["source"])
        re.compile(g["words"], re.I)
        assert g["default"] or g["patterns"], g["group"]
        for p in ([g["default"]] if g["default"] else []) + g["patterns"]:
            assert p["type"] in TYPES and isinstance(p["context"], list)
            assert all(code.isdigit() for code in p["cameo"].split())
            for key in ("after", "before", "unless"):
                if p.get(key):
                    re.compile(p[key], re.I)
        for p in g["patterns"]:
            assert p["after"] or p["before"]
        if g["default"]:
            assert "after" not in g["default"] and "before" not in g["default"]


def test_lexicon_id_covers_every_type_with_passive_and_nominal_forms(groups):
    seen = {p["type"] for g in groups for p in ([g["default"]] if g["default"] else []) + g["patterns"]}
    assert seen == set(TYPES)
    by_form = {}
    for g in groups:
        for form in g["words"].split("|"):
            by_form[form] = g
    assert by_form["ditembak"]["voice"] == "passive" and by_form["menembak"]["voice"] == "active"
    assert by_form["penembakan"]["nominal"] and by_form["pengusiran"]["nominal"]
    assert by_form["kesepakatan"]["nominal"] and not by_form["menyepakati"]["nominal"]


def test_lexicon_id_summoning_an_envoy_is_protest_summoning_reporters_is_nothing(groups):
    assert ("panggil", "PROTEST") in readings("Jepang memanggil Duta Besar China", groups)
    assert ("panggil", "PROTEST") in readings("Duta Besar China dipanggil Kemlu Jepang", groups)
    assert ("panggil", "SANCTION") in readings("Seoul memanggil pulang duta besarnya", groups)
    found = readings("Menteri itu memanggil wartawan", groups)
    assert found and all(sense is None for _, sense in found)


@pytest.mark.parametrize("text, group, expected", [
    ("Polisi menahan diri", "tahan", None),
    ("Polisi menahan dua aktivis", "tahan", "COERCE"),
    ("Ia meninggal karena serangan jantung", "serang", None),
    ("Rusia menyerang Kyiv", "serang", "ASSAULT"),
    ("Tim tamu menyerang balik dan mencetak gol", "serang", None),
    ("Serangan udara Israel menghantam Gaza", "serang", "ASSAULT"),
    ("Perubahan iklim menjadi ancaman bagi kawasan", "ancam", None),
    ("Washington melontarkan ancaman tarif", "ancam", "THREATEN"),
    ("Kedua menteri menggelar pertemuan untuk membahas isu itu", "bahas", None),
    ("Kedua menteri membahas isu itu", "bahas", "CONSULT"),
    ("Tiga orang diamankan polisi", "aman", "COERCE"),
    ("Markas kelompok itu digerebek", "gerebek", "COERCE"),
    ("Buruh ngotot menuntut kenaikan upah", "otot", "REQUEST"),
    ("Filipina menyatakan diplomat itu persona non grata", "persona non grata", "SANCTION"),
    ("Gencatan senjata mulai berlaku Senin", "gencatan senjata", "RETREAT"),
    ("Hamas melanggar gencatan senjata", "gencatan senjata", "ASSAULT"),
    ("Korea Utara melakukan uji coba rudal", "uji coba", "MOBILIZE"),
    ("China dan Rusia menggelar latihan bersama", "latih", "COOPERATE"),
    ("China menggelar latihan militer di sekitar Taiwan", "latih", "MOBILIZE"),
    ("Rusia menembak jatuh drone Ukraina", "tembak jatuh", "ASSAULT"),
    ("Kapal China menembakkan meriam air", "tembak", "COERCE"),
    ("Pasukan itu angkat kaki dari pangkalan", "angkat kaki", "RETREAT"),
    ("Ribuan mahasiswa berunjuk rasa", "unjuk rasa", "PROTEST"),
    ("Warga ogah berunding", "ogah", "REJECT"),
    ("Massa menggeruduk kantor kedutaan", "geruduk", "PROTEST"),
    ("Kemlu mengirim nota protes", "nota", "PROTEST"),
    ("Kedua negara sepakat menggelar latihan bersama", "sepakat", "AGREE"),
    ("Indonesia mengirimkan bantuan kemanusiaan ke Gaza", "kirim", "AID"),
    ("AS mengerahkan kapal induk", "kerah", "MOBILIZE"),
    ("Pemerintah memberlakukan jam malam", "berlaku", "COERCE"),
    # ordinary uses that must stay silent
    ("Ia menambahkan, pasukan Rusia sudah mundur", "tambah", None),
    ("Kabinet memutuskan untuk menambah pasokan beras", "putus", None),
    ("Jepang memutuskan hubungan diplomatik dengan Korea Utara", "putus", "SANCTION"),
    ("Menlu menyatakan bahwa perang harus segera berakhir", "nyata", None),
    ("Juru bicara itu enggan berkomentar", "enggan", None),
    ("Kedutaan menolak berkomentar", "tolak", None),
    ("Milisi itu menolak menyerahkan senjatanya", "serah", "RETREAT"),
    ("Kasus itu menyita perhatian publik", "sita", None),
    ("Liga Arab mengecam serangan itu", "serang", "ASSAULT"),
    ("Pemerintah mempercepat pembebasan lahan", "bebas", None),
    ("Presiden mengirim pesan kepada pasukan", "kirim", None),
    ("Menlu mengeluarkan pernyataan yang mengecam diplomat itu", "keluar", None),
    ("Resolusi itu disahkan dengan 19 suara setuju", "setuju", None),     # a vote's tally
    ("Kedua pihak setuju", "setuju", "AGREE"),
    # a session of one body is no consultation between parties
    ("Resolusi itu disahkan dalam sidang Dewan Gubernur di Wina", "sidang", None),
    ("Dewan Keamanan PBB bersidang pada Senin", "sidang", None),
])
def test_lexicon_id_reads_constrained_senses(groups, text, group, expected):
    senses = {sense for g, sense in readings(text, groups) if g == group}
    if expected is None:                         # no trigger at all, or one that makes no event
        assert senses <= {None}, readings(text, groups)
    else:
        assert senses == {expected}, readings(text, groups)


def test_lexicon_id_is_up_to_date_with_its_roots(capsys):
    table = shared_path("data", "plover", "CAMEO2PLOVER-2021.txt")
    assert build.main(["--check", "--quiet", "--table", str(table)]) == 0, capsys.readouterr().err
