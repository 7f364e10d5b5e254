"""The item that flows from the spiders through the stages, with documented fields.

A spider fills in what it fetched (a `Page`); each stage adds what it learned. Dates are
ISO 8601 strings in UTC (``2026-11-25T18:00:00Z``, or ``2026-11-25`` when only the day is
known); URLs are absolute.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from feeds.entries import EntryHints

if TYPE_CHECKING:  # the key's type only: the stages' layer is above this one
    from pipeline.stages.reading import StageCall


@dataclass
class Extraction:
    """What the extractor found in a fetched body (trafilatura for HTML)."""

    text: str
    title: str | None = None
    author: str | None = None
    published: str | None = None  # ISO 8601 date
    sitename: str | None = None
    language: str | None = None
    description: str | None = None
    canonical_url: str | None = None  # rel=canonical / og:url as the page declares it
    extractor: str = ""  # name and version, e.g. "trafilatura 2.3.1"
    page_count: int | None = None  # PDFs
    links: list[tuple[str, str]] = field(default_factory=list)  # (URL, anchor) cited by the main text
    # What the page declares it is: "json-ld:JobPosting", "og:book"... (pipeline.understand.markup)
    markup: list[str] = field(default_factory=list)
    # The text's words, where the extractor counted them (a worker: not again in the crawler).
    word_count: int | None = None
    # A PDF's heading (the first page's text set largest: pipeline.understand.pdf), its title
    # where neither its metadata nor a link or a feed names it.
    heading: str | None = None

    @property
    def words(self) -> int:
        """The number of words of the text (counted once)."""
        return self.word_count if self.word_count is not None else len(self.text.split())


@dataclass(repr=False)
class Page:
    """One fetched (or failed) resource on its way to the database.

    Filled by the spider: url .. landing_url. Filled by the stages: canonical_url and doc_id
    (canonicalize), extraction (extract), document (classify, tag), signature (dedup).
    """

    url: str  # the URL as found (feed entry link, configured URL)
    source_id: str  # id of the source in data/sources.yaml
    found_via: str  # how it was found: "feed", "url", ...
    final_url: str = ""  # URL of the response after redirects ("" when nothing was fetched)
    status: int = 0  # HTTP status of the response, 0 when there was none
    headers: dict[str, str] = field(default_factory=dict)  # response headers, lower-case names
    body: bytes = b""
    packed_body: bytes | None = None  # the body as the store keeps it, packed by a worker (store.bodies.pack)
    encoding: str | None = None  # the charset the Content-Type declared (None: none; never a guess)
    content_type: str = ""  # media type without parameters, e.g. "text/html"
    hints: EntryHints | None = None
    fetch_error: str | None = None  # why the page could not be fetched, if it could not
    not_modified: bool = False  # a 304, or the same bytes as last time: nothing to re-extract
    # A part of a page told by its feed entry, a resource of its own (its URL's fragment names
    # it, and is kept in its canonical URL: canonical.parts_of_one_page): never fetched, the page
    # holds all the parts.
    part: bool = False
    landing_url: str | None = None  # for a file (a PDF) linked from a page: that page's URL
    # The PDFs this page links to: saved with its validators, so that when the page is
    # unchanged next time they are still asked for (one may not have been stored yet).
    linked_pdfs: list[str] = field(default_factory=list)
    pdf_anchors: dict[str, str] = field(default_factory=dict)  # a linked PDF's URL -> its link's words, if they name it
    # A site crawl's page: its depth from the start, and the same-site links it leads to.
    depth: int | None = None
    site_links: list[str] = field(default_factory=list)
    # Of those, the site's navigation ("Older posts", rel=next, page numbers), and the
    # anchor text of each link: a listing leads on whatever its relevance (stages/follow.py).
    navigation_links: list[str] = field(default_factory=list)
    link_texts: list[str] = field(default_factory=list)
    listing: bool = False  # reached through a navigation link: a further page of a listing
    # The document's relevance (the tag stage's; for an unchanged page, the stored one):
    # the follow stage asks for linked_pdfs and site_links only when it is high enough.
    relevance: float | None = None
    extraction_error: str | None = None  # why the body could not be read (a broken PDF, ...)
    canonical_url: str = ""
    doc_id: str = ""
    extraction: Extraction | None = None
    document: dict[str, Any] | None = None  # the documents row (extract's worker or classify; tag adds to it)
    signature: Any = None  # MinHash signature of the text (dedup), a numpy array
    vectors: tuple[bytes, bytes] | None = None  # (head, page) vectors for search (tag stage)
    # The later stages' worker calls, run ahead in the extraction's task (pipeline/stages/
    # reading.py): the call (pipeline.stages.reading.StageCall) -> (arguments, result).
    ahead: dict[StageCall, tuple[tuple, Any]] = field(default_factory=dict)

    def __repr__(self) -> str:
        # Short: Scrapy logs items (a dropped one at WARNING), and the body can be megabytes.
        return (f"Page({self.url!r}, source={self.source_id!r}, via={self.found_via!r}, "
                f"status={self.status}, {len(self.body)} bytes)")
