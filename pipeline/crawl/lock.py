"""One crawl at a time per database: an advisory lock file next to it.

The lock is an flock on `<db>.lock`, so the operating system releases it when the process
ends, even on SIGKILL: a lock left by a killed run is never an obstacle. The file keeps the
holder's pid, so a second run can say who holds it, and so a new run can tell that the last
one did not finish (its pid is in the file but the lock is free).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path


class CrawlLockedError(Exception):
    """Another crawl is writing to the same database."""


@contextlib.contextmanager
def crawl_lock(db_path: str | Path) -> Iterator[int | None]:
    """Hold the database's crawl lock; yield the pid of an earlier run that died holding it."""
    path = Path(f"{db_path}.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="ascii") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise CrawlLockedError(
                f"another crawl (pid {holder}) is writing {db_path}; this one was not started"
            ) from None
        handle.seek(0)
        previous = handle.read().strip()
        stale = int(previous) if previous.isdigit() and int(previous) != os.getpid() else None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield stale
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            fcntl.flock(handle, fcntl.LOCK_UN)
