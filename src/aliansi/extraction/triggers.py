"""Trigger words and their senses: the vocabulary of the event stage.

Two kinds of entries, both package data:

- the hand lexicon (`data/triggers.yaml`): a regex of words per PLOVER type,
  with an optional `needs`/`unless` on the sentence;
- verb groups built from principled sources (`data/lexicon/en.yaml` from the
  CAMEO dictionary, `data/lexicon/id.yaml` from Indonesian roots and morphology;
  schema in `data/lexicon/FORMAT.md`): a group's words fire only through a
  sense whose context fits (what follows the word, what precedes it, what the
  sentence must not hold), or through its default sense.

`find_triggers` returns the hits of one sentence, the longest where they
overlap; with `stopped` it also collects the group words that no sense let fire,
with the reason, for `aliansi explain`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Iterable

import yaml

from ..errors import ConfigError
from ..model import EVENT_TYPES

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)     # the C parser, where PyYAML has it

LEXICON_LANGUAGES = ("en", "id")
# Built lexicons that only fill the hand lexicon's gaps. The CAMEO dictionary's English
# verb groups fire in a sentence no other entry fires in, through a pattern with its
# object or preposition ("summoned the ambassador"), never through a group's default
# (the bare verb), and on a verb that heads a clause (events.py). As equals of the hand
# entries they cost 0.04 event F1 on realnews-tune (BENCHMARKS.md, 2026-12-06).
FALLBACK_LEXICONS = ("en",)


class LazyPattern:
    """A regex compiled on its first use. A lexicon holds thousands of patterns and
    a sentence tries a few of them: compiling all at start-up took a second and a
    half. Pickled as its source, so a cached lexicon loads without compiling."""

    __slots__ = ("pattern", "flags", "_compiled")

    def __init__(self, pattern: str, flags: int = 0):
        self.pattern, self.flags, self._compiled = pattern, flags, None

    def compiled(self) -> re.Pattern:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def search(self, *args):
        return self.compiled().search(*args)

    def match(self, *args):
        return self.compiled().match(*args)

    def fullmatch(self, *args):
        return self.compiled().fullmatch(*args)

    def finditer(self, *args):
        return self.compiled().finditer(*args)

    def __reduce__(self):
        return LazyPattern, (self.pattern, self.flags)

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r})"


def _lazy(pattern: str, flags: int = 0) -> LazyPattern:
    """A lazy pattern, checked now: a bad entry fails on loading, naming itself."""
    re.compile(pattern, flags)
    return LazyPattern(pattern, flags)


@dataclass(frozen=True)
class Sense:
    """One meaning of a group's words: the event it makes and when it fits."""
    type: str
    mode: str | None = None
    context: tuple[str, ...] = ()
    after: LazyPattern | None = None     # must match right after the word
    before: LazyPattern | None = None    # must match right before the word (anchored with $)
    unless: LazyPattern | None = None    # must not occur in the sentence
    source: str = ""                    # file:line it comes from
    cameo: str = ""

    def fits(self, text: str, start: int, end: int) -> str | None:
        """None when this sense fits the word at text[start:end], else why not."""
        if self.unless and self.unless.search(text):
            return f"'{self.unless.search(text).group()}' in the sentence"
        if self.after and not self.after.match(text, end):
            return "what follows does not fit"
        if self.before and not self.before.search(text, 0, start):
            return "what precedes does not fit"
        return None

    @property
    def constrained(self) -> bool:
        return bool(self.after or self.before)


@dataclass
class Trigger:
    type: str
    lang: str
    pattern: LazyPattern
    mode: str | None = None
    voice: str = "active"
    nominal: bool = False
    inverse: bool = False
    needs: LazyPattern | None = None
    unless: LazyPattern | None = None
    context: tuple[str, ...] = ()
    confidence: float = 0.6
    direct_object: bool = False
    index: int = 0
    words: str = ""                     # the alternatives `pattern` was compiled from
    group: str = ""                     # a verb group of a built lexicon
    senses: tuple[Sense, ...] = ()      # its senses, most specific first
    default: Sense | None = None        # its sense when none of `senses` fits
    source: str = ""
    fallback: bool = False              # fires only where no other entry does (FALLBACK_LEXICONS)

    @property
    def rule(self) -> str:
        if self.group:
            return f"lexicon-{self.lang}:{self.group}:{self.type}:{self.source}"
        return f"lexicon:{self.lang}:{self.type}:{self.index}"

    def sensed(self, sense: Sense) -> "Trigger":
        """This group's trigger with the type, mode and context of one of its senses."""
        confidence = self.confidence + (0.05 if sense.constrained else 0.0)
        return replace(self, type=sense.type, mode=sense.mode, context=sense.context,
                       source=sense.source, senses=(), default=None, confidence=confidence)


@dataclass
class Hit:
    trigger: Trigger
    start: int      # offsets relative to the sentence
    end: int
    text: str


def find_triggers(text: str, triggers: Iterable[Trigger],
                  stopped: list[tuple[Hit, str]] | None = None) -> list[Hit]:
    """The trigger hits of one sentence, longest first where they overlap (earlier
    entries break ties). A group's word becomes a hit through its first fitting
    sense; when none fits it is added to `stopped` with the reason."""
    hits = []
    for trigger, starts in _candidates(triggers, text):
        if trigger.needs and not trigger.needs.search(text):
            continue
        if trigger.unless and trigger.unless.search(text):
            continue
        for m in _matches(trigger.pattern, text, starts):
            if not trigger.group:
                hits.append(Hit(trigger, m.start(), m.end(), m.group()))
                continue
            sense, why = _sense(trigger, text, m.start(), m.end())
            if sense:
                hits.append(Hit(trigger.sensed(sense), m.start(), m.end(), m.group()))
            elif stopped is not None:
                stopped.append((Hit(trigger, m.start(), m.end(), m.group()), why))
    if any(not h.trigger.fallback for h in hits):
        if stopped is not None:     # the fallback's words that did not fit would not have fired either
            stopped[:] = [(h, why) for h, why in stopped if not h.trigger.fallback] + \
                [(h, "a fallback pattern: another entry fires in the sentence") for h in hits if h.trigger.fallback]
        hits = [h for h in hits if not h.trigger.fallback]
    hits.sort(key=lambda h: (-(h.end - h.start), h.trigger.index))
    chosen: list[Hit] = []
    for hit in hits:
        if all(hit.end <= c.start or hit.start >= c.end for c in chosen):
            chosen.append(hit)
    return sorted(chosen, key=lambda h: h.start)


# --- a keyword index: only the triggers whose first word is in the sentence are tried,
# and only where that word stands --------------------------------------------------

_LEADING_LETTERS = re.compile(r"[^\W\d_]+")
_WORD = re.compile(r"\w+")
_KEY = 12   # a trigger is keyed by the first letters of its alternatives, at most this many
_INDEXES: dict[int, tuple[list, dict[str, list], list, set[str]]] = {}


def _first_letters(words: str) -> set[str] | None:
    """The lowercased letters every match of an alternative begins with (its leading
    letters, at most `_KEY`, the last left out when a quantifier follows it), one
    for each alternative; None when an alternative starts otherwise (it is then
    tried everywhere)."""
    keys = set()
    for alternative in _top_level_alternatives(words):
        alternative = alternative.strip()
        match = _LEADING_LETTERS.match(alternative)
        letters = match.group() if match else ""
        if alternative[len(letters):len(letters) + 1] in ("?", "*", "{"):
            letters = letters[:-1]
        if not letters:
            return None
        keys.add(letters[:_KEY].lower())
    return keys


def _candidates(triggers: list[Trigger], text: str) -> list[tuple[Trigger, list[int] | None]]:
    """The triggers that may match in `text`, in their order, each with the offsets
    where a match can start: the words that begin with one of its alternatives'
    first letters (a match starts at a word, after no letter or hyphen), or None
    for a trigger that cannot be keyed (tried anywhere)."""
    index = _INDEXES.get(id(triggers))
    if index is None or index[0] is not triggers:
        keyed: dict[str, list] = {}
        always = []
        for n, trigger in enumerate(triggers):
            keys = _first_letters(trigger.words) if trigger.words else None
            if keys is None:
                always.append(n)
            for key in keys or ():
                keyed.setdefault(key, []).append(n)
        # every beginning of a key: a word's letters are read until they begin none
        prefixes = {key[:i] for key in keyed for i in range(1, len(key) + 1)}
        _INDEXES[id(triggers)] = index = (triggers, keyed, always, prefixes)
    _, keyed, always, prefixes = index
    starts: dict[int, list[int] | None] = dict.fromkeys(always)
    for m in _WORD.finditer(text):
        word, at = m.group().lower(), m.start()
        for length in range(1, min(len(word), _KEY) + 1):
            prefix = word[:length]
            if prefix not in prefixes:
                break
            for n in keyed.get(prefix, ()):
                found = starts.setdefault(n, [])
                if found is not None and (not found or found[-1] != at):
                    found.append(at)
    return [(triggers[n], starts[n]) for n in sorted(starts)]


def _matches(pattern: LazyPattern, text: str, starts: list[int] | None):
    """`pattern.finditer(text)`, tried only at `starts` (in order) when they are known."""
    if starts is None:
        yield from pattern.finditer(text)
        return
    compiled, end = pattern.compiled(), 0
    for at in starts:
        if at >= end:
            m = compiled.match(text, at)
            if m:
                yield m
                end = m.end()


def _sense(trigger: Trigger, text: str, start: int, end: int) -> tuple[Sense | None, str]:
    reasons = []
    for sense in trigger.senses:
        why = sense.fits(text, start, end)
        if why is None:
            return sense, ""
        reasons.append(f"{sense.type} ({sense.source}): {why}")
    if trigger.default and trigger.default.fits(text, start, end) is None:
        return trigger.default, ""
    return None, f"no sense of {trigger.group} fits: " + "; ".join(reasons[:3]) \
        if reasons else f"{trigger.group} makes no event without a pattern"


# --- loading ---------------------------------------------------------------------

def _compile(words: str, lang: str = "") -> LazyPattern:
    # lowercase alternatives are case-insensitive; capitalised ones (KTT, MoU) are not;
    # an Indonesian word may carry the enclitic -nya ("dukungannya", "menyerangnya")
    parts = [w.strip() for w in _top_level_alternatives(words) if w.strip()]
    lower = [p for p in parts if p == p.lower()]
    upper = [p for p in parts if p != p.lower()]
    alternatives = []
    if lower:
        alternatives.append("(?i:" + "|".join(lower) + ")")
    if upper:
        alternatives.append("|".join(upper))
    clitic = r"(?:-?nya)?" if lang == "id" else ""
    return _lazy(r"(?<![\w-])(?:" + "|".join(alternatives) + r")" + clitic + r"(?![\w-])")


def _top_level_alternatives(pattern: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for i, char in enumerate(pattern):
        escaped = i > 0 and pattern[i - 1] == "\\"
        if char == "(" and not escaped:
            depth += 1
        elif char == ")" and not escaped:
            depth -= 1
        if char == "|" and depth == 0 and not escaped:
            parts.append(current)
            current = ""
        else:
            current += char
    return parts + [current]


def load_triggers(path=None, *, lexicons: Iterable[str] = ()) -> list[Trigger]:
    """The hand lexicon, then the built lexicons of the languages named (their
    groups are numbered after the hand entries, so hand entries win ties). Read
    from the disk cache when the same files were read before."""
    from .. import cache

    source = path or resources.files("aliansi") / "data" / "triggers.yaml"
    lexicons = tuple(lexicons)
    inputs = [Path(__file__), source, cache.version("pyyaml"), lexicons,
              *(_lexicon_file(lang) for lang in lexicons)]
    return cache.cached("triggers", inputs, lambda: _read_triggers(source, lexicons))


def _lexicon_file(lang: str):
    return resources.files("aliansi") / "data" / "lexicon" / f"{lang}.yaml"


def _read_triggers(source, lexicons: tuple[str, ...]) -> list[Trigger]:
    try:
        entries = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{source}: cannot read the trigger lexicon: {exc}") from None
    triggers = []
    for index, entry in enumerate(entries):
        try:
            triggers.append(Trigger(
                type=entry["type"], lang=entry["lang"], pattern=_compile(entry["words"], entry["lang"]),
                words=entry["words"],
                mode=entry.get("mode"), voice=entry.get("voice", "active"),
                nominal=bool(entry.get("nominal")), inverse=bool(entry.get("inverse")),
                needs=_lazy(entry["needs"], re.I) if entry.get("needs") else None,
                unless=_lazy(entry["unless"], re.I) if entry.get("unless") else None,
                context=tuple(entry.get("context", ())),
                confidence=float(entry.get("confidence", 0.6)),
                direct_object=bool(entry.get("direct_object")), index=index))
        except (KeyError, re.error, TypeError, ValueError) as exc:
            raise ConfigError(f"{source}: entry {index + 1} is invalid: {exc}") from None
    for lang in lexicons:
        triggers += load_lexicon(lang, first_index=len(triggers))
    return triggers


def load_lexicon(lang: str, path=None, *, first_index: int = 0,
                 fallback: bool | None = None) -> list[Trigger]:
    """The verb groups of a built lexicon (data/lexicon/<lang>.yaml), one trigger
    each; an absent file is an empty lexicon. A fallback lexicon (by default those of
    FALLBACK_LEXICONS) keeps its groups' patterns only, not their defaults."""
    fallback = lang in FALLBACK_LEXICONS if fallback is None else fallback
    source = path or _lexicon_file(lang)
    if not source.is_file():
        return []
    try:
        groups = yaml.load(source.read_text(encoding="utf-8"), Loader=_LOADER) or []
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{source}: cannot read the lexicon: {exc}") from None
    triggers = []
    for n, group in enumerate(groups):
        try:
            senses = tuple(_read_sense(p) for p in group.get("patterns") or ())
            default = _read_sense(group["default"]) if group.get("default") and not fallback else None
            if not senses and not default:
                continue
            triggers.append(Trigger(
                type=default.type if default else "", lang=lang, pattern=_compile(group["words"], lang),
                words=group["words"],
                voice=group.get("voice", "active"), nominal=bool(group.get("nominal")),
                index=first_index + n, group=str(group["group"]), senses=senses,
                default=default, source=str(group.get("source", "")), fallback=fallback))
        except (KeyError, re.error, TypeError, ValueError, AttributeError) as exc:
            name = group.get("group", "?") if isinstance(group, dict) else repr(group)
            raise ConfigError(f"{source}: group {n + 1} ({name}) is invalid: "
                              f"{str(exc).strip(chr(39))}") from None
    return triggers


def _read_sense(entry: dict) -> Sense:
    if entry["type"] not in EVENT_TYPES:
        raise ValueError(f"type {entry['type']!r} is not a PLOVER type")

    def pattern(key, flags=re.I):
        return _lazy(entry[key], flags) if entry.get(key) else None

    before = entry.get("before")
    return Sense(type=entry["type"], mode=entry.get("mode"),
                 context=tuple(entry.get("context") or ()),
                 after=pattern("after"),
                 before=_lazy(f"(?:{before})$", re.I) if before else None,
                 unless=pattern("unless"), source=str(entry.get("source", "")),
                 cameo=str(entry.get("cameo", "")))
