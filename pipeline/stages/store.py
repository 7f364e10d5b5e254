"""Stage 6: save each document in SQLite, in its cluster, and count the outcome.

Pages are written in batches: one transaction holds the pages stored within COMMIT_EVERY
seconds (at most COMMIT_PAGES), each page in its own savepoint, so a page whose write fails
leaves nothing of itself and the others stand. A commit appends every page of the B-trees
and the full-text index that the batch touched to the WAL, once, not once a page (the
figures: docs/benchmarks.md). What a crash (SIGKILL, power)
loses is at most the last second's pages, document, body and validators together, and the
next crawl fetches them again; a stop (SIGTERM, Ctrl-C) commits them when the spider closes.
Another process that writes (`prodops serve`'s acts) waits at most that second for the lock.
A document is counted (new, updated, unchanged) when its batch commits.

A full disk (SQLite's SQLITE_FULL, on a write or a commit) stops the crawl: nothing more could
be stored, and every page fetched would be lost. The open batch is rolled back, the spider
closed with DISK_FULL (the run is `interrupted`, its reason said in the summary), and the pages
still in flight pass through unstored; the next crawl, with space freed, fetches what this one
did not store (their validators were not saved).
"""

from __future__ import annotations

import logging
import sqlite3
import time
from typing import Any, cast

import sqlite_utils
from scrapy.utils.defer import deferred_from_coro

from pipeline import clock, counters
from pipeline.counters import DropReason
from pipeline.items import Page
from pipeline.stages.drops import Dropped
from pipeline.store import validators
from pipeline.store.bodies import MIB, BodyStore
from pipeline.store.database import open_database
from pipeline.store.documents import (
    DocumentWrite,
    Fetched,
    document_id_for_url,
    link_documents,
    save_document,
    touch_document,
    touch_linked_files,
)
from pipeline.store.upkeep import remake_signatures
from pipeline.store.vectors import save_vectors

logger = logging.getLogger(__name__)

COMMIT_EVERY = 1.0  # seconds a stored page may wait for its commit
COMMIT_PAGES = 200  # pages a transaction holds at most
DISK_FULL = "disk-full"  # the spider's close reason when the database's disk is full


class StoreStage:
    """Upsert documents and sightings; drop pages that carry nothing worth keeping."""

    def __init__(self, db_path: str, stats, bodies_max_mb: float = 0, vectors: bool = True):
        self.db_path = db_path
        self.stats = stats
        self.vectors = vectors  # PRODOPS_STORE_VECTORS: keep each document's vectors for search
        self.db: sqlite_utils.Database | None = None  # opened by open_spider
        self.bodies: BodyStore | None = None
        self.bodies_max_bytes = int(bodies_max_mb * MIB)
        self._counted: set[str] = set()  # documents counted in this run (each once)
        self._batch_started: float | None = None  # when the open transaction began (None: none open)
        self._batch_pages = 0
        self._commit_timer = None  # the reactor's call that commits a batch no later page closes
        self._uncommitted: list[tuple[str, str]] = []  # (source, outcome) of the open batch's documents
        self.crawler = None  # set by from_crawler: a full disk closes its spider
        self.full: sqlite3.OperationalError | None = None  # the full disk's error, once met

    @classmethod
    def from_crawler(cls, crawler):
        stage = cls(crawler.settings.get("PRODOPS_DB"), crawler.stats,
                    crawler.settings.getfloat("PRODOPS_BODIES_MAX_MB"),
                    crawler.settings.getbool("PRODOPS_STORE_VECTORS"))
        stage.crawler = crawler
        return stage

    def open_spider(self) -> None:
        self.db = open_database(self.db_path)
        self.bodies = BodyStore(self.db, self.bodies_max_bytes)
        # `prodops crawl` has remade them already, with a progress line; a crawl started
        # otherwise (`scrapy crawl curator`) does it here: the dedup compares with them.
        remake_signatures(self.db)

    def close_spider(self) -> None:
        if self.db is not None:
            self.commit()
            self.db.close()

    def _batch(self) -> None:
        """Open the batch's transaction unless one is open (the page's own is a savepoint in it)."""
        assert self.db is not None  # open_spider opened it
        if not self.db.conn.in_transaction:  # (a failed write may have ended the last one)
            self.commit()  # its timer, if any, goes
            self.db.execute("BEGIN")
            self._batch_started, self._batch_pages = time.monotonic(), 0
            self._commit_timer = _call_later(COMMIT_EVERY, self.commit)

    def _batched(self) -> None:
        """A page is written: commit when the batch is old or large enough."""
        self._batch_pages += 1
        if (self._batch_started is not None and (self._batch_pages >= COMMIT_PAGES
                                                 or time.monotonic() - self._batch_started >= COMMIT_EVERY)):
            self.commit()

    def commit(self) -> None:
        """Commit the pages written so far (at the latest COMMIT_EVERY seconds after the first)."""
        if self._commit_timer is not None and self._commit_timer.active():
            self._commit_timer.cancel()
        self._commit_timer = None
        self._batch_started = None
        if self.db is None or not self.db.conn.in_transaction:
            # Pages are written only in the batch's transaction: one that ended without this
            # COMMIT was rolled back by SQLite itself (a full disk), its pages with it.
            self._uncommitted.clear()
            return
        try:
            self.db.execute("COMMIT")
        except sqlite3.OperationalError as error:
            self._stop_if_full(error)
            return
        for source_id, outcome in self._uncommitted:
            counters.count_document(self.stats, source_id, outcome)
        self._uncommitted.clear()

    def process_item(self, item):
        if not isinstance(item, Page) or self.full is not None:
            return item  # (after a full disk, the pages in flight pass unstored: the crawl is closing)
        try:
            return self._store(item)
        except sqlite3.OperationalError as error:
            self._stop_if_full(error)
            return item

    def _stop_if_full(self, error: sqlite3.OperationalError) -> None:
        """Re-raise `error` unless it is a full disk; if it is, roll the batch back and close
        the spider (the module docstring)."""
        if getattr(error, "sqlite_errorname", "") != "SQLITE_FULL":
            raise error
        if self.db is not None and self.db.conn.in_transaction:  # (SQLite may have rolled it back)
            self.db.conn.rollback()
        self._uncommitted.clear()
        if self.full is not None:
            return
        self.full = error
        logger.error("The database's disk is full (%s): stopping the crawl", error)
        if self.crawler is not None:
            self.crawler.stats.set_value(counters.INTERRUPTION, f"the disk of the database {self.db_path} is full; "
                                                                "free some space and crawl again")
            if getattr(self.crawler, "engine", None) is not None:
                deferred_from_coro(self.crawler.engine.close_spider_async(reason=DISK_FULL))

    def _store(self, item: Page) -> Page:
        """Write one page's document (in the batch's transaction) and count it."""
        assert self.db is not None and self.bodies is not None  # open_spider opened them
        now = clock.now_iso()
        if item.not_modified:
            return self._seen_again(item, now)
        row = item.document
        if row is None:
            raise Dropped(DropReason.UNCLASSIFIED, f"{item.url} reached the store without a document")
        fetched = None
        if item.fetch_error is None and 200 <= item.status < 300:
            fetched = Fetched(item.headers, validators.body_hash(item.body), item.linked_pdfs)
        context = None
        if item.hints is not None and item.hints.anchor:
            section = item.hints.categories[0] if item.hints.categories else None
            context = {"anchor": item.hints.anchor, "section": section}
        # One savepoint for the document, its body and its landing page's link: a body is
        # never without its document. The batch's transaction commits them (module docstring).
        self._batch()
        with self.db.atomic():
            outcome = save_document(self.db, DocumentWrite(
                row, found_at=item.url, now=now, fetched=fetched, context=context,
                signature=item.signature, links=item.extraction.links if item.extraction else None,
            ))
            if fetched is not None and item.body:
                # The body the stored text came from replaces the kept one; a body that gave
                # no text is kept only when there is none (a later extractor may read it).
                self.bodies.keep(row["id"], item.final_url or item.url, now, item.content_type,
                                 item.encoding, item.body, replace=item.extraction is not None,
                                 packed=item.packed_body)
            if item.part:
                validators.forget(self.db, item.url)
            if item.vectors is not None and self.vectors:
                save_vectors(self.db, row["id"], item.vectors)
            if item.landing_url:
                link_documents(self.db, document_id_for_url(self.db, item.landing_url), row["id"])
        self._count(row["id"], item.source_id, outcome)  # (before the batch may commit: counted with it)
        self._batched()
        logger.debug("%s %s", outcome, row["url"])
        return item

    def _count(self, doc_id: str, source_id: str, outcome: str) -> None:
        # A document two sources list (or two URLs lead to) counts once per run.
        if doc_id not in self._counted:
            self._counted.add(doc_id)
            self._uncommitted.append((source_id, outcome))

    def _seen_again(self, item: Page, now: str) -> Page:
        """A not-modified page: no extraction, no write beyond last_seen and its sighting."""
        assert self.db is not None  # open_spider opened it
        self._batch()
        known = validators.lookup(self.db.conn, item.url)
        # A page stored from its feed entry alone has no validators: its id is the one its URL
        # was seen as (a part of a page's keeps its fragment), else the URL's.
        document_id = known.document_id if known and known.document_id else document_id_for_url(self.db, item.url)
        if not touch_document(self.db, document_id, item.source_id, item.url, item.found_via, now):
            raise Dropped(DropReason.NOT_MODIFIED_UNKNOWN, f"{item.url} is unchanged but was never stored")
        self._count(document_id, item.source_id, "unchanged")
        stored = self.db.execute("SELECT relevance FROM documents WHERE id = ?", [document_id]).fetchone()
        item.relevance = stored[0] if stored else None  # the follow stage's judge
        # The files a landing page offers (its PDFs) are unchanged with it.
        for file_id in touch_linked_files(self.db, document_id, now):
            self._count(file_id, item.source_id, "unchanged")
        self._batched()
        return item


def _call_later(seconds: float, function):
    """`function` called by the running reactor in `seconds` (None outside a crawl: a page's
    commit then waits for a later page or the close)."""
    from twisted.internet import reactor  # noqa: PLC0415 -- the one installed by the crawl

    running = cast(Any, reactor)  # the module stands for the installed reactor
    return running.callLater(seconds, function) if running.running else None
