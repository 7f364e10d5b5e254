"""Turning a processed page into a `documents` row and saving it, one transaction each.

Nothing already stored is lost: a page that could only be described from its feed entry
never overwrites a document whose text was extracted from the page before. No stored text
holds a character XML 1.0 forbids (pipeline.xmlchars): the site's feeds are XML.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import sqlite_utils

from feeds.entries import EntryHints
from pipeline.items import Page
from pipeline.store import validators
from pipeline.store.clusters import assign_cluster
from pipeline.understand.canonical import canonicalize_url, document_id
from pipeline.understand.content_types.text import count_words
from pipeline.understand.links import host_of
from pipeline.understand.markup import enclosure_types
from pipeline.xmlchars import xml_safe

FROM_FEED = "feed"  # `extracted_by` of documents described by their feed entry alone
CONTENT_FIELDS = (
    "url", "title", "author", "published", "sitename", "language", "description",
    "content_hash", "categories", "content_type", "gated", "tags", "relevance",
)  # a change in any of these makes a stored document "updated"


def content_hash(text: str) -> str:
    """SHA-256 of the text with whitespace collapsed and case folded."""
    return hashlib.sha256(" ".join(text.split()).casefold().encode("utf-8")).hexdigest()


def document_row(page: Page) -> dict[str, Any] | None:
    """Build the documents row for a page, or None when there is nothing to keep."""
    hints = page.hints or EntryHints()
    extraction = page.extraction
    if extraction is not None:
        text, extracted_by = extraction.text, extraction.extractor
    else:
        text, extracted_by = hints.content or hints.summary or "", FROM_FEED
    text = xml_safe(text)  # before it is hashed, counted and tagged
    title = hints.title or (extraction.title if extraction else None) or hints.anchor or (
        extraction.heading if extraction else None)
    if not text.strip() and not title:
        return None

    def pick(name: str) -> Any:
        # The feed's own values are editorial; the page's fill the gaps.
        return getattr(hints, name, None) or (getattr(extraction, name, None) if extraction else None)

    return xml_safe_values({
        "id": page.doc_id,
        "url": page.canonical_url,
        "title": title,
        "author": pick("author") or hints.feed_author,  # a feed's own author last: it may be the site's
        "published": pick("published"),
        "sitename": extraction.sitename if extraction else None,
        "language": extraction.language if extraction else None,
        "description": (extraction.description if extraction else None) or hints.summary,
        "text": text,
        "word_count": count_words(text),
        "content_hash": content_hash(text) if text.strip() else None,
        "source_id": page.source_id,
        "found_via": page.found_via,
        "fetched_url": page.final_url or None,
        "http_status": page.status or None,
        "media_type": page.content_type or None,
        "extracted_by": extracted_by,
        "page_error": page_error(page),
        "categories": json.dumps([xml_safe(category) for category in hints.categories]),
        "page_count": extraction.page_count if extraction else None,
        "year": year_of(pick("published")),
        "markup_types": markup_types(extraction, hints),
    })


def markup_types(extraction, hints: EntryHints) -> str:
    """The `markup_types` column: what the page declares it is, then what its feed entry's
    audio or video enclosure says (a JSON array: pipeline.understand.markup)."""
    declared = list(extraction.markup) if extraction is not None else []
    declared += enclosure_types(hints.enclosures)
    return json.dumps(list(dict.fromkeys(declared)))


def xml_safe_values(row: dict[str, Any]) -> dict[str, Any]:
    """The row with every text value's XML-forbidden characters (C0 controls, lone
    surrogates...) removed; other values as they are."""
    return {name: xml_safe(value) if isinstance(value, str) else value for name, value in row.items()}


def year_of(published: str | None, first_seen: str | None = None) -> int | None:
    """The `year` column: the year published, else the year first seen (the one rule, for
    new rows, updates and the migration that added the column)."""
    for date in (published, first_seen):
        if date and date[:4].isdigit():
            return int(date[:4])
    return None


def page_error(page: Page) -> str | None:
    """Why the page's own body was not used, or None when its text was extracted."""
    if page.fetch_error:
        return page.fetch_error
    if page.extraction_error:
        return page.extraction_error
    if page.extraction is None and page.status:
        return f"no main text found in the page ({page.content_type or 'unknown type'})"
    return None


@dataclass(frozen=True)
class Fetched:
    """The response a document's row came from: its validators are saved with the document,
    for a conditional GET next time."""

    headers: dict[str, str]  # response headers, lower-case names (ETag, Last-Modified)
    body_hash: str  # SHA-256 of the raw body (pipeline.store.validators.body_hash)
    linked_pdfs: list[str] = field(default_factory=list)  # URLs of the PDFs the page links to


@dataclass(frozen=True)
class DocumentWrite:
    """One save of a document (save_document): its row and what came with it."""

    row: dict[str, Any]  # the documents row (document_row)
    found_at: str  # the URL it was found at, as found: its sighting
    now: str  # ISO 8601 UTC: first_seen, last_seen, updated as they apply
    fetched: Fetched | None = None  # None: not fetched now (a feed entry alone, an error)
    context: dict[str, str | None] | None = None  # where a link list showed it: anchor, section
    signature: np.ndarray | None = None  # MinHash of its text: a new or changed document's cluster
    links: list[tuple[str, str]] | None = None  # (URL, anchor) its main text cites; None: not read


def save_document(db: sqlite_utils.Database, write: DocumentWrite) -> str:
    """Insert or update a document and its sighting atomically; return new/updated/unchanged.

    With `write.fetched`, the page's validators are saved in the same transaction. A new or
    changed document is (re)placed in its near-duplicate cluster by `write.signature`.
    `write.links` replace the links stored, unless the stored text was kept (a feed-only
    fallback) or they are None.
    """
    # document_row already cleaned it; this is the storage's own guarantee, whoever built it.
    row = xml_safe_values(write.row)
    context = xml_safe_values(write.context) if write.context else write.context
    found_at, now, fetched, links = write.found_at, write.now, write.fetched, write.links
    with db.atomic():
        existing = _stored_document(db, row["id"])
        if existing is None:
            _insert_document(db, {**row, "year": year_of(row["published"], now),
                                  "first_seen": now, "last_seen": now, "updated": now})
            outcome = "new"
        elif _keeps_stored_content(existing, row):
            fresh = {"last_seen": now, "page_error": row["page_error"]}
            db.table("documents").update(row["id"], fresh)
            outcome = "unchanged"
        elif all(existing[name] == row.get(name) for name in CONTENT_FIELDS):
            fresh = {k: row[k] for k in ("fetched_url", "http_status", "page_error")}
            db.table("documents").update(row["id"], {**fresh, "last_seen": now})
            outcome = "unchanged"
        else:
            keep = {"source_id": existing["source_id"], "found_via": existing["found_via"],
                    "year": year_of(row["published"], existing["first_seen"])}
            db.table("documents").update(row["id"], {**row, **keep, "last_seen": now, "updated": now})
            outcome = "updated"
        if outcome != "unchanged" or (existing is not None and existing["cluster_id"] is None):
            assign_cluster(db, row["id"], row["content_hash"], write.signature, now)
        if links is not None and (existing is None or not _keeps_stored_content(existing, row)):
            save_links(db, row["id"], links)
        _record_sighting(db, row["id"], row["source_id"], found_at, row["found_via"], now, context)
        if fetched is not None:
            pdf_links = {"links": fetched.linked_pdfs, "links_kind": "pdfs"} if fetched.linked_pdfs else {}
            validators.save(db, found_at, now, body_hash=fetched.body_hash, document_id=row["id"],
                            **validators.response_validators(fetched.headers), **pdf_links)
    return outcome


def _stored_document(db: sqlite_utils.Database, document_id: str) -> dict[str, Any] | None:
    """The stored row of a document, or None. Plain statements here and in _insert_document:
    sqlite_utils' table objects ask the schema on each use, and these run for every page."""
    return next(db.query("SELECT * FROM documents WHERE id = ?", [document_id]), None)


def _insert_document(db: sqlite_utils.Database, row: dict[str, Any]) -> None:
    names = ", ".join(f'"{name}"' for name in row)
    db.execute(f"INSERT INTO documents ({names}) VALUES ({', '.join('?' * len(row))})", list(row.values()))


def save_links(db: sqlite_utils.Database, document_id: str, links: list[tuple[str, str]]) -> None:
    """Replace the links a document's main text cites (call inside its transaction)."""
    db.execute("DELETE FROM links WHERE document_id = ?", [document_id])
    db.conn.executemany("INSERT OR IGNORE INTO links (document_id, url, host, anchor) VALUES (?, ?, ?, ?)",
                        [(document_id, url, host_of(url), anchor) for url, anchor in links])
    db.execute("UPDATE documents SET links_found = ? WHERE id = ?", [len(links), document_id])


def touch_document(
    db: sqlite_utils.Database, document_id: str, source_id: str, found_at: str, found_via: str,
    now: str,
) -> bool:
    """Record that an unchanged document was seen again; False if it is not stored."""
    with db.atomic():
        if not db.execute("SELECT 1 FROM documents WHERE id = ?", [document_id]).fetchone():
            return False
        db.execute("UPDATE documents SET last_seen = ? WHERE id = ?", [now, document_id])
        _record_sighting(db, document_id, source_id, found_at, found_via, now)
    return True


def link_documents(db: sqlite_utils.Database, landing_id: str, file_id: str) -> None:
    """Link a landing page and the file (a PDF) it offers, both ways."""
    db.table("document_links").upsert_all(
        [
            {"from_id": landing_id, "to_id": file_id, "relation": "pdf"},
            {"from_id": file_id, "to_id": landing_id, "relation": "landing-page"},
        ],
        pk=("from_id", "to_id", "relation"),
    )


def record_sighting_of_url(
    db: sqlite_utils.Database, url: str, source_id: str, found_via: str, now: str,
    context: dict[str, str | None] | None = None,
) -> bool:
    """Record that a source lists `url`, if that URL's document is stored; False if not."""
    candidate = document_id_for_url(db, url)
    with db.atomic():
        if not db.execute("SELECT 1 FROM documents WHERE id = ?", [candidate]).fetchone():
            return False
        _record_sighting(db, candidate, source_id, url, found_via, now, context)
    return True


def document_id_for_url(db: sqlite_utils.Database, url: str) -> str:
    """The id of the document a URL leads to: the document it was last seen as (a redirect
    or a declared canonical can make that another URL's document), else its canonical URL's
    id (with its fragment, where that is a part of a page stored as a document). The one
    URL -> document lookup (the store, sightings and curated lists use it)."""
    row = db.execute(
        "SELECT document_id FROM sightings WHERE url = ? ORDER BY last_seen DESC LIMIT 1", [url]
    ).fetchone()
    if row:
        return row[0]
    if urlsplit(url).fragment:  # a part of a page stored as a document of its own (Page.part)
        part = document_id(canonicalize_url(url, keep_fragment=True))
        if db.execute("SELECT 1 FROM documents WHERE id = ?", [part]).fetchone():
            return part
    return document_id(canonicalize_url(url))


def touch_linked_files(db: sqlite_utils.Database, landing_id: str, now: str) -> list[str]:
    """Move last_seen of the files (PDFs) a landing page links to; return their ids."""
    ids = [row[0] for row in db.execute(
        "SELECT to_id FROM document_links WHERE from_id = ? AND relation = 'pdf'", [landing_id]
    )]
    with db.atomic():
        for file_id in ids:
            db.execute("UPDATE documents SET last_seen = ? WHERE id = ?", [now, file_id])
    return ids


def _record_sighting(
    db: sqlite_utils.Database, document_id: str, source_id: str, url: str, found_via: str,
    now: str, context: dict[str, str | None] | None = None,
) -> None:
    context = context or {}
    db.execute(
        "INSERT INTO sightings (document_id, source_id, url, found_via, first_seen, last_seen, "
        "anchor, section) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (document_id, source_id, url) DO UPDATE SET last_seen = excluded.last_seen, "
        "anchor = coalesce(excluded.anchor, anchor), section = coalesce(excluded.section, section)",
        [document_id, source_id, url, found_via, now, now, context.get("anchor"), context.get("section")],
    )


def _keeps_stored_content(existing: dict[str, Any], row: dict[str, Any]) -> bool:
    """True when the new row is a feed-only fallback and the stored one came from the page."""
    return row["extracted_by"] == FROM_FEED and existing["extracted_by"] != FROM_FEED
