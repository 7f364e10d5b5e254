"""robots.txt that cannot be read: a site whose robots.txt answers a server error is not
crawled in that run (RFC 9309, 2.3.1.4), and what was refused says why.

Scrapy's RobotsTxtMiddleware parses whatever body its robots.txt request gets back, so a
500 or 503 page (HTML, no rules) reads as "everything allowed": a site in trouble, or one
whose robots.txt is broken, would be crawled as if it had said yes. RFC 9309 asks a crawler
to assume complete disallow while robots.txt is unreachable (a 5xx, after retries), and
allows everything only when it is unavailable (a 4xx: there is none). This middleware sits
between Scrapy's retries and its robots middleware: the last answer of a robots.txt request
that is a server error reaches the robots middleware as "Disallow: /", and the host is
noted, so a refused page or feed says that robots.txt could not be read, not that it forbids
the page. The next run asks again. (Our own reading of robots.txt for the sitemaps it
declares is a request of the spider's, with a callback: not concerned here.)
"""

from __future__ import annotations

import logging
from urllib.parse import urljoin

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.httpobj import urlparse_cached

logger = logging.getLogger(__name__)

DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"
UNREACHABLE = "prodops/robots_unreachable/{netloc}"  # a crawler stat: the status robots.txt gave


class UnreachableRobotsMiddleware:
    """Turn a robots.txt server error into complete disallow for this run."""

    def __init__(self, stats) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_response(self, request, response):
        if (response.status >= 500 and request.callback is NO_CALLBACK and request.meta.get("dont_obey_robotstxt")
                and urlparse_cached(request).path == "/robots.txt"):
            netloc = urlparse_cached(request).netloc
            logger.warning("%s answered HTTP %s for robots.txt: nothing is fetched from it this run (RFC 9309)",
                           netloc, response.status)
            self.stats.set_value(UNREACHABLE.format(netloc=netloc), response.status)
            return response.replace(body=DISALLOW_ALL)
        return response


# What Scrapy's RobotsTxtMiddleware says when it keeps a request back. Matched whole: a request
# for robots.txt itself refused by the network guard (a private address) names "robots.txt" in
# its URL, and was reported as "the site's robots.txt disallows it".
ROBOTS_REFUSAL = "Forbidden by robots.txt"


def is_refusal(failure) -> bool:
    """True when Scrapy's robots middleware kept the request back."""
    return bool(failure.check(IgnoreRequest)) and str(failure.value) == ROBOTS_REFUSAL


def refusal(stats, request) -> str:
    """Why robots.txt kept `request` from being fetched, in words."""
    status = stats.get_value(UNREACHABLE.format(netloc=urlparse_cached(request).netloc))
    if status:
        return (f"not fetched: the site's robots.txt answered HTTP {status}, and until it can be read a "
                "crawler fetches nothing from the site (RFC 9309); asked again next run")
    return "not fetched: the site's robots.txt disallows it"


def sitemaps_request(site: str, callback, errback, cb_kwargs: dict) -> scrapy.Request:
    """A request for a site's robots.txt, read for the sitemaps it declares (a sitemap source
    given the site's root, `sources discover`). A robots.txt that is not there (404, 410)
    reaches `callback` too, which then tries the usual /sitemap.xml; any other failure goes
    to `errback`."""
    return scrapy.Request(urljoin(site, "/robots.txt"), callback=callback, errback=errback, cb_kwargs=cb_kwargs,
                          meta={"dont_obey_robotstxt": True, "handle_httpstatus_list": [404, 410]},
                          dont_filter=True)
