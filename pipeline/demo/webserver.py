"""A small threaded HTTP server on 127.0.0.1 with a free port, serving fixed routes."""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass
class Route:
    """One canned HTTP answer."""

    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    then: "Route | None" = None  # served instead from the next request on, if set
    etag: bool = True  # False: no ETag, so only a Last-Modified in `headers` validates it


NOT_FOUND = Route(b"<h1>Not found</h1>", status=404)


def _slash_redirect(routes: dict[str, Route], asked) -> Route | None:
    """A 301 to the path with its trailing slash, when only that path is served: as WordPress,
    Ghost, GitHub Pages and most static hosts answer "/post" for "/post/" (a stored document's
    URL is its canonical form, which drops the slash, and links in lists and exports use it)."""
    if asked.path.endswith("/") or f"{asked.path}/" not in routes:
        return None
    target = f"{asked.path}/" + (f"?{asked.query}" if asked.query else "")
    return Route(b"", status=301, headers={"Location": target}, etag=False)


class StaticWeb:
    """Serve `routes` (path -> Route) until stopped; unknown paths answer 404.

    Like most real servers it sends an ETag for each 200 and answers a matching
    If-None-Match with 304 and no body; a route with a Last-Modified header answers a
    matching If-Modified-Since with 304 too; a path without its trailing slash is
    redirected to the one with it. Use as a context manager; the port is chosen by
    the OS, so tests never collide.
    """

    def __init__(self, routes: dict[str, Route] | None = None):
        self.routes: dict[str, Route] = dict(routes or {})
        self.requests: list[str] = []  # paths asked for, in order (tests read it)
        self.times: list[float] = []  # time.monotonic() of each request, parallel to requests
        self.bytes_sent = 0  # body bytes sent, all requests together
        web = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                path = urlsplit(self.path).path
                web.requests.append(path)
                web.times.append(time.monotonic())
                route = web.routes.get(path) or _slash_redirect(web.routes, urlsplit(self.path)) or NOT_FOUND
                if route.then is not None:
                    web.routes[path] = route.then
                etag = f'"{hashlib.sha1(route.body).hexdigest()[:20]}"'
                last_modified = route.headers.get("Last-Modified")
                if route.status == 200 and (
                        (route.etag and self.headers.get("If-None-Match") == etag)
                        or (last_modified and self.headers.get("If-Modified-Since") == last_modified)):
                    self.send_response(304)
                    if route.etag:
                        self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(route.body)))
                if route.status == 200 and route.etag:
                    self.send_header("ETag", etag)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                try:
                    self.wfile.write(route.body)
                except (BrokenPipeError, ConnectionResetError):
                    return  # the client gave up on the body (a size limit): that is its right
                web.bytes_sent += len(route.body)

            def log_message(self, format, *args):  # noqa: A002 - keep test output clean
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> "StaticWeb":
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.server.shutdown()
        self.server.server_close()
