"""The `curator` spider: crawls every configured source through its kind's navigation."""

from __future__ import annotations

from datetime import datetime

import scrapy
from twisted.python.failure import Failure

from pipeline import counters
from pipeline.clock import now_iso
from pipeline.config.sources import Source, load_sources, select_sources
from pipeline.counters import DropReason
from pipeline.items import Page
from pipeline.store import validators
from pipeline.store.database import open_database
from pipeline.store.runs import last_successes, skip_not_due
from spiders.feed import FeedNavigation
from spiders.links import LinksNavigation
from spiders.page import PageNavigation
from spiders.responses import describe_failure, found_url_of, headers_of, is_gone, is_not_modified, is_unreachable
from spiders.site import SiteNavigation
from spiders.sitemap import SitemapNavigation

# Pages one source may yield in a run, by kind, unless its `max_pages` setting says otherwise.
DEFAULT_PAGE_BUDGET = {"sitemap": 500, "site": 100}


class CuratorSpider(
    FeedNavigation, SitemapNavigation, SiteNavigation, LinksNavigation, PageNavigation,
    scrapy.Spider,
):
    """Crawl sources from data/sources.yaml (or a list given by `prodops crawl`).

    Spider arguments: ``sources`` (a path, or the list of Source that `prodops crawl` chose)
    and ``only`` (comma-separated source ids). From a path, the sources are chosen as
    `prodops crawl` chooses them (config.sources.select_sources, store.runs.skip_not_due).
    """

    name = "curator"

    def __init__(self, *args, sources: str | list[Source] | None = None, only: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self._sources_arg = sources
        self._only = [part for part in only.split(",") if part] if isinstance(only, str) else only
        self.sources: list[Source] = []
        # Validators of navigation documents (feeds, sitemaps, link pages) read in this run;
        # saved by pipeline.crawl.runlog only when the run finishes, so an interrupted run
        # re-reads them next time.
        self.pending_validators: dict[str, dict] = {}
        self.last_success: dict[str, datetime | None] = {}  # source id -> its last good crawl
        self.visited_sitemaps: dict[str, set[str]] = {}
        self._sitemaps_asked: dict[str, int] = {}  # source id -> child sitemaps requested
        self._budget_used: dict[str, int] = {}
        self.requested_by: dict[str, str] = {}  # URL -> the source that first asked for it
        self._followed: set[str] = set()
        # (url, source id, found via, anchor, section) of resources another source had
        # already asked for in this run; pipeline.crawl.runlog records them as sightings.
        self.extra_sightings: list[tuple[str, str, str, str | None, str | None]] = []

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
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
        spider.last_success = last_successes(crawler.settings.get("PRODOPS_DB"))
        return spider

    def navigation_request(self, url: str, source: Source, callback) -> scrapy.Request:
        """A conditional request for a source's own navigation document (feed, sitemap,
        link list); its failure counts against the source."""
        return scrapy.Request(url, callback=callback, errback=self.source_failed,
                              cb_kwargs={"source": source}, meta={"conditional": True},
                              dont_filter=True)

    def seen_unchanged(self, response, source: Source) -> bool:
        """Count a navigation response; True when it is unchanged since the last crawl (the
        source is then fine, and what it listed last time still stands)."""
        stats = self.crawler.stats
        counters.count_page(stats, source.id)
        if not is_not_modified(response):
            return False
        counters.count_not_modified(stats, source.id)
        counters.mark_source_ok(stats, source.id)
        return True

    def source_failed(self, failure: Failure):
        """The source's own URL failed: count it against the source (410 Gone disables it)."""
        # (Scrapy sets `request` on an errback's Failure: Twisted's type does not have it.)
        source: Source = failure.request.cb_kwargs["source"]  # type: ignore[attr-defined]
        counters.count_error(
            self.crawler.stats, source.id, failure.request.url, describe_failure(failure)  # type: ignore[attr-defined]
        )
        if is_gone(failure):
            counters.mark_source_gone(self.crawler.stats, source.id)
        if is_unreachable(failure):
            counters.mark_source_unreachable(self.crawler.stats, source.id)

    def skip_links(self, source: Source, count: int, what: str) -> None:
        """Record `count` items of a source skipped because their link is not http(s)
        (javascript:, data:, file:, mailto: ...): never fetched, counted, and said on the source."""
        counters.count_dropped(self.crawler.stats, DropReason.NOT_WEB_LINK, count)
        counters.warn_source(self.crawler.stats, source.id,
                             f"skipped {count} {what} whose link is not an http(s) link")

    def source_by_id(self, source_id: str) -> Source | None:
        return next((source for source in self.sources if source.id == source_id), None)

    def take_budget(self, source: Source, kind: str) -> bool:
        """Count one page against the source's page limit; False once it is used up."""
        limit = source.option("max_pages", DEFAULT_PAGE_BUDGET[kind])
        used = self._budget_used.get(source.id, 0)
        if used >= limit:
            return False
        self._budget_used[source.id] = used + 1
        return True

    def remember_validators(self, response, links: list[str], links_kind: str = "pages") -> None:
        """Keep a navigation response's validators and the links it listed, to be saved
        if the run finishes."""
        self.pending_validators[found_url_of(response)] = {
            **validators.response_validators(headers_of(response)),
            "body_hash": validators.body_hash(response.body),
            "links": links,
            "links_kind": links_kind,
        }

    def remember_links(self, response, links: list[str]) -> None:
        """Keep the links of a page that is also a document (a site crawl's pages)."""
        self.pending_validators[found_url_of(response)] = {"links": links, "links_kind": "pages"}

    def links_listed_last_time(self, response, source: Source, found_via: str):
        """For an unchanged navigation document: its links again, as not-modified pages."""
        known = response.meta.get("validators")
        for url in known.links if known else ():
            yield Page(url=url, source_id=source.id, found_via=found_via, not_modified=True)

    async def start(self):
        for source in self.sources:
            for request in getattr(self, f"start_{source.kind}")(source):
                yield request
