"""What every request and response of the site goes through, as ASGI wrappers around
Datasette (the plugin's `asgi_wrapper` hook puts them on, outside Datasette's CSRF check):

- a request body of at most MAX_BODY_BYTES, refused 413 before anything reads it (the CSRF
  check and the sign-in form read a whole form into memory first: a 150 MiB body sent with
  any cookie took the server from 261 to 1,011 MiB before its 403);
- an `Authorization` header only where tokens act, the API's paths: asgi-csrf lets any
  request with a Bearer token through unchecked, and the forms act on the cookie, so a form
  sent with a made-up token and a curator's cookie was written without a CSRF token;
- a write (any method but GET, HEAD and OPTIONS) that a browser says came from another origin
  refused 403 (Sec-Fetch-Site, else Origin; Go's http.CrossOriginProtection): asgi-csrf's
  token is checked against its own cookie only, and a page on a sibling host (a.example.org
  beside the site's b.example.org) may set that cookie for the shared domain, then send a
  form with the token it chose. Requests that carry neither header (scripts, the API's
  clients, old browsers) go on to the CSRF check as before;
- a write sent as multipart/form-data refused 415 before the CSRF check parses it (its
  parser fails on today's python-multipart: a 500); the forms are url-encoded, the API JSON;
- only GET and HEAD on a table's or a canned query's page (Datasette's table route): its
  POST runs writable canned queries alone, and the site has none (metadata.yml, the lists'
  queries), so a POST there raised inside Datasette and answered 500; it is 405 now;
- a table's page asked to sort by a column it has not answered 400, not Datasette's 500;

- the security headers on every response: a Content-Security-Policy that the site's own
  pages keep (no inline script: Datasette's three are static files of ours, see
  templates/ and static/), no framing, no content sniffing, no full URL in a Referer;
- every CSV that Datasette serves with its formula-like cells (starting with = + - @)
  neutralized, as `prodops export --format csv` does, so a spreadsheet never runs a cell
  written by a stranger.
"""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import urlsplit

from datasette.utils.asgi import Response

from pipeline.publish.export import neutralize

# Nothing from another host, and no script but our origin's files. Styles allow 'unsafe-inline':
# Datasette's own templates (table, row, query and database pages) put style="" attributes
# and per-page <style> blocks (a column's label on narrow screens) in the page, which no
# hash can allow; a style cannot run code. img-src data: for the SVG icons app.css inlines.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
])
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),  # frame-ancestors for browsers that predate it
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
]
_NAMES = {name for name, _ in SECURITY_HEADERS}
# The largest body a form or the API needs is a note of a few KB: a quarter of a MiB is ample.
MAX_BODY_BYTES = 256 * 1024


# Datasette's route for a table or a canned query, /<database>/<name>[.<format>] (its TableView,
# as datasette.app writes it), but not /-/..., where Datasette's pages and our routes (the
# forms and the API) are. A writable canned query would need a POST here: there is none.
TABLE_ROUTE = re.compile(r"^/(?!-/)[^/.]+/[^/.]+(\.\w+)?$")
READS = frozenset({"GET", "HEAD"})
SAFE = READS | {"OPTIONS"}
# What Sec-Fetch-Site says of a request the site itself (or the user, typing an address) made.
SAME_ORIGIN = frozenset({b"same-origin", b"none"})


class _BodyTooLargeError(Exception):
    """A request's body went past MAX_BODY_BYTES while it was read."""


def with_body_limit(app, max_bytes: int = MAX_BODY_BYTES):
    """`app` refusing a request body over `max_bytes` with 413: at once when its Content-Length
    says so, else as soon as what is read passes it (a chunked body)."""

    async def limited(scope, receive, send):
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > max_bytes:
            await _too_large(send, max_bytes)
            return
        received, started = 0, False

        async def counted():
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > max_bytes:
                raise _BodyTooLargeError
            return message

        async def watched(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await app(scope, counted, watched)
        except _BodyTooLargeError:
            if not started:
                await _too_large(send, max_bytes)

    return limited


async def _too_large(send, max_bytes: int) -> None:
    await _refuse(send, 413, f"Request body too large: at most {max_bytes // 1024} KiB.\n", (b"connection", b"close"))


async def _refuse(send, status: int, message: str, *headers: tuple[bytes, bytes]) -> None:
    """Answer `status` with `message` as plain text (and `headers`), before anything read the request."""
    body = message.encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()), *headers]})
    await send({"type": "http.response.body", "body": body})


def with_url_encoded_forms(app):
    """`app` answering 415 to a write sent as multipart/form-data, before the CSRF check reads
    it: the site's forms are url-encoded and its API takes JSON, and asgi-csrf's parser of
    multipart bodies fails on the python-multipart of today (a TypeError: 500 and a traceback,
    on any path, for anyone holding the sign-in page's CSRF cookie)."""

    async def url_encoded(scope, receive, send):
        if scope["type"] == "http" and scope.get("method") not in SAFE and dict(scope.get("headers", [])).get(
                b"content-type", b"").split(b";")[0].strip().lower() == b"multipart/form-data":
            await _refuse(send, 415, "Unsupported form encoding: the site's forms are sent url-encoded "
                                     "(application/x-www-form-urlencoded), its API takes JSON")
            return
        await app(scope, receive, send)

    return url_encoded


def with_reads_only_on_tables(app):
    """`app` answering 405 Method Not Allowed (with `Allow: GET, HEAD`, as RFC 9110 asks, and
    the words of Datasette's own 405) to any other method on TABLE_ROUTE, before the CSRF
    check or Datasette read anything: such a request writes nothing, token or not."""

    async def read_only(scope, receive, send):
        if scope["type"] == "http" and scope.get("method") not in READS and TABLE_ROUTE.match(_route_path(scope)):
            await _refuse(send, 405, "Method not allowed", (b"allow", b"GET, HEAD"))
            return
        await app(scope, receive, send)

    return read_only


def reads_only(view):
    """A page of the site's own that only shows (search, a document, a list, a feed): any
    method but GET and HEAD is answered 405 (`Allow: GET, HEAD`), as a table's page is; a
    PUT, DELETE or PATCH was answered 200 with the page. (Datasette passes a view the
    arguments it names: this one's are the view's own two.)"""

    async def shown(datasette, request):
        if request.method not in READS:
            return Response.text("Method not allowed", status=405, headers={"Allow": "GET, HEAD"})
        return await view(datasette, request)

    return shown


def with_same_origin_writes(app):
    """`app` answering 403 to a write that a browser says came from another origin (another
    site, or another host of the same site), before the CSRF check or Datasette read it: by
    Sec-Fetch-Site when the browser sends it (every current one does), else by an Origin
    whose host is not the request's Host. The algorithm of Go's http.CrossOriginProtection
    (Filippo Valsorda, 2025); no header of either kind is a script's or an old browser's
    request, which the CSRF token still guards."""

    async def same_origin(scope, receive, send):
        if scope["type"] == "http" and scope.get("method") not in SAFE and _cross_origin(scope):
            await _refuse(send, 403,
                          "Cross-origin request refused: a form of this site must be sent from its own pages")
            return
        await app(scope, receive, send)

    return same_origin


def _cross_origin(scope) -> bool:
    """Whether the request's headers say a browser sent it from another origin."""
    headers = dict(scope.get("headers", []))
    fetch_site = headers.get(b"sec-fetch-site")
    if fetch_site is not None:
        return fetch_site.lower() not in SAME_ORIGIN
    origin = headers.get(b"origin")
    if origin is None:
        return False
    return urlsplit(origin.decode("latin-1")).netloc.lower() != headers.get(b"host", b"").decode("latin-1").lower()


def _route_path(scope) -> str:
    """The path Datasette routes by: the raw path when the server gives one (so `a%2Fb` stays
    one name, as Datasette reads it), else the decoded one."""
    raw = scope.get("raw_path")
    return raw.decode("ascii", errors="replace").partition("?")[0] if raw else scope.get("path", "")


def with_tokens_only_under(app, prefix: str):
    """`app` with any `Authorization` header dropped from requests outside `prefix` (the API's
    paths, where a token is the only way to act): elsewhere the cookie and the CSRF token
    decide, and asgi-csrf must not take a Bearer header as a reason to skip its check."""

    async def stripped(scope, receive, send):
        if scope["type"] == "http" and not scope.get("path", "").startswith(prefix):
            headers = [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"authorization"]
            scope = {**scope, "headers": headers}
        await app(scope, receive, send)

    return stripped


def with_security_headers(app):
    """`app` with SECURITY_HEADERS on every HTTP response (replacing any of the same name)."""

    async def guarded(scope, receive, send):
        if scope["type"] != "http":
            await app(scope, receive, send)
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in _NAMES]
                message = {**message, "headers": [*headers, *SECURITY_HEADERS]}
            await send(message)

        await app(scope, receive, send_with_headers)

    return guarded


def neutralize_csv(body: bytes) -> bytes:
    """Rewrite a CSV body with every cell neutralized (see pipeline.publish.export.neutralize)."""
    rows = csv.reader(io.StringIO(body.decode("utf-8", errors="replace"), newline=""))
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([neutralize(cell) for cell in row])
    return out.getvalue().encode("utf-8")


def with_neutralized_csv(app):
    """`app` with the body of every .csv response neutralized (buffered: Datasette's CSV
    streaming is off, so a CSV is one page)."""

    async def csv_guard(scope, receive, send):
        if scope["type"] != "http" or not scope.get("path", "").endswith(".csv"):
            await app(scope, receive, send)
            return
        start, chunks = None, []

        async def capture(message):
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = neutralize_csv(b"".join(chunks))
            headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
            await send({**start, "headers": [*headers, (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})

        await app(scope, receive, capture)

    return csv_guard


# What Datasette (0.65) says, with status 500, of a sort by a column the table has not (a
# hand-edited `?_sort=nope`): the reader's request is at fault, not the server.
BAD_SORT = b"Cannot sort table by "


def with_bad_sorts_answered_400(app):
    """`app` answering 400, not 500, to a table's page asked to sort by a column it has not
    (Datasette's own message kept): the site answers a reader's malformed request 400, as
    Datasette does a bad `_size` or `_facet`. Only such a 500 is held back and read."""

    async def sorts(scope, receive, send):
        if scope["type"] != "http" or b"_sort" not in scope.get("query_string", b"") or not TABLE_ROUTE.match(
                _route_path(scope)):
            await app(scope, receive, send)
            return
        held, chunks = None, []

        async def capture(message):
            nonlocal held
            if message["type"] == "http.response.start" and message["status"] == 500:
                held = message
                return
            if held is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            if BAD_SORT in body:  # (the JSON's own "status" too: the same length, as Content-Length says)
                held, body = {**held, "status": 400}, body.replace(b'"status": 500', b'"status": 400')
            await send(held)
            await send({"type": "http.response.body", "body": body})

        await app(scope, receive, capture)

    return sorts
