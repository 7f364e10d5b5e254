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
    links_kind: str | None = None  # "pages", "sitemaps" or "pdfs" (a page's PDF links)

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
            "SELECT url, etag, last_modified, body_hash, document_id, links, links_kind "
            "FROM validators WHERE url = ?",
            [url],
        ).fetchone()
    except sqlite3.OperationalError:  # a database created before this table existed
        return None
    if row is None:
        return None
    url, etag, last_modified, hashed, document_id, links, links_kind = row
    return Validators(url, etag, last_modified, hashed, document_id, links=tuple(json.loads(links or "[]")),
                      links_kind=links_kind)


def read_before_links(conn: sqlite3.Connection, document_id: str) -> bool:
    """True for a document whose page was extracted before its main text's links were kept
    (documents.links_found is NULL): the next crawl reads it in full once, without
    validators, so that its links are found — the backfill when no body of it is kept."""
    try:
        row = conn.execute("SELECT extracted_by, links_found FROM documents WHERE id = ?", [document_id]).fetchone()
    except sqlite3.OperationalError:  # a database from before that column
        return False
    return row is not None and (row[0] or "").startswith("trafilatura") and row[1] is None


# A page's fetch that failed for a reason that passes: its HTTP status, or, with no answer,
# the words spiders.responses.describe_failure and spiders.robots.refusal give it.
PASSING_STATUSES = (408, 425, 429, 500, 502, 503, 504)
PASSING_FAILURES = ("%Timeout%", "connection refused%", "connection lost%", "%robots.txt answered HTTP 5%")


def lists_a_page_to_ask_again(conn: sqlite3.Connection, known: Validators) -> bool:
    """True when a navigation document (a feed, a link list, a sitemap) listed, last time, a
    page whose fetch failed for a reason that passes (a 503, a time-out): the document is then
    read in full again, as if changed, so its pages are asked for (conditionally) with what
    it says of them (a feed entry's text and enclosures, kept if the page fails again). An
    unchanged feed otherwise reports its pages unchanged, and such a page would keep the
    feed's text until the feed changed. A page gone (404) is not asked again."""
    if known.links_kind != "pages" or not known.links:
        return False
    marks = ", ".join("?" * len(known.links))
    statuses = ", ".join("?" * len(PASSING_STATUSES))
    failures = " OR ".join("d.page_error LIKE ?" for _ in PASSING_FAILURES)
    try:
        row = conn.execute(
            f"SELECT 1 FROM sightings s JOIN documents d ON d.id = s.document_id WHERE s.url IN ({marks}) "
            f"AND d.page_error IS NOT NULL AND (d.http_status IN ({statuses}) "
            f"OR (coalesce(d.http_status, 0) = 0 AND ({failures}))) LIMIT 1",
            [*known.links, *PASSING_STATUSES, *PASSING_FAILURES]).fetchone()
    except sqlite3.OperationalError:  # a database from before these tables
        return False
    return row is not None


def save(db: sqlite_utils.Database, url: str, now: str, **fields) -> None:
    """Store what is known of a URL; only the fields given are changed.

    Fields: etag, last_modified, body_hash, document_id, links (a list), links_kind.
    """
    if "links" in fields and fields["links"] is not None:
        fields["links"] = json.dumps(fields["links"])
    columns = {**fields, "checked": now}
    # A plain upsert: sqlite_utils' asks the schema twice a call, and this runs for every page.
    db.execute(
        f"INSERT INTO validators (url, {', '.join(columns)}) VALUES (?{', ?' * len(columns)}) "
        f"ON CONFLICT (url) DO UPDATE SET {', '.join(f'{name} = excluded.{name}' for name in columns)}",
        [url, *columns.values()])


def forget(db: sqlite_utils.Database, url: str) -> None:
    """Drop what is known of a URL's fetch: it is no longer fetched (a part of a page, stored
    from its feed entry, whose URL once led to the whole page's document)."""
    db.execute("DELETE FROM validators WHERE url = ?", [url])


def response_validators(headers: dict[str, str]) -> dict[str, str | None]:
    """The validator fields of a response, from its (lower-case) headers."""
    return {"etag": headers.get("etag"), "last_modified": headers.get("last-modified")}
