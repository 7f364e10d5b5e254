"""Where a site's feeds and sitemaps are: autodiscovery links and the usual platform paths.

Pure functions over URLs and fetched HTML; spiders/discover.py fetches and checks the
candidates through Scrapy.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

import lxml.html
from lxml.etree import ParserError

from feeds.urls import web_address

FEED_TYPES = {
    "application/rss+xml", "application/atom+xml", "application/feed+json",
    "application/json", "application/rdf+xml", "application/xml", "text/xml",
}
# How a feed's first bytes begin: RSS, Atom, RSS 1.0 (RDF), JSON Feed.
FEED_OPENINGS = re.compile(rb"<rss[\s>]|<feed[\s>][^>]*http://www\.w3\.org/2005/Atom|<rdf:RDF[\s>]|jsonfeed\.org/version",
                           re.IGNORECASE)


def looks_like_feed(body: bytes) -> bool:
    """Whether a fetched body is a feed (its first 2 KB say so), where a web page was expected:
    a `site` or `links` source given a feed's address."""
    return bool(FEED_OPENINGS.search(body[:2048]))


# Paths where blogging platforms publish feeds: WordPress, Ghost, Substack, Hugo, Jekyll...
FEED_PATHS = ["/feed/", "/feed", "/rss.xml", "/atom.xml", "/feed.xml", "/index.xml", "/rss/",
              "/blog/feed/", "/feed.json"]
SITEMAP_PATHS = ["/sitemap.xml", "/sitemap_index.xml", "/wp-sitemap.xml"]


# A feed of readers' comments, which WordPress declares on every page beside its posts' feed
# ("Site » Comments Feed", "/comments/feed/"; a post's own "» Post Comments Feed") and Blogger
# too ("/feeds/comments/default"): not a source of writing to collect.
COMMENTS_TITLE = re.compile(r"\bcomments?\b", re.IGNORECASE)
COMMENTS_PATH = re.compile(r"(^|[/_.-])comments?([/_.-]|$)", re.IGNORECASE)


def feed_links(html: str, base_url: str) -> list[tuple[str, str | None]]:
    """(URL, title) of each <link rel="alternate"> feed an HTML page declares, but a feed of
    its readers' comments (COMMENTS_TITLE, COMMENTS_PATH)."""
    try:
        tree = lxml.html.fromstring(html)
    except (ParserError, ValueError):
        return []
    found: list[tuple[str, str | None]] = []
    for link in tree.iterfind(".//link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        href = (link.get("href") or "").strip()
        if "alternate" in rel and kind in FEED_TYPES and href:
            url = web_address(href, base_url)
            title = (link.get("title") or "").strip() or None
            if COMMENTS_TITLE.search(title or "") or url is not None and COMMENTS_PATH.search(urlsplit(url).path):
                continue
            if url is not None and url not in [u for u, _ in found]:
                found.append((url, title))
    return found


def guessed_feed_urls(url: str) -> list[str]:
    """Feed URLs worth trying for a site, from the platform conventions."""
    parts = urlsplit(url)
    root = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
    host = (parts.hostname or "").lower()
    guesses = []
    segments = [s for s in parts.path.split("/") if s]
    if host == "medium.com" and segments:
        guesses.append(f"{root}/feed/{segments[0]}")  # a publication or @user
    path = parts.path.rstrip("/")
    if path:
        guesses += [f"{root}{path}/feed/", f"{root}{path}/feed"]  # a WordPress category/blog
    guesses += [root + p for p in FEED_PATHS]
    return list(dict.fromkeys(guesses))


def guessed_sitemap_urls(url: str) -> list[str]:
    """Sitemap URLs worth trying when robots.txt declares none."""
    parts = urlsplit(url)
    root = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
    return [root + p for p in SITEMAP_PATHS]
