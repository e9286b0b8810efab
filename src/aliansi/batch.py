"""Batch mode: the same `Pipeline.pipe`, mapped over partitions on a Dask cluster.

    batch.extract(inputs, workers=4)                      -> Articles, in input order
    batch.extract(inputs, scheduler="tcp://host:8786")    # an existing cluster
    batch.ingest(inputs, "events.db", workers=4)          -> IngestReport (idempotent)
    batch.pipe(articles, workers=4)                       # Articles already in memory

The client reads the inputs (readers stay where the files are), cuts the articles
into partitions of `partition_size` and sends each one, as plain `Article.to_dict()`
dicts, to a worker. A worker builds ONE `Pipeline` per process (cached in this
module, so models load once per worker, not per partition) and runs
`pipeline.pipe(partition)` on it: there is one implementation of extraction, and
batch mode only moves articles around it. Results come back in input order.

`batch.ingest` also has the workers do what storing an article needs from it alone
(`store.prepare`: its JSON form and hash, its word trigrams and fingerprint bands),
sent back as text and bytes; the client, a single writer, only decides against the
store (duplicates, replacements) and writes. The cluster update that `api.ingest`
runs next is the client's too: where an event goes depends on every stored cluster.

`workers=N` starts a `distributed.LocalCluster` (N processes, one thread each) for
the duration of the call; `scheduler=ADDRESS` uses a running cluster, whose workers
must have aliansi installed. With neither, a local cluster with one worker per core.
The local workers are spawned processes, so a script that calls batch mode must
guard its entry point with `if __name__ == "__main__":`.

Errors: an article that fails in a stage becomes the same `AliansiError` (naming
the article and the stage) it would be in process, handed to `on_error` while the
rest goes on; errors cross the wire as (class, message, attributes), never as
pickled exceptions. A partition lost on the cluster (a worker killed, say) is an
`AliansiError` naming the partition's articles, reported the same way. Without
`on_error`, the first error is raised. Requires the `batch` extra: dask[distributed].
"""
from __future__ import annotations

import itertools
import json
import logging
import os
import threading
import uuid
from array import array
from collections import deque
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .errors import AliansiError, ConfigError
from .errors import error_from_payload as _error_from_payload
from .errors import error_payload as _error_payload
from .model import Article
from .pipeline import DEFAULT_STAGES, Pipeline
from .store.base import Prepared, prepare

log = logging.getLogger(__name__)

ErrorHandler = Callable[[AliansiError], None]
# on_partition(index, articles, errors): called as each partition's results are handed out
PartitionHandler = Callable[[int, int, int], None]

PARTITION_SIZE = 200
CONNECT_TIMEOUT = "20s"
# no dashboard, and its HTTP server (health, metrics) on a free local port, not 8787
QUIET_SCHEDULER = {"dashboard": False, "dashboard_address": "127.0.0.1:0"}


# --- on the workers --------------------------------------------------------------

_PIPELINES: dict[str, tuple[Pipeline, threading.Lock]] = {}
_PIPELINES_LOCK = threading.Lock()
_MAX_PIPELINES = 2          # distinct configurations kept alive in one worker


def _pipeline(token: str, stages: tuple[str, ...], config: dict | None) -> tuple[Pipeline, threading.Lock]:
    """This process's pipeline for a configuration, built on first use."""
    with _PIPELINES_LOCK:
        if token not in _PIPELINES:
            while len(_PIPELINES) >= _MAX_PIPELINES:
                _PIPELINES.pop(next(iter(_PIPELINES)))
            log.info("building the pipeline in process %d", os.getpid())
            # A stage is not promised to be thread-safe: one article at a time per
            # process (the stages are pure Python, so threads would gain nothing).
            _PIPELINES[token] = (Pipeline(stages, config=config), threading.Lock())
        return _PIPELINES[token]


def _run_partition(records: list[dict], token: str, stages: tuple[str, ...],
                   config: dict | None, for_store: bool = False) -> list[tuple[str, Any]]:
    """Run the pipeline on one partition: [("article", dict) | ("error", payload)]
    in input order, or [("fatal", payload)] when the pipeline cannot be built.
    `for_store`: ("prepared", _packed(...)) in place of each article, the work of
    storing it that depends on it alone done here (`store.prepare`)."""
    try:
        pipeline, lock = _pipeline(token, stages, config)
    except AliansiError as exc:
        return [("fatal", _error_payload(exc))]
    out: list[tuple[str, Any]] = []
    current: list[str] = [""]

    def articles() -> Iterator[Article]:
        for record in records:
            article = Article.from_dict(record)
            current[0] = article.id
            yield article

    def on_error(exc: AliansiError) -> None:
        out.append(("error", _error_payload(exc, article_id=current[0])))

    with lock:
        for article in pipeline.pipe(articles(), on_error=on_error):
            out.append(("prepared", _packed(prepare(article))) if for_store
                       else ("article", article.to_dict()))
    return out


def _packed(prepared: Prepared) -> tuple:
    """A prepared article for the wire: its JSON text (or dict, without one), hash,
    trigrams as 64-bit integers and bands (strings and bytes travel cheaply)."""
    grams, bands = prepared.fingerprint()
    return (prepared.text if prepared.text is not None else prepared.data, prepared.digest,
            array("Q", grams).tobytes(), bands)


def _unpacked(packed: tuple) -> Prepared:
    form, digest, grams, bands = packed
    data = json.loads(form) if isinstance(form, str) else form
    text = form if isinstance(form, str) else None
    trigrams = array("Q")
    trigrams.frombytes(grams)
    return Prepared(Article.from_dict(data), data, text, digest, set(trigrams), bands)


# --- on the client ---------------------------------------------------------------

def _distributed():
    try:
        import distributed
    except ImportError:
        raise ConfigError("batch mode needs Dask: pip install 'aliansi[batch]' "
                          "(or 'dask[distributed]')") from None
    # Dask logs every scheduler and worker step at INFO; aliansi's own -v is about aliansi
    if not logging.getLogger().isEnabledFor(logging.DEBUG):
        logging.getLogger("distributed").setLevel(logging.WARNING)
    return distributed


def _check(workers: int | None, scheduler: str | None, partition_size: int) -> None:
    if workers is not None and scheduler is not None:
        raise ConfigError("give workers= (a local cluster) or scheduler= (a running one), not both")
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
        raise ConfigError(f"workers must be a whole number of at least 1, not {workers!r}")
    if scheduler is not None and not (isinstance(scheduler, str) and scheduler.strip()):
        raise ConfigError(f"scheduler must be an address such as tcp://host:8786, not {scheduler!r}")
    if isinstance(partition_size, bool) or not isinstance(partition_size, int) or partition_size < 1:
        raise ConfigError(f"partition_size must be a whole number of at least 1, not {partition_size!r}")
    _distributed()


@contextmanager
def _client(workers: int | None, scheduler: str | None):
    """A Dask client: to the cluster at `scheduler`, or to a local one closed afterwards."""
    distributed = _distributed()
    if scheduler is not None:
        try:
            client = distributed.Client(scheduler, set_as_default=False, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ConfigError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        with client:
            yield client
        return
    n = workers or os.cpu_count() or 1
    log.info("starting a local Dask cluster of %d worker process(es)", n)
    with distributed.LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                  scheduler_kwargs=QUIET_SCHEDULER) as cluster, \
            distributed.Client(cluster, set_as_default=False) as client:
        yield client


def pipe(articles: Iterable[Article], *, workers: int | None = None, scheduler: str | None = None,
         partition_size: int = PARTITION_SIZE, stages: Iterable[str] = DEFAULT_STAGES,
         pipeline_config: dict[str, dict] | None = None, on_error: ErrorHandler | None = None,
         on_partition: PartitionHandler | None = None) -> Iterator[Article]:
    """`Pipeline(stages, config=pipeline_config).pipe(articles)`, on a Dask cluster.

    Articles come back in input order. `on_partition(index, articles, errors)` is
    called as each partition's results are handed out."""
    _check(workers, scheduler, partition_size)
    return _pipe(iter(articles), workers, scheduler, partition_size, tuple(stages),
                 pipeline_config, on_error, on_partition)


def _pipe(articles: Iterator[Article], workers, scheduler, partition_size, stages, config,
          on_error, on_partition, for_store: bool = False) -> Iterator[Article | Prepared]:
    from dask.base import tokenize

    def report(exc: AliansiError) -> None:
        if on_error is None:
            raise exc
        on_error(exc)

    first = list(itertools.islice(articles, partition_size))
    if not first:       # nothing to do: no cluster to start
        return
    articles = itertools.chain(first, articles)
    token = tokenize(stages, config)
    run = uuid.uuid4().hex[:8]
    with _client(workers, scheduler) as client:
        threads = sum(client.nthreads().values()) or 1
        in_flight: deque = deque()
        indexes = itertools.count()

        def submit_more() -> None:
            # Read ahead a few partitions, so the workers stay busy while the
            # caller works through the results, without reading the whole input.
            while len(in_flight) < 2 * threads + 2:
                chunk = list(itertools.islice(articles, partition_size))
                if not chunk:
                    return
                index = next(indexes)
                records = [a.to_dict() for a in chunk]
                future = client.submit(_run_partition, records, token, stages, config, for_store,
                                       key=f"aliansi-partition-{run}-{index}", pure=False)
                in_flight.append((index, chunk[0].id, chunk[-1].id, len(chunk), future))

        try:
            submit_more()
            while in_flight:
                index, first, last, size, future = in_flight.popleft()
                try:
                    items = future.result()
                except Exception as exc:  # lost on the cluster: name the partition, go on
                    items = [("lost", f"batch partition {index} (articles {first} … {last}, "
                                      f"{size} in all) failed on the cluster: "
                                      f"{type(exc).__name__}: {exc}")]
                finally:
                    future.release()
                submit_more()
                done = errors = 0
                for kind, value in items:
                    if kind == "article":
                        done += 1
                        yield Article.from_dict(value)
                    elif kind == "prepared":
                        done += 1
                        yield _unpacked(value)
                    elif kind == "error":
                        errors += 1
                        report(_error_from_payload(value))
                    elif kind == "fatal":
                        raise _error_from_payload(value)
                    else:
                        errors += size
                        report(AliansiError(value))
                log.info("batch partition %d: %d articles, %d errors", index, done, errors)
                if on_partition is not None:
                    on_partition(index, done, errors)
        finally:
            for *_, future in in_flight:
                future.cancel()


def extract(inputs: Iterable[str | Path], *, workers: int | None = None,
            scheduler: str | None = None, partition_size: int = PARTITION_SIZE,
            stages: Iterable[str] = DEFAULT_STAGES, pipeline_config: dict[str, dict] | None = None,
            on_error: ErrorHandler | None = None,
            on_partition: PartitionHandler | None = None) -> Iterator[Article]:
    """`aliansi.api.extract` on a Dask cluster: the same Articles, in input order.

    The inputs are read here, on the client; bad inputs and records are reported
    through `on_error` as they are read, like the in-process path."""
    from .readers import read

    _check(workers, scheduler, partition_size)
    return _pipe(read(inputs, on_error=on_error), workers, scheduler, partition_size,
                 tuple(stages), pipeline_config, on_error, on_partition)


def ingest(inputs: Iterable[str | Path], db: str | Path, *, workers: int | None = None,
           scheduler: str | None = None, partition_size: int = PARTITION_SIZE,
           stages: Iterable[str] = DEFAULT_STAGES, pipeline_config: dict[str, dict] | None = None,
           on_error: ErrorHandler | None = None, progress: Callable[[str, str], None] | None = None,
           on_partition: PartitionHandler | None = None):
    """`aliansi.api.ingest` on a Dask cluster: workers extract and prepare each article
    for the store (JSON form, hash, fingerprint: `store.prepare`), this process alone
    stores them as they arrive (idempotent) and places their events in clusters as it
    goes, while the workers go on (`Database.ingest`). `progress(article_id, outcome)`
    is called per stored article."""
    from .database import Database
    from .readers import read
    from .store import open_store

    _check(workers, scheduler, partition_size)
    with open_store(db) as store:       # a bad database fails before any cluster starts
        with closing(_pipe(read(inputs, on_error=on_error), workers, scheduler, partition_size,
                           tuple(stages), pipeline_config, on_error, on_partition,
                           for_store=True)) as prepared:
            return Database(store).ingest(prepared, progress=progress, on_error=on_error)
