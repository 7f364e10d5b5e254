"""Collecting from feeds: fetch the feed, parse its bytes with feedparser (in a bounded
worker: pipeline/stages/pool.py), follow entries."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator

import scrapy

from feeds.parse import NotAFeedError, parse_feed
from pipeline import counters
from pipeline.config.sources import Source
from pipeline.counters import DropReason
from pipeline.items import Page
from pipeline.understand.canonical import parts_of_one_page
from pipeline.stages.pool import pool_of
from spiders.page import PageNavigation
from spiders.responses import content_type, parse_in_worker

logger = logging.getLogger(__name__)


class FeedNavigation(PageNavigation):
    """Spider methods for `feed` sources (RSS and Atom)."""

    def start_feed(self, source: Source) -> Iterator[scrapy.Request]:
        """A feed source starts with its feed."""
        yield self.navigation_request(source.url, source, self.parse_feed)

    async def parse_feed(self, response, source: Source):
        """Follow a feed's entries (or, unchanged, report them unchanged without fetching)."""
        stats = self.crawler.stats
        if self.seen_unchanged(response, source):
            # The feed is as it was: its entries are reported unchanged without fetching.
            for page in self.links_listed_last_time(response, source, "feed"):
                yield page
            return
        # A feed's entries become requests that wait, with their content, in the scheduler:
        # while the workers are behind, more of them only cost memory, so a feed waits to be
        # parsed until the workers catch up (40 feeds of 100 big entries: -100 MB at peak).
        pool = pool_of(self.crawler)
        while pool.behind and self.crawler.crawling:
            await asyncio.sleep(0.1)  # (Scrapy runs on the asyncio reactor)
        feed = await parse_in_worker(self.crawler, source.id, response, parse_feed, "feed", NotAFeedError,
                                     content_type(response))
        if feed is None:
            return
        counters.mark_source_ok(stats, source.id)
        if feed.bozo:
            warning = f"malformed feed (read {len(feed.entries)} entries anyway): {feed.bozo}"
            logger.warning("%s: %s", source.id, warning)
            counters.warn_source(stats, source.id, warning)
        limit = source.option("max_entries", self.settings.getint("PRODOPS_FEED_MAX_ENTRIES"))
        fetch_pages = source.option("fetch_pages", True)
        if feed.skipped:
            self.skip_links(source, feed.skipped, "feed entries")
        elif not feed.entries:
            counters.warn_source(stats, source.id, "the feed lists no entries")  # (a new blog's, or a wrong URL's)
        entries, seen = [], set()
        for entry in feed.entries:  # each link once (duplicate or changing GUIDs), the first wins
            if entry.link not in seen:
                seen.add(entry.link)
                entries.append(entry)
        if len(entries) > limit:
            counters.count_dropped(stats, DropReason.OVER_ENTRY_LIMIT, len(entries) - limit)
            counters.warn_source(stats, source.id, f"the feed lists {len(entries)} entries; took the "
                                 f"first {limit} (raise the source's max_entries to take more)")
            entries = entries[:limit]
        self.remember_validators(response, [entry.link for entry in entries])
        # Entries that tell parts of one page, each in its own words, are each a document: the
        # page's URL (the fragment dropped) would make them one, and fetching it, the whole page.
        parts = parts_of_one_page([entry.link for entry in entries if entry.hints.content or entry.hints.summary])
        for entry in entries:
            if entry.link in parts:
                yield Page(url=entry.link, source_id=source.id, found_via="feed", hints=entry.hints, part=True)
            elif fetch_pages:
                for request in self.follow(entry.link, source, found_via="feed", hints=entry.hints):
                    yield request
            else:
                yield Page(url=entry.link, source_id=source.id, found_via="feed", hints=entry.hints)
