"""The neighbourhood as data: real feeds of the blogs product-ops writing lives among
(software, design, SaaS, personal and news blogs; hardly a page about product operations),
captured in ../shared/corpora/feeds/neighbourhood (MIT; its README row says where from).

Each feed's entries are read as a crawl stores a feed-only document (title; the summary as
description; the content, else the summary, as text). The feeds are split by file name
into a `tune` half, which the relevance model is fitted on, and a `held-out` half, which
chooses nothing and is what `prodops eval` reports: a feed's entries share a voice, so
splitting by entry would flatter the score.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from feeds.parse import NotAFeedError, parse_feed
from pipeline.config.files import PROJECT_DATA

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


def split_of(feed_name: str) -> str:
    """`tune` or `held-out`, by a digest of the feed's file name (stable, about half each)."""
    return "held-out" if int(hashlib.sha1(feed_name.encode()).hexdigest(), 16) % 2 else "tune"


def available(folder: Path = NEIGHBOURHOOD) -> bool:
    """Whether the corpus is beside the project (it is not part of a plain clone)."""
    return folder.is_dir() and any(folder.glob("*.xml"))


def entries(split: str | None = None, folder: Path = NEIGHBOURHOOD, feeds: set[str] | None = None) -> list[Entry]:
    """The entries of the feeds of one split (None: all), feeds in name order; only the
    feeds named in `feeds`, where given."""
    found = []
    for path in sorted(folder.glob("*.xml")):
        if split is not None and split_of(path.name) != split or feeds is not None and path.name not in feeds:
            continue
        try:
            feed = parse_feed(path.read_bytes(), f"https://neighbourhood.example/{path.name}")
        except NotAFeedError:
            continue
        for entry in feed.entries[:PER_FEED]:
            hints = entry.hints
            found.append(Entry(path.name, entry.link, hints.title, hints.summary,
                               hints.content or hints.summary or ""))
    return found
