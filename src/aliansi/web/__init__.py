"""`aliansi serve`: the analyst's workbench over a store (REST API and pages).

    from aliansi.web import create_app, serve
    serve("aliansi.db")                              # http://127.0.0.1:8000
    app = create_app("aliansi.db", token="secret")   # an ASGI app; reviews need the token

Needs the `serve` extra: pip install 'aliansi[serve]'.
"""
from __future__ import annotations

import os
from pathlib import Path

from aliansi.errors import ConfigError

__all__ = ["create_app", "serve"]


def create_app(db: str | Path, *, token: str | None = None, kb=None,
               allowed_hosts: list[str] | None = None):
    try:
        from aliansi.web.app import create_app as create
    except ImportError as exc:      # fastapi, uvicorn or jinja2 missing
        raise ConfigError(f"aliansi serve needs the serve extra: pip install 'aliansi[serve]' "
                          f"({exc})") from exc
    return create(db, token=token, kb=kb, allowed_hosts=allowed_hosts)


def serve(db: str | Path, *, host: str = "127.0.0.1", port: int = 8000,
          token: str | None = None) -> None:
    """Serve the store at `db` until interrupted. Read-only unless `token` (default:
    $ALIANSI_TOKEN) is set; then writes need `Authorization: Bearer <token>`."""
    from aliansi.web.app import LOOPBACK

    # bound to this machine only: answer only to its own names (no DNS rebinding)
    allowed = [h.strip("[]") for h in LOOPBACK] + ["[::1]"] if host in LOOPBACK else None
    app = create_app(db, token=token if token is not None else os.environ.get("ALIANSI_TOKEN"),
                     allowed_hosts=allowed)
    import uvicorn

    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False,
                limit_concurrency=64, timeout_keep_alive=5)
