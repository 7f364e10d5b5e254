"""Collecting from a curated link list (a "toolkit" page, an awesome list).

Every http(s) link in the part of the page a CSS `selector` picks, or, without one, every
link the page lists outside its menus, header, footer and sidebars (a site's chrome:
pipeline.understand.links.in_boilerplate; all of its links where it lists none elsewhere),
becomes a resource to fetch; its anchor text and the heading of its section are kept as
hints.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urldefrag

import scrapy
from scrapy.http import TextResponse

from feeds.entries import EntryHints
from feeds.urls import web_address
from pipeline import counters
from pipeline.config.sources import Source
from pipeline.understand.links import PageWords, in_boilerplate
from spiders.page import PageNavigation
from spiders.responses import media_type

HEADING = "preceding::*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6][1]"


def listed_links(response, selector: str | None) -> list[tuple[str, str, str | None]]:
    """(url, anchor text, section heading) of each http(s) link the page lists, in page order,
    once each: in the regions `selector` picks, or, without one, outside the site's chrome
    (`in_boilerplate`: a GitHub README's list, not GitHub's menus and footer), unless the page
    lists none there."""
    page_url = urldefrag(response.url)[0]
    regions = response.css(selector) if selector else [response]
    found: dict[str, tuple[str, str, str | None]] = {}
    chrome: dict[str, tuple[str, str, str | None]] = {}
    words = PageWords()
    for region in regions:
        for anchor in region.css("a[href]"):
            url = web_address(anchor.attrib["href"], response.url)
            url = urldefrag(url)[0] if url is not None else None
            if url is None or url == page_url or url in found:
                continue
            text = " ".join(" ".join(anchor.css("::text").getall()).split())
            heading = " ".join(" ".join(anchor.xpath(f"{HEADING}//text()").getall()).split())
            if not selector and in_boilerplate(anchor.root, words):
                chrome.setdefault(url, (url, text, heading or None))
            else:
                found[url] = (url, text, heading or None)
    return list(found.values() if found else chrome.values())


class LinksNavigation(PageNavigation):
    """Spider methods for `links` sources."""

    def start_links(self, source: Source) -> Iterator[scrapy.Request]:
        """A links source starts with its page of links."""
        yield self.navigation_request(source.url, source, self.parse_link_list)

    def parse_link_list(self, response, source: Source):
        """Follow the links a page lists, each with its anchor text and section heading."""
        stats = self.crawler.stats
        if self.seen_unchanged(response, source):
            yield from self.links_listed_last_time(response, source, "links")
            return
        kind = media_type(response)
        if not isinstance(response, TextResponse) or not ("html" in kind or kind in ("", "text/plain")):
            counters.count_error(stats, source.id, response.url,
                                 f"not an HTML page ({kind or 'no type'}); a links source is a page of links")
            return
        counters.mark_source_ok(stats, source.id)
        limit = source.option("max_links", 200)
        listed = listed_links(response, source.option("selector"))
        links = [link for link in listed if source.wants(link[0])][:limit]
        if not listed:
            counters.warn_source(stats, source.id, "the page lists no http(s) links"
                                 + (f" in {source.option('selector')!r}" if source.option("selector") else ""))
        elif not links:
            counters.warn_source(stats, source.id,
                                 f"no link of the {len(listed)} the page lists passes the source's allow/deny rules")
        self.remember_validators(response, [url for url, _, _ in links])
        for url, text, heading in links:
            hints = EntryHints(anchor=text or None, categories=[heading] if heading else [])
            yield from self.follow(url, source, found_via="links", hints=hints)
