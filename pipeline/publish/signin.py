"""Signing in to the published site: `/-/login` (a form: `username`, `password`) makes a
curator of data/<database>.curators.json a Datasette actor, `{"id": NAME}`, through
Datasette's own signed `ds_actor` cookie, so Datasette's permission checks apply to what
they do; Datasette's `/-/logout` signs out. The route exists only when the database has
curators (pipeline/publish/curators.py): a site without them has no sign-in and no writes.

The form is a POST under Datasette's CSRF protection (asgi-csrf: a form without the
`csrftoken` its cookie holds is refused, 403). The cookie is HttpOnly and SameSite=Lax,
Secure when the request came over HTTPS (as through a reverse proxy that says so). Repeated
failures are slowed: after FREE_FAILURES wrong passwords for a name, or from one address,
within FAILURE_WINDOW seconds, the next attempt must wait twice as long as the one before
(from 2 s, at most MAX_WAIT), answered 429 with Retry-After, and not even checked.
"""

from __future__ import annotations

import asyncio
import time
from urllib.parse import urlsplit

from datasette.utils.asgi import Response

from pipeline.publish.curators import check_password

FREE_FAILURES = 5
FAILURE_WINDOW = 15 * 60
MAX_WAIT = 15 * 60
SESSION_SECONDS = 30 * 24 * 3600  # a curator stays signed in for a month on one browser


class LoginThrottle:
    """Wrong passwords per name and per client address, and how long each must now wait."""

    def __init__(self, clock=time.monotonic) -> None:
        self.clock = clock
        self.failures: dict[str, list[float]] = {}  # key -> times of recent failures

    def wait(self, *keys: str) -> int:
        """Seconds the attempt must still wait (0: it may be checked)."""
        now = self.clock()
        longest = 0.0
        for key in keys:
            recent = [t for t in self.failures.get(key, []) if now - t < FAILURE_WINDOW]
            self.failures[key] = recent
            if len(recent) >= FREE_FAILURES:
                pause = min(2.0 ** (len(recent) - FREE_FAILURES + 1), MAX_WAIT)
                longest = max(longest, recent[-1] + pause - now)
        return max(0, int(longest + 0.999))

    def failed(self, *keys: str) -> None:
        for key in keys:
            self.failures.setdefault(key, []).append(self.clock())

    def succeeded(self, *keys: str) -> None:
        for key in keys:
            self.failures.pop(key, None)


THROTTLE = LoginThrottle()


async def login_page(datasette, request):
    """GET: the sign-in form. POST: check the name and password; signed in, go on to `next`
    (a path of this site) or the home page."""
    next_path = local_path(request.args.get("next") or "/")
    if request.method != "POST":
        return await _form(datasette, request, next_path)
    form = await request.post_vars()
    name, password = (form.get("username") or "").strip(), form.get("password") or ""
    next_path = local_path(form.get("next") or next_path)
    keys = (f"name:{name.lower()}", f"address:{_client(request)}")
    wait = THROTTLE.wait(*keys)
    if wait:
        return await _form(datasette, request, next_path, status=429, headers={"Retry-After": str(wait)},
                           error=f"Too many wrong passwords: try again in {wait} seconds.")
    # Checking a hash takes ~50 ms of memory-hard work: off the event loop.
    if not await asyncio.to_thread(check_password, datasette.get_database().path, name, password):
        THROTTLE.failed(*keys)
        return await _form(datasette, request, next_path, status=401, error="Wrong name or password.")
    THROTTLE.succeeded(*keys)
    response = Response.redirect(next_path)
    response.set_cookie("ds_actor", datasette.sign({"a": {"id": name}}, "actor"), max_age=SESSION_SECONDS,
                        httponly=True, samesite="lax", secure=request.scheme == "https")
    return response


async def _form(datasette, request, next_path: str, status: int = 200, headers=None, error: str | None = None):
    html = await datasette.render_template("login.html", {"next": next_path, "error": error}, request=request)
    return Response.html(html, status=status, headers=headers)


def local_path(target: str | None, default: str = "/") -> str:
    """`target` when it is a path of this site, else `default` (no open redirect): where a
    sign-in or a curator's act goes on to."""
    target = target or ""
    parts = urlsplit(target)
    # "//host" and "/\\host" lead browsers to another host, and so does "/\t\\host": browsers
    # drop tabs and line breaks from an address before they read it (and a line break would
    # split a header, a NUL break it). A path of ours has none of them, nor a space.
    if parts.scheme or parts.netloc or not target.startswith("/") or target[1:2] in ("/", "\\") \
            or any(c <= " " or c in "\\\x7f" for c in target):
        return default
    return target


def _client(request) -> str:
    client = request.scope.get("client")
    return client[0] if client else "unknown"
