"""The neighbourhood as data: real feeds of the blogs product-ops writing lives among
(software, design, SaaS, personal and news blogs; hardly a page about product operations),
captured in ../shared/corpora/feeds/neighbourhood (MIT; its README row says where from).

Each feed's entries are read as a crawl stores a feed-only document (title; the summary as
description; the content, else the summary, as text; its audio or video enclosures as
declarations of what it is). The feeds are split by file name
into a `tune` half, which the relevance model is fitted on, and a `held-out` half, which
chooses nothing and is what `prodops eval` reports: a feed's entries share a voice, so
splitting by entry would flatter the score.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

from feeds.parse import NotAFeedError, parse_feed
from pipeline.config.files import PROJECT_DATA
from pipeline.understand.markup import enclosure_types

NEIGHBOURHOOD = PROJECT_DATA.parents[1] / "shared" / "corpora" / "feeds" / "neighbourhood"
PER_FEED = 100  # entries read of each feed, as a crawl takes them (PRODOPS_FEED_MAX_ENTRIES)


@dataclass(frozen=True)
class Entry:
    """One feed entry, as the document a crawl would store from the feed alone."""

    feed: str  # the feed's file name
    link: str  # the entry's address, as the feed gives it
    title: str | None
    description: str | None
    text: str
    declared: tuple[str, ...] = ()  # its enclosures, as `markup_types` holds them ("enclosure:audio/mpeg")


def split_of(feed_name: str) -> str:
    """`tune` or `held-out`, by a digest of the feed's file name (stable, about half each)."""
    return "held-out" if int(hashlib.sha1(feed_name.encode()).hexdigest(), 16) % 2 else "tune"


def available(folder: Path = NEIGHBOURHOOD) -> bool:
    """Whether the corpus is beside the project (it is not part of a plain clone)."""
    return folder.is_dir() and any(folder.glob("*.xml"))


def entries(split: str | None = None, folder: Path = NEIGHBOURHOOD, feeds: set[str] | None = None) -> list[Entry]:
    """The entries of the feeds of one split (None: all), feeds in name order; only the
    feeds named in `feeds`, where given."""
    return [entry for path in sorted(folder.glob("*.xml"))
            if (split is None or split_of(path.name) == split) and (feeds is None or path.name in feeds)
            for entry in feed_entries(path)]


@functools.cache
def feed_entries(path: Path) -> tuple[Entry, ...]:
    """The first PER_FEED entries of one captured feed (none if it is no feed), parsed once
    a process: `prodops eval` reads the held-out feeds for relevance and for content types."""
    try:
        feed = parse_feed(path.read_bytes(), f"https://neighbourhood.example/{path.name}")
    except NotAFeedError:
        return ()
    return tuple(Entry(path.name, entry.link, entry.hints.title, entry.hints.summary,
                       entry.hints.content or entry.hints.summary or "",
                       tuple(enclosure_types(entry.hints.enclosures)))
                 for entry in feed.entries[:PER_FEED])
