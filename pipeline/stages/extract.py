"""Stage 2: extract text and metadata from fetched bodies (HTML, PDF), on every core.

Extraction is CPU-bound (trafilatura takes tens of milliseconds a page), so it runs in a
process pool and the stage awaits the result: Scrapy keeps downloading and parsing other
responses meanwhile. PRODOPS_EXTRACT_WORKERS sets the pool size (0 = one process per core;
1 = extract inline in the crawler process, which is simplest to debug).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from concurrent.futures import Executor, ProcessPoolExecutor
from urllib.parse import urlsplit

from pipeline.canonical import canonicalize_url, document_id, same_site
from pipeline.extraction import extract_html
from pipeline.items import Extraction, Page
from pipeline.pdf import PdfError, extract_pdf, is_pdf

logger = logging.getLogger(__name__)

HTML_TYPES = {"text/html", "application/xhtml+xml", ""}


def worker_count(setting: int) -> int:
    """Resolve the PRODOPS_EXTRACT_WORKERS setting to a number of processes."""
    return setting if setting > 0 else (os.cpu_count() or 1)


class ExtractStage:
    """Fill `item.extraction` for pages with an HTML body; leave failed pages as they are."""

    def __init__(self, workers: int):
        self.workers = workers
        self._pool: Executor | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(worker_count(crawler.settings.getint("PRODOPS_EXTRACT_WORKERS")))

    async def process_item(self, item):
        if not isinstance(item, Page) or not _was_fetched(item):
            return item
        url = item.final_url or item.url
        if is_pdf(item.content_type, item.body):
            try:
                item.extraction = await self._run(extract_pdf, item.body, url)
            except PdfError as error:
                item.extraction_error = str(error)
                logger.warning("%s: %s", url, error)
            return item
        if item.content_type not in HTML_TYPES:
            return item
        html = item.body.decode(item.encoding or "utf-8", errors="replace")
        item.extraction = await self._run(extract_html, html, url)
        if item.extraction is None:
            logger.info("No main text found in %s", url)
        else:
            _adopt_declared_canonical(item, item.extraction)
        return item

    async def _run(self, function, *args):
        if self.workers <= 1:
            return function(*args)
        if self._pool is None:
            # spawn, not fork: the crawler process runs threads (DNS, reactor) that a
            # forked child would inherit in an unknown state.
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context)
        return await asyncio.wrap_future(self._pool.submit(function, *args))

    def close_spider(self) -> None:
        """Shut the worker pool down at the end of the crawl."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


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
