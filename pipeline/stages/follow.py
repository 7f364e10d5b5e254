"""Stage 7 (after the store): ask for what a page leads to — its linked PDFs, and a site
crawl's links — only when the page is about product ops enough (PRODOPS_FOLLOW_MIN_RELEVANCE),
so that a feed article about tax law does not make the crawler fetch five government PDFs.

Always followed: a site crawl's start page (the curator chose the site), pages without
main text (hubs and listings carry no relevance of their own; they are dropped before the
store, and their links are followed when the drop is told), and a site's listings whatever
their text's relevance: a page reached through pagination ("Older posts", rel=next), a page
whose main text is mostly the anchors of its links (LISTING_SHARE), and the navigation
links of any page. What is gated is counted per run and said in the crawl's summary.
"""

from __future__ import annotations

import logging

from scrapy import signals

from pipeline import counters
from pipeline.counters import DropReason
from pipeline.items import Page
from pipeline.stages.drops import reason_of

logger = logging.getLogger(__name__)

# A page whose main text is at least this share the anchor text of its same-site links is a
# listing (a list of titles with short excerpts); an article's own links are a small share.
LISTING_SHARE = 0.4


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
        if isinstance(item, Page) and reason_of(exception) is DropReason.NO_CONTENT:
            self._follow(item, None)

    def _follow(self, page: Page, relevance: float | None) -> None:
        chosen_start = page.found_via == "site" and page.depth == 0
        gated = relevance is not None and relevance < self.min_relevance and not chosen_start
        if gated and (page.listing or is_listing(page)):
            gated = False  # navigation of the site the curator chose: it leads on
        if gated:
            links = len(page.linked_pdfs) + len(set(page.site_links) - set(page.navigation_links))
            counters.count_not_followed(self.crawler.stats, links)
            logger.info("not following %d link(s) of %s: relevance %.2f < %.2f", links, page.url,
                        relevance, self.min_relevance)
        spider = self.crawler.spider
        for request in spider.follow_from(page, navigation_only=gated):
            self.crawler.engine.crawl(request)


def is_listing(page: Page) -> bool:
    """Whether a page's main text is mostly the anchor text of its same-site links (at least
    LISTING_SHARE of it): a blog's index, an archive, a category page."""
    text = " ".join(((page.document or {}).get("text") or "").split())
    if not text or not page.link_texts:
        return False
    anchors = {" ".join(anchor.split()) for anchor in page.link_texts}
    covered = sum(len(anchor) * text.count(anchor) for anchor in anchors if len(anchor) > 3)
    return covered >= LISTING_SHARE * len(text)
