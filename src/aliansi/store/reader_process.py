"""The reading process of `aliansi.store.apart`, run as a script in a fresh interpreter
(`python -I -S reader_process.py`): the standard library only, so that it starts in
about 10 ms and shares nothing with the process that started it (no SQLite state
carried across a fork).

It reads (store path, [(sql, parameters)], batch size) marshalled from its standard
input, opens the store read-only, and writes to its standard output, for each query,
frames of its rows (`marshal`, `size` at a time) then an end frame; an error frame with
the error's text instead when a query fails. A frame is a kind byte and the payload's
length (`HEADER`), then the payload.
"""
from __future__ import annotations

import marshal
import signal
import sqlite3
import struct
import sys
from pathlib import Path

HEADER = struct.Struct("<cQ")
ROWS, END, ERROR = b"r", b"e", b"x"


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)    # the process that started it stops it
    out = sys.stdout.buffer
    location, queries, size = marshal.loads(sys.stdin.buffer.read())
    try:
        connection = sqlite3.connect(f"{Path(location).resolve().as_uri()}?mode=ro",
                                     uri=True, timeout=30)
        for sql, params in queries:
            cursor = connection.execute(sql, params)
            while rows := cursor.fetchmany(size):
                send(out, ROWS, marshal.dumps(rows))
            send(out, END, b"")
    except BrokenPipeError:         # its reader stopped early
        return
    except Exception as exc:        # noqa: BLE001 - reported by the reader
        try:
            send(out, ERROR, marshal.dumps(f"{type(exc).__name__}: {exc}"))
        except BrokenPipeError:
            pass


def send(out, kind: bytes, payload: bytes) -> None:
    out.write(HEADER.pack(kind, len(payload)))
    out.write(payload)
    out.flush()


if __name__ == "__main__":
    main()
