"""Canonical URLs and the document ids derived from them.

Rules (stable, so an id never changes between runs): lower-case scheme and host, default
ports dropped, fragment dropped (kept for a part of a page that is a resource of its own: a
feed's entries that link to parts of one page, parts_of_one_page), tracking
parameters (utm_*, fbclid, gclid, mc_cid, mc_eid, ref, news sites' at_*, maca, wt_mc, ...) removed,
remaining query parameters kept in their order, an empty path becomes "/", and a trailing slash is removed
from any other path. AMP variants map to their page: a trailing /amp path segment and amp /
outputType=amp parameters are dropped.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import safe_url_string

# Named one by one, not by courlan's broader pattern (which also drops "cid", "uid", "source"
# and "session": a forum's or a shop's page ids on some sites, and two pages made one is worse
# than one page stored twice). The news sites' own ones were found in real feeds' links: BBC's
# at_medium/at_campaign (Adobe Analytics' at_*), DW's maca, Al Jazeera's traffic_source, the
# Christian Science Monitor's icid, heise's wt_mc (Webtrekk's campaign id, on every link of its
# feeds); ocid, cmpid, smid, xtor and ncid are MSN's, Adobe's, the New York Times', AT
# Internet's and Yahoo's campaign ids, _ga/_gl Google Analytics' linker.
TRACKING_PARAMETER = re.compile(
    r"^(utm_[a-z_]+|fbclid|gclid|dclid|msclkid|yclid|mc_cid|mc_eid|_hsenc|_hsmi|mkt_tok|"
    r"ref|ref_src|referrer|igshid|si|trk|trkcampaign|__s|vero_id|oly_enc_id|oly_anon_id|"
    r"at_[a-z0-9_]+|maca|traffic_source|icid|wt_mc|ocid|cmpid|smid|xtor|ncid|_ga|_gl)$",
    re.IGNORECASE,
)
DEFAULT_PORTS = {"http": 80, "https": 443}
AMP_SEGMENT = re.compile(r"/amp$", re.IGNORECASE)


def canonicalize_url(url: str, keep_fragment: bool = False) -> str:
    """Return the canonical form of an absolute http(s) URL (see the module docstring); its
    fragment kept with `keep_fragment`."""
    try:
        url = safe_url_string(url.strip())  # percent-encode what browsers would
    except ValueError:  # w3lib refuses a port out of range (":99999"): there is no such port
        split = urlsplit(url.strip())
        url = safe_url_string(urlunsplit(split._replace(netloc=split.netloc.rsplit(":", 1)[0])))
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    try:
        port = parts.port
    except ValueError:
        port = None
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    path = parts.path or "/"
    if path != "/" and path.endswith("/"):
        path = path.rstrip("/") or "/"
    path = AMP_SEGMENT.sub("", path) or "/"
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
         if not TRACKING_PARAMETER.match(k) and not _is_amp_parameter(k, v)],
        doseq=True,
    )
    return urlunsplit((scheme, netloc, path, query, parts.fragment if keep_fragment else ""))


def _is_amp_parameter(name: str, value: str) -> bool:
    return name.lower() == "amp" or (name.lower() == "outputtype" and value.lower() == "amp")


def parts_of_one_page(links: list[str]) -> set[str]:
    """The links that name parts of one page: two or more with fragments that name different
    parts of the same canonical page ("https://x.dev/awesome#restic", "/awesome/#grug-brain").
    A feed whose entries link so (a link blog's page, a "now" page's dated notes, a
    changelog's releases) tells a resource in each, which the page holds together; one link
    with a fragment ("/post#more"), or a link to the page itself, names the page."""
    by_page: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for link in links:
        if urlsplit(link).fragment:
            by_page[canonicalize_url(link)].setdefault(canonicalize_url(link, keep_fragment=True), []).append(link)
    return {link for named in by_page.values() if len(named) > 1 for same in named.values() for link in same}


def document_id(canonical_url: str) -> str:
    """Return the stable document id for a canonical URL (16 hex digits of its SHA-256)."""
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:16]


def same_site(url_a: str, url_b: str) -> bool:
    """True when two URLs share a host, ignoring a leading 'www.'."""

    def host(url: str) -> str:
        name = (urlsplit(url).hostname or "").lower()
        return name[4:] if name.startswith("www.") else name

    return host(url_a) == host(url_b) != ""
