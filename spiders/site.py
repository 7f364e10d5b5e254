"""Focused crawl of a site: from a start URL, same-site links that pass allow/deny, up to
a depth and a page limit. Pages without main text (hubs, listings) are followed but not
kept; on a page that answers 304, the links it had last time are followed. Below the start
page, the links of a page whose relevance is under PRODOPS_FOLLOW_MIN_RELEVANCE are not
followed (pipeline.stages.follow decides)."""

from __future__ import annotations

from scrapy.linkextractors import LinkExtractor

from pipeline import counters
from pipeline.config.sources import Source
from pipeline.understand.canonical import same_site
from spiders.responses import page_from_response


class SiteNavigation:
    """Spider methods for `site` sources."""

    def start_site(self, source: Source):
        self.take_budget(source, "site")
        yield from self.follow(source.url, source, found_via="site", depth=0)

    def site_request(self, url: str, source: Source, depth: int):
        request = self.page_request(url, source, found_via="site")
        request.cb_kwargs["depth"] = depth
        return request.replace(callback=self.parse_site_page)

    def parse_site_page(self, response, source: Source, found_via, hints, found_url, depth: int,
                        landing_url=None):
        stats = self.crawler.stats
        counters.count_page(stats, source.id)
        if depth == 0:
            counters.mark_source_ok(stats, source.id)
        page = page_from_response(response, found_url, source.id, found_via, hints)
        if page.not_modified:
            counters.count_not_modified(stats, source.id)
        page.depth = depth
        if depth < source.option("max_depth", 2):
            if page.not_modified:
                known = response.meta.get("validators")
                page.site_links = list(known.links) if known is not None else []
            elif hasattr(response, "text"):
                page.site_links = self._site_links(response, source)
                self.remember_links(response, page.site_links)
        yield page  # its links are asked for by the follow stage (spiders.page.follow_from)

    def _site_links(self, response, source: Source) -> list[str]:
        # The site check is ours: LinkExtractor's allow_domains does not match a host
        # with a port.
        extractor = LinkExtractor(
            allow=source.option("allow") or (), deny=source.option("deny") or (), unique=True
        )
        return [
            link.url for link in extractor.extract_links(response)
            if same_site(link.url, source.url) and source.wants(link.url)
        ]
