"""Malformed inputs, made by a seeded generator: the kinds a hostile test found
(benchmarks/RELIABILITY.md) and their neighbours.

`cases(n, seed)` yields `Case(kind, name, data, good)`: the bytes of one input file,
its file name (the extension decides its reader), and the ids of the good records
inside it, which must come out of any run however bad the rest of the file is.
Used by tests/test_fuzz.py (a few hundred cases in CI) and by
benchmarks/bench_reliability.py (tens of thousands).
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from typing import Callable, Iterator

SENTENCES = [
    "Menteri Luar Negeri Indonesia Sugiono bertemu Menteri Luar Negeri Malaysia Mohamad Hasan "
    "di Jakarta pada Senin (1/12).",
    "Presiden Prancis Emmanuel Macron mengunjungi Beijing dan bertemu Presiden Tiongkok Xi "
    "Jinping pada Rabu (3/12).",
    "Japan and the Philippines signed a defence pact in Manila on Tuesday.",
    "Kementerian Luar Negeri Filipina memanggil Duta Besar China di Manila pada Kamis (4/12).",
    "Russia launched drones at Kyiv overnight, Ukraine's air force said on Sunday.",
]
NASTY = [
    "\u202eRTL override\u202c", "zero\u200bwidth\u200djoiner", "😀🇮🇩", "<script>alert(1)</script>",
    "'; DROP TABLE articles; --", "\u001b[2J\u001b]0;pwned\u0007", "\u009b31m", "A\u0300\u0301\u0302",
    "\ufffe\uffff", "\\u0000", "%s%s%n", "../../etc/passwd", "{{7*7}}", "\u2028\u2029\u0085",
    "\u00a0\u3000", "x" * 3000,
]


@dataclass
class Case:
    kind: str
    name: str           # file name: its extension decides the reader
    data: bytes
    good: list[str]     # ids of the records that must come out


FILLER = ("pelabuhan gudang jembatan pasar sekolah sungai kebun hutan bandara stasiun terminal "
          "kantor rumah jalan desa kota pulau teluk gunung lembah").split()


def _good(rng: random.Random, n: int, tag: str) -> list[dict]:
    """Good records with texts of their own: each has a closing line of its own words and
    numbers, so that no two are the same article (aliansi.fingerprint)."""
    def closing() -> str:
        return " ".join(f"{rng.choice(FILLER)} {rng.randint(1, 10 ** 6)}" for _ in range(12)) + "."
    return [{"id": f"good-{tag}-{i}", "published": "2025-12-0%d" % rng.randint(1, 9),
             "language": rng.choice(["id", "en", None]),
             "text": " ".join(rng.sample(SENTENCES, rng.randint(1, 3))) + " " + closing()}
            for i in range(n)]


def _line(record: dict) -> bytes:
    return json.dumps(record, ensure_ascii=False).encode("utf-8")


def _jsonl(rng, tag, bad: bytes | list[bytes], kind: str) -> Case:
    good = _good(rng, rng.randint(1, 3), tag)
    lines = [_line(r) for r in good]
    for b in bad if isinstance(bad, list) else [bad]:
        lines.insert(rng.randint(0, len(lines)), b)
    newline = rng.choice([b"\n", b"\r\n"])
    return Case(kind, f"{tag}.jsonl", newline.join(lines) + newline, [r["id"] for r in good])


# --- record-level faults: the good records around them must survive ---------------------

def deep_nesting(rng, tag):
    depth = rng.choice([200, 1000, 5000, 100000])
    return _jsonl(rng, tag, b'{"id": "d", "text": ' + b"[" * depth + b"]" * depth + b"}", "deep")


def huge_number(rng, tag):
    digits = rng.choice([4301, 5000, 100000])
    return _jsonl(rng, tag, b'{"id": "n", "text": "t", "x": ' + b"9" * digits + b"}", "huge-number")


def lone_surrogate(rng, tag):
    field = rng.choice(["id", "title", "outlet", "url", "text", "language"])
    value = rng.choice(["\\ud800", "a\\udfffb", "\\udbff\\udbff"])
    record = f'{{"id": "s-{tag}", "text": "Menlu tiba di Jakarta.", "{field}": "{value}"}}'
    return _jsonl(rng, tag, record.encode(), "surrogate")


def stray_byte(rng, tag):
    byte = bytes([rng.choice([0x81, 0x8D, 0x8F, 0x90, 0x9D, 0x7F, 0xE9, 0xEB, 0xFF, 0xC3, 0xA0])])
    record = b'{"id": "b-' + tag.encode() + b'", "text": "Jean-No' + byte + b'l Barrot tiba."}'
    return _jsonl(rng, tag, record, "stray-byte")


def line_separator(rng, tag):
    sep = rng.choice(["\u2028", "\u2029", "\u0085", "\u000b", "\u000c", "\u001c"])
    record = json.dumps({"id": f"ls-{tag}", "text": f"Menlu tiba.{sep}Ia bertemu Menlu Malaysia."},
                        ensure_ascii=rng.random() < 0.3).encode()
    return _jsonl(rng, tag, record, "line-separator")


def wrong_types(rng, tag):
    field = rng.choice(["id", "text", "title", "outlet", "url", "published", "language"])
    value = rng.choice([1, 1.5, True, None, [], {}, ["a"], {"a": 1}, -1, 10 ** 30])
    record = {"id": f"t-{tag}", "text": "Menlu tiba di Jakarta."}
    record[field] = value
    return _jsonl(rng, tag, json.dumps(record).encode(), "wrong-type")


def bad_dates(rng, tag):
    value = rng.choice(["2025-13-01", "2025-02-30", "kemarin", "", "0000-00-00", "99999-01-01",
                        "2025-12-01T25:00:00", "1/2/3", "x" * 500, "2025-12-01\u0000"])
    record = {"id": f"p-{tag}", "text": "Menlu tiba di Jakarta pada Senin (1/12).", "published": value}
    return _jsonl(rng, tag, json.dumps(record).encode(), "bad-date")


def broken_json(rng, tag):
    bad = rng.choice([b'{"id": "x", "text": "unterminated', b'{"id": "x", "text": "a",}', b"[1, 2",
                      b'{"id": "x" "text": "a"}', b"null", b"42", b'"just a string"', b"{}",
                      b'{"text": ""}', b'{"text": "   \\n "}', b"\x00\x01\x02binary",
                      b"\xef\xbb\xbf" + b'{"id": "bom-mid", "text": "Menlu tiba."}', b"}{", b"[]"])
    return _jsonl(rng, tag, bad, "broken-json")


def nasty_text(rng, tag):
    record = {"id": f"x-{tag}", "title": rng.choice(NASTY), "outlet": rng.choice(NASTY),
              "url": rng.choice(NASTY), "text": " ".join(rng.sample(NASTY, 3)) + " " + SENTENCES[0]
              + " " + _good(rng, 1, tag)[0]["text"]}       # a text of its own
    case = _jsonl(rng, tag, _line(record), "nasty-text")
    case.good.append(record["id"])         # odd but valid: it must come out too
    return case


def long_text(rng, tag):
    if rng.random() < 0.5:      # no sentence breaks at all
        text = " ".join(rng.choice(SENTENCES[0].rstrip(".").split()) for _ in range(800))
    else:                       # thousands of short lines
        text = "\n".join(rng.choice(SENTENCES)[:rng.randint(5, 40)] for _ in range(600))
    record = {"id": f"l-{tag}", "text": text}
    case = _jsonl(rng, tag, _line(record), "long-text")
    case.good.append(record["id"])
    return case


def id_collision(rng, tag):
    first, second = _good(rng, 2, tag)
    second["id"] = first["id"]
    second["text"] = "Pasukan Rusia menyerang Kharkiv pada Minggu (7/12)."
    lines = [_line(first), _line(second)]
    return Case("id-collision", f"{tag}.jsonl", b"\n".join(lines) + b"\n", [first["id"]])


# --- whole-file faults: reported, the other files go on ----------------------------------

def bad_file(rng, tag):
    kind, name, data = rng.choice([
        ("empty", "e.jsonl", b""), ("blank", "b.txt", b" \n\t\n"),
        ("binary", "g.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        ("utf16", "u.txt", "Menlu Sugiono tiba di Tokyo.".encode("utf-16")),
        ("utf16-no-bom", "v.txt", "Menlu Sugiono tiba.".encode("utf-16-le")),
        ("not-a-feed", "f.xml", b'<?xml version="1.0"?><urlset><url/></urlset>'),
        ("entity-bomb", "bomb.xml", b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
         + b"".join(b'<!ENTITY %c "&%c;&%c;&%c;&%c;&%c;&%c;&%c;&%c;&%c;&%c;">' % ((98 + i,) + (97 + i,) * 10)
                    for i in range(8)) + b']><rss><channel><item><description>&i;</description></item>'
         b"</channel></rss>"),
        ("broken-feed", "r.rss", b"<rss><channel><item><title>x</title>"),
        ("html-no-article", "h.html", b"<html><body><script>x()</script></body></html>"),
        ("broken-html", "k.html", b"<html><body><p>Menlu tiba di Jakarta<div><p>"),
        ("heading-only", "m.md", b"# Judul saja\n"),
        ("json-array-broken", "a.json", b'[{"id": "a", "text": "x"}, {'),
    ])
    return Case(kind, f"{tag}-{name}", data, [])


KINDS: list[Callable] = [deep_nesting, huge_number, lone_surrogate, stray_byte, line_separator,
                         wrong_types, bad_dates, broken_json, nasty_text, long_text, id_collision,
                         bad_file]


def cases(n: int, seed: int = 0) -> Iterator[Case]:
    rng = random.Random(seed)
    for i in range(n):
        yield KINDS[i % len(KINDS)](rng, f"c{seed}-{i}")
