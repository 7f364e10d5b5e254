"""The `discover` spider: finds a site's feeds and sitemaps, and checks that they parse (in
bounded worker processes, as a crawl parses: pipeline/stages/pool.py)."""

from __future__ import annotations

from dataclasses import dataclass

import scrapy
from scrapy.exceptions import DropItem

from feeds.discover import feed_links, guessed_feed_urls, guessed_sitemap_urls
from feeds.parse import NotAFeedError, parse_feed
from feeds.sitemaps import NotASitemapError, parse_sitemap, sitemaps_from_robots
from pipeline.stages.pool import pool_of
from pipeline.stages.tasks import TaskStopped
from spiders import robots
from spiders.responses import content_type, describe_failure, is_refused, is_unreachable


@dataclass
class Proposal:
    """A source the site offers, checked by fetching and parsing it."""

    kind: str  # feed | sitemap
    url: str
    title: str | None
    evidence: str  # how it was found, and what it holds
    site: str = ""  # the page discovery started from


class DiscoverSpider(scrapy.Spider):
    """Spider argument: ``url``, a page of the site, or ``urls``, pages of several sites
    (each proposal says which in ``site``). Results in ``self.proposals``, and in
    ``self.failures`` why a site's page could not be fetched."""

    name = "discover"
    # Discovery stores nothing: no stages, no run log.
    custom_settings = {"ITEM_PIPELINES": {}, "EXTENSIONS": {"scrapy.extensions.telnet.TelnetConsole": None}}

    def __init__(self, *args, url: str = "", urls: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.urls = list(urls or []) or [url]
        self.proposals: list[Proposal] = []
        self.failures: dict[str, str] = {}  # site -> why its page could not be fetched
        self._checked: set[str] = set()

    async def start(self):
        for site in self.urls:
            yield scrapy.Request(site, callback=self.parse_page, errback=self.page_failed,
                                 cb_kwargs={"site": site}, dont_filter=True)
            # (a robots.txt not there, a 404, still leads to the usual /sitemap.xml)
            yield robots.sitemaps_request(site, self.parse_robots, self.ignore, {"site": site})

    async def parse_page(self, response, site: str):
        try:
            declared = await self._parse(feed_links, response.text, response.url) if hasattr(response, "text") else []
        except (TaskStopped, DropItem):
            declared = []  # the usual paths are still tried
        for url, title in declared:
            yield self._check(url, self.check_feed, site, f"declared by {response.url}", title)
        for url in guessed_feed_urls(response.url):
            yield self._check(url, self.check_feed, site, "the platform's usual feed path")

    def page_failed(self, failure):
        site = failure.request.cb_kwargs["site"]
        self.failures[site] = describe_failure(failure)
        if is_unreachable(failure) or is_refused(failure):
            return  # the host cannot be had (DNS, refused, timeout, or not to be asked): nor its usual paths
        # The page itself failed (a 404, a 500): the usual paths may still answer.
        for url in guessed_feed_urls(site):
            yield self._check(url, self.check_feed, site, "the platform's usual feed path")

    def parse_robots(self, response, site: str):
        declared = sitemaps_from_robots(response.body, response.url) if response.status == 200 else []
        for url in declared:
            yield self._check(url, self.check_sitemap, site, "declared in robots.txt")
        if not declared:
            for url in guessed_sitemap_urls(site):
                yield self._check(url, self.check_sitemap, site, "the usual sitemap path")

    def _check(self, url: str, callback, site: str, evidence: str, title: str | None = None):
        if url in self._checked:
            return None
        self._checked.add(url)
        return scrapy.Request(url, callback=callback, errback=self.ignore,
                              cb_kwargs={"site": site, "evidence": evidence, "title": title})

    async def check_feed(self, response, site: str, evidence: str, title: str | None):
        try:
            feed = await self._parse(parse_feed, response.body, response.url, content_type(response))
        except (NotAFeedError, TaskStopped, DropItem):
            return
        found_url = response.request.meta.get("redirect_urls", [response.url])[0]
        if any(p.url in (found_url, response.url) for p in self.proposals):
            return
        self.proposals.append(Proposal(
            "feed", response.url, title or feed.title,
            f"{evidence}; {feed.version}, {len(feed.entries)} entries", site,
        ))

    async def check_sitemap(self, response, site: str, evidence: str, title: str | None):
        try:
            sitemap = await self._parse(parse_sitemap, response.body, response.url)
        except (NotASitemapError, TaskStopped, DropItem):
            return
        self.proposals.append(Proposal(
            "sitemap", response.url, title, f"{evidence}; {sitemap.kind}, {len(sitemap.entries)} entries", site,
        ))

    async def _parse(self, function, *args):
        """Parse fetched bytes in a bounded worker process (pipeline/stages/pool.py), one
        that loads no models: discovery only parses."""
        return await pool_of(self.crawler, warm_up=False).run(function, *args, alone=True)

    def ignore(self, failure):
        return None
