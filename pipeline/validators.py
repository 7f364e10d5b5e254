"""HTTP validators (ETag, Last-Modified) and body hashes kept per URL, for conditional GET.

A page's validators are saved with its document, in the same transaction, so a crash can
never leave a URL marked unchanged whose document was not written. Navigation documents
(feeds) are saved at the end of a run that finished, for the same reason.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass

import sqlite_utils


@dataclass(frozen=True)
class Validators:
    """What the last successful fetch of a URL said about it."""

    url: str
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    document_id: str | None
    links: tuple[str, ...] = ()  # what a navigation document (a feed) listed last time

    def request_headers(self) -> dict[str, str]:
        """Conditional request headers for the next fetch."""
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


def body_hash(body: bytes) -> str:
    """SHA-256 of the raw response body."""
    return hashlib.sha256(body).hexdigest()


def lookup(conn: sqlite3.Connection, url: str) -> Validators | None:
    """The stored validators of a URL, or None."""
    try:
        row = conn.execute(
            "SELECT url, etag, last_modified, body_hash, document_id, links "
            "FROM validators WHERE url = ?",
            [url],
        ).fetchone()
    except sqlite3.OperationalError:  # a database created before this table existed
        return None
    if row is None:
        return None
    return Validators(*row[:5], links=tuple(json.loads(row[5] or "[]")))


def save(
    db: sqlite_utils.Database, url: str, headers: dict[str, str], hashed_body: str,
    document_id: str | None, now: str, links: list[str] | None = None,
) -> None:
    """Store (or replace) the validators of a URL from its response headers and body hash."""
    db["validators"].upsert(
        {
            "url": url,
            "etag": headers.get("etag"),
            "last_modified": headers.get("last-modified"),
            "body_hash": hashed_body,
            "document_id": document_id,
            "links": json.dumps(links) if links is not None else None,
            "checked": now,
        },
        pk="url",
    )
