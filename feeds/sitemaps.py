"""Parse sitemaps (XML urlset or index, gzip, plain-text lists) from fetched bytes.

Scrapy fetches; this module reads bytes. XML is parsed with lxml (entities not resolved, no
network); robots.txt with Protego, the parser Scrapy itself uses. Gzip is inflated up to a
size limit, so a bomb cannot fill memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin

from lxml import etree
from protego import Protego

from feeds.dates import parse_lastmod
from feeds.inflate import InflateError, inflate
from feeds.parse import NotAFeedError, parse_feed
from feeds.urls import is_web_address

MAX_INFLATED = 50 * 1024 * 1024  # the sitemaps.org limit for one file


class NotASitemapError(ValueError):
    """The bytes hold no sitemap."""


@dataclass
class SitemapEntry:
    url: str
    lastmod: datetime | None = None
    is_sitemap: bool = False  # a sitemap to read (an index's <sitemap>), not a page


@dataclass
class ParsedSitemap:
    kind: str  # the root's name: "urlset" (pages) or "sitemapindex" (more sitemaps)
    entries: list[SitemapEntry] = field(default_factory=list)  # each says whether it is a sitemap
    skipped: int = 0  # locations that are not http(s) URLs (file:, javascript:, ...)


def parse_sitemap(body: bytes, url: str) -> ParsedSitemap:
    """Parse a sitemap; raise NotASitemapError when the bytes are none of the known forms.

    Lenient as crawlers must be: a namespace that is missing or wrong, a <sitemap> whose
    URL is its text instead of a <loc>, a byte-order mark, and RSS or Atom used as a
    sitemap (sitemaps.org allows it) are all read; and each entry is what its own element
    says, whatever the root's name: a <sitemap> inside a <urlset> (some CMSs and plugins write
    their sitemaps' list so) is a sitemap to read, a <url> inside a <sitemapindex> a page.
    """
    try:
        body = inflate(body, MAX_INFLATED)
    except InflateError as error:
        raise NotASitemapError(f"{url}: {error}") from None
    stripped = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] == b"<":
        return _parse_xml(stripped, url)
    text = stripped.decode("utf-8", errors="replace")
    entries = [SitemapEntry(line.strip()) for line in text.splitlines() if _is_http(line.strip())]
    if not entries:
        raise NotASitemapError(f"{url}: neither an XML sitemap nor a list of URLs")
    return ParsedSitemap("urlset", entries)


def _parse_xml(body: bytes, url: str) -> ParsedSitemap:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, recover=True, huge_tree=False, remove_comments=True
    )
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as error:
        raise NotASitemapError(f"{url}: not readable XML: {error}") from None
    if root is None:
        raise NotASitemapError(f"{url}: not readable XML")
    kind = etree.QName(root).localname.lower()
    if kind in ("rss", "feed", "rdf"):
        try:
            feed = parse_feed(body, url)
        except NotAFeedError as error:
            raise NotASitemapError(str(error)) from None
        return ParsedSitemap("urlset", [SitemapEntry(entry.link) for entry in feed.entries], feed.skipped)
    if kind not in ("urlset", "sitemapindex"):
        raise NotASitemapError(f"{url}: XML root <{kind}> is not a sitemap")
    entries, skipped = [], 0
    for child in root:
        if not isinstance(child.tag, str):
            continue
        # Direct children only: an image or video extension has <loc> elements of its own.
        values = {etree.QName(e).localname.lower(): (e.text or "").strip()
                  for e in child if isinstance(e.tag, str)}
        location = values.get("loc") or (child.text or "").strip()
        absolute = urljoin(url, location) if location else ""  # relative <loc>: lenient, as browsers
        if _is_http(absolute):
            named = etree.QName(child).localname.lower()
            is_sitemap = named == "sitemap" or named != "url" and kind == "sitemapindex"
            entries.append(SitemapEntry(absolute, parse_lastmod(values.get("lastmod")), is_sitemap))
        elif location:
            skipped += 1
    return ParsedSitemap(kind, entries, skipped)


def sitemaps_from_robots(robots_txt: bytes, base_url: str) -> list[str]:
    """The Sitemap: URLs a robots.txt declares."""
    text = robots_txt.decode("utf-8", errors="replace")
    urls = (urljoin(base_url, url.strip()) for url in Protego.parse(text).sitemaps)
    return [url for url in urls if _is_http(url)]


def _is_http(url: str) -> bool:
    return is_web_address(url)
