"""Downloader middleware that honours robots.txt Crawl-delay (Scrapy reads but ignores it).

When a site's robots.txt gives our User-Agent (or `*`) a Crawl-delay, requests to that site
are spaced at least that far apart, capped at PRODOPS_MAX_CRAWL_DELAY seconds. It sits
after Scrapy's RobotsTxtMiddleware, so the delay is known before the first page request.
"""

from __future__ import annotations

import asyncio
import logging
import time

from scrapy import signals
from scrapy.utils.httpobj import urlparse_cached

logger = logging.getLogger(__name__)


class CrawlDelayMiddleware:
    """Space requests to a site by its robots.txt Crawl-delay."""

    def __init__(self, user_agent: str, max_delay: float):
        self.user_agent = user_agent
        self.max_delay = max_delay
        self.delays: dict[str, float] = {}
        self._next_start: dict[str, float] = {}

    @classmethod
    def from_crawler(cls, crawler):
        middleware = cls(crawler.settings.get("USER_AGENT"),
                         crawler.settings.getfloat("PRODOPS_MAX_CRAWL_DELAY"))
        crawler.signals.connect(middleware.robots_parsed, signal=signals.robots_parsed)
        return middleware

    def robots_parsed(self, robotparser, request) -> None:
        delay = robotparser.crawl_delay(self.user_agent)
        if delay:
            netloc = urlparse_cached(request).netloc
            self.delays[netloc] = min(float(delay), self.max_delay)
            logger.info("%s asks for a Crawl-delay of %s s", netloc, delay)

    async def process_request(self, request):
        netloc = urlparse_cached(request).netloc
        delay = self.delays.get(netloc)
        if not delay or request.meta.get("dont_obey_robotstxt"):
            return None
        # A request claims its start only when it really goes: if the event loop was busy past
        # its turn (a page tagged inline, a long parse), the next one still waits a full delay
        # after it, rather than two going out together.
        while True:
            now = time.monotonic()
            start = self._next_start.get(netloc, 0.0)
            if start <= now:
                self._next_start[netloc] = now + delay
                return None
            await asyncio.sleep(start - now)
