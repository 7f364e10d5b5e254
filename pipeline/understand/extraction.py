"""Text and metadata extraction from fetched bodies: plain functions, safe to run in a
worker process (arguments and results are picklable).

Failure to extract is a value (None) plus a log line, never an exception. What the page
declares it is (JSON-LD, microdata, og:type: pipeline.understand.markup) is read from the
same parsed tree, so that classification and `prodops retag` need no HTML.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
import re
from importlib.metadata import version
from typing import cast

import trafilatura
from htmldate import find_date
from trafilatura import load_html
from trafilatura.metadata import META_URL, examine_meta, extract_meta_json, extract_sitename, extract_url
from trafilatura.settings import Document, set_date_params

from feeds.dates import iso, parse_datetime
from pipeline import clock
from pipeline.config.files import ConfigError
from pipeline.items import Extraction
from pipeline.understand.byline_search import page_byline
from pipeline.understand.bylines import LABELS, one_word_author, tidy_author_meta
from pipeline.understand.links import content_links
from pipeline.understand.markup import declared_published, read_markup, unwrap_json_ld
from pipeline.understand.titles import reader_title

logger = logging.getLogger(__name__)

TRAFILATURA = f"trafilatura {version('trafilatura')}"
FAVOURS = ("precision", "balanced", "recall")
MIN_WORDS = 10  # fewer words than this is a heading or a caption, not main text
KNOWN_FROM_FEEDS = frozenset({"title", "author", "date"})  # what a feed entry may give of a page
# htmldate's date as the page states it, to the second with its UTC offset: its default format
# keeps only the day, so "2015-07-10T22:53:00-04:00" was stored as 2015-07-10T00:00:00Z, the
# wrong day in UTC (2015-07-11T02:53:00Z) and the time lost.
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
# What htmldate's extensive search makes of a year alone (a copyright line "©1998-2015", a CSS
# class "mjx-c2026"): the year's first moment, no time, no offset.
YEAR_ALONE = re.compile(r"^\d{4}-01-01T00:00:00$")
HTML_LANG = re.compile(r"<html[^>]*?\slang\s*=\s*[\"']?([a-zA-Z]{2,3})\b", re.IGNORECASE)


def check_favour(favour: str) -> str:
    """The PRODOPS_EXTRACTION_FAVOUR setting checked: precision, balanced or recall."""
    if favour not in FAVOURS:
        raise ConfigError(f"PRODOPS_EXTRACTION_FAVOUR = {favour!r}: use one of {', '.join(FAVOURS)}")
    return favour


def extract_html(html: str, url: str, favour: str = "precision", known: frozenset[str] = frozenset(),
                 keep_short: Callable[[list[str]], bool] | None = None) -> Extraction | None:
    """Extract the main text and metadata of an HTML page; None when it has no main text.

    `favour` is trafilatura's trade-off (PRODOPS_EXTRACTION_FAVOUR): "precision" (the
    default: a page whose only "text" is a cookie banner or a newsletter box must count as
    having no main text), "balanced", or "recall" (keep more of what may be text).

    `known`: which of "title", "author" and "date" the page's feed entry gave; they win over
    the page's (pipeline.store.documents.document_row), so the page is not searched for
    them. A known date skips htmldate's extensive search through the text and URLs (a
    sixth of extraction's time on real pages); all three known, only the metadata a feed
    does not give is read (site name, description, canonical URL: page_metadata), and
    the title, author and date of the Extraction are None.

    The title and the author are those a reader would name (pipeline.understand.titles,
    pipeline.understand.bylines, pipeline.understand.byline_search): trafilatura's, less a
    heading of the site's chrome taken for the title, the site's name after it, and what in a
    byline is no name (a form's label, a date, a job, a line of its own under the name).

    `keep_short`: whether a page's markup declarations (pipeline.understand.markup) say what
    it is clearly enough to keep it with fewer than MIN_WORDS words of main text (a video
    page whose text is one line: its type is known, its words are not needed to type it).
    """
    light = KNOWN_FROM_FEEDS <= known
    try:
        # Parsed once here, so that the content's links are read from the same tree.
        tree = load_html(html)
        if tree is None:
            return None
        markup = read_markup(tree, url)  # before trafilatura, which may prune the scripts it reads
        unwrap_json_ld(tree)  # JSON-LD out of a CDATA wrapping, for trafilatura as for read_markup
        if "author" not in known:
            tidy_author_meta(tree)  # URLs out of the author meta tags (pipeline.understand.bylines)
        document = cast("Document | None", trafilatura.bare_extraction(  # a Document: as_dict is off
            tree,
            url=url,
            with_metadata=not light,
            include_comments=False,
            include_tables=True,
            author_blacklist=None if "author" in known else set(LABELS),
            favor_precision=favour == "precision",
            favor_recall=favour == "recall",
            date_extraction_params={**set_date_params(extensive="date" not in known), "outputformat": DATE_FORMAT},
        ))
        if document is not None and light:
            document = page_metadata(tree, url, document)
        elif document is not None:
            # What a feed gave is not searched for, nor tidied: it wins (document_row).
            if "title" not in known:
                document.title = reader_title(tree, _clean(document.title), _clean(document.sitename), url)
            if "author" not in known:
                document.author = (page_byline(tree, html, _clean(document.author), _clean(document.sitename))
                                   or one_word_author(tree))
            if "date" not in known:
                document.date = _publication_date(tree, url, document.date)
    except Exception:
        logger.warning("trafilatura failed on %s", url, exc_info=True)
        return None
    if document is None or not (document.text or "").strip():
        return None
    words = len((document.text or "").split())
    if words < MIN_WORDS and not (keep_short is not None and keep_short(markup)):
        return None
    return Extraction(
        text=(document.text or "").strip(),
        word_count=words,
        title=_clean(document.title),
        author=_clean(document.author),
        published=_stored_date(document.date),
        sitename=_clean(document.sitename),
        language=_clean(document.language) or declared_language(html),
        description=_clean(document.description),
        canonical_url=_clean(document.url),
        extractor=TRAFILATURA,
        links=content_links(tree, url, document.text or ""),
        markup=markup,
    )


def page_metadata(tree, url: str, document):
    """Fill `document` with the metadata a feed entry does not give: the site's name, the
    description and the canonical URL, by trafilatura's own steps for them, in its order
    (trafilatura.metadata.extract_metadata, less the title, author, date, categories,
    tags and licence: its costly part, the author's search alone a tenth of extraction).
    tests/test_extraction.py holds these fields to what the whole extraction gives."""
    metadata = examine_meta(tree)
    try:
        metadata = extract_meta_json(tree, metadata)
    except Exception:
        logger.debug("JSON-LD metadata of %s could not be read", url, exc_info=True)
    url_found = metadata.url or extract_url(tree, url)
    sitename = metadata.sitename or extract_sitename(tree)
    if sitename:
        sitename = sitename.lstrip("@")
        if sitename and "." not in sitename and not sitename[0].isupper():
            sitename = sitename.title()
    elif url_found and (match := META_URL.match(url_found)):
        sitename = match[1]
    metadata.url, metadata.sitename = url_found, sitename
    metadata.clean_and_trim()  # as trafilatura: entities unescaped, lengths bounded
    document.url, document.sitename, document.description = metadata.url, metadata.sitename, metadata.description
    return document


def _publication_date(tree, url: str, found: str | None) -> str | None:
    """The page's publication date: the `datePublished` its JSON-LD declares for itself, where
    it reads as a date that has been, over htmldate's `found`; else `found`, unless a year
    alone (`_not_a_year_guessed`). htmldate takes a "modified" meta tag (article:modified_time)
    when the page has no "published" one, even asked for the original date: Readability's
    spiceworks page, "Last Updated: January 7, 2025", was dated 2025 for its datePublished
    2020-07-10."""
    declared = declared_published(tree, url)
    moment = parse_datetime(declared) if declared else None
    if moment is not None and iso(moment) <= clock.now_iso():
        return declared
    return _not_a_year_guessed(tree, url, found)


def _not_a_year_guessed(tree, url: str, date: str | None) -> str | None:
    """`date`, unless htmldate's extensive search guessed it from a year alone in the text
    (YEAR_ALONE, and no such date in the page's metadata, which the fast search reads): a
    copyright line or a CSS class is no publication date, and a page dated 1 January of the
    wrong year is sorted among the wrong year's. On Readability's 130 test pages the extensive
    search dated 5 pages this way, all wrong ("©1998-2015" -> 1998-01-01, "mjx-c2026" ->
    2026-01-01), beside 9 dates from the text that look right (a byline's "March 25, 2015")."""
    if date is None or not YEAR_ALONE.match(date):
        return date
    stated = find_date(tree, extensive_search=False, original_date=True, outputformat=DATE_FORMAT, url=url)
    return date if stated == date else None


def declared_language(html: str) -> str | None:
    """The primary language subtag of the page's <html lang=...>, e.g. 'en', or None."""
    match = HTML_LANG.search(html[:4096])
    return match.group(1).lower() if match else None


def _stored_date(value: str | None) -> str | None:
    """A page's date as every stored date is written, ISO 8601 UTC (feeds.dates). htmldate gives
    it in DATE_FORMAT: with an offset when the page states one, converted to UTC; without one
    (a page that states only a day, or a time without a zone) it is taken as UTC, as
    feeds.dates takes every zoneless date, so a day alone is stored as that day's start."""
    moment = parse_datetime(_clean(value))
    return iso(moment) if moment is not None else None


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(str(value).split())
    return value or None
