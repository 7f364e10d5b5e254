"""What a feed (or a link list) says about one resource."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class EntryHints:
    """What a feed (or a link list) said about a resource, kept even when its page fails."""

    title: str | None = None
    summary: str | None = None  # plain text, tags stripped
    content: str | None = None  # plain text of the entry's full content, if the feed had it
    author: str | None = None
    # An Atom feed's own author, which its entries without one have (RFC 4287): where the page
    # names no author (it may be the site's or a team's name, not the writer's).
    feed_author: str | None = None
    published: str | None = None  # ISO 8601 UTC
    guid: str | None = None
    categories: list[str] = field(default_factory=list)  # feed categories, link-list section
    anchor: str | None = None  # the link's text, when found on a link list
    enclosures: list[str] = field(default_factory=list)  # media types of its enclosures, e.g. "audio/mpeg"

