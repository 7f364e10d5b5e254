"""A hostile web for the test suite: a raw-socket HTTP server on 127.0.0.1 (free port) whose
routes misbehave the ways real servers do — slow bodies, hangs before and after headers,
resets, truncated bodies, answers HTTP's grammar refuses, error statuses with Retry-After, 410, redirect loops and long
chains, gzip and brotli bombs, 50 MB bodies (plain and chunked), lying and unknown charsets,
HTML where a feed should be, entity attacks in feeds, a feed of 10,000 entries, feeds with
duplicate, missing and changing GUIDs, and links with javascript:, data: and file: schemes.

Every route is listed in ROUTES with a one-line description; tests/test_hostile_web.py
crawls them all in one run and states the expected outcome of each.
"""

from __future__ import annotations

import functools
import itertools
import socket
import socketserver
import struct
import threading
import zlib
from html import escape
from typing import Callable

import brotli

GOOD_TEXT = (
    "Product operations teams own the operating rhythm of a product organization: planning "
    "cadences, roadmap reviews, launch readiness checklists and the tooling that ties them "
    "together. A good product ops function makes customer insight easy to find, keeps "
    "onboarding of new product managers short, and measures whether the rituals help. "
)
BIG_BODY_MB = 50
SECRET = "XXE-SECRET-7f3a9c"  # the content of the local file the XXE feed points at


def article(title: str, extra: str = "") -> bytes:
    """A plain article page whose text is long enough to be stored."""
    body = "".join(f"<p>{escape(GOOD_TEXT)} ({n})</p>" for n in range(4))
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
            f"<body><article><h1>{escape(title)}</h1>{body}{extra}</article></body></html>").encode()


def rss(items: list[tuple[str | None, str, str]], doctype: str = "") -> bytes:
    """An RSS 2.0 feed of (guid, link, title) items; a None guid is left out."""
    entries = "".join(
        "<item>" + (f"<guid isPermaLink=\"false\">{escape(guid)}</guid>" if guid is not None else "")
        + f"<title>{title}</title><link>{escape(link)}</link>"
        "<description>An entry of the hostile web.</description></item>"
        for guid, link, title in items
    )
    return (f'<?xml version="1.0" encoding="utf-8"?>{doctype}<rss version="2.0"><channel>'
            f"<title>Hostile feed</title><link>http://example.org/</link>"
            f"<description>x</description>{entries}</channel></rss>").encode()


def gzip_bomb(inflated_mib: int = 1024) -> bytes:
    """About 1 MB of gzip that inflates to `inflated_mib` MiB of zeros."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = b"\0" * (1024 * 1024)
    return b"".join(compressor.compress(chunk) for _ in range(inflated_mib)) + compressor.flush()


def brotli_bomb(inflated_mib: int = 1024) -> bytes:
    """A few hundred bytes of brotli that inflate to `inflated_mib` MiB of spaces."""
    compressor = brotli.Compressor(quality=5)
    chunk = b" " * (1024 * 1024)
    return b"".join(compressor.process(chunk) for _ in range(inflated_mib)) + compressor.finish()


def pdf_bomb(streams: int = 20, inflated_mib: int = 70) -> bytes:
    """A 1.4 MB PDF of `streams` pages, each drawing one string of `inflated_mib` MiB from a
    Flate stream: pypdf inflates and tokenizes each (152 s and 1.4 GB unbounded)."""
    content = b"BT /F1 1 Tf 0 0 Td (" + b"A" * (inflated_mib * 1024 * 1024) + b") Tj ET\n"
    packed = zlib.compress(content, 9)
    kids = b" ".join(b"%d 0 R" % (4 + 2 * n) for n in range(streams))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, streams),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for n in range(streams):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                       b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * n))
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(packed), packed))
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


class Connection:
    """What a route handler gets: the request and the raw socket."""

    def __init__(self, sock: socket.socket, path: str, headers: dict[str, str], stop: threading.Event):
        self.sock, self.path, self.headers, self.stop = sock, path, headers, stop

    def head(self, status: int = 200, content_type: str = "text/html; charset=utf-8",
             length: int | None = None, extra: dict[str, str] | None = None, chunked: bool = False) -> None:
        lines = [f"HTTP/1.1 {status} X", f"Content-Type: {content_type}", "Connection: close"]
        if length is not None:
            lines.append(f"Content-Length: {length}")
        if chunked:
            lines.append("Transfer-Encoding: chunked")
        lines += [f"{k}: {v}" for k, v in (extra or {}).items()]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    def send(self, body: bytes, status: int = 200, content_type: str = "text/html; charset=utf-8",
             extra: dict[str, str] | None = None) -> None:
        self.head(status, content_type, len(body), extra)
        self.sock.sendall(body)

    def wait(self, seconds: float = 600) -> None:
        """Hold the connection open (until the server stops)."""
        self.stop.wait(seconds)


Handler = Callable[[Connection], None]


def _slow_body(c: Connection) -> None:
    c.head(length=100_000)
    for _ in range(100_000):
        if c.stop.wait(0.2):
            return
        c.sock.sendall(b" ")


def _hang_after_headers(c: Connection) -> None:
    c.head(length=5000)
    c.wait()


def _reset(c: Connection) -> None:
    c.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close = RST


def _truncated(c: Connection) -> None:
    c.head(length=20_000)
    c.sock.sendall(article("Truncated")[:1000])


def _malformed(c: Connection, headers: str, status_line: str = "HTTP/1.1 200 OK") -> None:
    """An answer HTTP's grammar refuses: these headers after this status line, then a page."""
    c.sock.sendall(f"{status_line}\r\n{headers}\r\nConnection: close\r\n\r\n".encode("latin-1")
                   + article("Malformed"))


def _big(c: Connection, chunked: bool) -> None:
    chunk = b"<p>product ops padding</p>" * 4000  # ~100 KB
    c.head(length=None if chunked else len(chunk) * (BIG_BODY_MB * 10), chunked=chunked)
    try:
        for _ in range(BIG_BODY_MB * 10):
            c.sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
        if chunked:
            c.sock.sendall(b"0\r\n\r\n")
    except OSError:
        pass  # the client gave up, as it should


def _chain(c: Connection) -> None:
    hops = int(c.path.rsplit("/", 1)[1])
    if hops == 0:
        c.send(article("End of a redirect chain"))
    else:
        c.send(b"", 302, extra={"Location": f"/chain/{hops - 1}"})


def _cookie_flood(c: Connection, base: str) -> None:
    """A feed whose answer sets 40 cookies of 3 KB: kept, every later request to the site would
    carry 120 KB of them, and a site that sets new ones on every page grows the jar without end."""
    body = rss([(None, f"{base}/entry/after-cookies-{n}", f"After cookies {n}") for n in range(3)])
    cookies = "".join(f"Set-Cookie: c{n}={'x' * 3000}; Path=/\r\n" for n in range(40))
    c.sock.sendall((f"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: {len(body)}\r\n"
                    f"{cookies}Connection: close\r\n\r\n").encode("latin-1") + body)


def _endless_sitemap(c: Connection) -> None:
    number = int(c.path.rsplit("/", 1)[1].split(".")[0])
    c.send(('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>/sitemap/endless/{number + 1}.xml</loc></sitemap></sitemapindex>").encode(),
           content_type="application/xml")


CHANGING_GUIDS = itertools.count()

BILLION_LAUGHS = (
    '<!DOCTYPE rss [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{n} "{("&lol%s;" % (n - 1 if n > 1 else "")) * 10}">' for n in range(1, 10))
    + "]>"
)


def local_feed_path(secret_path: str) -> str:
    """Where the tests keep a local feed whose entry carries SECRET: a body naming this path
    must never be read as that file."""
    return secret_path + ".feed.xml"


def routes(base: str, secret_path: str) -> dict[str, tuple[str, Handler]]:
    """path -> (what it does, handler). `base` is the server's own URL."""
    feed_entries = [(f"g{n}", f"{base}/entry/{n}", f"Entry {n}") for n in range(10_000)]
    gzip_bomb_body, brotli_bomb_body = bombs()
    table: dict[str, tuple[str, Handler]] = {
        "/robots.txt": ("empty robots.txt", lambda c: c.send(b"", content_type="text/plain")),
        "/good": ("a good article (the control)", lambda c: c.send(article("A good article"))),
        "/slow-body": ("headers, then one byte every 0.2 s", _slow_body),
        "/hang-before-headers": ("reads the request and never answers", lambda c: c.wait()),
        "/hang-after-headers": ("sends headers, then nothing", _hang_after_headers),
        "/reset": ("resets the connection (RST)", _reset),
        "/truncated": ("Content-Length 20000, sends 1000 bytes, closes", _truncated),
        "/malformed/length-word": ("Content-Length: abc", lambda c: _malformed(c, "Content-Length: abc")),
        "/malformed/two-lengths": ("two Content-Length headers that disagree", lambda c: _malformed(
            c, "Content-Length: 10\r\nContent-Length: 20")),
        "/malformed/status": ("a status line that is not one (HTTP/1.1 abc OK)", lambda c: _malformed(
            c, "Content-Type: text/html", status_line="HTTP/1.1 abc OK")),
        "/malformed/not-gzip": ("Content-Encoding: gzip on a body that is not", lambda c: c.send(
            article("Not compressed"), extra={"Content-Encoding": "gzip"})),
        "/status/302-nowhere": ("302 without a Location", lambda c: c.send(b"", 302)),
        "/status/500": ("500 every time", lambda c: c.send(b"oops", 500)),
        "/status/503": ("503 with Retry-After: 1", lambda c: c.send(b"busy", 503, extra={"Retry-After": "1"})),
        "/status/429": ("429 with Retry-After: 1", lambda c: c.send(b"slow down", 429, extra={"Retry-After": "1"})),
        "/gone": ("410 Gone", lambda c: c.send(b"gone", 410)),
        "/loop": ("redirects to itself", lambda c: c.send(b"", 302, extra={"Location": "/loop"})),
        "/gzip-bomb": ("1 MB of gzip inflating to 1 GiB", lambda c: c.send(
            gzip_bomb_body, extra={"Content-Encoding": "gzip"})),
        "/brotli-bomb": ("brotli inflating to 1 GiB", lambda c: c.send(
            brotli_bomb_body, extra={"Content-Encoding": "br"})),
        "/big-plain": (f"{BIG_BODY_MB} MB with Content-Length", lambda c: _big(c, chunked=False)),
        "/big-chunked": (f"{BIG_BODY_MB} MB chunked, no length", lambda c: _big(c, chunked=True)),
        "/charset/lying": ("UTF-8 body labelled ISO-8859-1 in the header", lambda c: c.send(
            article("Café culture in product teams"), content_type="text/html; charset=iso-8859-1")),
        "/charset/lying-legacy": ("windows-1252 body labelled UTF-8", lambda c: c.send(
            article("Café culture in legacy teams").replace(b'<meta charset="utf-8">', b"")
            .decode().encode("cp1252"), content_type="text/html; charset=utf-8")),
        "/charset/unknown": ("UTF-8 body labelled x-klingon", lambda c: c.send(
            article("Café culture in unknown lands").replace(b'charset="utf-8"', b'charset="x-klingon"'),
            content_type="text/html; charset=x-klingon")),
        "/feed/html-instead": ("an HTML page where the feed should be", lambda c: c.send(
            article("Not a feed", f'<link rel="alternate" type="application/rss+xml" href="{base}/feed/good">'))),
        "/feed/good": ("a good feed of one entry", lambda c: c.send(
            rss([("good-1", f"{base}/good", "A good article")]), content_type="application/rss+xml")),
        "/feed/billion-laughs": ("a feed with nested entities (billion laughs)", lambda c: c.send(
            rss([("bl-1", f"{base}/entry/bl", "&lol9;")], doctype=BILLION_LAUGHS),
            content_type="application/rss+xml")),
        "/feed/xxe": ("a feed whose title is an external entity (a local file)", lambda c: c.send(
            rss([("xxe-1", f"{base}/entry/xxe", "&xxe;")],
                doctype=f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret_path}">]>'),
            content_type="application/rss+xml")),
        "/feed/local-path": ("a body naming a local feed file (feedparser would open it)", lambda c: c.send(
            local_feed_path(secret_path).encode(), content_type="application/rss+xml")),
        "/feed/dev-zero": ("a body naming /dev/zero (read as a path, endless)", lambda c: c.send(
            b"/dev/zero", content_type="application/rss+xml")),
        "/feed/10000": ("a feed of 10,000 entries", lambda c: c.send(
            rss(feed_entries), content_type="application/rss+xml")),
        "/feed/guids": ("duplicate GUIDs, one link under two GUIDs, missing GUIDs", lambda c: c.send(
            rss([("same", f"{base}/entry/dup-a", "A"), ("same", f"{base}/entry/dup-b", "B"),
                 ("other", f"{base}/entry/dup-a", "A again"), (None, f"{base}/entry/no-guid", "No GUID"),
                 (None, f"{base}/entry/no-guid", "No GUID again")]),
            content_type="application/rss+xml")),
        "/feed/cookies": ("a feed setting 40 cookies of 3 KB", lambda c: _cookie_flood(c, base)),
        "/feed/changing-guids": ("new GUIDs for the same links on every fetch", lambda c: c.send(
            rss([(f"run-{next(CHANGING_GUIDS)}", f"{base}/entry/stable-{n}", f"Stable {n}") for n in range(2)]),
            content_type="application/rss+xml")),
        "/feed/bad-links": ("entries linking javascript:, data:, file: and one good page", lambda c: c.send(
            rss([("j", "javascript:alert(document.cookie)", "JS"),
                 ("d", "data:text/html,<script>alert(1)</script>", "Data"),
                 ("f", f"file://{secret_path}", "File"), ("ok", f"{base}/entry/linked-ok", "Fine")]),
            content_type="application/rss+xml")),
        "/links/bad-links": ("a link page with javascript:, data:, file: and one good link", lambda c: c.send(
            ('<html><body><ul><li><a href="javascript:alert(1)">JS</a></li>'
             '<li><a href="data:text/html,hi">Data</a></li>'
             f'<li><a href="file://{secret_path}">File</a></li>'
             f'<li><a href="{base}/entry/listed-ok">Fine</a></li></ul></body></html>').encode())),
        "/sitemap/bad-links.xml": ("a sitemap listing file:, javascript: and one good URL", lambda c: c.send(
            ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             f"<url><loc>file://{secret_path}</loc></url><url><loc>javascript:alert(1)</loc></url>"
             f"<url><loc>{base}/entry/mapped-ok</loc></url></urlset>").encode(),
            content_type="application/xml")),
    }
    table["/sitemap/index-of-missing.xml"] = ("a sitemap index whose two sitemaps are not found", lambda c: c.send(
        ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
         "<sitemap><loc>/sitemap/missing-1.xml</loc></sitemap><sitemap><loc>/sitemap/missing-2.xml</loc></sitemap>"
         "</sitemapindex>").encode(), content_type="application/xml"))
    table["/sitemap/endless/0.xml"] = ("a sitemap index whose child is another index, without end",
                                       _endless_sitemap)
    for hops in (3, 15):
        table[f"/chain/{hops}"] = (f"a chain of {hops} redirects", _chain)
    return table


@functools.cache
def bombs() -> tuple[bytes, bytes]:
    """The gzip and brotli bombs the routes serve, made once, when a hostile web is first
    made (3 s of compression: not at import, which every pytest worker's collection does)."""
    return gzip_bomb(), brotli_bomb()


class HostileWeb:
    """Serve the hostile routes until stopped; /entry/<anything> is a good article and /chain/N
    redirects N times. Use as a context manager."""

    def __init__(self, secret_path: str):
        self.requests: list[str] = []
        self.sent_cookies: list[str] = []  # the paths of requests that came with a Cookie header
        self._stop = threading.Event()
        web = self

        class RequestHandler(socketserver.BaseRequestHandler):
            def handle(self):
                sock: socket.socket = self.request
                sock.settimeout(60)
                data = b""
                try:
                    while b"\r\n\r\n" not in data and len(data) < 65536:
                        chunk = sock.recv(4096)
                        if not chunk:
                            return
                        data += chunk
                except OSError:
                    return
                request_line, *header_lines = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
                path = request_line.split(" ")[1].split("?", 1)[0]
                headers = dict(line.split(": ", 1) for line in header_lines if ": " in line)
                web.requests.append(path)
                if "cookie" in {name.lower() for name in headers}:
                    web.sent_cookies.append(path)
                connection = Connection(sock, path, headers, web._stop)
                handler = web.table.get(path, (None, None))[1]
                if handler is None and path.startswith("/chain/"):
                    handler = _chain
                if handler is None and path.startswith("/sitemap/endless/"):
                    handler = _endless_sitemap
                if handler is None and path.startswith("/entry/"):
                    handler = lambda c: c.send(article(f"Entry {path.rsplit('/', 1)[1]}"))  # noqa: E731
                try:
                    (handler or (lambda c: c.send(b"not found", 404)))(connection)
                except OSError:
                    pass  # the crawler hung up first

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), RequestHandler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.table = routes(self.base_url, secret_path)

    def __enter__(self) -> "HostileWeb":
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self.server.shutdown()
        self.server.server_close()


