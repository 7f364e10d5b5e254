"""Re-extracting the corpus from its kept bodies (`prodops reextract`): nothing is fetched.

Each kept body (pipeline/store/bodies.py) goes through the crawl's own stages again — the
pooled ones of pipeline.STAGES (extract, classify, tag, dedup), the same classes a crawl
runs, built from the same settings, in its order and in the same worker pool — with the
versions installed now, and the document is rewritten where anything changed; `updated`
moves only when its content did, `extracted_by` names the extractor and version used. A
document keeps its identity (URL, id, source, provenance, first and last seen), and what a
feed said of it (title, author, date, summary) stays as it is, as a crawl would keep it.

Nothing stored is lost: when the new extraction finds no main text (or a task fails), the
stored text stays and the document is counted under `no_text`. The curator's labels and
learned models are applied by `prodops retag`, as after a crawl.
"""

from __future__ import annotations

import asyncio
import json
import signal
import time
from collections import Counter
from dataclasses import dataclass, field

from scrapy.exceptions import DropItem
from scrapy.settings import Settings

from feeds.entries import EntryHints
from pipeline import clock
from pipeline.items import Page
from pipeline.stages.base import pooled_stages
from pipeline.stages.extract import ExtractStage
from pipeline.stages.pool import WorkerPool
from pipeline.stages.tasks import TaskStopped
from pipeline.store.bodies import KeptBody, kept_bodies
from pipeline.store.clusters import assign_cluster
from pipeline.store.database import open_database
from pipeline.store.documents import CONTENT_FIELDS, save_links, year_of
from pipeline.understand.markup import ENCLOSURE
from pipeline.understand.markup import decode as decode_markup
from pipeline.understand.worker import STOP_SIGNALS

# Columns a re-extraction never rewrites: the document's identity and provenance.
KEPT_COLUMNS = ("id", "url", "source_id", "found_via", "fetched_url", "http_status", "media_type", "categories")
EDITORIAL_VIA = ("feed", "links")  # found through an entry or a link whose title and date are the editor's


@dataclass
class SourceChanges:
    """What a re-extraction changed in one source's documents."""

    documents: int = 0  # bodies re-extracted
    changed: int = 0  # documents whose text changed
    words_added: int = 0
    words_removed: int = 0
    no_text: int = 0  # no main text now (or the task failed): the stored text was kept


@dataclass
class ReextractReport:
    sources: dict[str, SourceChanges] = field(default_factory=dict)
    extractors: Counter = field(default_factory=Counter)  # extracted_by of the new texts
    seconds: float = 0.0
    interrupted: bool = False

    @property
    def documents(self) -> int:
        return sum(changes.documents for changes in self.sources.values())


def words_added_removed(old: str, new: str) -> tuple[int, int]:
    """Words the new text has beyond the old one's, and words it lost (as multisets)."""
    before, after = Counter((old or "").split()), Counter((new or "").split())
    return sum((after - before).values()), sum((before - after).values())


class Reextraction:
    """The crawl's stages over kept bodies, set up from the crawl's settings
    (PRODOPS_EXTRACTION_FAVOUR, PRODOPS_TAXONOMY, PRODOPS_ENTITIES, PRODOPS_SEMANTIC,
    and the pool's: PRODOPS_EXTRACT_WORKERS, PRODOPS_TASK_TIMEOUT, PRODOPS_WORKER_MEMORY_MB).
    A malformed file or setting raises ConfigError here, before any work."""

    def __init__(self, settings: Settings):
        self.pool = WorkerPool.from_settings(settings)
        extract, *self.later = [stage.of(settings, self.pool) for stage in pooled_stages()]
        assert isinstance(extract, ExtractStage)  # pipeline.STAGES extracts before any other pooled stage
        self.extract = extract

    async def document_of(self, kept: KeptBody, stored: dict) -> Page | None:
        """The page rebuilt from its body and processed again; None when it has no main text now."""
        item = Page(url=kept.url, source_id=stored["source_id"], found_via=stored["found_via"],
                    final_url=kept.url, status=stored["http_status"] or 200, body=kept.body,
                    encoding=kept.encoding, content_type=kept.media_type, hints=_hints(stored),
                    canonical_url=stored["url"], doc_id=stored["id"])
        try:
            await self.extract.process_item(item)
            if item.extraction is None:
                return None
            item.canonical_url, item.doc_id = stored["url"], stored["id"]  # the identity stays
            for stage in self.later:
                await stage.process_item(item)
        except (DropItem, TaskStopped):
            return None
        return item

    def close(self) -> None:
        self.pool.close()


def _hints(stored: dict) -> EntryHints | None:
    """What the feed or link list said of the document, read back from its row."""
    if stored["found_via"] not in EDITORIAL_VIA:
        return None
    try:
        categories = json.loads(stored["categories"] or "[]")
    except ValueError:
        categories = []
    # The enclosures the entry had survive only as declarations in `markup_types`.
    enclosures = [declared.partition(":")[2] for declared in decode_markup(stored.get("markup_types"))
                  if declared.startswith(f"{ENCLOSURE}:")]
    return EntryHints(title=stored["title"], author=stored["author"], published=stored["published"],
                      summary=stored["description"], categories=categories if isinstance(categories, list) else [],
                      enclosures=enclosures)


def reextract(work: Reextraction, db_path: str, source_ids: tuple[str, ...] = (),
              since: str | None = None) -> ReextractReport:
    """Re-extract the kept bodies (of these sources, fetched since `since`) and report per
    source what changed (see the module docstring). A stop (Ctrl-C, SIGTERM; one or more)
    ends it between batches: the few documents in the workers are finished and written (a
    second or two; a parser that hangs, within PRODOPS_TASK_TIMEOUT), then the report says
    it was interrupted. What was rewritten stays."""
    report = ReextractReport()
    started = time.monotonic()
    db = open_database(db_path)
    asked: list[int] = []
    # Noted, not raised: an exception raised inside the event loop would leave the batch's
    # tasks with errors nobody reads (printed at exit), and one raised while the workers
    # finish would leave them half-closed. Set before asyncio's runner starts, which then
    # leaves SIGINT to us.
    previous = {number: signal.signal(number, lambda signum, frame: asked.append(signum))
                for number in STOP_SIGNALS}
    try:
        asyncio.run(_run(db, work, report, source_ids, since, asked, in_flight=max(8, 4 * work.pool.workers)))
    finally:
        work.close()
        for number, handler in previous.items():
            signal.signal(number, handler)
        db.close()
        report.seconds = time.monotonic() - started
    return report


async def _run(db, work: Reextraction, report: ReextractReport, source_ids, since, asked: list[int],
               in_flight: int) -> None:
    for batch in kept_bodies(db, source_ids, since, batch=in_flight):
        if asked:
            report.interrupted = True
            return
        await _rewrite(db, work, report, batch)


async def _rewrite(db, work: Reextraction, report: ReextractReport, batch: list[KeptBody]) -> None:
    """One batch of kept bodies through the stages (at once, in the pool), then written."""
    ids = [kept.document_id for kept in batch]
    stored = {row["id"]: row for row in db.query(
        f"SELECT * FROM documents WHERE id IN ({','.join('?' * len(ids))})", ids)}
    pages = await asyncio.gather(*(work.document_of(kept, stored[kept.document_id]) for kept in batch))
    now = clock.now_iso()
    for kept, page in zip(batch, pages):
        _save(db, report, stored[kept.document_id], page, now)


def _save(db, report: ReextractReport, stored: dict, page: Page | None, now: str) -> None:
    changes = report.sources.setdefault(stored["source_id"], SourceChanges())
    changes.documents += 1
    if page is None or page.document is None:
        changes.no_text += 1
        return
    row = {key: value for key, value in page.document.items() if key not in KEPT_COLUMNS}
    report.extractors[row["extracted_by"]] += 1
    text_changed = row["content_hash"] != stored["content_hash"]
    update = {key: value for key, value in row.items() if stored.get(key) != value}
    assert page.extraction is not None  # document_of returns only pages with one
    with db.atomic():
        save_links(db, stored["id"], page.extraction.links)  # also fills them for older documents
        if not update:
            return
        update["year"] = year_of(row["published"], stored["first_seen"])
        if text_changed or any(key in update for key in CONTENT_FIELDS):
            update["updated"] = now
        db["documents"].update(stored["id"], update)
        if text_changed:
            assign_cluster(db, stored["id"], row["content_hash"], page.signature, now)
    if text_changed:
        added, removed = words_added_removed(stored["text"], row["text"])
        changes.changed += 1
        changes.words_added += added
        changes.words_removed += removed
