"""Fetched bodies kept, compressed and bounded, so that a corpus can be re-extracted with a
newer extractor without fetching the web again (`prodops reextract`).

Table `bodies`: the latest body of each document (HTML or PDF as fetched, zstd-compressed),
with when and from where it was fetched and how to decode it. The total compressed size is
kept under PRODOPS_BODIES_MAX_MB: past it the oldest bodies are dropped first. 0 keeps none.
zstd at level 3 compresses a 140 KB page to about a fifth in well under a millisecond.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

import sqlite_utils
import zstandard

LEVEL = 3  # zstd's default: fast, about 5:1 on HTML
MIB = 1024 * 1024


@dataclass
class KeptBody:
    """A stored body, decompressed, with its document's identity."""

    document_id: str
    url: str  # where it was fetched from (after redirects)
    fetched_at: str
    media_type: str
    encoding: str | None
    body: bytes


_LOCAL = threading.local()  # each thread's compressor (pack)


def pack(body: bytes) -> bytes:
    """A body as the `bodies` table keeps it (zstd at LEVEL). A worker packs the HTML it
    reads (pipeline.stages.reading), so the crawler's one process does not."""
    compressor = getattr(_LOCAL, "compressor", None)
    if compressor is None:  # one a thread: a compressor is not safe for concurrent use
        compressor = _LOCAL.compressor = zstandard.ZstdCompressor(level=LEVEL)
    return compressor.compress(body)


class BodyStore:
    """Writes bodies and keeps their total size under `max_bytes` (0: keeps none)."""

    def __init__(self, db: sqlite_utils.Database, max_bytes: int):
        self.db = db
        self.max_bytes = max(0, max_bytes)
        self._total: int | None = None  # compressed bytes stored, read on first use

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    def keep(self, document_id: str, url: str, fetched_at: str, media_type: str, encoding: str | None,
             body: bytes, replace: bool = True, packed: bytes | None = None) -> None:
        """Store a document's body (replacing the one kept, unless `replace` is False), then
        drop the oldest ones past the limit. `packed`: the body already packed (pack)."""
        if not self.enabled or not body:
            return
        if self._total is None:
            self._total = self.db.execute("SELECT coalesce(sum(size), 0) FROM bodies").fetchone()[0]
        with self.db.atomic():
            old = self.db.execute("SELECT size FROM bodies WHERE document_id = ?", [document_id]).fetchone()
            if old and not replace:
                return
            packed = packed if packed is not None else pack(body)
            self.db.execute(
                "INSERT OR REPLACE INTO bodies (document_id, url, fetched_at, media_type, encoding, size, body) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [document_id, url, fetched_at, media_type, encoding, len(packed), packed])
            self._total += len(packed) - (old[0] if old else 0)
            if self._total > self.max_bytes:
                self._trim()

    def _trim(self) -> None:
        """Drop the oldest bodies until the total is under the limit again."""
        assert self._total is not None  # keep() read it
        while self._total > self.max_bytes:
            oldest = self.db.execute(
                "SELECT document_id, size FROM bodies ORDER BY fetched_at, rowid LIMIT 256").fetchall()
            if not oldest:
                self._total = 0
                return
            dropped = []
            for document_id, size in oldest:
                if self._total <= self.max_bytes:
                    break
                dropped.append(document_id)
                self._total -= size
            self.db.conn.executemany("DELETE FROM bodies WHERE document_id = ?", [(d,) for d in dropped])


def stored_size(db: sqlite_utils.Database) -> tuple[int, int]:
    """(bodies kept, their compressed bytes)."""
    count, size = db.execute("SELECT count(*), coalesce(sum(size), 0) FROM bodies").fetchone()
    return count, size


def kept_bodies(db: sqlite_utils.Database, source_ids: tuple[str, ...] = (), since: str | None = None,
                batch: int = 64) -> Iterator[list[KeptBody]]:
    """The kept bodies, a batch at a time, optionally only of some sources' documents and of
    those fetched on or after `since` (keyset pagination: constant memory, no long read)."""
    where, params = ["b.rowid > ?"], []
    if source_ids:
        where.append(f"d.source_id IN ({','.join('?' * len(source_ids))})")
        params += list(source_ids)
    if since:
        where.append("b.fetched_at >= ?")
        params.append(since)
    decompressor = zstandard.ZstdDecompressor()
    last = 0
    while True:
        rows = db.execute(
            "SELECT b.rowid, b.document_id, b.url, b.fetched_at, b.media_type, b.encoding, b.body "
            f"FROM bodies b JOIN documents d ON d.id = b.document_id WHERE {' AND '.join(where)} "
            "ORDER BY b.rowid LIMIT ?", [last, *params, batch]).fetchall()
        if not rows:
            return
        yield [KeptBody(row[1], row[2], row[3], row[4] or "", row[5], decompressor.decompress(row[6]))
               for row in rows]
        last = rows[-1][0]
