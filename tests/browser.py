"""Render an HTML file in real headless Chromium: its DOM after parsing and a screenshot.

    from browser import chromium_or_skip, render
    page = render(chromium_or_skip(), html_path, tmp_path)   # page.dom, page.png

Chromium is the Debian package (`apt-get install -y chromium`, /usr/bin/chromium).
Without it the test is skipped, or fails when ALIANSI_REQUIRE_CHROMIUM=1 (CI).
Runs offline: no network, sync, updates or first-run UI; a throwaway profile.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
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
