"""Downloader middleware for conditional GET and unchanged-body detection.

For a request marked ``meta["conditional"]``, it sends the URL's stored ETag and
Last-Modified back (If-None-Match / If-Modified-Since) and lets a 304 through to the
callback. A 200 whose body is byte-for-byte the last one is marked
``meta["unchanged_body"]``. Either way the spider yields a not-modified page, which is
neither re-extracted nor rewritten.
"""

from __future__ import annotations

import sqlite3

from scrapy.http import Response

from pipeline.store import validators
from pipeline.store.database import open_read_only


class ConditionalGetMiddleware:
    """Attach stored validators to marked requests; flag unchanged responses.

    A request marked ``meta["skip_if_known"]`` for a URL that is already stored is not sent
    at all: it gets a local 304 (a sitemap said the page is older than our last crawl).
    """

    def __init__(self, db_path: str):
        self.db_path = db_path
        self._conn: sqlite3.Connection | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.get("PRODOPS_DB"))

    def _connection(self) -> sqlite3.Connection | None:
        if self._conn is None:
            self._conn = open_read_only(self.db_path)
        return self._conn

    def process_request(self, request):
        if not request.meta.get("conditional") or "validators" in request.meta:
            return None  # not wanted, or already looked up (a redirect hop of the same fetch)
        conn = self._connection()
        known = validators.lookup(conn, request.url) if conn is not None else None
        if known is not None and known.document_id and validators.read_before_links(conn, known.document_id):
            known = None  # stored before its links were kept: read it in full once
        if known is not None and validators.lists_a_page_to_ask_again(conn, known):
            known = None  # a page it listed failed for a while: read it in full, its pages asked again
        request.meta["validators"] = known
        if known is None:
            return None
        allowed = request.meta.setdefault("handle_httpstatus_list", [])
        if 304 not in allowed:
            allowed.append(304)
        if request.meta.get("skip_if_known"):
            # The source says this page has not changed since our last crawl (a sitemap's
            # lastmod): answer 304 for the server, without a request.
            return Response(request.url, status=304, request=request)
        for name, value in known.request_headers().items():
            request.headers.setdefault(name, value)
        return None

    def process_response(self, request, response):
        known = request.meta.get("validators")
        if known is not None and response.status == 200 and known.body_hash:
            if validators.body_hash(response.body) == known.body_hash:
                request.meta["unchanged_body"] = True
        return response
