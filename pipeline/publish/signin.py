"""Signing in to the published site: `/-/login` (a form: `username`, `password`) makes a
curator of data/<database>.curators.json a Datasette actor, `{"id": NAME, "session": ID}`,
through Datasette's own signed `ds_actor` cookie, so Datasette's permission checks apply to
what they do. Each sign-in starts a session of its own, recorded on the server
(pipeline/publish/sessions.py): the cookie counts only while the session is live, and
`/-/logout` (ours, in place of Datasette's, the same form) ends it before deleting the
cookie, so a copy of the cookie stops working too. The routes exist only when the database
has curators (pipeline/publish/curators.py): a site without them has no sign-in and no writes.

The form is a POST under Datasette's CSRF protection (asgi-csrf: a form without the
`csrftoken` its cookie holds is refused, 403). The `ds_actor` cookie is HttpOnly and
SameSite=Lax, Secure when the request came over HTTPS (as through a reverse proxy that says
so). asgi-csrf keeps a browser's token as long as its cookie lives and checks only that
form and cookie agree: a token known before signing in (a cookie planted in a shared
browser, a page read over a shoulder) stayed good for the curator's forms after. So signing
in and signing out each give the browser a new token (`renew_csrf_token`), and the old one
no longer matches its cookie. A sign-in without the cookie is refused (403): it is a form
sent from another site, which asgi-csrf, seeing no cookie, would not check.

Repeated failures are slowed: after FREE_FAILURES wrong passwords for a name, or from one
address, within FAILURE_WINDOW seconds, the next attempt must wait twice as long as the one
before (from 2 s, at most MAX_WAIT), answered 429 with Retry-After, and not even checked.
So that a stranger who knows a curator's name cannot keep the curator out by failing in her
name, a browser she has signed in with is known by a device cookie (OWASP's "device
cookies"): `ds_device`, signed, naming her, kept a year. A sign-in in her name from such a
browser counts its failures for that browser alone; the name's and the address's counts
apply to every other browser.
"""

from __future__ import annotations

import asyncio
import time
from secrets import token_urlsafe
from urllib.parse import urlsplit

import asgi_csrf
from datasette.utils import baseconv
from datasette.utils.asgi import Response
from itsdangerous import BadSignature

from pipeline.publish import sessions
from pipeline.publish.curators import password_record
from pipeline.publish.sessions import SESSION_SECONDS

# The cookie Datasette has asgi-csrf keep its token in (datasette.app).
CSRF_COOKIE = "ds_csrftoken"
DEVICE_COOKIE = "ds_device"  # a browser a curator has signed in with (see above)
DEVICE_NAMESPACE = "prodops-device"  # what its signature is for: no other signed value passes as one
DEVICE_SECONDS = 365 * 24 * 3600
FREE_FAILURES = 5
FAILURE_WINDOW = 15 * 60
MAX_WAIT = 15 * 60


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
    if CSRF_COOKIE not in request.cookies:
        # asgi-csrf lets a POST that carries no cookie at all through unchecked, and a form
        # sent from another site carries none (SameSite=Lax): it would sign this browser in
        # under the sender's name, and what the visitor then does is the sender's to read
        # (login CSRF). Our own form always comes with the cookie, set with the page.
        return await _form(datasette, request, next_path, status=403,
                           error="The form came without this site's cookie: sign in from this page, "
                                 "with cookies allowed for the site.")
    form = await request.post_vars()
    name, password = (form.get("username") or "").strip(), form.get("password") or ""
    next_path = local_path(form.get("next") or next_path)
    device = _device(datasette, request, name)
    keys = (f"device:{device}",) if device else (f"name:{name.lower()}", f"address:{_client(request)}")
    wait = THROTTLE.wait(*keys)
    if wait:
        return await _form(datasette, request, next_path, status=429, headers={"Retry-After": str(wait)},
                           error=f"Too many wrong passwords: try again in {wait} seconds.")
    db_path = datasette.get_database().path
    # Checking a hash takes ~50 ms of memory-hard work: off the event loop.
    curator = await asyncio.to_thread(password_record, db_path, name, password)
    if curator is None:
        THROTTLE.failed(*keys)
        return await _form(datasette, request, next_path, status=401, error="Wrong name or password.")
    THROTTLE.succeeded(*keys)
    session, expires = await asyncio.to_thread(sessions.start, db_path, name, curator)
    # "e": Datasette's own expiry of the actor cookie (base62 seconds since the epoch), read by
    # its default actor_from_request; the server's record expires at the same moment.
    signed = datasette.sign({"a": {"id": name, "session": session}, "e": baseconv.base62.encode(expires)}, "actor")
    response = Response.redirect(next_path)
    response.set_cookie("ds_actor", signed, max_age=SESSION_SECONDS, httponly=True, samesite="lax",
                        secure=request.scheme == "https")
    response.set_cookie(DEVICE_COOKIE, datasette.sign({"name": name.lower(), "device": device or token_urlsafe(16)},
                                                      DEVICE_NAMESPACE),
                        max_age=DEVICE_SECONDS, httponly=True, samesite="lax", secure=request.scheme == "https")
    renew_csrf_token(datasette, request, response)
    return response


def _device(datasette, request, name: str) -> str | None:
    """The id of this browser's device cookie when it names `name` (a browser that curator
    has signed in with), else None: a cookie that is missing, forged, or another's."""
    try:
        known = datasette.unsign(request.cookies.get(DEVICE_COOKIE, ""), DEVICE_NAMESPACE)
    except BadSignature:
        return None
    if not isinstance(known, dict) or known.get("name") != name.lower() or not isinstance(known.get("device"), str):
        return None
    return known["device"]


async def logout_page(datasette, request):
    """`/-/logout`, in place of Datasette's: GET, its page with the button to sign out; POST
    (under Datasette's CSRF protection, as its own), end the session on the server, then delete
    the cookie and go home as Datasette's does."""
    if request.method != "POST":
        if not request.actor:
            return Response.redirect(datasette.urls.instance())
        html = await datasette.render_template("logout.html", {"actor": request.actor}, request=request)
        return Response.html(html)
    session = (request.actor or {}).get("session")
    if isinstance(session, str):  # (a stale cookie's session is already over: nothing to end)
        await asyncio.to_thread(sessions.end, datasette.get_database().path, session)
    response = Response.redirect(datasette.urls.instance())
    response.set_cookie("ds_actor", "", expires=0, max_age=0)
    renew_csrf_token(datasette, request, response)
    datasette.add_message(request, "You are now logged out", datasette.WARNING)
    return response


def renew_csrf_token(datasette, request, response: Response) -> None:
    """Give the browser a new CSRF token with `response`: made as asgi-csrf makes one (16
    random characters signed with the site's secret in its namespace, so it accepts it), in
    the cookie it reads, with its path and SameSite (Secure over HTTPS, as ds_actor). The
    next page's forms carry it (Datasette's `csrftoken()` is the cookie's token)."""
    token = datasette.sign(asgi_csrf.make_secret(16), asgi_csrf.DEFAULT_SIGNING_NAMESPACE)
    response.set_cookie(CSRF_COOKIE, token, path=asgi_csrf.DEFAULT_COOKIE_PATH, samesite="lax",
                        secure=request.scheme == "https")


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
    if parts.scheme or parts.netloc or not target.startswith("/") or target[1:2] == "/" \
            or any(c <= " " or c in "\\\x7f" for c in target):
        return default
    return target


def _client(request) -> str:
    client = request.scope.get("client")
    return client[0] if client else "unknown"
