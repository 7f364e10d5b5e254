"""Names of the per-run counters kept in Scrapy's stats, and helpers to update them.

Spiders and stages count here; pipeline.crawl.runlog turns the counts into the `runs` and
`sources` rows at the end of a crawl.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the store layer reads these counters too, without Scrapy
    from scrapy.statscollectors import StatsCollector


class DropReason(StrEnum):
    """Why an item or an entry was left out on purpose: the run's `dropped` counts, by reason."""

    UNFETCHED = "unfetched"  # the page could not be fetched (its error is counted too)
    NO_CONTENT = "no-content"  # no main text (a hub, a listing, a bare download page)
    INTERRUPTED = "interrupted"  # the crawl was stopping, or its cluster was lost
    UNCLASSIFIED = "unclassified"  # reached the store without a document (a bug)
    NOT_MODIFIED_UNKNOWN = "not-modified-unknown"  # unchanged, but never stored
    OVER_ENTRY_LIMIT = "over-entry-limit"  # a feed's entries past PRODOPS_FEED_MAX_ENTRIES
    OVER_SITEMAP_LIMIT = "over-sitemap-limit"  # a sitemap's URLs past its limit
    NOT_WEB_LINK = "not-web-link"  # a link that is not http(s)
    UNSPECIFIED = "unspecified"  # dropped by code that said no reason (Scrapy's own DropItem)


# What each reason means to the person reading a crawl's summary ("Dropped: no-content 5")
# or `runs.dropped` (docs/data.md prints this table).
DROP_REASONS: dict[DropReason, str] = {
    DropReason.UNFETCHED: "the page could not be fetched; its error is counted among the run's errors too",
    DropReason.NO_CONTENT: "the page has no main text to keep (a hub, a listing, a bare download page, "
                           "under 10 words)",
    DropReason.INTERRUPTED: "the crawl was stopping (or its Dask cluster was lost); the next crawl "
                            "fetches the page again",
    DropReason.UNCLASSIFIED: "a page reached the store without a document: a bug, to report",
    DropReason.NOT_MODIFIED_UNKNOWN: "the page is unchanged since it was last fetched (a 304, or the same "
                                     "body), but no document of it is stored (it gave none then)",
    DropReason.OVER_ENTRY_LIMIT: "a feed's entries past its limit (PRODOPS_FEED_MAX_ENTRIES, or the "
                                 "source's max_entries)",
    DropReason.OVER_SITEMAP_LIMIT: "the sitemaps an index lists past its limit (PRODOPS_MAX_SITEMAPS, or "
                                   "the source's max_sitemaps)",
    DropReason.NOT_WEB_LINK: "a link that is not an http(s) address (javascript:, data:, file:, a bad port)",
    DropReason.UNSPECIFIED: "left out by code that gave no reason (Scrapy's own DropItem)",
}


class SourceFact(StrEnum):
    """What a run records of each source (SOURCE's `what`), read at its end (pipeline.store.runs,
    pipeline.store.drift)."""

    FETCHED = "fetched"
    ERRORS = "errors"
    LAST_ERROR = "last_error"
    OK = "ok"
    WARNING = "warning"
    DOCUMENTS = "documents"
    EXTRACTED = "extracted"
    NO_TEXT = "no_text"
    NO_TITLE = "no_title"
    NO_DATE = "no_date"
    WORDS = "words"
    UNREACHABLE = "unreachable"
    REFUSED = "refused"
    GONE = "gone"

PAGES = "prodops/pages_fetched"
NOT_MODIFIED = "prodops/pages_not_modified"
ERRORS = "prodops/errors"
ERROR_MESSAGES = "prodops/error_messages"
MAX_ERROR_MESSAGES = 200  # kept per run; the count goes on past it
DOCUMENTS = "prodops/documents/{outcome}"  # new | updated | unchanged
DROPPED = "prodops/dropped/{reason}"
NOT_FOLLOWED = "prodops/links_not_followed"  # links of pages below PRODOPS_FOLLOW_MIN_RELEVANCE
NOT_FOLLOWED_PAGES = "prodops/pages_not_followed"
DOWNLOADS_PAUSED = "prodops/downloads_paused"  # times the workers were behind (pipeline.stages.tasks)
INTERRUPTION = "prodops/interruption"  # why the run was interrupted (a Dask cluster lost)
SOURCE = "prodops/source/{source_id}/{what}"  # what: a SourceFact


def count_page(stats: StatsCollector, source_id: str) -> None:
    """Count one fetched response for the run and its source."""
    stats.inc_value(PAGES)
    stats.inc_value(SOURCE.format(source_id=source_id, what=SourceFact.FETCHED))


def count_not_modified(stats: StatsCollector, source_id: str) -> None:
    """Count a response that said the resource is unchanged (304 or the same bytes)."""
    stats.inc_value(NOT_MODIFIED)


def count_error(stats: StatsCollector, source_id: str, url: str, message: str) -> None:
    """Count an error for the run and its source, keeping its message (prefixed with `url`,
    unless the message, a parser's, already names it first)."""
    stats.inc_value(ERRORS)
    stats.inc_value(SOURCE.format(source_id=source_id, what=SourceFact.ERRORS))
    said = message if message.startswith(url) else f"{url}: {message}"
    stats.set_value(SOURCE.format(source_id=source_id, what=SourceFact.LAST_ERROR), said)
    messages = stats.get_value(ERROR_MESSAGES) or []
    if len(messages) < MAX_ERROR_MESSAGES:
        stats.set_value(ERROR_MESSAGES, [*messages, f"{source_id}: {said}"])


def mark_source_unreachable(stats: StatsCollector, source_id: str) -> None:
    """The source's own URL could not be reached at all (DNS, refused, unreachable, timeout):
    if every source of the run says so, the machine was offline (pipeline.store.runs)."""
    stats.set_value(SOURCE.format(source_id=source_id, what=SourceFact.UNREACHABLE), True)


def mark_source_refused(stats: StatsCollector, source_id: str) -> None:
    """The source's own URL was refused by the network guard (a private address without
    --allow-private-network): the user's setting, so its health does not change."""
    stats.set_value(SOURCE.format(source_id=source_id, what=SourceFact.REFUSED), True)


def mark_source_gone(stats: StatsCollector, source_id: str) -> None:
    """Record that the source's own URL answered 410 Gone: it will be disabled."""
    stats.set_value(SOURCE.format(source_id=source_id, what=SourceFact.GONE), True)


def mark_source_ok(stats: StatsCollector, source_id: str) -> None:
    """Record that the source's own URL (feed, page) was fetched and read."""
    stats.set_value(SOURCE.format(source_id=source_id, what=SourceFact.OK), True)


def warn_source(stats: StatsCollector, source_id: str, warning: str) -> None:
    """Keep a warning about a source that still worked (e.g. a malformed feed); several
    warnings in one run are kept together."""
    key = SOURCE.format(source_id=source_id, what=SourceFact.WARNING)
    earlier = stats.get_value(key)
    if earlier and warning not in earlier:
        warning = f"{earlier}; {warning}"
    stats.set_value(key, warning)


def count_document(stats: StatsCollector, source_id: str, outcome: str) -> None:
    """Count a stored document as new, updated or unchanged."""
    stats.inc_value(DOCUMENTS.format(outcome=outcome))
    stats.inc_value(SOURCE.format(source_id=source_id, what=SourceFact.DOCUMENTS))


def count_extraction(stats: StatsCollector, source_id: str, words: int, title: str | None,
                     published: str | None) -> None:
    """Count what extraction made of one fetched page of a source (pipeline.store.drift):
    whether it found main text (`words` of it: 0 for none), a title, a date."""
    stats.inc_value(SOURCE.format(source_id=source_id, what=SourceFact.EXTRACTED))
    for what, missing in ((SourceFact.NO_TEXT, not words), (SourceFact.NO_TITLE, not title),
                          (SourceFact.NO_DATE, not published)):
        if missing:
            stats.inc_value(SOURCE.format(source_id=source_id, what=what))
    if words:
        key = SOURCE.format(source_id=source_id, what=SourceFact.WORDS)
        counts = stats.get_value(key)
        if counts is None:
            counts = []
            stats.set_value(key, counts)
        counts.append(words)  # in place: copying the list per page is quadratic


def count_dropped(stats: StatsCollector, reason: DropReason, count: int = 1) -> None:
    """Count items dropped on purpose, by their reason (ValueError for one not in DropReason:
    a new reason is declared there first)."""
    stats.inc_value(DROPPED.format(reason=DropReason(reason).value), count)


def count_not_followed(stats: StatsCollector, links: int) -> None:
    """Count a page whose links were not followed (it was not relevant enough), and its links."""
    stats.inc_value(NOT_FOLLOWED_PAGES)
    stats.inc_value(NOT_FOLLOWED, links)


def source_value(stats: dict[str, Any], source_id: str, what: SourceFact, default: Any = None) -> Any:
    """Read one per-source counter from a stats dict."""
    return stats.get(SOURCE.format(source_id=source_id, what=SourceFact(what).value), default)


def dropped_by_reason(stats: dict[str, Any]) -> dict[str, int]:
    """Return {reason: count} of the items dropped in a run."""
    prefix = DROPPED.format(reason="")
    return {key[len(prefix):]: value for key, value in stats.items() if key.startswith(prefix)}
