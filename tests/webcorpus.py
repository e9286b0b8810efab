"""Articles for the workbench tests, run once through the real pipeline: the bundled
samples, two short articles written for these tests (an English one, and one on a
Jakarta meeting), and one whose title, URL, outlet and text carry XSS payloads.

    from webcorpus import corpus, stored
    location = stored(store_location)      # the articles ingested and clustered there
"""
from __future__ import annotations

import json
import tempfile
from functools import lru_cache
from pathlib import Path

from aliansi import api, database
from aliansi.store import open_store

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
# what a payload would do if it ran: change the title, or add an element with this id
PWNED = "pwned"
SCRIPT = f"<script>document.title='{PWNED}'</script>"
IMG = f"<img src=x onerror=\"document.body.appendChild(document.createElement('div')).id='{PWNED}'\">"
WRITTEN = [
    {"id": "test-en-1", "language": "en", "published": "2025-11-20", "outlet": "Test Wire",
     "url": "https://news.example/en-1", "title": "Japan and Australia sign a defence pact",
     "text": "Japanese Prime Minister Sanae Takaichi and Australian Prime Minister Anthony "
             "Albanese signed a defence cooperation agreement in Canberra on Wednesday.\n\n"
             "China criticised the agreement on Thursday."},
    {"id": "test-id-1", "language": "id", "published": "2025-11-21", "outlet": "Uji Berita",
     "url": "https://berita.example/id-1", "title": "Menteri Luar Negeri bertemu di Jakarta",
     "text": "Menteri Luar Negeri Indonesia Sugiono bertemu dengan Menteri Luar Negeri Jepang "
             "di Jakarta pada Kamis (20/11). Kedua menteri sepakat memperkuat kerja sama "
             "maritim."},
    {"id": "test-xss-1", "language": "id", "published": "2025-11-22",
     "outlet": f"Outlet {IMG}", "url": f"javascript:document.title='{PWNED}'",
     "title": f"Judul {SCRIPT}{IMG}",
     "text": f"Presiden Indonesia Prabowo Subianto bertemu Perdana Menteri Malaysia Anwar "
             f"Ibrahim di Kuala Lumpur pada Jumat (21/11) {SCRIPT} {IMG}.\n\n"
             f"Catatan {SCRIPT} tanpa peristiwa."},
]


@lru_cache(maxsize=1)
def corpus() -> tuple:
    """The articles as the pipeline annotates them (extracted once per session)."""
    with tempfile.TemporaryDirectory() as folder:
        written = Path(folder) / "written.jsonl"
        written.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in WRITTEN),
                           encoding="utf-8")
        return tuple(api.extract([str(SAMPLES), str(written)], jobs=1))


def stored(location: str) -> str:
    """`location` with the corpus ingested and clustered."""
    with open_store(location) as store:
        store.ingest(corpus())
    with database.open(location) as db:
        db.update_clusters()
    return location
