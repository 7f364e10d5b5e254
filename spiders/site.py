"""Focused crawl of a site: from a start URL, same-site links that pass allow/deny, up to
a depth and a page limit. Pages without main text (hubs, listings) are followed but not
kept; on a page that answers 304, the links it had last time are followed. Below the start
page, the links of a page whose relevance is under PRODOPS_FOLLOW_MIN_RELEVANCE are not
followed, except the site's navigation and a listing's links (pipeline.stages.follow
decides): a link is navigation when it says rel="next" or reads like pagination ("Older
posts", "Next »", "Page 2", "3"), and the page it leads to is a further page of a listing."""

from __future__ import annotations

import re
from collections.abc import Iterator

import scrapy
from scrapy.linkextractors import LinkExtractor

from feeds.discover import looks_like_feed
from pipeline import counters
from pipeline.config.sources import Source
from pipeline.understand.canonical import same_site
from spiders.page import PageNavigation
from spiders.responses import page_from_response


class SiteNavigation(PageNavigation):
    """Spider methods for `site` sources."""

    def start_site(self, source: Source) -> Iterator[scrapy.Request]:
        """A site crawl starts at the source's URL, its first page counted against its limit."""
        self.take_budget(source, "site")
        yield from self.follow(source.url, source, found_via="site", depth=0)

    def site_request(self, url: str, source: Source, depth: int) -> scrapy.Request:
        """A request for a page of a site crawl, `depth` links from its start page."""
        request = self.page_request(url, source, found_via="site")
        request.cb_kwargs["depth"] = depth
        return request.replace(callback=self.parse_site_page)

    def parse_site_page(self, response, source: Source, found_via, hints, found_url, depth: int,
                        landing_url=None, listing: bool = False):
        """A site crawl's page as a Page item, with the same-site links to follow from it."""
        stats = self.crawler.stats
        counters.count_page(stats, source.id)
        if depth == 0:
            counters.mark_source_ok(stats, source.id)
            if looks_like_feed(response.body):  # it would end `ok` with nothing stored and nothing said
                counters.warn_source(stats, source.id, "its start page is a feed (RSS or Atom), not a web page: "
                                     "make it a feed source (kind: feed) to collect its entries")
        page = page_from_response(response, found_url, source.id, found_via, hints)
        if page.not_modified:
            counters.count_not_modified(stats, source.id)
        page.depth = depth
        page.listing = listing
        if depth < source.option("max_depth", 2):
            if page.not_modified:
                known = response.meta.get("validators")
                page.site_links = list(known.links) if known is not None else []
            elif hasattr(response, "text"):
                links = self._site_links(response, source)
                rel_next = {response.urljoin(href) for href in response.xpath(REL_NEXT).getall()}
                page.site_links = [link.url for link in links]
                page.link_texts = [link.text for link in links]
                page.navigation_links = [link.url for link in links if link.url in rel_next or is_pagination(link.text)]
                self.remember_links(response, page.site_links)
        yield page  # its links are asked for by the follow stage (spiders.page.PageNavigation.follow_from)

    def _site_links(self, response, source: Source) -> list:
        # The site check is ours: LinkExtractor's allow_domains does not match a host
        # with a port.
        extractor = LinkExtractor(
            allow=source.option("allow") or (), deny=source.option("deny") or (), unique=True
        )
        return [
            link for link in extractor.extract_links(response)
            if same_site(link.url, source.url) and source.wants(link.url)
        ]


# Anchor texts of pagination: "Older posts", "Next page »", "← Newer entries", "Page 2", "3".
PAGINATION_TEXT = re.compile(r"^\W*((older|newer|next|previous|earlier|more)\b(\W+\w+)?|page\W*\d+|\d{1,4})\W*$",
                             re.IGNORECASE)
# Links that say they lead to the next (or previous) page of the same listing.
REL_NEXT = ("//a[contains(concat(' ', normalize-space(@rel), ' '), ' next ') or "
            "contains(concat(' ', normalize-space(@rel), ' '), ' prev ')]/@href")


def is_pagination(anchor_text: str | None) -> bool:
    """Whether a link's text reads like pagination ("Older posts", "Page 2", "3")."""
    return bool(PAGINATION_TEXT.match(" ".join((anchor_text or "").split())))
