"""Command line: each command parses, calls one function of `aliansi.api`, formats."""
from __future__ import annotations

import csv
import functools
import itertools
import json
import logging
import re
import sys
import time
from pathlib import Path
from typing import Iterable, Iterator

import click

from . import api
from .errors import AliansiError
from .outputs import output_file


# Text from articles reaches the terminal: control characters (C0 but tab and
# newline, DEL, C1) are dropped from what is printed, and escaped in JSON lines.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_C1 = re.compile(r"[\x7f-\x9f]")


def _printable(text: object) -> str:
    return _UNPRINTABLE.sub("", str(text))


def _echo(text: object = "", **options) -> None:
    click.echo(_printable(text), **options)


def _secho(text: object = "", **options) -> None:
    click.secho(_printable(text), **options)


def _json(value: object, **options) -> str:
    """JSON without raw control characters (json escapes C0; C1 and DEL are escaped here)."""
    return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False,
                                                                     **options))


class Reporter:
    """Prints each error once on stderr, counts them, and shows progress."""

    def __init__(self, *, silent: bool = False, total: int | None = None):
        self.errors = 0
        self.done = 0
        self.silent = silent
        self.total = total
        self.live = sys.stderr.isatty() and not silent
        self.started = time.monotonic()
        self.shown = 0.0

    def error(self, exc: AliansiError) -> None:
        self.errors += 1
        if self.live:
            click.echo("\r\033[K", err=True, nl=False)
        _secho(f"error: {exc}", fg="red", err=True)

    def progress(self, *_: object) -> None:
        self.done += 1
        now = time.monotonic()
        if self.live and (now - self.shown > 0.2 or self.done == self.total):
            self.shown = now
            click.echo("\r\033[K" + progress_line(self.done, self.total, now - self.started),
                       err=True, nl=False)

    def finish(self) -> None:
        if self.live and self.done:
            click.echo("\r\033[K", err=True, nl=False)


def progress_line(done: int, total: int | None, seconds: float) -> str:
    """ "312/1,000 articles  45.3/s  0:15 left" (the total and time left when known)."""
    rate = done / seconds if seconds > 0 else 0.0
    line = f"{done:,}/{total:,} articles" if total else f"{done:,} articles"
    line += f"  {rate:.1f}/s"
    if total and rate > 0 and total > done:
        left = int((total - done) / rate)
        line += f"  {left // 60}:{left % 60:02d} left"
    return line


def _fail(exc: AliansiError) -> None:
    _secho(f"error: {exc}", fg="red", err=True)
    sys.exit(2)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="More log output (-v info, -vv debug).")
@click.option("--traceback", is_flag=True, help="Show Python tracebacks for errors.")
@click.option("--kb", "kb_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              envvar="ALIANSI_KB", help="Your own knowledge-base YAML file (actors, officials); "
                                        "repeatable; also ALIANSI_KB.")
@click.version_option(package_name="aliansi")
@click.pass_context
def cli(ctx: click.Context, verbose: int, traceback: bool, kb_files: tuple[str, ...]) -> None:
    """aliansi: security and diplomacy events from the news, with their evidence."""
    logging.basicConfig(level=[logging.WARNING, logging.INFO, logging.DEBUG][min(verbose, 2)],
                        format="%(levelname)s %(name)s: %(message)s")
    ctx.obj = {"traceback": traceback, "kb_files": kb_files}


def _config():
    return api.pipeline_config(kb_files=click.get_current_context().obj["kb_files"])


def _pipeline():
    return api.make_pipeline(kb_files=click.get_current_context().obj["kb_files"])


def batch_options(command):
    """--workers / --scheduler: the same pipeline on a Dask cluster (the `batch` extra)."""
    command = click.option("--scheduler", metavar="ADDRESS",
                           help="Run on a running Dask cluster (tcp://host:8786).")(command)
    return click.option("--workers", type=click.IntRange(min=1), metavar="N",
                        help="Run on a local Dask cluster of N processes.")(command)


def jobs_option(command):
    """--jobs N: worker processes on this machine (api.extract/ingest `jobs=`)."""
    return click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N",
                        help="Worker processes (default: one per usable CPU; 1: none, "
                             "all in this process). Same output in the same order.")(command)


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write JSON Lines here instead of standard output.")
@batch_options
@jobs_option
def extract(inputs: tuple[str, ...], output: Path | None, workers: int | None,
            scheduler: str | None, jobs: int | None) -> None:
    """Extract events from INPUTS (files, folders, URLs or -): one EVENTS.md JSON
    object per document, in input order. No database involved."""
    reporter = Reporter(total=api.count_articles(inputs), silent=output is None)
    found = api.extract(inputs, on_error=reporter.error, workers=workers, scheduler=scheduler,
                        pipeline_config=_config(), jobs=jobs)
    if output is None:      # the output is the terminal's (or the pipe's): no progress
        for article in found:
            sys.stdout.write(_json(article.to_output()) + "\n")
    else:
        with output_file(output, inputs=inputs) as path, path.open("w", encoding="utf-8") as out:
            for article in found:
                out.write(_json(article.to_output()) + "\n")
                reporter.progress()
        reporter.finish()
    sys.exit(1 if reporter.errors else 0)


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--db", default=api.DEFAULT_DB, show_default=True,
              help="SQLite file or postgresql:// URL.")
@click.option("--silent", is_flag=True, help="No progress display.")
@batch_options
@jobs_option
def ingest(inputs: tuple[str, ...], db: str, silent: bool, workers: int | None,
           scheduler: str | None, jobs: int | None) -> None:
    """Extract events from INPUTS and store them (idempotent)."""
    reporter = Reporter(silent=silent, total=None if silent else api.count_articles(inputs))
    report = api.ingest(inputs, db, on_error=reporter.error, progress=reporter.progress,
                        workers=workers, scheduler=scheduler, pipeline_config=_config(), jobs=jobs)
    reporter.finish()
    summary = report.to_dict()
    clusters = summary.pop("clusters", None)
    parts = ", ".join(f"{k} {v}" for k, v in summary.items())
    _echo(f"{db}: {parts}" + (f", {reporter.errors} failed" if reporter.errors else ""),
               err=True)
    if clusters and not silent:
        _echo(f"clusters: {clusters['assigned']} events placed, {clusters['created']} new, "
                   f"{clusters['grown']} grown", err=True)
    sys.exit(1 if reporter.errors else 0)


EVENT_COLUMNS = ["date", "type", "mode", "source", "target", "location", "confidence",
                 "hypothetical", "negated", "article_id", "evidence", "source_sectors", "target_sectors"]


@cli.command()
@click.option("--db", default=api.DEFAULT_DB, show_default=True)
@click.option("--actor", help="Actor code on either side.")
@click.option("--dyad", nargs=2, help="Two actor codes, either direction.")
@click.option("--type", "type_", help="PLOVER type, such as CONSULT.")
@click.option("--sector", help="A side named as a body of this sector (military, police, "
              "rebels, ...); with --actor, that actor's.")
@click.option("--since", help="YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--until", help="YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--flagged", is_flag=True, help="Include hypothetical and negated events.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv"]), default="table",
              show_default=True)
def events(db, actor, dyad, type_, sector, since, until, flagged, fmt) -> None:
    """List stored events with their evidence."""
    rows = api.iter_listed(db, "table" if fmt == "table" else "record", actor=actor,
                           dyad=tuple(dyad) if dyad else None, type=type_, sector=sector,
                           since=since, until=until, include_flagged=flagged)
    rows = _started(rows)
    if fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=EVENT_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for d in rows:        # written as they are read: the list is never held whole
            writer.writerow({**d, "source": " ".join(d["source"]), "target": " ".join(d["target"]),
                             **{f"{role}_sectors": ";".join(a["sector"] or "" for a in d[f"{role}_agents"])
                                for role in ("source", "target")}})
    elif fmt == "jsonl":
        _echo_lines(_json(d) for d in rows)
    else:
        count = itertools.count()
        _echo_lines(line for e, _ in zip(rows, count) for line in _event_lines(e))  # counts the rows
        _echo(f"{next(count)} events", err=True)


def _event_lines(e) -> tuple[str, str]:
    """An event (`store.listing.ListedEvent`) as the table of `aliansi events` shows it:
    its line, then its evidence."""
    flags = " (hypothetical)" if e.hypothetical else ""
    flags += " (negated)" if e.negated else ""
    return (f"{e.date or '????-??-??':10}  {e.type:9} "
            f"{_side(e.source)} → {_side(e.target)}{flags}",
            f"            “{e.evidence}”  [{e.article_id}]")


def _echo_lines(lines: Iterable[str], chunk: int = 100) -> None:
    """Lines printed `chunk` at a time (one write each): a long listing's output costs
    little beside reading it, and its first page (`store.base.FIRST_PAGE` events, one
    or two lines each) is out before the rest is read."""
    lines = iter(lines)
    while part := list(itertools.islice(lines, chunk)):
        # (no ANSI codes for click to look for: `_printable` drops ESC)
        _echo("\n".join(part), color=True)


def _started(items: Iterator) -> Iterator:
    """A lazy listing with its first item read, so that its filters are checked (and a
    bad one reported) before anything is written."""
    first = next(items, None)
    return itertools.chain([first] if first is not None else [], items)


@functools.lru_cache(maxsize=4096)
def _side(actors: tuple[tuple[str, str | None], ...]) -> str:
    """A side's actors, each with the sector it was named by: "CHN/military,PHL"."""
    return ",".join(f"{actor}/{sector}" if sector else actor for actor, sector in actors)


@cli.command(name="eval")
@click.argument("gold")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--per-doc", is_flag=True, help="Add per-document event scores.")
def eval_(gold, inputs, as_json, per_doc) -> None:
    """Score extraction of INPUTS against GOLD (EVENTS.md §5).

    `aliansi eval ner FILE.conll` scores the Indonesian NER model entity by entity."""
    if gold == "ner":
        result = api.evaluate_ner(inputs[0])
        if as_json:
            _echo(json.dumps(result, indent=2))
        else:
            for label, r in result.items():
                _echo(f"{label:8s} P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}"
                           f"   ({r.get('support', '')} entities)")
        return
    from .scoring import format_report

    reporter = Reporter()
    result = api.evaluate(gold, inputs, pipeline=_pipeline(), on_error=reporter.error)
    docs = result.pop("per_doc")
    if as_json:
        if per_doc:
            result["per_doc"] = docs
        _echo(json.dumps(result, indent=2))
    else:
        for line in format_report(result):
            _echo(line)
        if per_doc:
            for doc_id, doc in docs.items():
                e = doc["event"]
                _echo(f"  {doc_id}: event F1 {e['f1']:.3f} (tp {e['tp']}, fp {e['fp']}, fn {e['fn']})")
    sys.exit(1 if reporter.errors else 0)


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
def explain(inputs: tuple[str, ...]) -> None:
    """Show, sentence by sentence, why each event was or was not found."""
    reporter = Reporter()
    for article, report in api.explain(inputs, pipeline=_pipeline(), on_error=reporter.error):
        _secho(f"# {article.id}  published {article.published or 'unknown'}"
                    f" ({article.published_source or '-'}), language {article.language}", bold=True)
        for row in report:
            if not (row["events"] or row["not_events"]):
                continue
            _echo(f"\n  “{row['sentence']}”")
            actors = ", ".join(f"{text}={code}" for text, code in row["actors"]) or "none"
            times = ", ".join(f"{text}={value}" for text, value in row["times"]) or "none"
            _echo(f"    actors: {actors}; times: {times}")
            for r in row.get("resolutions", ()):
                _echo(f"    = “{r.text}” → {','.join(r.actors)}: {r.reason}")
            for e in row["events"]:
                flags = "".join(f" [{f}]" for f in ("hypothetical", "negated") if getattr(e, f))
                _secho(f"    + {e.type} {','.join(e.source)} → {','.join(e.target)} "
                            f"date {e.date} ({e.rule}, trigger “{e.trigger}”){flags}", fg="green")
            for miss in row["not_events"]:
                _secho(f"    - {miss['type']} “{miss['trigger']}”: {miss['why']}", fg="yellow")
        _echo(f"\n  after merging: {len(article.events)} events\n")
    sys.exit(1 if reporter.errors else 0)


def _rows_out(rows: list[dict], fmt: str, columns: list[str] | None = None) -> None:
    columns = columns or (list(rows[0]) if rows else [])
    if fmt == "jsonl":
        for row in rows:
            _echo(_json(row))
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    else:
        widths = {c: max([len(c)] + [len(str(r.get(c, ""))) for r in rows]) for c in columns}
        _echo("  ".join(c.ljust(widths[c]) for c in columns))
        for row in rows:
            _echo("  ".join(str(row.get(c, "")).ljust(widths[c]) for c in columns))


FORMAT = click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv"]), default="table",
                      show_default=True)
DB = click.option("--db", default=api.DEFAULT_DB, show_default=True, help="SQLite file or postgresql:// URL.")


@cli.command()
@click.argument("a")
@click.argument("b", required=False)
@DB
@click.option("--by", type=click.Choice(["week", "month", "year"]), default="month", show_default=True)
@click.option("--rollup", multiple=True, help="Count members' events as this organisation's (e.g. NATO).")
@click.option("--since")
@click.option("--until")
@click.option("--per-report", is_flag=True,
              help="Count every report, not each occurrence once.")
@FORMAT
def dyad(a, b, db, by, rollup, since, until, per_report, fmt) -> None:
    """Occurrences per type and cooperation–conflict scores of A and B (or A against all)
    over time: A → B, B → A and both, each with its reports and outlets."""
    tables = api.dyads(db, a, b, by=by, rollup=rollup, since=since, until=until,
                       directions=("a->b", "b->a", "both"), per_report=per_report)
    if fmt != "table":
        _rows_out([{"direction": _direction(t), **r} for t in tables for r in t.to_rows()], fmt)
        return
    columns = ["period", "events", "reports", "outlets", "cooperation", "conflict", "net"]
    unit = "reports" if per_report else "occurrences"
    for table in tables:
        rows = table.to_rows()
        _echo(f"\n{_direction(table)} ({unit} by {by})")
        if not rows:
            _echo("  none")
            continue
        shown = columns + sorted({k for r in rows for k, v in r.items() if k.isupper() and v})
        main = [r for r in rows if r["precision"] == by]
        other = [r for r in rows if r["precision"] != by]
        if main:
            _rows_out(main, fmt, shown)
        if other:       # one granularity per table: coarser dates and undated apart
            _echo(f"  dated more coarsely than a {by}, or undated:")
            _rows_out(other, fmt, shown)


def _direction(table) -> str:
    a, b = table.a, table.b or "all"
    return {"a->b": f"{a} → {b}", "b->a": f"{b} → {a}", "both": f"{a} ↔ {b} (both)"}[table.direction]


@cli.command()
@DB
@click.option("--actor")
@click.option("--type", "type_")
@click.option("--since")
@click.option("--until")
@click.option("--min-sources", type=int, default=1, show_default=True,
              help="Only occurrences reported by at least this many articles.")
@FORMAT
def clusters(db, actor, type_, since, until, min_sources, fmt) -> None:
    """Occurrences reported across articles, with their corroboration and sources."""
    found = api.iter_clusters(db, actor=actor, type=type_, since=since, until=until,
                              min_sources=min_sources, lean=fmt == "table")
    found = _started(found)
    if fmt != "table":
        _rows_out([c.to_dict() for c in found], fmt)
        return
    count = itertools.count()
    _echo_lines(line for c, _ in zip(found, count) for line in _cluster_lines(c))  # written as read
    _echo(f"{next(count)} clusters", err=True)


def _cluster_lines(c) -> Iterator[str]:
    """A cluster (`store.listing.ListedCluster`) as the table of `aliansi clusters` shows
    it: its line, then each report."""
    yield (f"{c.date or '????-??-??':10}  {c.type:9} {','.join(c.source)} → {','.join(c.target)}"
           f"  ({c.corroboration} source{'s' if c.corroboration != 1 else ''})")
    for article, evidence in c.reports:
        yield f"            [{article}] “{evidence}”"


@cli.command()
@click.argument("code")
@DB
@click.option("--since")
@click.option("--until")
def actor(code, db, since, until) -> None:
    """What the store knows of one actor: memberships, events by type, partners, persons."""
    _echo(json.dumps(api.actor(db, code, since=since, until=until).to_dict(), indent=2,
                          ensure_ascii=False))


@cli.command()
@DB
@click.option("--seen", is_flag=True, help="Only actors the store has events for.")
@FORMAT
def actors(db, seen, fmt) -> None:
    """The actors of the knowledge base, how many stored events name each, and the
    knowledge-base files each came from."""
    rows = api.actors(db, kb_files=click.get_current_context().obj["kb_files"])
    if seen:
        rows = [r for r in rows if r["events"]]
    _rows_out(rows, fmt, ["code", "name", "kind", "events", "source"])


@cli.command()
@DB
@click.option("--since")
@click.option("--until")
@click.option("-o", "--output", required=True, help="File: .graphml, .gexf or .json (by its suffix).")
def network(db, since, until, output) -> None:
    """Write the alliance network: actors, cooperation and conflict edges, memberships."""
    path = api.network(db, output, since=since, until=until)
    _echo(f"wrote {path}", err=True)


@cli.command()
@DB
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet", "graphml", "gexf", "json"]),
              help="Default: from the output's suffix.")
@click.option("-o", "--output", required=True)
@click.option("--since")
@click.option("--until")
@click.option("--actor")
@click.option("--type", "type_")
@click.option("--sector", help="A side named as a body of this sector; with --actor, that actor's.")
@click.option("--flagged", is_flag=True, help="Include hypothetical and negated events.")
def export(db, fmt, output, since, until, actor, type_, sector, flagged) -> None:
    """Export events (jsonl, csv, parquet) or the network (graphml, gexf, json)."""
    filters = {k: v for k, v in (("since", since), ("until", until), ("actor", actor), ("type", type_),
                                 ("sector", sector)) if v}
    if flagged:
        filters["include_flagged"] = True
    path = api.export(db, output, fmt, **filters)
    _echo(f"wrote {path}", err=True)


@cli.command()
@click.argument("a")
@click.argument("b", required=False)
@DB
@click.option("--since")
@click.option("--until")
@click.option("--flagged", is_flag=True, help="Show hypothetical and negated events too (never scored).")
@click.option("-o", "--output", required=True, help="The HTML file to write.")
def brief(a, b, db, since, until, flagged, output) -> None:
    """A self-contained HTML dossier on A and B (or A alone): timeline, chart, cited events, network."""
    path = api.brief(db, a, b, path=output, since=since, until=until, include_flagged=flagged)
    _echo(f"wrote {path}", err=True)


@cli.command()
@DB
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind (only this machine by default).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
def serve(db, host, port) -> None:
    """The analyst's workbench: REST API (/api/v1) and web UI over the store. Read-only
    unless ALIANSI_TOKEN is set; then writes (reviews) need it as a bearer token."""
    _echo(f"serving {db} on http://{host}:{port} "
          f"({'reviews need ALIANSI_TOKEN' if api.os_token() else 'read-only'})", err=True)
    api.serve(db, host=host, port=port)


@cli.group()
def review() -> None:
    """Mark stored events right or wrong, correct them, list reviews, export them as gold."""


REVIEWER = click.option("--reviewer", default=lambda: _user(), show_default="your user name",
                        help="Who reviews.")
REASON = click.option("--reason", help="Why.")


def _user() -> str:
    import getpass
    try:
        return getpass.getuser()
    except Exception:     # no user name in this environment
        return "cli"


def _said(row) -> None:
    _echo(f"{row.event_id}: {row.verdict} by {row.reviewer} at {row.reviewed_at}"
          + (f" {json.dumps(row.correction, ensure_ascii=False)}" if row.correction else ""),
          err=True)


@review.command(name="right")
@click.argument("event_id")
@DB
@REVIEWER
@REASON
def review_right(event_id, db, reviewer, reason) -> None:
    """The event is right as extracted."""
    _said(api.review(db, event_id, "right", reviewer=reviewer, reason=reason))


@review.command(name="wrong")
@click.argument("event_id")
@DB
@REVIEWER
@REASON
def review_wrong(event_id, db, reviewer, reason) -> None:
    """The text states no such event: leave it out of every list and count."""
    _said(api.review(db, event_id, "wrong", reviewer=reviewer, reason=reason))


@review.command(name="correct")
@click.argument("event_id")
@DB
@REVIEWER
@REASON
@click.option("--type", "type_", help="The right PLOVER type.")
@click.option("--source", multiple=True, help="The right source actor(s) (repeatable).")
@click.option("--target", multiple=True, help="The right target actor(s) (repeatable).")
@click.option("--date", help="The right date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--no-date", is_flag=True, help="The text gives no date.")
@click.option("--hypothetical/--not-hypothetical", default=None)
@click.option("--negated/--not-negated", default=None)
def review_correct(event_id, db, reviewer, reason, type_, source, target, date, no_date,
                   hypothetical, negated) -> None:
    """Correct an event's type, actors, date or flags; every count uses the correction."""
    correction = {k: v for k, v in (("type", type_), ("source", list(source) or None),
                                    ("target", list(target) or None), ("date", date),
                                    ("hypothetical", hypothetical), ("negated", negated))
                  if v is not None}
    if no_date:
        correction["date"] = None
    _said(api.review(db, event_id, "corrected", reviewer=reviewer, reason=reason,
                     correction=correction))


@review.command(name="list")
@DB
@click.option("--verdict", type=click.Choice(["right", "wrong", "corrected"]))
@FORMAT
def review_list(db, verdict, fmt) -> None:
    """The current reviews, latest first."""
    rows = [r.to_dict() for r in api.reviews(db, verdict=verdict)]
    for row in rows:
        original = row.pop("original")
        row["correction"] = json.dumps(row["correction"], ensure_ascii=False) \
            if fmt != "jsonl" else row["correction"]
        row["event"] = f"{original['type']} {','.join(original['source'])} → " \
                       f"{','.join(original['target'])} {original.get('date') or ''}".strip()
    _rows_out(rows, fmt, ["event_id", "verdict", "event", "correction", "reviewer",
                          "reviewed_at", "reason"])


@review.command(name="export")
@DB
@click.option("-o", "--output", required=True, help="The gold file to write (JSON Lines).")
@click.option("--complete-only", is_flag=True,
              help="Only articles whose every stored event was reviewed.")
def review_export(db, output, complete_only) -> None:
    """Write the reviewed events as gold in the EVENTS.md format (for `aliansi eval`)."""
    path = api.export_gold(db, output, complete_only=complete_only)
    _echo(f"wrote {path}", err=True)


def main() -> None:
    traceback = "--traceback" in sys.argv
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        _echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except AliansiError as exc:
        if traceback:
            raise
        _fail(exc)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # an unexpected bug: one line, unless asked for the trace
        if traceback:
            raise
        _secho(f"internal error: {type(exc).__name__}: {exc} "
                    "(run with --traceback for details)", fg="red", err=True)
        sys.exit(3)
