"""The ASGI app of `aliansi serve`: the REST API under /api/v1 and the analyst's pages.

    app = create_app("aliansi.db")               # or a postgresql:// URL
    app = create_app("aliansi.db", token="...")  # reviews allowed, with that bearer token

Safe by default: read-only unless a token is given (`ALIANSI_TOKEN` for `aliansi serve`),
and then every write needs `Authorization: Bearer <token>`; every page carries a strict
Content-Security-Policy (no inline script, nothing from another origin); request bodies
are capped at `MAX_BODY` bytes and pages of lists at `MAX_PAGE` rows. Every bad
parameter is answered with a JSON error `{"error": {"message", "parameter"}}`.

Each worker thread opens its own store (a Store owns one connection, used from one
thread); the knowledge base and the actor names are loaded once and shared.
"""
from __future__ import annotations

import hmac
import logging
import threading
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from aliansi.database import Database
from aliansi.errors import AliansiError, QueryError, StoreError

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
MAX_BODY = 64 * 1024          # bytes of a request body
MAX_PAGE = 500                # rows of one page of a list
MAX_DOWNLOAD = 100_000        # rows of one CSV or JSON Lines download
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


class Forbidden(AliansiError):
    """A write without the right token, or on a read-only server."""


class NotFound(AliansiError):
    """No such event, actor or article."""


@dataclass
class Settings:
    db: str
    token: str | None = None
    kb: Any = None
    _names: Any = None
    _local: threading.local = field(default_factory=threading.local)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stores: list = field(default_factory=list)
    _pipeline: Any = None
    _pipeline_lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def writable(self) -> bool:
        return bool(self.token)

    def database(self) -> Database:
        """This thread's Database (opened on first use)."""
        database = getattr(self._local, "database", None)
        if database is None:
            from aliansi.store import open_store

            store = open_store(self.db, read_only=not self.writable)
            database = self._local.database = Database(store, kb=self.knowledge_base())
            with self._lock:
                self._stores.append(database)
        return database

    def knowledge_base(self) -> Any:
        with self._lock:
            if self.kb is None:
                from aliansi.kb import KnowledgeBase
                self.kb = KnowledgeBase.load()
            return self.kb

    def names(self) -> Any:
        from aliansi.queries import ActorNames

        kb = self.knowledge_base()
        with self._lock:
            if self._names is None:
                self._names = ActorNames(kb)
            return self._names

    def code(self, value: str, parameter: str = "actor", what: str = "actor") -> str:
        """An actor's code from a code or a name; a code the store has seen is taken as
        it is; else a QueryError with the closest names."""
        try:
            return self.names().code(value, what)
        except QueryError as exc:
            code = str(value).strip().upper()
            if self.database().store._one("SELECT 1 FROM event_actors WHERE actor = ? LIMIT 1",
                                          [code]):
                return code
            raise ParameterError(str(exc), parameter) from None

    def run_pipeline(self, work):
        """`work(pipeline)` with the extraction pipeline (loaded on first use), one call
        at a time: explain and ingest share it."""
        with self._pipeline_lock:
            if self._pipeline is None:
                from aliansi.pipeline import Pipeline
                self._pipeline = Pipeline()
            return work(self._pipeline)

    def check_token(self, request: Request) -> None:
        if not self.token:
            raise Forbidden("this server is read-only: start it with ALIANSI_TOKEN set to allow "
                            "reviews")
        header = request.headers.get("authorization", "")
        scheme, _, given = header.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(),
                                                                 self.token.encode()):
            raise Forbidden("a write needs the header Authorization: Bearer <ALIANSI_TOKEN>")

    def close(self) -> None:
        with self._lock:
            for database in self._stores:
                try:
                    database.close()
                except Exception:       # another thread's connection: best effort
                    pass
            self._stores.clear()


class ParameterError(QueryError):
    """A bad query parameter, with the parameter's name."""

    def __init__(self, message: str, parameter: str | None = None):
        self.parameter = parameter
        super().__init__(message)


def settings(request: Request) -> Settings:
    return request.app.state.settings


class LimitBody:
    """ASGI middleware: refuse request bodies over `limit` bytes (413), whether they
    declare their length or not."""

    def __init__(self, app: Any, limit: int = MAX_BODY):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        too_big = JSONResponse({"error": {"message": f"request body over {self.limit} bytes",
                                          "parameter": None}}, status_code=413)
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            return await too_big(scope, receive, send)
        seen = 0

        async def limited():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooBig()
            return message
        try:
            await self.app(scope, limited, send)
        except _TooBig:
            await too_big(scope, receive, send)


class _TooBig(Exception):
    pass


class SecurityHeaders:
    """ASGI middleware: CSP and the other headers that keep a page inert."""

    HEADERS = [(b"content-security-policy", CSP.encode()),
               (b"x-content-type-options", b"nosniff"),
               (b"referrer-policy", b"no-referrer"),
               (b"x-frame-options", b"DENY"),
               (b"cross-origin-opener-policy", b"same-origin")]

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + [
                    (k, v) for k, v in self.HEADERS if k not in names]
            await send(message)
        await self.app(scope, receive, with_headers)


def _error(status: int, message: str, parameter: str | None = None) -> JSONResponse:
    return JSONResponse({"error": {"message": message, "parameter": parameter}},
                        status_code=status)


def create_app(db: str | Path, *, token: str | None = None, kb: Any = None,
               allowed_hosts: list[str] | None = None) -> FastAPI:
    """The app over the store at `db` (a SQLite path or a postgresql:// URL). `token`:
    allow writes (reviews) to requests that carry it as a bearer token. `allowed_hosts`:
    the Host headers it answers (`serve` on a loopback address allows only loopback
    names, so that a web page cannot reach it through DNS rebinding)."""
    from aliansi.queries import existing_store
    from aliansi.store import open_store

    db = str(existing_store(db))
    if token is not None and not token.strip():
        token = None
    if token:      # bring the schema up to date once (a read-only store cannot)
        open_store(db).close()
    else:
        try:
            open_store(db).close()
        except StoreError:
            pass    # a read-only file or role: it must already be migrated
    state = Settings(db=db, token=token, kb=kb)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        state.close()

    app = FastAPI(title="aliansi", version=_version(), lifespan=lifespan,
                  description="Security and diplomacy events (PLOVER) from the news, with their "
                              "evidence: search, dyads, the network, and review.",
                  openapi_url="/api/v1/openapi.json", docs_url=None, redoc_url=None)
    app.state.settings = state

    @app.exception_handler(ParameterError)
    async def bad_parameter(request: Request, exc: ParameterError):
        return _error(400, str(exc), exc.parameter)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden):
        return _error(401 if state.token else 403, str(exc))

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound):
        return _error(404, str(exc))

    @app.exception_handler(AliansiError)
    async def known_error(request: Request, exc: AliansiError):
        return _error(400 if isinstance(exc, QueryError) else 500, str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        errors = exc.errors()
        first = errors[0] if errors else {}
        where = [str(p) for p in first.get("loc", ()) if p not in ("query", "body", "path")]
        name = ".".join(where) or None
        message = f"{name}: {first.get('msg', 'invalid')}" if name else first.get("msg", "invalid")
        return _error(400, message, name)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return _error(exc.status_code, str(exc.detail))

    from aliansi.web import api, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(LimitBody)
    if allowed_hosts:
        from starlette.middleware.trustedhost import TrustedHostMiddleware
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    app.add_middleware(SecurityHeaders)
    return app


LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("aliansi")
    except PackageNotFoundError:
        return "dev"
