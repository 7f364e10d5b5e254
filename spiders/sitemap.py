"""Collecting from sitemaps: robots.txt-declared or given, indexes followed, gzip read.

Pages are taken newest first (by lastmod) up to `max_pages`; a page whose lastmod is not
newer than the source's last successful crawl is not fetched again if it is already known.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin, urlsplit

import scrapy

from feeds.sitemaps import NotASitemapError, parse_sitemap, sitemaps_from_robots
from pipeline import counters
from pipeline.config.sources import Source
from pipeline.counters import DropReason
from spiders import robots
from spiders.page import PageNavigation
from spiders.responses import parse_in_worker


@dataclass
class SitemapState:
    """What sitemap sources need to know in a run, by source id."""

    # Each source's last successful crawl: a page not modified since is not fetched again.
    last_success: dict[str, datetime | None] = field(default_factory=dict)
    visited: dict[str, set[str]] = field(default_factory=dict)  # the sitemaps read
    asked: dict[str, int] = field(default_factory=dict)  # the child sitemaps requested
    listed: dict[str, int] = field(default_factory=dict)  # pages the sitemaps read listed
    wanted: dict[str, int] = field(default_factory=dict)  # ... of which the source's rules let through


class SitemapNavigation(PageNavigation):
    """Spider methods for `sitemap` sources."""

    sitemap_state: SitemapState  # set by CuratorSpider

    def start_sitemap(self, source: Source) -> Iterator[scrapy.Request]:
        """A sitemap source starts with its sitemap, or with the sitemaps robots.txt declares."""
        path = urlsplit(source.url).path
        if path in ("", "/") or path.endswith("/robots.txt"):
            # A site root or its robots.txt: use the sitemaps robots.txt declares.
            yield robots.sitemaps_request(source.url, self.parse_robots_for_sitemaps, self.source_failed,
                                          {"source": source})
        else:
            yield self.sitemap_request(source.url, source)

    def child_sitemaps(self, urls: list[str], source: Source) -> Iterator[scrapy.Request]:
        """Requests for the sitemaps an index lists, at most `max_sitemaps` per source and
        run (an index of indexes can go on forever); the rest are skipped and said so."""
        limit = source.option("max_sitemaps", self.settings.getint("PRODOPS_MAX_SITEMAPS"))
        asked = self.sitemap_state.asked
        for position, url in enumerate(urls):
            used = asked.get(source.id, 0)
            if used >= limit:
                counters.count_dropped(self.crawler.stats, DropReason.OVER_SITEMAP_LIMIT, len(urls) - position)
                counters.warn_source(self.crawler.stats, source.id,
                                     f"more sitemaps than max_sitemaps ({limit}); the rest skipped")
                return
            asked[source.id] = used + 1
            yield self.sitemap_request(url, source)

    def index_children(self, urls: list[str], source: Source) -> Iterator[scrapy.Request]:
        """The child sitemaps of an index read. The index alone does not make the source ok:
        its sitemaps, which list the pages, do (an index whose sitemaps all fail is a failing
        source); an index with none left to ask (empty, or past `max_sitemaps`) does."""
        asked = False
        for request in self.child_sitemaps(urls, source):
            asked = True
            yield request
        if not asked:
            counters.mark_source_ok(self.crawler.stats, source.id)

    def sitemap_request(self, url: str, source: Source) -> scrapy.Request:
        """A conditional request for one of a source's sitemaps."""
        return self.navigation_request(url, source, self.parse_sitemap)

    def parse_robots_for_sitemaps(self, response, source: Source) -> Iterator[scrapy.Request]:
        """Ask for the sitemaps robots.txt declares, else for /sitemap.xml."""
        counters.count_page(self.crawler.stats, source.id)
        declared = sitemaps_from_robots(response.body, response.url) if response.status == 200 else []
        for url in declared or [urljoin(response.url, "/sitemap.xml")]:
            yield self.sitemap_request(url, source)

    async def parse_sitemap(self, response, source: Source):
        """Follow a sitemap index's sitemaps, and a sitemap's pages newest first within the
        source's page limit (a file may list both: `parse_sitemap`)."""
        stats = self.crawler.stats
        seen = self.sitemap_state.visited.setdefault(source.id, set())
        if response.url in seen:
            return  # an index that lists itself, or a loop of indexes
        seen.add(response.url)
        known = response.meta.get("validators")
        was_index = known is not None and known.links_kind == "sitemaps"
        if self.seen_unchanged(response, source, vouches=not was_index):
            unchanged = (self.index_children(known.links, source) if was_index
                         else self.links_listed_last_time(response, source, "sitemap"))
            for request in unchanged:
                yield request
            return
        sitemap = await parse_in_worker(self.crawler, source.id, response, parse_sitemap, "sitemap", NotASitemapError)
        if sitemap is None:
            return
        if sitemap.skipped:
            self.skip_links(source, sitemap.skipped, "sitemap locations")
        children = [entry.url for entry in sitemap.entries if entry.is_sitemap]
        pages = [entry for entry in sitemap.entries if not entry.is_sitemap]
        if not pages and (children or sitemap.kind == "sitemapindex"):  # an index
            self.remember_validators(response, children, links_kind="sitemaps")
            for request in self.index_children(children, source):
                yield request
            return
        if children:  # sitemaps listed among its pages
            for request in self.index_children(children, source):
                yield request
        counters.mark_source_ok(stats, source.id)
        entries = [entry for entry in pages if source.wants(entry.url)]
        state = self.sitemap_state
        state.listed[source.id] = state.listed.get(source.id, 0) + len(pages)
        state.wanted[source.id] = state.wanted.get(source.id, 0) + len(entries)
        entries.sort(key=lambda entry: entry.lastmod.timestamp() if entry.lastmod else 0, reverse=True)
        since = self.sitemap_state.last_success.get(source.id)
        taken = [entry for entry in entries if self.take_budget(source, "sitemap")]
        # Sitemaps listed among pages keep no validators: a 304 could not say which of the
        # links listed last time were which, so such a file is read whole each crawl.
        if not children:
            self.remember_validators(response, [entry.url for entry in taken])
        for entry in taken:
            for request in self.follow(entry.url, source, found_via="sitemap"):
                if since is not None and entry.lastmod is not None and entry.lastmod <= since:
                    request.meta["skip_if_known"] = True
                yield request

    def note_sitemaps_that_gave_nothing(self) -> None:
        """At the end of a finished run, warn on each sitemap source whose sitemaps, read,
        gave no page to fetch: they list none, or none that its allow/deny rules let through
        (a pattern that matches nothing would otherwise leave the source `ok` and silent).
        Said once for all of a source's sitemaps: an index's sitemap of tags may rightly
        give nothing while its sitemap of posts gives everything."""
        state = self.sitemap_state
        for source_id, listed in state.listed.items():
            if state.wanted.get(source_id):
                continue
            counters.warn_source(self.crawler.stats, source_id,
                                 f"no page of the {listed} its sitemaps list passes its allow/deny rules"
                                 if listed else "its sitemaps list no pages")
