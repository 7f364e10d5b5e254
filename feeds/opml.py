"""OPML subscription lists in and out, without fetching.

Reading is lenient, as real-world OPML demands: lxml's recovering parser reads files with
raw '&', undefined HTML entities or missing end tags; what still cannot be read is
reported, never raised as a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.sax.saxutils import quoteattr

from lxml import etree

from feeds.urls import is_web_address

# A bare '&' that does not start an entity or character reference.
BARE_AMPERSAND = re.compile(rb"&(?!#\d+;|#x[0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)")
# A subscription's feed address as the bytes name it, to count what a repair lost.
XML_URL = re.compile(rb"\bxmlUrl\s*=", re.IGNORECASE)


class OpmlError(ValueError):
    """The file is not OPML at all (or nothing in it can be read)."""


@dataclass
class OpmlFeed:
    """One subscription: a feed URL with its title, site and the outline folders above it."""

    url: str
    title: str | None = None
    site_url: str | None = None
    category: str | None = None


@dataclass
class OpmlList:
    title: str | None
    feeds: list[OpmlFeed] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # what could not be read, and why


def parse_opml(data: bytes, name: str = "OPML") -> OpmlList:
    """Read the feed subscriptions of an OPML file; raise OpmlError when none can be read."""
    data = BARE_AMPERSAND.sub(b"&amp;", data)
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as error:
        raise OpmlError(f"{name}: not readable as XML: {error}") from None
    if root is None or etree.QName(root).localname.lower() != "opml":
        found = "no XML element at all" if root is None else f"<{etree.QName(root).localname}> where <opml> should be"
        raise OpmlError(f"{name}: not an OPML file ({found}); export your subscriptions from the reader as OPML")
    head, body = _child(root, "head"), _child(root, "body")
    title = _child(head, "title") if head is not None else None
    result = OpmlList(title=(title.text or "").strip() or None if title is not None else None)
    problems = [f"line {e.line}: {e.message}" for e in parser.error_log]
    result.problems.extend(f"{name}: repaired XML error at {p}" for p in problems[:20])
    if body is not None:
        _walk(body, [], result, name)
    # What the repair could not save: subscriptions the bytes name that were not read.
    named = len(XML_URL.findall(data))
    read = len(result.feeds) + sum("xmlUrl" in problem for problem in result.problems)
    if named > read:
        result.problems.append(f"{name}: {named - read} of its {named} subscriptions could not be read "
                               "(the XML around them is broken past repair: see the errors above)")
    if not result.feeds and not result.problems:
        raise OpmlError(f"{name}: no feed subscriptions in it (no <outline> with an xmlUrl)")
    return result


def _child(element, name: str):
    """`element`'s first child called `name`, in whatever namespace the file puts it (OPML
    2.0 files exported with xmlns="http://opml.org/spec2" put every element in it)."""
    return next((child for child in element.iterchildren() if _named(child, name)), None)


def _named(element, name: str) -> bool:
    return isinstance(element.tag, str) and etree.QName(element).localname.lower() == name


def _walk(element, folders: list[str], result: OpmlList, name: str) -> None:
    for outline in (child for child in element.iterchildren() if _named(child, "outline")):
        attributes = {key.lower(): (value or "").strip() for key, value in outline.attrib.items()}
        label = attributes.get("title") or attributes.get("text") or None
        url = attributes.get("xmlurl")
        if url:
            if is_web_address(url):
                result.feeds.append(OpmlFeed(
                    url=url, title=label, site_url=attributes.get("htmlurl") or None,
                    category=" / ".join(folders) or None,
                ))
            else:
                result.problems.append(f"{name}: skipped {label or 'an outline'}: "
                                       f"xmlUrl {url!r} is not an http(s) URL")
        _walk(outline, [*folders, label] if label and not url else folders, result, name)


def write_opml(title: str, feeds: list[OpmlFeed]) -> str:
    """An OPML 2.0 document listing `feeds`, grouped by category."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<opml version="2.0">',
             f"  <head><title>{_text(title)}</title></head>", "  <body>"]
    by_category: dict[str | None, list[OpmlFeed]] = {}
    for feed in feeds:
        by_category.setdefault(feed.category, []).append(feed)
    for category, members in by_category.items():
        indent = "    "
        if category:
            lines.append(f"    <outline text={quoteattr(category)}>")
            indent = "      "
        for feed in members:
            site = f" htmlUrl={quoteattr(feed.site_url)}" if feed.site_url else ""
            label = quoteattr(feed.title or feed.url)
            lines.append(f'{indent}<outline type="rss" text={label} title={label} '
                         f"xmlUrl={quoteattr(feed.url)}{site}/>")
        if category:
            lines.append("    </outline>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
