"""Web addresses: the one test of what may be requested or published as a link.

An absolute http(s) URL with a host that urllib can take apart: its port a number in range,
its IPv6 brackets closed. Anything else (javascript:, mailto:, "not a url", "http://[::1",
"http://example.com:99999/") is refused where it enters (a feed's entry, a sitemap's
location, a page's link, a config file, an argument), so that no later step meets a
ValueError on it.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit


# Characters no host name has (RFC 3986's reg-name, IPv6 literals aside): urllib takes
# "https://exa mple.com/" apart, and every fetch of it then failed with "Invalid URI", a source
# added with it walking towards being disabled.
HOST_FORBIDDEN = re.compile(r'[\s<>"{}|\\^`]')


def is_web_address(url) -> bool:
    """Whether `url` is an absolute http(s) URL with a host that urllib can take apart."""
    if not isinstance(url, str) or not url.strip():
        return False
    try:
        parts = urlsplit(url.strip())
        parts.port  # read for its ValueError: a port out of range or not a number
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname) and not HOST_FORBIDDEN.search(
        parts.hostname or "")


def web_address(href, base: str | None = None) -> str | None:
    """`href`, resolved against `base` when given, if it is a web address; else None."""
    if not isinstance(href, str) or not href.strip():
        return None
    try:
        url = urljoin(base, href.strip()) if base else href.strip()
    except ValueError:  # "http://[::1" cannot even be joined
        return None
    return url if is_web_address(url) else None
