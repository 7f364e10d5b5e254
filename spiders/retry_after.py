"""Retries that honour Retry-After on 429 and 503 (stock Scrapy retries at once).

A 429 or 503 with a Retry-After header (seconds, or an HTTP date) is retried no sooner than
the server asked; the wait holds the request's download slot, so the site gets no other
request from us meanwhile. A wait longer than PRODOPS_RETRY_AFTER_MAX seconds is not
waited out: the response goes to the spider as an error. Without the header, Scrapy's
own retry policy applies.
"""

from __future__ import annotations

import asyncio
import logging
from email.utils import parsedate_to_datetime

from scrapy.downloadermiddlewares.retry import RetryMiddleware

from pipeline import clock

logger = logging.getLogger(__name__)

WAIT_STATUSES = {429, 503}


def retry_after_seconds(value: str) -> float | None:
    """Seconds to wait from a Retry-After value (delta-seconds or HTTP date); None if unreadable."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None or moment.tzinfo is None:
        return None
    return max(0.0, (moment - clock.utcnow()).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware, waiting as long as Retry-After says before retrying."""

    def __init__(self, settings):
        super().__init__(settings)
        self.max_wait = settings.getfloat("PRODOPS_RETRY_AFTER_MAX")

    async def process_response(self, request, response):
        header = response.headers.get(b"Retry-After")
        if request.meta.get("dont_retry") or response.status not in WAIT_STATUSES or not header:
            return super().process_response(request, response)
        wait = retry_after_seconds(header.decode("latin-1"))
        if wait is None:
            return super().process_response(request, response)
        if wait > self.max_wait:
            logger.warning("%s asked to wait %.0f s (more than PRODOPS_RETRY_AFTER_MAX=%.0f); "
                           "giving up for this run", request.url, wait, self.max_wait)
            return response
        retry = self._retry(request, f"{response.status} with Retry-After {wait:.0f} s")
        if retry is None:
            return response
        await asyncio.sleep(wait)
        return retry
