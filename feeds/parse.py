"""Parse feed bytes (RSS, Atom with feedparser; JSON Feed) into plain entries; never fetch.

Scrapy fetches; this module only reads the bytes it was given. A feed that feedparser
flags as malformed (bozo) but that still yields entries keeps them, with the flag reported.

feedparser.parse() takes a URL, a file name or a document, and tries them in that order: a
body that reads `/etc/passwd` or `/dev/zero` would be opened as a local file. So the bytes
always reach it as a file object (`io.BytesIO`), which it can only read.
"""

from __future__ import annotations

import io
import json
import logging
import mimetypes
from dataclasses import dataclass, field

import feedparser

from feeds.charsets import choose_charset
from feeds.dates import iso, parse_datetime, struct_time_iso
from feeds.discover import feed_links
from feeds.entries import EntryHints
from feeds.feed_text import html_to_text, plain_text
from feeds.inflate import InflateError, inflate
from feeds.urls import web_address

logger = logging.getLogger(__name__)

MAX_FEED_INFLATED = 20 * 1024 * 1024  # as DOWNLOAD_MAXSIZE


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
    encoding: str | None = None  # the charset the feed was read in, e.g. "utf-8", "big5"


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse a fetched feed; raise NotAFeedError when the bytes hold no feed at all.

    `content_type` is the whole Content-Type header, charset parameter included: a feed
    whose only charset declaration is the HTTP header is read wrong without it."""
    try:
        body = inflate(body, MAX_FEED_INFLATED)  # a feed.xml.gz served as a file
    except InflateError as error:
        raise NotAFeedError(f"{url}: {error}") from None
    if body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{":
        return parse_json_feed(body, url)
    charset = choose_charset(body, content_type)
    body = charset.body
    headers = {"content-location": url}
    if charset.content_type:
        headers["content-type"] = charset.content_type
    # Entries' links are resolved (feedparser always resolves link and id elements); the URIs
    # inside their HTML are not: only the text of that HTML is kept (html_to_text), and
    # resolving them re-parsed every entry's markup, a third of the parse (on the 647 feeds
    # of ../shared/corpora, CPU 13.8 -> 9.5 s, every parsed feed identical).
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers, sanitize_html=True,
                              resolve_relative_uris=False)
    bozo = _malformation(parsed)
    if charset.guessed and not bozo:
        # Read right, but the publisher should declare it: XML without a declaration is UTF-8.
        bozo = f"CharacterEncodingOverride: no encoding declared, and not UTF-8; read as {charset.guessed}"
    if not parsed.entries and not parsed.get("version"):
        looks_html = body.lstrip()[:200].lower().startswith((b"<!doctype html", b"<html"))
        what = "an HTML page" if looks_html else "not RSS or Atom"
        message = f"{url} is {what}, not a feed ({bozo or 'no entries'})"
        declared = feed_links(body.decode("utf-8", errors="replace"), url) if looks_html else []
        if declared:
            message += f"; the page declares a feed at {declared[0][0]}: use that URL as the source"
        raise NotAFeedError(message)
    if not parsed.entries and _broken(parsed):
        # Broken before its first entry: a feed nothing could be read from is a failure of
        # its source (marked failing, backed off), not a feed that is fine and empty.
        raise NotAFeedError(f"{url}: a malformed feed, and not one entry could be read from it ({bozo})")
    feed = ParsedFeed(
        title=parsed.feed.get("title"), version=parsed.get("version") or "unknown", bozo=bozo,
        encoding=parsed.get("encoding") or None,
    )
    base = parsed.feed.get("link") or url
    # Atom (RFC 4287, 4.2.1): an entry without an author has its source's, else its feed's.
    # 8 of the 112 real feeds name their author only once, for the feed (one-writer blogs):
    # their 393 entries had none. A feed's author may be its site's or its team's name, so it
    # is a fallback (`feed_author`), not the entry's own: the page's byline comes first. RSS
    # has no such rule (a channel's managingEditor is often an office's address:
    # "apps.support@aljazeera.net (Apps Support)").
    atom = feed.version.startswith("atom")
    feed_author = _entry_authors(parsed.feed) if atom else None
    for raw in parsed.entries:
        link = _entry_link(raw, base)
        if link is None:
            feed.skipped += 1
            continue
        hints = _entry_hints(raw)
        if atom and hints.author is None:
            source = raw.get("source")  # an aggregator's copy: its original feed's author is the entry's
            hints.author = _entry_authors(source) if isinstance(source, dict) else None
            hints.feed_author = None if hints.author else feed_author
        feed.entries.append(FeedEntry(link=link, hints=hints))
    return feed


def parse_json_feed(body: bytes, url: str) -> ParsedFeed:
    """Parse a JSON Feed (jsonfeed.org, versions 1 and 1.1), which feedparser does not read."""
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise NotAFeedError(f"{url} is not valid JSON ({error})") from None
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith("https://jsonfeed.org/"):
        raise NotAFeedError(f"{url} is JSON but not a JSON Feed (no jsonfeed.org version)")
    base = data["home_page_url"] if isinstance(data.get("home_page_url"), str) else url
    feed = ParsedFeed(title=_string(data.get("title")), version="json" + data["version"].rsplit("/", 1)[-1])
    items = data["items"] if isinstance(data.get("items"), list) else []
    for item in items:
        if not isinstance(item, dict):
            feed.skipped += 1
            continue
        item_id = str(item.get("id") or "")
        permalink = item_id if item_id.startswith(("http://", "https://")) else None
        link = _http_url(base, item.get("url") or item.get("external_url") or permalink)
        if link is None:
            feed.skipped += 1
            continue
        names = _json_authors(item)
        content = _string(item.get("content_text")) or html_to_text(_string(item.get("content_html")) or "")
        published = item.get("date_published") or item.get("date_modified")
        feed.entries.append(FeedEntry(link=link, hints=EntryHints(
            title=plain_text(_string(item.get("title"))),
            summary=plain_text(_string(item.get("summary"))),
            content=str(content).strip() or None,
            author=", ".join(names) or None,
            # JSON Feed 1.1: an item without authors has the feed's (as Atom's: a fallback).
            feed_author=None if names else ", ".join(_json_authors(data)) or None,
            published=iso(moment) if (moment := parse_datetime(published)) else None,
            guid=str(item.get("id")) if item.get("id") is not None else None,
            categories=sorted({str(tag) for tag in item.get("tags") or [] if isinstance(tag, str)}),
            enclosures=[str(a["mime_type"]).strip().lower() for a in item.get("attachments") or []
                        if isinstance(a, dict) and a.get("mime_type")],
        )))
    return feed


def _json_authors(thing: dict) -> list[str]:
    """The names of a JSON Feed item's (or the feed's) authors: version 1.1's `authors`, or
    version 1's `author`. A publisher's JSON may hold anything where a string belongs: only
    strings are read."""
    authors = thing.get("authors") or ([thing["author"]] if isinstance(thing.get("author"), dict) else [])
    return [a["name"].strip() for a in authors if isinstance(authors, list) and isinstance(a, dict)
            and isinstance(a.get("name"), str) and a["name"].strip()]


def _string(value) -> str | None:
    """A JSON value where a string belongs: the string, or None for anything else."""
    return value if isinstance(value, str) else None


def _http_url(base: str, candidate) -> str | None:
    return web_address(candidate, base)


def _malformation(parsed: feedparser.FeedParserDict) -> str | None:
    """Why the feed is malformed, or None; a missing or odd Content-Type is not counted
    (servers often send feeds as text/html or without a type)."""
    error = parsed.get("bozo_exception")
    if not parsed.get("bozo") or isinstance(error, feedparser.NonXMLContentType):
        return None
    return f"{type(error).__name__}: {error}"


def _broken(parsed: feedparser.FeedParserDict) -> bool:
    """Whether feedparser found the XML itself broken (not well-formed), rather than one of
    the things it notes and reads past: an encoding declared wrong or not at all, an odd
    Content-Type, an undeclared namespace."""
    error = parsed.get("bozo_exception")
    return bool(parsed.get("bozo")) and not isinstance(error, feedparser.ThingsNobodyCaresAboutButMe)


def _entry_link(raw: feedparser.FeedParserDict, base: str) -> str | None:
    candidates = [raw.get("link")]
    candidates += [item.get("href") for item in raw.get("links", []) if item.get("rel") == "alternate"]
    guid = raw.get("id")
    if raw.get("guidislink") or (guid and str(guid).startswith(("http://", "https://"))):
        candidates.append(guid)
    for candidate in candidates:
        absolute = _http_url(base, str(candidate) if candidate else None)
        if absolute:
            return absolute
    return None


def _entry_hints(raw: feedparser.FeedParserDict) -> EntryHints:
    content = " ".join(html_to_text(part.get("value", "")) for part in raw.get("content", []))
    published = raw.get("published_parsed") or raw.get("updated_parsed")
    return EntryHints(
        title=plain_text(raw.get("title"), raw.get("title_detail")),
        summary=_summary(raw),
        content=content.strip() or None,
        author=_entry_authors(raw),
        published=struct_time_iso(published),
        guid=raw.get("id") or None,
        categories=sorted({t.get("term", "").strip() for t in raw.get("tags", []) if t.get("term")}),
        enclosures=_enclosure_types(raw),
    )


# What a feed generator writes where an entry has no summary: a template's JavaScript value
# printed as it is (705749c3b1bd02d8's <description>null</description>).
NO_SUMMARY = ("null", "undefined")


def _summary(raw: feedparser.FeedParserDict) -> str | None:
    summary = plain_text(raw.get("summary"), raw.get("summary_detail"))
    return None if summary in NO_SUMMARY else summary


def _enclosure_types(raw: feedparser.FeedParserDict) -> list[str]:
    """The media types of an entry's enclosures: its <enclosure>s (and Atom's rel="enclosure"
    links), then the audio and video of its Media RSS <media:content> that no enclosure
    already names. Feeds give their audio or video only so (EL PAÍS's videos); a
    <media:content> image is the post's picture (330 entries of 17 real feeds), and says
    nothing of what the entry is."""
    enclosures = [e for e in raw.get("enclosures", []) if isinstance(e, dict)]
    named = {e.get("href") for e in enclosures}
    # An enclosure without its type (RSS requires one; some podcast hosts leave it out) has the
    # one its file's name says ("episode-12.mp3": audio/mpeg).
    types = [str(e.get("type") or mimetypes.guess_type(str(e.get("href") or ""))[0] or "").strip().lower()
             for e in enclosures]
    types = [kind for kind in types if kind]
    for media in raw.get("media_content", []):
        kind = str(media.get("type") or "").strip().lower() if isinstance(media, dict) else ""
        if kind.startswith(("audio/", "video/")) and media.get("url") not in named:
            types.append(kind)
    return types


def _entry_authors(raw: feedparser.FeedParserDict) -> str | None:
    """The names of an entry's authors, in order, without their addresses. feedparser's
    `author` is "Name (email)" for an Atom author with an <email> ("Herman Sheephouse
    (noreply@blogger.com)"), RSS's <author> is an address ("alex@blackie.ca (Alex Blackie)"),
    and of several <dc:creator> it keeps the last; `authors` has each one's name apart. An
    address alone names no one: None, so the page's own byline is read instead."""
    names = [plain_text(author.get("name")) for author in raw.get("authors", []) if isinstance(author, dict)]
    return ", ".join(dict.fromkeys(name for name in names if name)) or None
