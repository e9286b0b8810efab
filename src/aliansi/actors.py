"""Actor mentions: who is named in an article, as states, organisations, groups and persons.

`ActorStage` finds gazetteer forms from the knowledge base (longest match over tokens,
case-aware), composes bodies with their state ("Penjaga Pantai Tiongkok", "Chinese Coast
Guard"), reads role phrases with the person they introduce ("Menteri Pertahanan AS Pete
Hegseth", "Chinese Foreign Ministry spokesperson Lin Jian", "Xue Jian, Konsul Jenderal
China"), then resolves short forms, pronouns, unnamed office holders and "kedua negara"
within the document. It fills `article.mentions`, `article.persons` and `article.actors`.
"""
from __future__ import annotations

import bisect
import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from aliansi.errors import StageError
from aliansi.kb import KnowledgeBase, Official, SurfaceForm
from aliansi.model import Article, Mention, Person
from aliansi.sectors import Sectors

log = logging.getLogger(__name__)

_TOKEN = re.compile(r"\w+|[^\w\s]")
# Categories that name an actor by themselves.
_ACTOR_CATS = ("official", "org", "body", "group", "state", "adjective", "seat", "territory", "place")
_PRIORITY = {c: i for i, c in enumerate(_ACTOR_CATS + ("role", "generic"))}

# Words that may sit between a role and the name it introduces.
_CHAIN_WORDS = {
    "untuk", "di", "dari", "urusan", "bidang", "sekaligus", "serta", "yang", "baru", "terpilih",
    "interim", "sementara", "mantan", "eks", "pelaksana", "tugas", "plt", "for", "to", "the", "of",
    "in", "at", "on", "acting", "former", "new", "incoming", "outgoing", "then", "top", "senior",
    "deputy", "vice", "wakil", "'", "’", "s", "-", "&", "/", "republik", "rakyat",
}
# Capitalised words of office names that are not names ("Urusan Luar Negeri dan Kebijakan Keamanan").
_OFFICE_WORDS = {
    "urusan", "luar", "negeri", "kebijakan", "keamanan", "pertahanan", "kerja", "sama", "internasional",
    "hak", "asasi", "manusia", "ham", "affairs", "foreign", "policy", "security", "defense", "defence",
    "human", "rights", "international", "relations", "cooperation", "national", "nasional", "maritim",
    "maritime", "laut", "barat", "timur", "utara", "selatan", "west", "east", "north", "south", "sea",
    "komando", "command", "armada", "fleet", "staf", "staff", "gabungan", "joint", "umum", "general",
    "militer", "military", "parlemen", "parliament", "komisaris", "commissioner", "kantor", "office",
    "kepresidenan", "presidential", "dewan", "council", "badan", "agency", "and", "dan", "perdagangan",
    "trade", "kehakiman", "justice", "ekonomi", "economic", "intelijen", "intelligence", "energi",
    "energy", "atom", "nuklir", "nuclear", "pbb", "kemanusiaan", "humanitarian", "khusus", "special",
    "agung", "tinggi", "high", "pemerintah", "government", "kementerian", "ministry", "departemen",
    "department", "operasi", "operations", "angkatan", "darat", "udara", "force", "forces", "army", "navy",
    "biro", "bureau", "direktorat", "directorate", "divisi", "division", "pusat", "center", "centre",
    "urusan", "wilayah", "kawasan", "regional", "perwakilan", "tetap", "permanent", "mission", "misi",
    # the domains and units that Indonesian office titles name between the title and the
    # person ("Menteri Kelautan dan Perikanan Susi ...", "Kepala Stasiun ...", "Wali Kota ...",
    # "Kepala Fungsi Konsuler ...", "Badan Nasional Penanggulangan Terorisme"), a closed class
    "koordinator", "bidang", "politik", "hukum", "komunikasi", "informatika", "kelautan",
    "perikanan", "sosial", "agama", "pendidikan", "kesehatan", "keuangan", "industri", "pertanian",
    "perhubungan", "pariwisata", "sekretariat", "sekretaris", "daerah", "kepolisian", "sektor",
    "stasiun", "kota", "kabupaten", "provinsi", "partai", "fungsi", "konsuler", "penanggulangan",
    "terorisme", "infanteri", "divis", "kontingen", "pangkalan", "lantamal", "kodam", "korem",
    "kodim", "polda", "polres", "resor", "negara", "province", "city", "party",
}
_NAME_STOP = {
    "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu", "Januari", "Februari", "Maret",
    "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January",
    "February", "March", "May", "June", "July", "August", "October", "December", "Jan", "Feb", "Mar",
    "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Dalam", "Pada", "Dan", "Yang",
    "Di", "Ke", "Dari", "Untuk", "Dengan", "Itu", "Ini", "Namun", "Sementara", "Menurut", "Sebelumnya",
    "Selain", "Sejak", "Saat", "Ketika", "Kami", "Kita", "Mereka", "Ia", "Dia", "Beliau", "The", "In",
    "On", "At", "He", "She", "It", "They", "We", "I", "A", "An", "But", "And", "This", "That", "As",
    "After", "Before", "While", "When", "According", "Meanwhile", "However", "Baca", "Juga", "Foto",
    "Photo", "Reuters", "AFP", "AP", "Antara", "Kompas", "Tempo", "Xinhua", "Kamis", "Pemerintah",
    "Presiden", "Menteri", "Jubir", "Tidak", "Bukan", "Para", "Sang", "Seorang", "Sebuah",
}
# Malaysian and Bruneian honours (Tun, Tan Sri, Datuk Seri, Dato' Sri, ...) are titles a
# ruler confers, written before the name and no part of it: "Datuk Seri Anwar Ibrahim"
# is Anwar Ibrahim
_HONORIFIC = re.compile(r"(?:(?:Datuk|Dato['’]?|Datu)(?:\s+S(?:e)?ri)?|Tan\s+Sri|Puan\s+Sri|Toh\s+Puan|Tun)\s+(?=[A-Z])")
_PARTICLES = {"bin", "binti", "al", "el", "van", "der", "den", "de", "del", "da", "von", "dos", "du", "le",
              "la", "ibn", "ul", "o"}
_ROLE_MODIFIERS = {"new", "former", "acting", "incoming", "outgoing", "then", "top", "senior", "interim"}
_PRONOUNS = {"ia", "dia", "beliau", "he", "she"}
# a person the NER model finds counts when the text has them speak or act
_SPEAKS_BEFORE = re.compile(r"(?i)\b(?:kata|ujar|ucap|tutur|ungkap|tegas|jelas|menurut)\s+$")
_ACTS_AFTER = re.compile(r"(?i)^,?\s+(?:mengatakan|menyatakan|menegaskan|mengungkapkan|menyebut(?:kan)?|"
                         r"menjelaskan|menuduh|meminta|mendesak|membantah|menolak|menyerukan|berkata)\b")
_SHIP_PREFIX = re.compile(r"(?:\b(?:USS|HMS|HMAS|HMCS|KRI|INS|JS|RSS|BRP|KD|HTMS|ROKS|PLANS|CNS)|"
                          r"(?i:kapal induk|kapal perang|aircraft carrier|carrier|destroyer|frigate))\s+$")
_PAIR = re.compile(
    r"\b(?:kedua\s+(?:belah\s+)?(?:negara|pihak|pemimpin|menteri|pemerintah|sekutu|kepala\s+negara|"
    r"delegasi|presiden|perdana\s+menteri)|keduanya|both\s+(?:countries|sides|nations|leaders|"
    r"governments|ministers|parties|allies)|the\s+two\s+(?:countries|sides|nations|leaders|governments|"
    r"ministers|allies|neighbou?rs))\b", re.IGNORECASE)
_COORD = {"dan", "and", "serta", "&", "–", "—"}
# a generic institution noun names the organisation of its kind the text told of before:
# "blok tersebut" (ECOWAS, ASEAN), "the alliance" (NATO), "mahkamah" (the ICJ), "the agency"
_INSTITUTION_KINDS = {
    "bloc": {"EU", "ASEAN", "ECOWAS", "AU", "GCC", "BRICS", "SCO", "ARAB_LEAGUE", "OIC", "APEC", "CSTO", "OPEC"},
    "alliance": {"NATO", "AUKUS", "QUAD", "CSTO"},
    "court": {"ICJ", "ICC"},
    "agency": {"IAEA", "WHO"},
}
_INSTITUTION = re.compile(
    r"(?<![\w-])(?:(?P<bloc>[Bb]lok|[Tt]he bloc)|(?P<alliance>[Aa]liansi|[Pp]akta|[Tt]he alliance)|"
    r"(?P<court>[Mm]ahkamah|[Tt]he court)|(?P<agency>[Bb]adan|[Tt]he agency))"
    r"(?P<that>\s+(?:itu|tersebut|ini)(?![\w-]))?")
_LOCATIVE = {"di", "ke", "in", "at", "to", "near", "dekat", "kota"}
# Words around a state name that make it part of a place, language, outlet, meeting or treaty.
_PLACE_BEFORE = {"Laut", "Selat", "Teluk", "Semenanjung", "Pulau", "Kepulauan", "Provinsi", "Kota",
                 "Negara", "Bagian", "Bahasa", "bahasa", "Universitas", "KTT", "Konvensi", "Perjanjian",
                 "Deklarasi", "Protokol", "Traktat", "Piagam", "Konferensi", "Forum", "Format", "Proses",
                 "resolusi", "Resolusi"}
# The head nouns of place names: first in Indonesian ("Kepulauan Riau", "Bandara Nicolau
# Lobato", "Jalan Pattimura"), last in English ("Davao City", "Orchard Road").
_PLACE_HEAD_FIRST = {"kepulauan", "pulau", "bandara", "bandar", "pelabuhan", "jalan", "jl", "gedung", "kota",
                     "kabupaten", "provinsi", "kecamatan", "desa", "kampung", "gunung", "sungai", "selat",
                     "teluk", "tanjung", "lapangan", "istana", "masjid", "gereja", "hotel", "universitas"}
_PLACE_HEAD_LAST = {"city", "island", "islands", "street", "road", "avenue", "airport", "port", "province",
                    "county", "district", "square", "palace", "hotel", "university", "bridge", "river"}
_PLACE_BEFORE_EN = {("Gulf", "of"), ("Sea", "of"), ("Strait", "of"), ("Bay", "of"), ("Straits", "of"),
                    ("Republic", "of"), ("Treaty", "of"), ("Convention", "of"), ("Peace", "of")}
_PLACE_AFTER = {"Sea", "Strait", "Peninsula", "Gulf", "Island", "Islands", "News", "Times", "Daily", "Post",
                "Herald", "Magazine", "Today", "Tribune", "Journal", "Review", "Airlines", "Airways",
                "language", "Language", "University", "Institute", "Summit", "summit", "Convention",
                "Treaty", "Declaration", "Protocol", "Accords", "Accord", "Agreement", "Process", "Format",
                "Charter", "Conference", "Forum", "Dialogue", "resolution", "resolutions", "Resolution"}
_MODIFIER_AFTER = re.compile(r"-(?:member|backed|made|built|funded|sponsored|supplied|armed|trained|"
                             r"supported|leaning|friendly)\b", re.IGNORECASE)
_MODIFIER_BEFORE = re.compile(r"\b(?:pro|anti)-$", re.IGNORECASE)
# Lines that quote other articles' headlines or captions, not this article's actors.
_ASIDE = re.compile(r"^[ \t]*(?:Baca [Jj]uga|Simak [Jj]uga|Lihat [Jj]uga|Baca [Ss]elengkapnya|Read [Aa]lso|"
                    r"Read [Mm]ore|Related|Artikel [Tt]erkait|Berita [Tt]erkait)\b.*$|!\[[^\]]*\]\([^)]*\)",
                    re.MULTILINE)


def _honour_end(name: str) -> int:
    """Where the name proper begins after a leading honour ("Datuk Seri Anwar Ibrahim":
    at "Anwar"); 0 when there is none or only one word would be left."""
    honour = _HONORIFIC.match(name)
    return honour.end() if honour and len(name[honour.end():].split()) >= 2 else 0


@dataclass
class _Token:
    start: int
    end: int
    text: str


@dataclass
class _Item:
    """A gazetteer match over tokens [i, j) with every form it may be."""
    i: int
    j: int
    start: int
    end: int
    forms: list[SurfaceForm]

    def cat(self, *cats: str) -> SurfaceForm | None:
        for f in self.forms:
            if f.category in cats:
                return f
        return None


@dataclass
class _PersonRec:
    key: str
    written: list[str] = field(default_factory=list)
    official: Official | None = None
    actor: str | None = None
    role: str | None = None


class ActorStage:
    """Fills `article.mentions`, `article.persons` and `article.actors`."""

    name = "actors"

    def __init__(self, *, kb: KnowledgeBase | None = None, kb_files: Sequence[str | Path] = (),
                 ner: bool = True) -> None:
        """`kb_files`: the user's own knowledge-base YAML files, merged over the packaged
        ones. `ner`: find, in Indonesian text, speaking or acting persons the knowledge
        base and the role patterns do not know (the packaged CRF model, aliansi.ner)."""
        self.kb = kb if kb is not None else KnowledgeBase.load([Path(p) for p in kb_files])
        # a surname shared only by officials of one actor gives that actor
        by_surname: dict[str, set[str]] = {}
        for official in self.kb.officials.values():
            by_surname.setdefault(official.name.split()[-1], set()).add(official.actor)
        self.surnames = {name: next(iter(actors)) for name, actors in by_surname.items()
                         if len(actors) == 1}
        self.ner = None
        if ner:
            from aliansi.ner import NerTagger

            self.ner = NerTagger.load()
        self.sectors = Sectors(self.kb)
        self._trie: dict = {}
        for form in self.kb.surface_forms():
            for variant in _variants(form):
                self._add(variant, form)

    def _add(self, text: str, form: SurfaceForm) -> None:
        node = self._trie
        for tok in _TOKEN.findall(text):
            node = node.setdefault(tok, {})
        node.setdefault(None, []).append(form)

    # ---- the stage -------------------------------------------------------------------
    def __call__(self, article: Article) -> Article:
        try:
            _Run(self, article).run()
        except (ValueError, KeyError, IndexError) as exc:
            raise StageError(str(exc), article_id=article.id, stage=self.name) from exc
        lang = "en" if article.language == "en" else "id"
        for mention in article.mentions:
            mention.sector = self.sectors.of_mention(mention, lang)
        article.stages.append(self.name)
        return article


def _variants(form: SurfaceForm) -> list[str]:
    """Role and body nouns also match with the other case of their first letter."""
    text = form.text
    out = [text]
    if form.category in ("generic", "role") and text[:1].isalpha() and not text.isupper():
        for other in ((text[0].lower() if text[0].isupper() else text[0].upper()) + text[1:],
                      text.lower(), text[0].upper() + text[1:].lower()):
            if other not in out:
                out.append(other)
    return out


def _title_case(line: str) -> bool:
    """A line of four words or more, most of them capitalised, with no sentence ending
    in it: a headline or a caption, where capitals mark style rather than names."""
    words = [w for w in line.split() if w[0].isalpha()]
    if len(words) < 4 or line.rstrip().endswith((".", "?", "!", '"', "”")) \
            or re.search(r"[a-z]{2}[.?!]\s", line):     # a sentence ends inside: prose
        return False
    small = {w for w in words if w.islower() and len(w) <= 3}     # "di", "of", "and"
    return sum(w[0].isupper() for w in words) >= 0.8 * (len(words) - len(small))


class _Run:
    """The work on one article."""

    def __init__(self, stage: ActorStage, article: Article) -> None:
        self.kb = stage.kb
        self.stage_ner = stage.ner
        self.stage_surnames = stage.surnames
        self.trie = stage._trie
        self.a = article
        self.text = article.text
        self.lang = article.language if article.language in ("id", "en") else None
        self.day = _parse_day(article.published)
        self.tokens = [_Token(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(self.text)]
        self._token_starts = [t.start for t in self.tokens]
        self._sentence_starts = [s.start for s in article.sentences]
        self.items: list[_Item] = []
        self.item_at: dict[int, _Item] = {}
        self.mentions: list[Mention] = []
        self.persons: dict[str, _PersonRec] = {}
        self.covered: set[int] = set()    # token indexes that belong to a person name
        self.item_actor: dict[int, str | None] = {}   # id(item) -> actor of its composed mention
        self.consumed: set[int] = set()               # role items read by an apposition
        self.aside = {k for m in _ASIDE.finditer(self.text) for k, t in enumerate(self.tokens)
                      if m.start() <= t.start < m.end()}
        self.headline_lines = [m.span() for m in re.finditer(r"[^\n]+", self.text) if _title_case(m.group())]

    # ---- helpers ---------------------------------------------------------------------
    def in_headline(self, i: int) -> bool:
        """Token i stands in a line written in title case (a headline, a caption)."""
        start = self.tokens[i].start
        return any(a <= start < b for a, b in self.headline_lines)

    def tok(self, i: int) -> str:
        return self.tokens[i].text if 0 <= i < len(self.tokens) else ""

    def glued(self, i: int) -> bool:
        """Token i touches token i-1 (no space between)."""
        return 0 < i < len(self.tokens) and self.tokens[i - 1].end == self.tokens[i].start

    def sentence_of(self, offset: int) -> int:
        n = bisect.bisect_right(self._sentence_starts, offset) - 1
        return n if n >= 0 and offset < self.a.sentences[n].end else -1

    def same_sentence(self, a: int, b: int) -> bool:
        return not self.a.sentences or self.sentence_of(a) == self.sentence_of(b)

    def mention(self, start: int, end: int, kind: str, actor: str | None, name: str, *,
                rule: str, role: str | None = None, salient: bool = True) -> Mention:
        m = Mention(start=start, end=end, text=self.text[start:end], kind=kind, actor=actor, name=name,
                    role=role, stage="actors", rule=rule, salient=salient)
        self.mentions.append(m)
        return m

    # ---- steps -----------------------------------------------------------------------
    def run(self) -> None:
        self.match()
        self.compose_actors()
        self.read_appositions()
        self.read_roles()
        self.read_officials()
        self.read_short_names()
        self.read_named_entities()
        self.read_pronouns()
        self.read_pairs()
        self.read_institutions()
        # a ship named after a person is no person: "USS Gerald R. Ford", "BRP Teresa Magbanua"
        self.mentions = [m for m in self.mentions if not (
            m.kind == "person" and _SHIP_PREFIX.search(self.text[max(0, m.start - 30):m.start]))]
        self.mentions.sort(key=lambda m: (m.start, m.end))
        self.a.mentions = self.mentions
        self.a.persons = self.person_list()
        self.a.actors = self.actor_list()

    def match(self) -> None:
        """Longest gazetteer match at each token, left to right."""
        i, n = 0, len(self.tokens)
        while i < n:
            if i in self.aside:
                i += 1
                continue
            node, best = self.trie, None
            j = i
            while j < n and self.tokens[j].text in node:
                if j > i and self.tokens[j].start - self.tokens[j - 1].end > 1:
                    break
                node = node[self.tokens[j].text]
                j += 1
                forms = [f for f in node.get(None, []) if f.language in (None, self.lang) or self.lang is None]
                if forms:
                    best = (j, forms)
            if best and self._boundary(i, best[0]):
                j, forms = best
                forms.sort(key=lambda f: _PRIORITY[f.category])
                item = _Item(i, j, self.tokens[i].start, self.tokens[j - 1].end, forms)
                self.items.append(item)
                for k in range(i, j):
                    self.item_at[k] = item
                i = j
            else:
                i += 1

    def _boundary(self, i: int, j: int) -> bool:
        """A match must not be glued to letters or digits on either side."""
        before = self.text[self.tokens[i].start - 1] if self.tokens[i].start else " "
        end = self.tokens[j - 1].end
        after = self.text[end] if end < len(self.text) else " "
        return not (before.isalnum() or after.isalnum())

    def next_item(self, item: _Item) -> _Item | None:
        return self.item_at.get(item.j)

    def prev_item(self, item: _Item) -> _Item | None:
        k = item.i - 1
        while self.tok(k).lower() in _ROLE_MODIFIERS:      # "Lebanon's new President"
            k -= 1
        if self.tok(k) == "s" and self.tok(k - 1) in ("'", "’"):   # "China's coast guard"
            k -= 2
        return self.item_at.get(k)

    def compose_actors(self) -> None:
        """State, organisation and body mentions, and generic bodies with their state."""
        used: set[int] = set()
        state_like = ("state", "adjective", "seat", "org")
        generics = [it for it in self.items if it.cat("generic") and not it.cat(
            "org", "group", "state", "adjective", "seat", "territory", "place")]
        generic_ids = {id(it) for it in generics}
        others = [it for it in self.items if id(it) not in generic_ids]
        for item in generics + others:
            if id(item) in used:
                continue
            form = item.cat("org", "body", "group", "state", "adjective", "seat", "territory", "place")
            generic = item.cat("generic")
            if generic is not None and (form is None or form.category == "body"):
                # "Penjaga Pantai Tiongkok", "militer Myanmar" / "Chinese Coast Guard", "China's navy"
                order = (self.prev_item, self.next_item) if self.lang == "en" else (self.next_item, self.prev_item)
                for get in order:
                    other = get(item)
                    if other is not None and id(other) not in used and other.cat(*state_like) \
                            and not other.cat("official", "role"):
                        f = other.cat(*state_like)
                        start, end = min(item.start, other.start), max(item.end, other.end)
                        self.mention(start, end, "org" if f.category == "org" else "state", f.actor,
                                     f.name, rule="body+state")
                        used.update({id(item), id(other)})
                        self.item_actor[id(item)] = self.item_actor[id(other)] = f.actor
                        break
                else:
                    if form is not None:
                        self.mention(item.start, item.end, "state", form.actor, form.name, rule="body")
                        self.item_actor[id(item)] = form.actor
                    else:
                        self.item_actor[id(item)] = None
                continue
            if form is None or item.cat("official"):
                continue
            kind = {"org": "org", "group": "group", "territory": "place", "place": "place"}.get(
                form.category, "state")
            salient = form.salient and self.salient(item, form)
            actor = form.actor
            self.item_actor[id(item)] = actor if kind != "place" else None
            self.mention(item.start, item.end, kind, actor, form.name, rule=form.category,
                         salient=salient and kind != "place")

    def salient(self, item: _Item, form: SurfaceForm) -> bool:
        """False when the name only modifies a place, language or outlet."""
        before, after = self.tok(item.i - 1), self.tok(item.j)
        if before in _PLACE_BEFORE or after in _PLACE_AFTER or \
                (self.tok(item.i - 2), before) in _PLACE_BEFORE_EN:
            return False
        # "NATO-member Norway", "the Syrian-backed Amal militia", "pro-Iranian": a modifier
        if _MODIFIER_AFTER.match(self.text, item.end) or \
                _MODIFIER_BEFORE.search(self.text, max(0, item.start - 6), item.start):
            return False
        # "Kedutaan Besar Jepang untuk Belgia", "Ambassador to the United Nations": the host
        k = item.i - 1 - (before.lower() == "the")
        if self.tok(k).lower() in ("untuk", "to") and self.diplomatic(self.item_at.get(k - 1)):
            return False
        if form.category == "seat" and before.lower() in _LOCATIVE:
            return False
        if form.category in ("seat", "state") and self.dateline(item):
            return False
        return True

    def diplomatic(self, item: _Item | None, depth: int = 0) -> bool:
        """An embassy, mission or envoy (possibly with its state) before 'untuk'/'to'."""
        if item is None:
            return False
        role = item.cat("role")
        if role is not None and role.name in ("Ambassador", "Consul General"):
            return True
        text = self.text[item.start:item.end].lower()
        if any(w in text for w in ("kedutaan", "kedubes", "embassy", "perutusan", "mission", "misi",
                                   "konsulat", "consulate", "delegasi", "delegation")):
            return True
        return depth == 0 and item.cat("state", "adjective") is not None and \
            self.diplomatic(self.prev_item(item), 1)

    def dateline(self, item: _Item) -> bool:
        """'Jakarta –', 'Den Haag, 13 Januari 2026 –', 'KUALA LUMPUR, Jan 18': where, not who."""
        line_start = self.text.rfind("\n", 0, item.start) + 1
        if item.start - line_start > 40:
            return False
        rest = self.text[item.end:item.end + 40]
        return bool(re.match(r"\s*(?:[–—-]|,\s*(?:\d|[A-Z][a-z]{2,8}\.?\s+\d))", rest))

    # ---- persons -----------------------------------------------------------------------
    def name_at(self, i: int) -> tuple[int, str, Official | None] | None:
        """A person's name starting at token i: (end token, text, KB official or None)."""
        item = self.item_at.get(i)
        if item is not None:
            off = item.cat("official")
            if off is None:
                return None
            j = item.j
            # an official's alias followed by more name words is somebody else ("Anwar Usman"),
            # but in a headline every word is capitalised ("Kim Jong-un Tembakkan Rudal")
            if self._name_word(j) and not self.item_at.get(j) and not self.in_headline(i):
                return self._plain_name(i)
            return j, self.text[item.start:item.end], self.kb.official(off.name)
        return self._plain_name(i)

    def _name_word(self, i: int) -> bool:
        t = self.tok(i)
        return bool(t) and t[0].isupper() and t[0].isalpha() and t not in _NAME_STOP \
            and (len(t) > 1 or self.tok(i + 1) == ".") and not (len(t) > 2 and t.isupper()) \
            and i not in self.aside

    def _plain_name(self, i: int) -> tuple[int, str, Official | None] | None:
        if not self._name_word(i) or (self.item_at.get(i) and not self.item_at[i].cat("official")):
            return None
        if self.in_headline(i):
            return None     # "Pekanbaru Diminta Kibarkan Merah Putih": capitals of style, not a name
        j, words = i, 0
        while j < len(self.tokens) and words < 6:
            t = self.tok(j)
            if j > i and self.item_at.get(j) and not self.item_at[j].cat("official"):
                break
            if j > i and "\n" in self.text[self.tokens[j - 1].end:self.tokens[j].start]:
                break           # a name never runs across a line break
            if self._name_word(j):
                j += 1
                words += 1
                if self.tok(j) == "." and self.glued(j) and (len(t) == 1 or t in ("Jr", "Sr")):
                    j += 1
                continue
            if j > i and t in ("-", "'", "’") and self.glued(j) and self.glued(j + 1) and self.tok(j + 1).isalpha():
                j += 2          # el-Sisi, Chan-o-cha, Ma'ruf
                continue
            if j > i and t.lower() in _PARTICLES:
                # "Albert del Rosario"; with a hyphen: "Abdel Fattah al-Sisi"
                hyphen = self.tok(j + 1) == "-" and self.glued(j + 1) and self.glued(j + 2)
                if self._name_word(j + 2 if hyphen else j + 1):
                    j += 2 if hyphen else 1
                    continue
            break
        if j == i:
            return None
        text = self.text[self.tokens[i].start:self.tokens[j - 1].end]
        if text.endswith(("'s", "’s")):       # "Bush's": the name is "Bush"
            text = text[:-2]
        text = text[_honour_end(text):]
        written = [w.lower() for w in text.split()]
        if written[0] in _OFFICE_WORDS:
            return None         # "Kepala Stasiun ...", "Gubernur Provinsi ...": a unit, not a name
        if written[0] in _PLACE_HEAD_FIRST or (len(written) > 1 and written[-1] in _PLACE_HEAD_LAST):
            return None         # "Kepulauan Riau", "Davao City": a place
        return j, text, self.kb.official(text)

    def person(self, written: str, official: Official | None, actor: str | None, role: str | None,
               start: int, end: int, rule: str) -> Mention:
        rec = self.resolve(written, official, actor, role)
        if written not in rec.written:
            rec.written.append(written)
        if rec.actor is None:
            rec.actor = actor
        if rec.role is None:
            rec.role = role
        first, last = self.text_index(start), self.text_index(end - 1)
        if first is not None and last is not None:
            self.covered.update(range(first, last + 1))
        return self.mention(start, end, "person", rec.actor, self.display_name(rec), rule=rule,
                            role=self.role_of(rec))

    def text_index(self, offset: int) -> int | None:
        k = bisect.bisect_right(self._token_starts, offset) - 1
        return k if k >= 0 and offset < self.tokens[k].end else None

    def resolve(self, written: str, official: Official | None, actor: str | None,
                role: str | None) -> _PersonRec:
        """The document's record for a name: a KB official, a person already named, or new."""
        words = set(written.split())
        if official is None:
            for rec in self.persons.values():          # "Koizumi", "Sjafrie", "Lin"
                known = {w for n in rec.written for w in n.split()}
                if words <= known:
                    return rec
            # a known official named with a role whose state the text left implicit
            # ("Presiden Duterte" in an Indonesian article) is of the official's state
            official = self.kb_by_words(words, actor, role) or (
                self.kb_by_words(words, None, role) if role is not None else None)
        key = official.name if official else written
        if key not in self.persons:
            self.persons[key] = _PersonRec(key=key, official=official,
                                           actor=official.actor if official else actor)
        return self.persons[key]

    def kb_by_words(self, words: set[str], actor: str | None, role: str | None) -> Official | None:
        """A KB official whose name holds these words and who fits the role and date."""
        if not words or any(len(w) < 3 for w in words):
            return None
        found = []
        for o in self.kb.officials.values():
            if not words <= set(o.name.split()):
                continue
            if actor is not None and o.actor != actor:
                continue
            if role is not None and o.term_on(self.day, role) is None:
                continue
            found.append(o)
        return found[0] if len(found) == 1 else None

    def display_name(self, rec: _PersonRec) -> str:
        """The fullest name as the text writes it (EVENTS.md: "full name as first
        written"), never a form the text does not have ("Biden", not "Joe Biden")."""
        multi = [w for w in rec.written if len(w.split()) > 1]
        return multi[0] if multi else rec.written[0]

    def role_of(self, rec: _PersonRec) -> str | None:
        if rec.official is not None:
            return rec.official.title_on(self.day, rec.role) or rec.role
        return rec.role

    def chain(self, k: int, limit: int = 16) -> tuple[int, list[_Item]]:
        """Skip office words, states, bodies and roles after a role phrase; (next token, items)."""
        items: list[_Item] = []
        stop = min(len(self.tokens), k + limit)
        while k < stop:
            item = self.item_at.get(k)
            t = self.tok(k)
            if item is not None and not item.cat("official"):
                items.append(item)
                k = item.j
                continue
            low = t.lower()
            if t == "(":            # "Penjaga Pantai Filipina (PCG)"
                close = next((c for c in range(k + 1, min(k + 6, stop)) if self.tok(c) == ")"), None)
                if close is not None and all(self.item_at.get(c) for c in range(k + 1, close)):
                    k = close + 1
                    continue
                break
            if low in ("dan", "and") and (self.tok(k + 1).lower() in _OFFICE_WORDS):
                k += 1
                continue
            if low in _CHAIN_WORDS:
                # "di Osaka, Xue Jian": a place after a preposition, closed by a comma
                if low in ("di", "in", "at", "untuk", "for", "to") and self._name_word(k + 1) \
                        and not self.item_at.get(k + 1):
                    span = self._plain_name(k + 1)
                    if span and self.tok(span[0]) == ",":
                        k = span[0] + 1
                        continue
                    if span and self.tok(span[0]) in ("dan", "and", "sekaligus"):
                        k = span[0]
                        continue
                k += 1
                continue
            if t[:1].isupper() and low in _OFFICE_WORDS or (len(t) > 1 and t.isupper() and t.isalpha()):
                k += 1          # office words and unknown acronyms: "Menteri BUMN Erick Thohir"
                continue
            break
        return k, items

    def read_roles(self) -> None:
        """Role phrases and the person, state and role they give."""
        for item in self.items:
            role_form = item.cat("role")
            if role_form is None or item.cat(*_ACTOR_CATS):
                continue
            if item.i in self.covered or id(item) in self.consumed:
                continue
            role = self.kb.roles[role_form.name]
            k, chain = self.chain(item.j)
            self.consumed.update(id(c) for c in chain if c.cat("role"))
            # name, possibly after a comma: "Juru bicara PCG ..., Jay Tarriela,"
            name = None
            if self.same_sentence(item.start, self.tokens[k].start if k < len(self.tokens) else item.start):
                name = self.name_at(k)
                if name is None and self.tok(k) == "," and not chain == []:
                    name = self.name_at(k + 1)
                    k = k + 1 if name else k
            actor = self.chain_actor(item, chain)
            if actor is None and self.lang == "id" and not role.rank:
                actor = "IDN"       # "Menteri BUMN Erick Thohir": an office named bare is Indonesia's
            roles_in_chain = [c.cat("role").name for c in chain if c.cat("role") and not self.kb.roles[c.cat("role").name].rank]
            role_name = None if role.rank else role.role
            if role_name is None and roles_in_chain:
                role_name = roles_in_chain[-1]
            if name is not None and k in self.covered:
                continue
            if name is not None:
                end_tok, written, official = name
                if actor is None and official is None:
                    # "President Bush" with no date to tell which: still American
                    actor = self.stage_surnames.get(written.split()[-1])
                self.person(written, official, actor, role_name, self.tokens[k].start,
                            self.tokens[end_tok - 1].end, rule="role+name")
                continue
            former = self.tok(item.i - 1).lower() in ("mantan", "eks", "former", "late", "almarhum", "then")
            if role.single and actor is not None and self.day is not None and not former:
                # "Presiden AS" with no name: its holder on the publication date
                holder = self.kb.holder(actor, role.role, self.day)
                if holder is not None:
                    self.mention(item.start, item.end, "person", holder.actor, holder.name,
                                 rule="role-holder", role=holder.title_on(self.day))

    def chain_actor(self, role_item: _Item, chain: list[_Item]) -> str | None:
        """The state or organisation a role belongs to."""
        before = self.prev_item(role_item)
        before_actor = self.item_actor.get(id(before)) if before is not None else None
        after_actor = next((self.item_actor[id(c)] for c in chain if self.item_actor.get(id(c))), None)
        if self.lang == "en":
            return before_actor or after_actor
        return after_actor or before_actor

    def read_officials(self) -> None:
        """KB officials named without a role phrase."""
        for item in self.items:
            if item.cat("official") is None or item.i in self.covered:
                continue
            name = self.name_at(item.i)
            if name is None:
                continue
            end_tok, written, official = name
            self.person(written, official, official.actor if official else None, None,
                        item.start, self.tokens[end_tok - 1].end, rule="kb-name")

    def read_appositions(self) -> None:
        """'Name, <role> <State>' and 'Name, the <State-adj> <role>'."""
        k = 0
        while k < len(self.tokens):
            if k in self.covered or self.item_at.get(k) or not self._name_word(k) or \
                    (k > 0 and self._name_word(k - 1) and not self.item_at.get(k - 1)):
                k += 1
                continue
            span = self._plain_name(k)
            if span is None:
                k += 1
                continue
            end_tok, written, official = span
            if self.tok(end_tok) != "," or len(written.split()) < 2:
                k = end_tok
                continue
            j = end_tok + 1
            if self.tok(j).lower() in ("the", "a", "an", "seorang", "sang"):
                j += 1
            _, items = self.chain(j, limit=10)
            role_items = [c for c in items if c.cat("role") and not self.kb.roles[c.cat("role").name].rank]
            if role_items and items and items[0].i == j or (role_items and items and items[0].cat(
                    "state", "adjective", "generic") and items[0].i == j):
                actor = next((self.item_actor[id(c)] for c in items if self.item_actor.get(id(c))), None)
                self.consumed.update(id(c) for c in role_items)
                self.person(written, official, actor, role_items[0].cat("role").name,
                            self.tokens[k].start, self.tokens[end_tok - 1].end, rule="name,role")
            k = end_tok

    def read_short_names(self) -> None:
        """Later mentions of a person by part of the name ("Koizumi", "Lin")."""
        k = 0
        while k < len(self.tokens):
            if k in self.covered or self.item_at.get(k) or not self._name_word(k):
                k += 1
                continue
            span = self._plain_name(k)
            if span is None:
                k += 1
                continue
            end_tok, written, _ = span
            start = self.tokens[k].start
            words = set(written.split())
            for rec in self.persons.values():
                known = {w for n in rec.written for w in n.split()}
                if not (words <= known and all(len(w) >= 3 for w in words)):
                    continue
                name = self.display_name(rec)
                if any(m.start < start for m in self.mentions if m.kind == "person" and m.name == name):
                    self.person(written, rec.official, rec.actor, None, start,
                                self.tokens[end_tok - 1].end, rule="coref-name")
                    break
            k = end_tok

    def read_pronouns(self) -> None:
        persons = sorted((m for m in self.mentions if m.kind == "person" and m.rule != "role-holder"),
                         key=lambda m: m.start)
        for t in self.tokens:
            if t.text.lower() not in _PRONOUNS:
                continue
            before = [m for m in persons if m.end <= t.start]
            if not before:
                continue
            last = before[-1]
            s_last, s_here = self.sentence_of(last.start), self.sentence_of(t.start)
            if self.a.sentences and s_here - s_last > 1:
                continue
            self.mention(t.start, t.end, "person", last.actor, last.name, rule="coref-pronoun",
                         role=last.role)

    def read_named_entities(self) -> None:
        """Persons the model finds where nothing else matched, kept when they speak or
        act ("kata Tarriela", "Dawda Jallow menuduh"); their actor is unknown unless a
        state or organisation stands right before them ("Menlu Gambia Dawda Jallow")."""
        if self.stage_ner is None or self.lang != "id":
            return
        taken = sorted((m.start, m.end) for m in self.mentions)
        starts = [s for s, _ in taken]
        longest = max((e - s for s, e in taken), default=0)
        for start, end, label in self.stage_ner.entities(self.text):
            if label != "PER":
                continue
            near = taken[bisect.bisect_left(starts, start - longest):bisect.bisect_left(starts, end)]
            if any(s < end and start < e for s, e in near):
                continue
            before, after = self.text[max(0, start - 40):start], self.text[end:end + 40]
            if not (_SPEAKS_BEFORE.search(before) or _ACTS_AFTER.match(after)):
                continue
            name = self.text[start:end].strip(" ,.")
            skip = _honour_end(name)
            start, name = start + skip, name[skip:]
            if len(name.split()) < 1 or not name[:1].isupper():
                continue
            actor = next((m.actor for m in reversed(self.mentions) if m.end <= start
                          and self.text[m.end:start].strip() == "" and m.actor), None)
            written = self._full_name_before(start, name) if len(name.split()) == 1 else None
            self.mention(start, start + len(name), "person", actor, written or name, rule="ner")
            taken.append((start, end))

    def _full_name_before(self, start: int, word: str) -> str | None:
        """The full name a later short mention stands for ("kata Dino": "Dino Patti
        Djalal"), as the text first writes it: news names a person in full first."""
        for k, t in enumerate(self.tokens):
            if t.start >= start:
                break
            if t.text != word:
                continue
            b = k
            while b > 0 and self._name_word(b - 1) and not self.item_at.get(b - 1) \
                    and not self.glued(b) and self.same_sentence(self.tokens[b - 1].start, t.start):
                b -= 1
            span = self._plain_name(b)
            if span is not None and span[0] > k and len(span[1].split()) > 1:
                return span[1]
        return None

    def read_pairs(self) -> None:
        """'kedua negara', 'the two sides': one mention per actor of the pair last named."""
        base = sorted((m for m in self.mentions if m.actor and m.salient and not m.rule.startswith("coref")),
                      key=lambda m: m.start)
        pairs: list[tuple[int, tuple[str, str]]] = []
        starts = [m.start for m in base]
        for t in self.tokens:
            if t.text.lower() not in _COORD:
                continue
            k = bisect.bisect_left(starts, t.end)
            left = base[k - 1] if k > 0 and base[k - 1].end <= t.start else None
            right = base[k] if k < len(base) else None
            if left and right and self.same_sentence(left.start, t.start) and \
                    self.same_sentence(right.start, t.start) and left.actor != right.actor:
                pairs.append((t.start, (left.actor, right.actor)))
        for m in _PAIR.finditer(self.text):
            # "kedua negara" / "both countries" are two states, not an organisation
            states_only = bool(re.search(r"(?i)negara|countr|nation|neighbou?r|tetangga|pemerintah|government",
                                         m.group()))
            fits = (lambda a: a in self.kb.states) if states_only else (lambda a: True)
            earlier = [p for pos, p in pairs if pos < m.start() and all(fits(a) for a in p)]
            if earlier:
                pair = earlier[-1]
            else:
                # the two actors the text has named most so far; the latest wins a tie
                counts: dict[str, list[int]] = {}
                for b in base:
                    if b.end <= m.start() and fits(b.actor):
                        counts.setdefault(b.actor, [0, 0])
                        counts[b.actor][0] += 1
                        counts[b.actor][1] = b.start
                ranked = sorted(counts, key=lambda a: (counts[a][0], counts[a][1]), reverse=True)
                if len(ranked) < 2:
                    continue
                pair = tuple(sorted(ranked[:2], key=lambda a: counts[a][1]))
            for actor in pair:
                self.mention(m.start(), m.end(), "state" if self.kb.states.get(actor) else "org", actor,
                             self.kb.name(actor), rule="coref-pair")

    def read_institutions(self) -> None:
        """"Blok tersebut mengancam ...", "sanctions imposed by the bloc", "meminta mahkamah
        menyatakan ...": a generic noun for an institution names the organisation of that
        kind the text named last before it. An Indonesian noun needs "itu"/"tersebut"/"ini"
        ("blok Barat" is no organisation) but for "mahkamah", a common noun only for a court."""
        taken = sorted((m.start, m.end) for m in self.mentions)
        orgs = sorted((m for m in self.mentions if m.actor and m.salient and m.kind == "org"),
                      key=lambda m: m.start)
        for m in _INSTITUTION.finditer(self.text):
            kind = m.lastgroup if m.lastgroup != "that" else next(
                k for k in _INSTITUTION_KINDS if m.group(k))
            english = m.group(kind).lower().startswith("the ")
            if not english and not m.group("that") and kind != "court":
                continue
            if not english and m.group(kind)[0].isupper() and not m.group("that") and \
                    re.match(r"\s+(?-i:[A-Z])", self.text[m.end():]):
                continue        # "Mahkamah Agung", a name
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            before = [o for o in orgs if o.end <= m.start() and o.actor in _INSTITUTION_KINDS[kind]]
            if not before:
                continue
            told = before[-1]
            self.mention(m.start(), m.end(), "org", told.actor, told.name, rule="coref-institution")

    # ---- outputs -----------------------------------------------------------------------
    def person_list(self) -> list[Person]:
        """Named persons, leaving out those named only as possessors ("Putin's war")."""
        named = [m for m in self.mentions if m.kind == "person" and m.rule not in ("role-holder", "coref-pronoun")]
        acting = {m.name for m in named if not self._possessive(m.end)}
        out, seen = [], set()
        for m in sorted(named, key=lambda m: m.start):
            if m.name in seen or m.name not in acting:
                continue
            seen.add(m.name)
            rec = next((r for r in self.persons.values() if self.display_name(r) == m.name), None)
            out.append(Person(name=m.name, actor=rec.actor if rec else m.actor,
                              role=self.role_of(rec) if rec else m.role,
                              kb_name=rec.official.name if rec and rec.official else None))
        return out

    def _possessive(self, end: int) -> bool:
        return self.text[end:end + 2] in ("'s", "’s") or self.text[end:end + 1] in ("'", "’") \
            and not self.text[end + 1:end + 2].isalpha()

    def actor_list(self) -> list[str]:
        out: list[str] = []
        for m in sorted(self.mentions, key=lambda m: m.start):
            if m.actor and m.salient and m.kind in ("state", "org", "group", "person") \
                    and m.rule != "coref-pronoun" and m.actor not in out:
                out.append(m.actor)
        return out


def _parse_day(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
