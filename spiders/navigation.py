"""What every kind of source's navigation shares (spiders/feed.py, links.py, page.py,
site.py and sitemap.py, composed into spiders.curator.CuratorSpider): the run's bookkeeping,
declared as dataclasses; what the spider hands to the run log when it closes
(CrawlFindings); and the spider methods more than one kind uses."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import scrapy
from twisted.python.failure import Failure

from pipeline import counters
from pipeline.config.sources import Source
from pipeline.counters import DropReason
from pipeline.items import Page
from pipeline.store import validators
from spiders import robots
from spiders.responses import (
    describe_failure, failed_request, found_url_of, headers_of, is_gone, is_not_modified, is_refused, is_unreachable,
)

# Pages one source may yield in a run, by kind, unless its `max_pages` setting says otherwise.
DEFAULT_PAGE_BUDGET = {"sitemap": 500, "site": 100}


@dataclass
class CrawlState:
    """What this run has asked for so far, across all its sources."""

    # URL -> the source that first asked for it: another source listing it is a sighting.
    requested_by: dict[str, str] = field(default_factory=dict)
    # URLs already asked for, so a source that lists one twice fetches it once.
    followed: set[str] = field(default_factory=set)
    # Source id -> pages counted against its page limit (Navigation.take_budget).
    budget_used: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Sighting:
    """A resource a source listed after another source had asked for it in this run: not
    fetched again, and recorded as this source's sighting when the run ends."""

    url: str
    source_id: str
    found_via: str  # feed, sitemap, site, links, url, pdf-link
    anchor: str | None = None  # the link's text (a link list's)
    section: str | None = None  # the heading of the section the link is in (a link list's)


@dataclass
class CrawlFindings:
    """What a crawl found that is saved only when its spider closes: pipeline.crawl.runlog
    reads it from the spider's `findings`."""

    # Resources listed by more than one source: the first source's request fetched them.
    extra_sightings: list[Sighting] = field(default_factory=list)
    # Validators and listed links of the navigation documents read (feeds, sitemaps, link
    # lists, a site crawl's pages), by the URL asked for; saved only if the run finishes, so
    # an interrupted run re-reads them next time.
    pending_validators: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Pages whose fetch failed in this run for a reason that passes (no answer, a 503: see
    # spiders.responses.failed_for_now).
    failed_for_now: set[str] = field(default_factory=set)

    def validators_to_save(self) -> dict[str, dict[str, Any]]:
        """The navigation documents' validators and links to save, by URL. A document that
        listed a page failed for now keeps its links but not its validators, so the next
        crawl reads it in full and asks for its pages again: a sitemap's page that never
        answered has no document to keep, and an unchanged sitemap would otherwise replay it
        as unchanged, unfetched, until the sitemap changed. (What a crawl stored says the same
        of a feed entry kept in a failed page's place: pipeline.store.validators.
        lists_a_page_to_ask_again, which reads it back in later runs too.)"""
        return {url: {**fields, "etag": None, "last_modified": None, "body_hash": None}
                if "body_hash" in fields and not self.failed_for_now.isdisjoint(fields["links"]) else fields
                for url, fields in self.pending_validators.items()}


class Navigation(scrapy.Spider):
    """The spider as every kind's navigation sees it: the state it shares, declared here and
    set by CuratorSpider, and the methods more than one kind uses."""

    sources: list[Source]  # the sources this run crawls
    crawl_state: CrawlState
    findings: CrawlFindings

    def navigation_request(self, url: str, source: Source, callback) -> scrapy.Request:
        """A conditional request for a source's own navigation document (feed, sitemap,
        link list); its failure counts against the source."""
        return scrapy.Request(url, callback=callback, errback=self.source_failed,
                              cb_kwargs={"source": source}, meta={"conditional": True},
                              dont_filter=True)

    def seen_unchanged(self, response, source: Source, vouches: bool = True) -> bool:
        """Count a navigation response; True when it is unchanged since the last crawl (what
        it listed last time still stands, and, when it `vouches` for the source, the source
        is fine)."""
        stats = self.crawler.stats
        counters.count_page(stats, source.id)
        if not is_not_modified(response):
            return False
        counters.count_not_modified(stats, source.id)
        if vouches:
            counters.mark_source_ok(stats, source.id)
        return True

    def source_failed(self, failure: Failure) -> None:
        """The source's own URL failed: count it against the source (410 Gone disables it)."""
        request = failed_request(failure)
        source: Source = request.cb_kwargs["source"]
        message = (robots.refusal(self.crawler.stats, request) if robots.is_refusal(failure)
                   else describe_failure(failure))
        counters.count_error(self.crawler.stats, source.id, request.url, message)
        if is_gone(failure):
            counters.mark_source_gone(self.crawler.stats, source.id)
        if is_unreachable(failure):
            counters.mark_source_unreachable(self.crawler.stats, source.id)
        if is_refused(failure):
            counters.mark_source_refused(self.crawler.stats, source.id)

    def skip_links(self, source: Source, count: int, what: str) -> None:
        """Record `count` items of a source skipped because their link is not http(s)
        (javascript:, data:, file:, mailto: ...): never fetched, counted, and said on the source."""
        counters.count_dropped(self.crawler.stats, DropReason.NOT_WEB_LINK, count)
        counters.warn_source(self.crawler.stats, source.id,
                             f"skipped {count} {what} whose link is not an http(s) link")

    def source_by_id(self, source_id: str) -> Source | None:
        """The source of this run with that id, if there is one."""
        return next((source for source in self.sources if source.id == source_id), None)

    def take_budget(self, source: Source, kind: str) -> bool:
        """Count one page against the source's page limit; False once it is used up."""
        limit = source.option("max_pages", DEFAULT_PAGE_BUDGET[kind])
        budget_used = self.crawl_state.budget_used
        used = budget_used.get(source.id, 0)
        if used >= limit:
            return False
        budget_used[source.id] = used + 1
        return True

    def remember_validators(self, response, links: list[str], links_kind: str = "pages") -> None:
        """Keep a navigation response's validators and the links it listed, to be saved
        if the run finishes."""
        self.findings.pending_validators[found_url_of(response)] = {
            **validators.response_validators(headers_of(response)),
            "body_hash": validators.body_hash(response.body),
            "links": links,
            "links_kind": links_kind,
        }

    def remember_links(self, response, links: list[str]) -> None:
        """Keep the links of a page that is also a document (a site crawl's pages)."""
        self.findings.pending_validators[found_url_of(response)] = {"links": links, "links_kind": "pages"}

    def links_listed_last_time(self, response, source: Source, found_via: str) -> Iterator[Page]:
        """For an unchanged navigation document: its links again, as not-modified pages."""
        known = response.meta.get("validators")
        for url in known.links if known else ():
            yield Page(url=url, source_id=source.id, found_via=found_via, not_modified=True)
