"""What a feed (or a link list) says about one resource."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urldefrag


@dataclass
class EntryHints:
    """What a feed (or a link list) said about a resource, kept even when its page fails."""

    title: str | None = None
    summary: str | None = None  # plain text, tags stripped
    content: str | None = None  # plain text of the entry's full content, if the feed had it
    author: str | None = None
    published: str | None = None  # ISO 8601 UTC
    guid: str | None = None
    categories: list[str] = field(default_factory=list)  # feed categories, link-list section
    anchor: str | None = None  # the link's text, when found on a link list
    enclosures: list[str] = field(default_factory=list)  # media types of its enclosures, e.g. "audio/mpeg"


def parts_of_one_page(links: list[str]) -> set[str]:
    """The links that name parts of one page: two or more that differ only in their fragment
    ("https://x.dev/awesome#restic", "https://x.dev/awesome#grug-brain"). A feed whose entries
    link so (a link blog's page, a "now" page's dated notes, a changelog's releases) tells a
    resource in each, which the page holds together: one link with a fragment ("/post#more")
    names its page."""
    by_page: dict[str, set[str]] = defaultdict(set)
    for link in links:
        by_page[urldefrag(link).url].add(link)
    return {link for named in by_page.values() if len(named) > 1 for link in named}
