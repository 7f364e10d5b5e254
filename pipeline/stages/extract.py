"""Stage 2: extract text and metadata from fetched bodies (HTML, PDF), on every core.

Extraction is CPU-bound (trafilatura takes tens of milliseconds a page), so it runs in the
crawl's worker pool (pipeline/stages/pool.py) and the stage awaits the result: Scrapy keeps
downloading and parsing other responses meanwhile.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from feeds.entries import EntryHints
from pipeline import counters
from pipeline.items import Extraction, Page
from pipeline.stages.base import PooledStage
from pipeline.stages.pool import TaskTimeout
from pipeline.understand.canonical import canonicalize_url, document_id, same_site
from pipeline.understand.encoding import decode_html
from pipeline.understand.extraction import check_favour, extract_html
from pipeline.understand.pdf import PdfError, extract_pdf, is_pdf

logger = logging.getLogger(__name__)

HTML_TYPES = {"text/html", "application/xhtml+xml", ""}


class ExtractStage(PooledStage):
    """Fill `item.extraction` for pages with an HTML body; leave failed pages as they are."""

    def __init__(self, pool, favour: str = "precision", stats=None):
        super().__init__(pool)
        self.favour = check_favour(favour)
        self.stats = stats  # the crawl's: what extraction made of each source's pages (drift)

    @classmethod
    def from_crawler(cls, crawler):
        stage = super().from_crawler(crawler)
        stage.favour = check_favour(crawler.settings.get("PRODOPS_EXTRACTION_FAVOUR"))
        stage.stats = crawler.stats
        return stage

    async def process_item(self, item):
        if not isinstance(item, Page) or not _was_fetched(item):
            return item
        if await self._extract(item) and self.stats is not None:
            found = item.extraction
            # What its feed gave counts as found: the page is then not searched for it.
            hints = item.hints or EntryHints()
            counters.count_extraction(self.stats, item.source_id, found.text if found else None,
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
            except TaskTimeout as error:
                item.extraction_error = f"PDF text extraction {error}"
            if item.extraction_error:
                logger.warning("%s: %s", url, item.extraction_error)
            return True
        if item.content_type not in HTML_TYPES:
            return False
        html = decode_html(item.body, item.encoding)
        try:
            item.extraction = await self.pool.run(extract_html, html, url, self.favour, known_from_feed(item.hints),
                                                  alone=True)
        except TaskTimeout as error:
            item.extraction_error = f"text extraction {error}"
            logger.warning("%s: %s", url, item.extraction_error)
            return True
        if item.extraction is None:
            logger.info("No main text found in %s", url)
        else:
            _adopt_declared_canonical(item, item.extraction)
        return True


def known_from_feed(hints: EntryHints | None) -> frozenset[str]:
    """Which of the title, author and date the page's feed entry gave (they win over the
    page's own, so extract_html does not search the page for them)."""
    if hints is None:
        return frozenset()
    given = {"title": hints.title, "author": hints.author, "date": hints.published}
    return frozenset(name for name, value in given.items() if value)


def _was_fetched(item: Page) -> bool:
    return (
        item.fetch_error is None
        and not item.not_modified
        and 200 <= item.status < 300
        and bool(item.body)
    )


def _adopt_declared_canonical(item: Page, extraction: Extraction) -> None:
    """Use the page's rel=canonical / og:url when it points elsewhere on the same site.

    A canonical that points at the site's home page from a deeper page is a common template
    mistake; following it would merge every article into one, so it is ignored.
    """
    declared = extraction.canonical_url
    if not declared or not same_site(declared, item.canonical_url):
        return
    try:
        canonical = canonicalize_url(declared)
    except ValueError:
        return
    if urlsplit(canonical).path == "/" and urlsplit(item.canonical_url).path != "/":
        return
    item.canonical_url = canonical
    item.doc_id = document_id(canonical)
