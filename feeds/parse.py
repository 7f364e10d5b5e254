"""Parse feed bytes (RSS, Atom) with feedparser into plain entries; never fetch.

Scrapy fetches; this module only reads the bytes it was given. A feed that feedparser
flags as malformed (bozo) but that still yields entries keeps them, with the flag reported.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import feedparser
import lxml.html
from lxml.etree import ParserError

from pipeline.clock import struct_time_iso
from pipeline.items import EntryHints

logger = logging.getLogger(__name__)


class NotAFeedError(ValueError):
    """The bytes are not a feed (for example an HTML page where a feed was expected)."""


@dataclass
class FeedEntry:
    """One entry of a feed: the link to its page and what the feed said about it."""

    link: str
    hints: EntryHints


@dataclass
class ParsedFeed:
    """The readable part of a feed."""

    title: str | None
    version: str  # feedparser's name for the format, e.g. "rss20", "atom10"
    entries: list[FeedEntry] = field(default_factory=list)
    bozo: str | None = None  # why feedparser flagged the feed as malformed, if it did
    skipped: int = 0  # entries without a usable http(s) link


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse a fetched feed; raise NotAFeedError when the bytes hold no feed at all."""
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(body, response_headers=headers, sanitize_html=True)
    bozo = _malformation(parsed)
    if not parsed.entries and not parsed.get("version"):
        looks_html = body.lstrip()[:200].lower().startswith((b"<!doctype html", b"<html"))
        what = "an HTML page" if looks_html else "not RSS or Atom"
        raise NotAFeedError(f"{url} is {what}, not a feed ({bozo or 'no entries'})")
    feed = ParsedFeed(
        title=parsed.feed.get("title"), version=parsed.get("version") or "unknown", bozo=bozo
    )
    base = parsed.feed.get("link") or url
    for raw in parsed.entries:
        link = _entry_link(raw, base)
        if link is None:
            feed.skipped += 1
            continue
        feed.entries.append(FeedEntry(link=link, hints=_entry_hints(raw)))
    return feed


def _malformation(parsed: feedparser.FeedParserDict) -> str | None:
    """Why the feed is malformed, or None; a missing or odd Content-Type is not counted
    (servers often send feeds as text/html or without a type)."""
    error = parsed.get("bozo_exception")
    if not parsed.get("bozo") or isinstance(error, feedparser.NonXMLContentType):
        return None
    return f"{type(error).__name__}: {error}"


def _entry_link(raw: feedparser.FeedParserDict, base: str) -> str | None:
    candidates = [raw.get("link")]
    candidates += [item.get("href") for item in raw.get("links", []) if item.get("rel") == "alternate"]
    guid = raw.get("id")
    if raw.get("guidislink") or (guid and str(guid).startswith(("http://", "https://"))):
        candidates.append(guid)
    for candidate in candidates:
        if not candidate:
            continue
        absolute = urljoin(base, str(candidate).strip())
        if urlsplit(absolute).scheme in ("http", "https"):
            return absolute
    return None


def _entry_hints(raw: feedparser.FeedParserDict) -> EntryHints:
    content = " ".join(html_to_text(part.get("value", "")) for part in raw.get("content", []))
    published = raw.get("published_parsed") or raw.get("updated_parsed")
    return EntryHints(
        title=(raw.get("title") or "").strip() or None,
        summary=html_to_text(raw.get("summary", "")) or None,
        content=content.strip() or None,
        author=(raw.get("author") or "").strip() or None,
        published=struct_time_iso(published),
        guid=raw.get("id") or None,
        categories=sorted({t.get("term", "").strip() for t in raw.get("tags", []) if t.get("term")}),
    )


def html_to_text(fragment: str) -> str:
    """Return the text of an HTML fragment with whitespace collapsed ('' if there is none)."""
    if not fragment or not fragment.strip():
        return ""
    try:
        text = lxml.html.fromstring(fragment).text_content()
    except (ParserError, ValueError):
        return " ".join(fragment.split())
    return " ".join(text.split())
