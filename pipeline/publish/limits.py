"""What one query may take from the process that serves the site.

A query runs in one of Datasette's SQL threads, on the heap of the server itself: before
these bounds, one anonymous `select length(randomblob(900000000))` took `prodops serve`
from 131 to 989 MiB in 5.6 s (a single SQLite call, which Datasette's time limit cannot
interrupt). One bound for each way a query grows:

- one value, on every connection: SQLITE_LIMIT_LENGTH; a string or blob over
  VALUE_MAX_BYTES is an error ("string or blob too big") before it is allocated;
- one row's values together, and SQLite's own work: SQLite's heap in the serving process
  is capped at HEAP_MAX_BYTES (`limit_process_heap`: a process-wide setting, so
  `prodops serve` sets it, not the factory the in-process tests call too);
- one result, when visitors may write SQL (`prodops serve --sql`): a cursor's rows may come
  to at most RESULT_MAX_BYTES as JSON, else the query fails and says what to ask instead.
  Many values each under the first bound add up, and Datasette needs about five times a
  result's JSON to write it (15 rows of a million escaped characters: +440 MiB before).
  Without --sql the rows are the corpus's own, 50 a page (1,000 with `_size=max`).

Datasette's `sql_time_limit_ms` (pipeline.publish.datasette.SETTINGS) bounds the time.
"""

from __future__ import annotations

import json
import sqlite3
import weakref

MIB = 1024 * 1024
# Above anything the corpus stores: a kept body is at most 20 MiB (DOWNLOAD_MAXSIZE; zstd
# adds a few bytes to what it cannot compress) and a document's text is shorter than the
# page or feed it came from (at most 20 MiB) unless that was in a one-byte encoding of a
# non-Latin script (each byte two in UTF-8). A value over it is refused on its pages too.
VALUE_MAX_BYTES = 48 * MIB
# SQLite's own memory in `prodops serve`: page caches (2 MiB a connection), FTS and sorts,
# a value read; what is over it is a query building far more than it reads.
HEAP_MAX_BYTES = 128 * MIB
# With --sql: 20 pages of the documents table at 50 rows (1,000 rows of 16 KB of text).
RESULT_MAX_BYTES = 16 * MIB
WRITE_WAIT_MS = 3000


def limit_connection(conn: sqlite3.Connection, result_max_bytes: int | None = None) -> None:
    """Bound what a query on `conn` may allocate: each value (SQLITE_LIMIT_LENGTH), and with
    `result_max_bytes` what a cursor's rows come to as JSON (the row factory counts them)."""
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, VALUE_MAX_BYTES)
    # A curator's act waits this long for a crawl's write, then says "busy, try again".
    conn.execute(f"PRAGMA busy_timeout = {WRITE_WAIT_MS}")
    if result_max_bytes is not None:
        conn.row_factory = _counting_rows(conn.row_factory, result_max_bytes)


def json_size(value) -> int:
    """About how many bytes Datasette's JSON writes for a value: escapes count (a control
    character or a non-ASCII one takes six), a blob that is not UTF-8 as base64."""
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            return len(value) * 4 // 3
    if isinstance(value, str):
        return len(value) if value.isascii() and value.isprintable() else len(json.dumps(value))
    return 8


def _counting_rows(make_row, budget: int):
    """A row factory that builds rows as `make_row` does (None: tuples) and fails a cursor
    once its rows pass `budget` bytes of JSON (a cursor is one query in Datasette and in our
    pages; its rows are what the server holds until the page is written)."""
    spent: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # cursor -> bytes so far

    def row_factory(cursor, values):
        total = spent.get(cursor, 0) + sum(json_size(value) for value in values)
        if total > budget:
            raise sqlite3.DataError(f"result too large: over {budget // MIB} MiB as JSON; "
                                    "ask for fewer rows (_size=, LIMIT) or fewer or shorter columns")
        spent[cursor] = total
        return make_row(cursor, values) if make_row is not None else values

    return row_factory


def limit_process_heap(max_bytes: int = HEAP_MAX_BYTES) -> int:
    """Cap the memory SQLite may hold in this process, all connections together (its
    hard_heap_limit: past it a query fails with "out of memory" and frees what it took).
    Returns the limit now in force."""
    conn = sqlite3.connect(":memory:")
    try:
        return conn.execute(f"PRAGMA hard_heap_limit = {int(max_bytes)}").fetchone()[0]
    finally:
        conn.close()
