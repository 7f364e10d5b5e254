"""Stage 7 (after the store): ask for what a page leads to — its linked PDFs, and a site
crawl's links — only when the page is about product ops enough (PRODOPS_FOLLOW_MIN_RELEVANCE),
so that a feed article about tax law does not make the crawler fetch five government PDFs.

Always followed: a site crawl's start page (the curator chose the site), and pages without
main text (hubs and listings carry no relevance of their own; they are dropped before the
store, and their links are followed when the drop is told). Not followed: counted per run
and said in the crawl's summary.
"""

from __future__ import annotations

import logging

from scrapy import signals

from pipeline import counters
from pipeline.items import Page

logger = logging.getLogger(__name__)


class FollowStage:
    """Schedule the requests of relevant pages (through the spider's follow_from)."""

    def __init__(self, crawler, min_relevance: float):
        self.crawler = crawler
        self.min_relevance = min_relevance

    @classmethod
    def from_crawler(cls, crawler):
        stage = cls(crawler, crawler.settings.getfloat("PRODOPS_FOLLOW_MIN_RELEVANCE"))
        crawler.signals.connect(stage.item_dropped, signal=signals.item_dropped)
        return stage

    def process_item(self, item):
        if isinstance(item, Page) and (item.linked_pdfs or item.site_links):
            relevance = item.document["relevance"] if item.document is not None else item.relevance
            self._follow(item, relevance)
        return item

    def item_dropped(self, item, response, exception, spider=None):
        """A page without main text (a hub, a listing, a bare download page) still leads on."""
        if isinstance(item, Page) and str(exception).startswith("no-content"):
            self._follow(item, None)

    def _follow(self, page: Page, relevance: float | None) -> None:
        chosen_start = page.found_via == "site" and page.depth == 0
        if relevance is not None and relevance < self.min_relevance and not chosen_start:
            links = len(page.linked_pdfs) + len(page.site_links)
            counters.count_not_followed(self.crawler.stats, links)
            logger.info("not following %d link(s) of %s: relevance %.2f < %.2f", links, page.url,
                        relevance, self.min_relevance)
            return
        spider = self.crawler.spider
        for request in spider.follow_from(page):
            self.crawler.engine.crawl(request)
