"""Stage 2: extract text and metadata from fetched bodies (HTML, PDF), on every core.

Extraction is CPU-bound (trafilatura takes tens of milliseconds a page), so it runs in the
crawl's worker pool (pipeline/stages/pool.py) and the stage awaits the result: Scrapy keeps
downloading and parsing other responses meanwhile. An HTML page's task also runs the later
stages' worker calls ahead (pipeline/stages/reading.py): one round trip a page.
"""

from __future__ import annotations

import logging
from typing import Self

from feeds.entries import EntryHints
from pipeline import counters
from pipeline.items import Page
from pipeline.stages.base import PooledStage, read_ahead_of
from pipeline.stages.pool import pool_of
from pipeline.stages.reading import ReadAhead, read_html
from pipeline.stages.tasks import Pool, TaskStopped
from pipeline.understand.extraction import check_favour
from pipeline.understand.pdf import PdfError, extract_pdf, is_pdf

logger = logging.getLogger(__name__)

HTML_TYPES = {"text/html", "application/xhtml+xml", ""}


class ExtractStage(PooledStage):
    """Fill `item.extraction` for pages with an HTML body; leave failed pages as they are."""

    def __init__(self, pool: Pool, favour: str = "precision", stats=None, ahead: ReadAhead | None = None):
        super().__init__(pool)
        self.favour = check_favour(favour)
        self.stats = stats  # the crawl's: what extraction made of each source's pages (drift)
        self.ahead = ahead  # the later stages' calls to run in the same task (pipeline/stages/reading.py)

    @classmethod
    def of(cls, settings, pool: Pool, stats=None) -> Self:
        """The stage as the settings say (PRODOPS_EXTRACTION_FAVOUR, and the later stages'
        for the calls read ahead); `stats`: the crawl's, to count what extraction found."""
        favour = check_favour(settings.get("PRODOPS_EXTRACTION_FAVOUR"))  # said before a malformed file
        return cls(pool, favour, stats, read_ahead_of(settings, pool))

    @classmethod
    def from_crawler(cls, crawler) -> Self:
        """The crawl's stage: its settings, its pool (pool_of), its stats."""
        return cls.of(crawler.settings, pool_of(crawler), crawler.stats)

    async def process_item(self, item):
        if not isinstance(item, Page) or not _was_fetched(item):
            return item
        if await self._extract(item) and self.stats is not None:
            found = item.extraction
            # What its feed gave counts as found: the page is then not searched for it.
            hints = item.hints or EntryHints()
            counters.count_extraction(self.stats, item.source_id, found.words if found else 0,
                                      (found.title if found else None) or hints.title,
                                      (found.published if found else None) or hints.published)
        return item

    async def _extract(self, item: Page) -> bool:
        """Extract an HTML page or a PDF; False for a body of another type (not read)."""
        url = item.final_url or item.url
        if is_pdf(item.content_type, item.body):
            try:
                item.extraction = await self.pool.run(extract_pdf, item.body, url, alone=True)
            except PdfError as error:
                item.extraction_error = str(error)
            except TaskStopped as error:
                item.extraction_error = f"PDF text extraction {error}"
            if item.extraction_error:
                logger.warning("%s: %s", url, item.extraction_error)
            return True
        if item.content_type not in HTML_TYPES:
            return False
        try:
            # Not `alone`: on a cluster, pages read together travel as one task (the crawler's
            # CPU a page is the cluster's ceiling); a PDF's parser, which may hang, goes alone.
            reading = await self.pool.run(read_html, item, self.favour, self.ahead)
        except TaskStopped as error:
            item.extraction_error = f"text extraction {error}"
            logger.warning("%s: %s", url, item.extraction_error)
            return True
        item.extraction, item.ahead, item.packed_body = reading.extraction, reading.ahead, reading.packed_body
        item.canonical_url, item.doc_id = reading.canonical_url, reading.doc_id
        item.document = reading.row  # the row of the page as read: classify goes on from it
        if item.extraction is None:
            logger.info("No main text found in %s", url)
        return True


def _was_fetched(item: Page) -> bool:
    return (
        item.fetch_error is None
        and not item.not_modified
        and 200 <= item.status < 300
        and bool(item.body)
    )
