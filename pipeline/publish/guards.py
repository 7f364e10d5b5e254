"""What every response of the site is made to carry, as ASGI wrappers around Datasette (the
plugin's `asgi_wrapper` hook puts them on):

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
