"""The `curator` spider: crawls every configured source through its kind's navigation."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import scrapy

from pipeline.clock import now_iso
from pipeline.config.sources import Source, load_sources, select_sources
from pipeline.store.database import open_database
from pipeline.store.runs import last_successes, skip_not_due
from spiders.feed import FeedNavigation
from spiders.links import LinksNavigation
from spiders.navigation import CrawlFindings, CrawlState
from spiders.page import PageNavigation
from spiders.site import SiteNavigation
from spiders.sitemap import SitemapNavigation, SitemapState


class CuratorSpider(FeedNavigation, SitemapNavigation, SiteNavigation, LinksNavigation, PageNavigation):
    """Crawl sources from data/sources.yaml (or a list given by `prodops crawl`).

    Spider arguments: ``sources`` (a path, or the list of Source that `prodops crawl` chose)
    and ``only`` (comma-separated source ids). From a path, the sources are chosen as
    `prodops crawl` chooses them (config.sources.select_sources, store.runs.skip_not_due).

    When it closes, pipeline.crawl.runlog.RunLog saves its `findings` (CrawlFindings).
    """

    name = "curator"

    def __init__(self, *args, sources: str | list[Source] | None = None, only: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self._sources_arg = sources
        self._only = [part for part in only.split(",") if part] if isinstance(only, str) else only
        self.sources = []
        self.crawl_state = CrawlState()
        self.sitemap_state = SitemapState()
        self.findings = CrawlFindings()
        # How each kind of source (Source.kind) starts: a new kind is added here, and in
        # pipeline.config.sources.KIND_OPTIONS.
        self.starts: dict[str, Callable[[Source], Iterator[scrapy.Request]]] = {
            "feed": self.start_feed,
            "sitemap": self.start_sitemap,
            "site": self.start_site,
            "links": self.start_links,
            "url": self.start_url,
        }

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        """The spider with its sources chosen, each of a kind it knows how to start."""
        spider = super().from_crawler(crawler, *args, **kwargs)
        chosen = spider._sources_arg or crawler.settings.get("PRODOPS_SOURCES")
        db_path = crawler.settings.get("PRODOPS_DB")
        if isinstance(chosen, str):  # `scrapy crawl curator`: choose as `prodops crawl` does
            only = spider._only or crawler.settings.getlist("PRODOPS_ONLY")
            db = open_database(db_path)
            try:
                spider.sources, skipped = skip_not_due(
                    db, select_sources(load_sources(chosen), only), bool(only), now_iso())
            finally:
                db.close()
            for source_id, why in skipped.items():
                spider.logger.warning("Skipping %s: %s", source_id, why)
        else:  # chosen by `prodops crawl` already
            spider.sources = list(chosen)
        unknown = [source for source in spider.sources if source.kind not in spider.starts]
        if unknown:
            raise ValueError("the curator spider cannot crawl "
                             + ", ".join(f"source {source.id!r} of kind {source.kind!r}" for source in unknown)
                             + f" (the kinds it knows: {', '.join(spider.starts)})")
        spider.sitemap_state.last_success = last_successes(crawler.settings.get("PRODOPS_DB"))
        return spider

    async def start(self):
        """The first requests of every source, by its kind."""
        for source in self.sources:
            for request in self.starts[source.kind](source):
                yield request
