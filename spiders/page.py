"""Collecting single pages: the `url` kind, and the article pages other kinds link to."""

from __future__ import annotations

import logging

import scrapy
from scrapy.exceptions import IgnoreRequest
from twisted.python.failure import Failure

from pipeline import counters
from pipeline.config import Source
from pipeline.items import EntryHints, Page
from spiders.responses import describe_failure, page_from_response

logger = logging.getLogger(__name__)


class PageNavigation:
    """Spider methods that fetch one page and yield it as a Page item."""

    def start_url(self, source: Source):
        """A `url` source is one page."""
        yield self.page_request(source.url, source, found_via="url")

    def page_request(
        self, url: str, source: Source, found_via: str, hints: EntryHints | None = None
    ) -> scrapy.Request:
        """A request for a resource page; a failure still yields what is known about it."""
        return scrapy.Request(
            url,
            callback=self.parse_page,
            errback=self.page_failed,
            cb_kwargs={"source": source, "found_via": found_via, "hints": hints, "found_url": url},
            meta={"conditional": True},
        )

    def parse_page(self, response, source: Source, found_via: str, hints, found_url: str):
        counters.count_page(self.crawler.stats, source.id)
        if found_via == "url":
            counters.mark_source_ok(self.crawler.stats, source.id)
        page = page_from_response(response, found_url, source.id, found_via, hints)
        if page.not_modified:
            counters.count_not_modified(self.crawler.stats, source.id)
        yield page

    def page_failed(self, failure: Failure):
        kwargs = failure.request.cb_kwargs
        source: Source = kwargs["source"]
        url = kwargs["found_url"]
        if failure.check(IgnoreRequest) and "robots.txt" in str(failure.value):
            message = "forbidden by robots.txt"
            logger.info("%s: %s", url, message)
        else:
            message = describe_failure(failure)
            counters.count_error(self.crawler.stats, source.id, url, message)
        response = getattr(failure.value, "response", None)
        yield Page(
            url=url,
            source_id=source.id,
            found_via=kwargs["found_via"],
            status=response.status if response is not None else 0,
            hints=kwargs["hints"],
            fetch_error=message,
        )
