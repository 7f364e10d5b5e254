"""Turning Scrapy responses and failures into Page items, parsed navigation documents and
counted errors."""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy import exceptions as scrapy_errors
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from w3lib.encoding import http_content_type_encoding
from twisted.internet import error as net
from twisted.python.failure import Failure

from feeds.entries import EntryHints
from pipeline import counters
from pipeline.items import Page
from pipeline.stages.pool import pool_of
from pipeline.store import validators
from pipeline.stages.tasks import TaskStopped
from spiders.middlewares import RefusedRequest
from spiders.resolver import REFUSED


def page_from_response(
    response: Response, url: str, source_id: str, found_via: str, hints: EntryHints | None = None
) -> Page:
    """Describe a fetched response as a Page item (without its body when it is unchanged)."""
    not_modified = is_not_modified(response)
    return Page(
        url=url,
        source_id=source_id,
        found_via=found_via,
        final_url=response.url,
        status=response.status,
        headers=headers_of(response),
        body=b"" if not_modified else response.body,
        encoding=declared_charset(response),
        content_type=media_type(response),
        hints=hints,
        not_modified=not_modified,
    )


def declared_charset(response: Response) -> str | None:
    """The charset the response's Content-Type declares, or None. Not Scrapy's
    `response.encoding`: for a body that declares none, that is charset-normalizer's guess,
    which pipeline.understand.encoding.decode_html would trust as declared (a French page in
    Latin-1 became "troisičme", windows-1250's reading of "troisième")."""
    return http_content_type_encoding(content_type(response)) or None


def headers_of(response: Response) -> dict[str, str]:
    """The response's headers as a dict with lower-case names."""
    return {
        key.decode("latin-1").lower(): b", ".join(values).decode("latin-1")
        for key, values in response.headers.items()
    }


def found_url_of(response: Response) -> str:
    """The URL that was asked for, before any redirect."""
    # (Scrapy types `request` as optional: a downloaded response always has it.)
    return response.request.meta.get("redirect_urls", [response.url])[0]  # type: ignore[union-attr]


def failed_request(failure: Failure) -> Request:
    """The request an errback's Failure is about."""
    # (Scrapy sets `request` on the Failure it gives an errback: Twisted's type does not have it.)
    return failure.request  # type: ignore[attr-defined]


def is_not_modified(response: Response) -> bool:
    """True for a 304, or a 200 whose body is the same as last time (see conditional.py)."""
    return response.status == 304 or bool(response.meta.get("unchanged_body"))


def media_type(response: Response) -> str:
    """The response's media type without parameters, lower-case ('' when absent)."""
    return content_type(response).split(";", 1)[0].strip().lower()


def content_type(response: Response) -> str:
    """The response's whole Content-Type, parameters included ('' when absent): what a
    parser of the body needs, since the charset parameter may be the only place the
    encoding is declared."""
    value = response.headers.get(b"Content-Type") or b""
    return value.decode("latin-1").strip()


def describe_failure(failure: Failure) -> str:
    """A short, user-readable reason for a failed request."""
    error = failure.value
    if isinstance(error, HttpError):
        status = error.response.status
        if 300 <= status < 400 and not error.response.headers.get(b"Location"):
            return f"HTTP {status} without a Location header: a redirect that says not where to"
        return f"HTTP {status}"
    name = type(error).__name__
    message = failure.getErrorMessage() or ""
    request = getattr(failure, "request", None)  # Scrapy sets it on an errback's Failure
    host = urlsplit(request.url).hostname if request else None
    if host in REFUSED and ("DNS" in message or "Resolve" in name):
        return REFUSED[host]
    if "max redirections" in message:
        return "too many redirects (a redirect loop, or a chain longer than REDIRECT_MAX_TIMES)"
    if name == "ResponseDataLossError" or "DataLoss" in message:
        return "truncated response: the connection closed before the whole body arrived"
    if "ConnectionDone" in message or "ConnectionLost" in message or "Connection was closed" in message:
        return f"connection lost before a complete response ({name})"
    if "ConnectionRefused" in name or "Connection refused" in message:
        return "connection refused"
    if name == "DownloadCancelledError" or "DOWNLOAD_MAXSIZE" in message:
        return f"body too large, download cancelled: {message or 'more than DOWNLOAD_MAXSIZE bytes'}"
    if name in ("BadGzipFile", "error") and ("gzip" in message.lower() or "decompress" in message.lower()) \
            or name in ("DecompressionError", "BrotliError", "ZstdError"):
        return f"the body could not be decompressed as its Content-Encoding says ({name})"
    reasons = _parse_errors(error)
    if reasons:  # the server answered, in something Twisted's HTTP parser would not take
        return "the server's answer is not valid HTTP: " + "; ".join(reasons)
    return f"{name}: {message}".rstrip(": ")


def _parse_errors(error: BaseException) -> list[str]:
    """What Twisted's HTTP client found wrong with an answer (a Content-Length that is not a
    number, or two of them; a status line that is not one), from the ResponseFailed Scrapy
    wraps as DownloadFailedError; each said in a line of its own words and at most 80
    characters of the server's (a hostile server's status line can be long)."""
    cause: BaseException | None = error
    while cause is not None and not getattr(cause, "reasons", None):
        cause = cause.__cause__
    said = []
    for reason in getattr(cause, "reasons", None) or ():
        value = getattr(reason, "value", reason)
        words, *quoted = [part.decode("latin-1") if isinstance(part, bytes) else str(part) for part in value.args]
        # twisted.web._abnf._decint's words; Twisted's client reads only a Content-Length with it
        words = words.replace("Value contains non-decimal digits", "a Content-Length that is not a number")
        said.append(": ".join([words[:200], *(repr(part[:80]) for part in quoted)]) if value.args
                    else type(value).__name__)
    return said


# Twisted's errors, and the ones Scrapy (2.13+) wraps them in.
UNREACHABLE = (net.DNSLookupError, net.ConnectionRefusedError, net.ConnectError, net.TCPTimedOutError,
               net.TimeoutError, net.NoRouteError) + tuple(
    getattr(scrapy_errors, name) for name in ("CannotResolveHostError", "DownloadConnectionRefusedError",
                                              "DownloadTimeoutError") if hasattr(scrapy_errors, name))


def is_unreachable(failure: Failure) -> bool:
    """True when a request failed before any answer, at the connection: DNS, refused,
    unreachable, timed out. (Our own refusal of a private address is not: that host is
    reachable, and forbidden.)"""
    request = getattr(failure, "request", None)  # Scrapy sets it on an errback's Failure
    host = urlsplit(request.url).hostname if request else None
    return bool(failure.check(*UNREACHABLE)) and host not in REFUSED


def failed_for_now(failure: Failure) -> bool:
    """True when a request failed for a reason that may pass by the next crawl: no answer
    (`is_unreachable`: a name that did not resolve is counted too, a host may be back) or
    an answer that says to come back (pipeline.store.validators.PASSING_STATUSES: a 503, a
    429). Not a 404 or a 410, nor our own refusal."""
    error = failure.value
    if isinstance(error, HttpError):
        return error.response.status in validators.PASSING_STATUSES
    return is_unreachable(failure)


def is_refused(failure: Failure) -> bool:
    """True when our network guard would not send the request (a private or loopback address
    without --allow-private-network): the user's setting, not the source's failure."""
    if failure.check(RefusedRequest):
        return True
    request = getattr(failure, "request", None)
    return bool(request and failure.check(*UNREACHABLE) and urlsplit(request.url).hostname in REFUSED)


def is_gone(failure: Failure) -> bool:
    """True when a request failed with 410 Gone."""
    return isinstance(failure.value, HttpError) and failure.value.response.status == 410


async def parse_in_worker(crawler, source_id: str, response: Response, parse, what: str,
                          refused: type[Exception], *args):
    """A source's navigation document (a feed, a sitemap) parsed in a bounded worker
    (pipeline/stages/pool.py: the bytes are a stranger's); None when it cannot be had: a
    `refused` document or a worker past its bounds counts against the source, a stopping
    crawl leaves it to the next one."""
    try:
        return await pool_of(crawler).run(parse, response.body, response.url, *args, alone=True)
    except refused as error:
        counters.count_error(crawler.stats, source_id, response.url, str(error))
    except TaskStopped as error:
        counters.count_error(crawler.stats, source_id, response.url, f"parsing the {what} {error}")
    except scrapy_errors.DropItem:
        pass  # the crawl is stopping; the next one reads it
    return None
