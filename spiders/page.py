"""Collecting single pages: the `url` kind, and the article pages other kinds link to."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from urllib.parse import urldefrag, urljoin, urlsplit

import scrapy
from scrapy.http import TextResponse
from twisted.python.failure import Failure

from feeds.entries import EntryHints
from pipeline import counters
from pipeline.config.sources import Source
from pipeline.items import Page
from pipeline.understand.titles import link_title
from spiders import robots
from spiders.navigation import Navigation, Sighting
from spiders.responses import (describe_failure, failed_for_now, failed_request, is_gone, is_refused, is_unreachable,
                               page_from_response)

logger = logging.getLogger(__name__)


class PageNavigation(Navigation):
    """Spider methods that fetch one page and yield it as a Page item; every kind of source
    follows what it lists through them."""

    def start_url(self, source: Source) -> Iterator[scrapy.Request]:
        """A `url` source is one page."""
        yield from self.follow(source.url, source, found_via="url")

    def follow(self, url: str, source: Source, found_via: str, hints: EntryHints | None = None,
               landing_url: str | None = None, depth: int | None = None) -> Iterator[scrapy.Request]:
        """Yield a request for a resource, unless this run already asked for that URL: then
        only the sighting is recorded (at the end of the run), so every source that lists a
        resource keeps its provenance without a second download."""
        asked = self.crawl_state
        first = asked.requested_by.setdefault(url, source.id)
        if first != source.id:
            anchor = hints.anchor if hints else None
            section = hints.categories[0] if hints and hints.categories else None
            self.findings.extra_sightings.append(Sighting(url, source.id, found_via, anchor, section))
            return
        if url in asked.followed:
            return  # the same source lists it twice
        asked.followed.add(url)
        if depth is None:
            yield self.page_request(url, source, found_via, hints, landing_url)
        else:
            yield self.site_request(url, source, depth)

    def site_request(self, url: str, source: Source, depth: int) -> scrapy.Request:
        """A request for a page of a site crawl, `depth` links from its start page."""
        # Declared here, where follow() uses it; spiders.site.SiteNavigation makes it.
        raise NotImplementedError("spiders.site.SiteNavigation makes a site crawl's requests")

    def page_request(
        self, url: str, source: Source, found_via: str, hints: EntryHints | None = None,
        landing_url: str | None = None,
    ) -> scrapy.Request:
        """A request for a resource page; a failure still yields what is known about it."""
        return scrapy.Request(
            url,
            callback=self.parse_page,
            errback=self.page_failed,
            cb_kwargs={"source": source, "found_via": found_via, "hints": hints, "found_url": url,
                       "landing_url": landing_url},
            meta={"conditional": True},
            # follow() already asks for each URL once; Scrapy's duplicate filter would also
            # drop a redirect back to a URL already asked for, so a redirect loop would end
            # silently instead of as "too many redirects" on the source.
            dont_filter=True,
        )

    def parse_page(self, response, source: Source, found_via: str, hints, found_url: str,
                   landing_url: str | None = None):
        """A fetched resource page as a Page item, with the PDFs it links to."""
        counters.count_page(self.crawler.stats, source.id)
        if found_via == "url":
            counters.mark_source_ok(self.crawler.stats, source.id)
        page = page_from_response(response, found_url, source.id, found_via, hints)
        page.landing_url = landing_url
        if landing_url is None:
            page.linked_pdfs, page.pdf_anchors = self.linked_pdfs(response, page.not_modified)
        if page.not_modified:
            counters.count_not_modified(self.crawler.stats, source.id)
        yield page  # its linked PDFs are asked for by the follow stage, if it is relevant enough

    def follow_from(self, page: Page, navigation_only: bool = False) -> list[scrapy.Request]:
        """The requests a stored (or skipped) page leads to: its linked PDFs, and for a site
        crawl's page its links within the source's page budget; with `navigation_only`, only
        its navigation links (pipeline.stages.follow decides)."""
        source = self.source_by_id(page.source_id)
        if source is None:
            return []
        requests: list[scrapy.Request] = []
        if not navigation_only:
            for url in page.linked_pdfs:
                # The link's words name a PDF whose metadata has no title, or no text (a scan).
                anchor = page.pdf_anchors.get(url)
                hints = EntryHints(anchor=anchor) if anchor else None
                requests += self.follow(url, source, found_via="pdf-link", hints=hints,
                                        landing_url=page.final_url or page.url)
        navigation = set(page.navigation_links)
        for url in page.navigation_links if navigation_only else page.site_links:
            if url not in self.crawl_state.followed and self.take_budget(source, "site"):
                for request in self.follow(url, source, found_via="site", depth=(page.depth or 0) + 1):
                    request.cb_kwargs["listing"] = url in navigation  # a further page of a listing
                    requests.append(request)
        return requests

    def linked_pdfs(self, response, not_modified: bool) -> tuple[list[str], dict[str, str]]:
        """The PDFs (whitepapers, reports) a page links to, and the words of the links that
        name them: read from the page, or for an unchanged page from what was saved with it
        (a 304 has no body; and a PDF whose fetch was interrupted last time must still be
        asked for), then without their links' words."""
        if not_modified:
            known = response.meta.get("validators")
            return (list(known.links) if known is not None and known.links_kind == "pdfs" else []), {}
        limit = self.settings.getint("PRODOPS_PDF_LINKS_PER_PAGE")
        links = pdf_links(response) if limit > 0 else {}
        urls = list(links)[:limit]
        return urls, {url: links[url] for url in urls if links[url]}

    def page_failed(self, failure: Failure):
        """A resource page failed: count it, and yield what is known about the page."""
        kwargs = failed_request(failure).cb_kwargs
        source: Source = kwargs["source"]
        url = kwargs["found_url"]
        if robots.is_refusal(failure):
            message = robots.refusal(self.crawler.stats, failed_request(failure))
            logger.info("%s: %s", url, message)
            if kwargs["found_via"] == "url":  # the source is that page: it cannot be had
                counters.count_error(self.crawler.stats, source.id, url, message)
            else:
                counters.warn_source(self.crawler.stats, source.id, f"{url}: {message}")
        else:
            message = describe_failure(failure)
            counters.count_error(self.crawler.stats, source.id, url, message)
            if failed_for_now(failure):
                self.findings.failed_for_now.add(url)
            own = _is_source_url(kwargs)
            if own and is_gone(failure):
                counters.mark_source_gone(self.crawler.stats, source.id)
            if own and is_unreachable(failure):
                counters.mark_source_unreachable(self.crawler.stats, source.id)
            if own and is_refused(failure):
                counters.mark_source_refused(self.crawler.stats, source.id)
        response = getattr(failure.value, "response", None)
        yield Page(
            url=url,
            source_id=source.id,
            found_via=kwargs["found_via"],
            status=response.status if response is not None else 0,
            hints=kwargs["hints"],
            fetch_error=message,
            landing_url=kwargs.get("landing_url"),
        )


def pdf_links(response) -> dict[str, str]:
    """The links to PDF files in an HTML page: each absolute URL once, in page order, with the
    words of its first link that name it ("" when none does: "Download PDF", "here";
    pipeline.understand.titles.link_title)."""
    if not isinstance(response, TextResponse):  # a PDF or other binary body links nothing
        return {}
    if b".pdf" not in response.body.lower():  # most pages: no need to parse the HTML at all
        return {}
    found: dict[str, str] = {}
    # Only the links whose href mentions ".pdf" (any case) leave lxml: a page has hundreds.
    for link in response.xpath("//a[contains(translate(@href, 'PDF', 'pdf'), '.pdf')]"):
        url = urldefrag(urljoin(response.url, link.attrib["href"].strip()))[0]
        path = urlsplit(url).path.lower()
        if path.endswith(".pdf") and urlsplit(url).scheme in ("http", "https") and not found.get(url):
            found[url] = link_title(" ".join(" ".join(link.css("::text").getall()).split())) or ""
    return found


def _is_source_url(kwargs: dict) -> bool:
    """Whether a page request was for the source's own URL (a `url` source's page, a `site`
    source's start page): its failure is the source's, and can say the source is gone or
    unreachable (a run where every source is unreachable is an outage: pipeline.store.runs)."""
    return kwargs["found_via"] == "url" or (kwargs["found_via"] == "site" and kwargs.get("depth") == 0)
