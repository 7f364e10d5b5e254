"""The `curator` spider: crawls every configured source through its kind's navigation."""

from __future__ import annotations

import scrapy

from pipeline.config import Source, load_sources
from spiders.feed import FeedNavigation
from spiders.page import PageNavigation


class CuratorSpider(FeedNavigation, PageNavigation, scrapy.Spider):
    """Crawl sources from data/sources.yaml (or a list given by `prodops crawl`).

    Spider arguments: ``sources`` (a path, or a list of Source from the CLI) and ``only``
    (comma-separated source ids). Disabled sources are skipped.
    """

    name = "curator"

    def __init__(self, *args, sources: str | list[Source] | None = None, only: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self._sources_arg = sources
        self._only = [part for part in only.split(",") if part] if isinstance(only, str) else only
        self.sources: list[Source] = []

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        chosen = spider._sources_arg or crawler.settings.get("PRODOPS_SOURCES")
        sources = load_sources(chosen) if isinstance(chosen, str) else list(chosen)
        only = set(spider._only or crawler.settings.getlist("PRODOPS_ONLY"))
        spider.sources = [s for s in sources if (s.id in only if only else s.enabled)]
        return spider

    async def start(self):
        for source in self.sources:
            for request in getattr(self, f"start_{source.kind}")(source):
                yield request
