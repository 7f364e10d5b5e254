"""Opening the corpus database: WAL mode, the schema brought forward by the migrations
(pipeline.store.migrations), and one line in words when the file cannot be used (not
SQLite, another program's, a newer version's, a folder); and, once a command that wrote it
has ended, its WAL moved into the file (`checkpoint_opened`).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import sqlite_utils

from pipeline.store.migrations import known_migrations, migrations


class DatabaseError(Exception):
    """The database file cannot be used (not SQLite, unreadable, ...)."""


# The databases this process opened to write, for `checkpoint_opened`.
_OPENED: set[Path] = set()


def open_database(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) the corpus database, in WAL mode, with migrations applied."""
    path = Path(path)
    # The file is not read here to check that it is SQLite: closing any file descriptor on
    # a database drops every POSIX lock this process holds on it, including those of its
    # open SQLite connections, and another process may then checkpoint and truncate the WAL
    # under them (SQLite's "how to corrupt", 2.2). SQLite's own "not a database" error says it.
    if path.is_dir():  # (SQLite says only "unable to open database file")
        raise DatabaseError(f"{path} is a folder; give the path of a database file, e.g. {path / 'prodops.db'}")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        db = sqlite_utils.Database(path)
        db.conn.execute("PRAGMA busy_timeout = 10000")  # wait for a reader or another writer
        tables = {row[0] for row in db.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if tables and "_sqlite_migrations" not in tables:  # every corpus has it, from its first migration
            db.close()
            raise DatabaseError(f"{path} is another program's SQLite database (it has {len(tables)} table(s), "
                                "none of ours); give the --db of a ProdOps Curator corpus, or a new path")
        # A migration this version lacks: a newer version made the schema, whose tables this
        # one would write as it knows them (migrations only add, and only forward).
        newer = [m.name for m in migrations.applied(db) if m.name not in known_migrations()]
        if newer:
            db.close()
            raise DatabaseError(f"{path} was written by a newer version of ProdOps Curator (its schema has "
                                f"{newer[-1]}, which this version lacks): update this installation, or give "
                                "another --db; nothing was changed")
        db.enable_wal()
        # In WAL mode NORMAL never corrupts the database; a power cut may lose the last
        # commits, which the next crawl fetches again. FULL would fsync every document.
        db.conn.execute("PRAGMA synchronous = NORMAL")
        # 32 MiB of pages per connection: the hot parts of the indexes of 10^5 documents; the
        # rest comes from the OS's file cache. (64 MiB made a third of the crawler's memory.)
        db.conn.execute("PRAGMA cache_size = -32768")
        migrations.apply(db)
        _OPENED.add(path.resolve())
    except sqlite3.DatabaseError as error:
        if getattr(error, "sqlite_errorname", "") == "SQLITE_NOTADB":
            raise DatabaseError(
                f"{path} is not a SQLite database; give another --db path or move it away"
            ) from None
        code = getattr(error, "sqlite_errorname", None)  # e.g. SQLITE_IOERR_SHMMAP: says which I/O
        raise DatabaseError(f"{path}: cannot open the database: {error}"
                            + (f" ({code})" if code else "")) from None
    return db


def checkpoint(path: str | Path) -> None:
    """Move the commits in a database's WAL into its file and empty the WAL, so that the file
    alone holds the corpus: a copy, a backup or an upload of `prodops.db` without its `-wal`
    misses nothing. Best effort: a reader that still holds an older snapshot (a running
    `prodops serve`) keeps the rest in the WAL, for the next checkpoint; a database no longer
    there is left alone (a connection would make an empty one)."""
    if not Path(path).is_file():
        return
    try:
        conn = sqlite3.connect(path, timeout=0.5)  # a reader's moment, not a command's end held up
    except sqlite3.Error:
        return
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error:  # busy, read-only, gone: the WAL stays, and SQLite reads it as before
        pass
    finally:
        conn.close()


def checkpoint_opened() -> None:
    """Checkpoint every database this process opened to write (a crawl, a retag, the demo):
    the command line's last act when a command ends, but for a stop (Ctrl-C, SIGTERM), which
    ends as soon as it can; the next command's checkpoint moves what it left in the WAL."""
    for path in sorted(_OPENED):
        checkpoint(path)
    _OPENED.clear()


def open_read_only(path: str | Path, timeout: float = 5.0) -> sqlite3.Connection | None:
    """A read-only connection to the corpus (no schema change, no lock held against a
    writer), or None when the file does not exist yet."""
    if not Path(path).exists():
        return None
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=timeout)


def database_state(path: str | None) -> tuple:
    """What changes whenever the database does: the size and time of its file and of its WAL
    (every commit appends to the WAL; a checkpoint rewrites the file)."""
    state: list[tuple[int, int] | None] = []
    for name in (path, f"{path}-wal") if path else ():
        try:
            stat = os.stat(name)
            state.append((stat.st_mtime_ns, stat.st_size))
        except OSError:
            state.append(None)
    return tuple(state)
