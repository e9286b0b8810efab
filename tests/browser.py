"""Render an HTML file in real headless Chromium: its DOM after parsing and a screenshot.

    from browser import chromium_or_skip, render
    page = render(chromium_or_skip(), html_path, tmp_path)   # page.dom, page.png

Chromium is the Debian package (`apt-get install -y chromium`, /usr/bin/chromium).
Without it the test is skipped, or fails when ALIANSI_REQUIRE_CHROMIUM=1 (CI).
Runs offline: no network, sync, updates or first-run UI; a throwaway profile.
"""
from __future__ import annotations

import os
import struct
import zlib
import shutil
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--disable-dev-shm-usage", "--hide-scrollbars",
         "--mute-audio", "--no-default-browser-check")


@dataclass
class Rendered:
    dom: str          # the DOM as Chromium built it (--dump-dom)
    png: Path         # the screenshot


def find_chromium() -> str | None:
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_or_skip() -> str:
    path = find_chromium()
    if path is None:
        reason = ("headless Chromium is not installed (apt-get install -y chromium); "
                  "the browser rendering test needs it")
        if os.environ.get("ALIANSI_REQUIRE_CHROMIUM") == "1":
            pytest.fail(f"{reason} (ALIANSI_REQUIRE_CHROMIUM=1)")
        pytest.skip(reason)
    return path


def _run(chromium: str, *args: str, timeout: float) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="aliansi-chromium-") as profile:
        command = [chromium, *FLAGS, f"--user-data-dir={profile}", *args]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise AssertionError(f"chromium exited {result.returncode}: {result.stderr[-2000:]}")
    return result


def render(chromium: str, html: Path, out_dir: Path, *, width: int = 1100,
           height: int = 3000, timeout: float = 120) -> Rendered:
    """Load `html` from disk; return its DOM and a full-width screenshot in `out_dir`."""
    url = Path(html).resolve().as_uri()
    dom = _run(chromium, "--dump-dom", url, timeout=timeout).stdout
    png = Path(out_dir) / (Path(html).stem + ".png")
    _run(chromium, f"--screenshot={png}", f"--window-size={width},{height}", url,
         timeout=timeout)
    return Rendered(dom=dom, png=png)


def png_colours(path: Path) -> Counter:
    """How many pixels of each (r, g, b) colour an 8-bit RGB/RGBA PNG has (stdlib only)."""
    data = Path(path).read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise AssertionError(f"{path} is not a PNG")
    pos, chunks, header = 8, [], b""
    while pos < len(data):
        length = struct.unpack(">I", data[pos:pos + 4])[0]
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    width, height, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", header)
    if depth != 8 or colour_type not in (2, 6) or interlace:
        raise AssertionError(f"{path}: only 8-bit non-interlaced RGB(A) PNGs are read here")
    channels = 3 if colour_type == 2 else 4
    stride = width * channels
    raw = zlib.decompress(b"".join(chunks))
    colours: Counter = Counter()
    previous = bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if kind == 1:
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 255
        elif kind == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, previous))
        elif kind == 3:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 255
        elif kind == 4:
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b, c = previous[i], previous[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        colours.update(zip(line[0::channels], line[1::channels], line[2::channels]))
        previous = line
    return colours
