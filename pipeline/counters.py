"""Names of the per-run counters kept in Scrapy's stats, and helpers to update them.

Spiders and stages count here; pipeline.crawl.runlog turns the counts into the `runs` and
`sources` rows at the end of a crawl.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the store layer reads these counters too, without Scrapy
    from scrapy.statscollectors import StatsCollector

PAGES = "prodops/pages_fetched"
NOT_MODIFIED = "prodops/pages_not_modified"
ERRORS = "prodops/errors"
ERROR_MESSAGES = "prodops/error_messages"
MAX_ERROR_MESSAGES = 200  # kept per run; the count goes on past it
DOCUMENTS = "prodops/documents/{outcome}"  # new | updated | unchanged
DROPPED = "prodops/dropped/{reason}"
NOT_FOLLOWED = "prodops/links_not_followed"  # links of pages below PRODOPS_FOLLOW_MIN_RELEVANCE
NOT_FOLLOWED_PAGES = "prodops/pages_not_followed"
INTERRUPTION = "prodops/interruption"  # why the run was interrupted (a Dask cluster lost)
# fetched | errors | last_error | ok | warning | documents | extracted | no_text | no_title | no_date | words
SOURCE = "prodops/source/{source_id}/{what}"


def count_page(stats: StatsCollector, source_id: str) -> None:
    """Count one fetched response for the run and its source."""
    stats.inc_value(PAGES)
    stats.inc_value(SOURCE.format(source_id=source_id, what="fetched"))


def count_not_modified(stats: StatsCollector, source_id: str) -> None:
    """Count a response that said the resource is unchanged (304 or the same bytes)."""
    stats.inc_value(NOT_MODIFIED)


def count_error(stats: StatsCollector, source_id: str, url: str, message: str) -> None:
    """Count an error for the run and its source, keeping its message."""
    stats.inc_value(ERRORS)
    stats.inc_value(SOURCE.format(source_id=source_id, what="errors"))
    stats.set_value(SOURCE.format(source_id=source_id, what="last_error"), f"{url}: {message}")
    messages = stats.get_value(ERROR_MESSAGES) or []
    if len(messages) < MAX_ERROR_MESSAGES:
        stats.set_value(ERROR_MESSAGES, [*messages, f"{source_id}: {url}: {message}"])


def mark_source_unreachable(stats: StatsCollector, source_id: str) -> None:
    """The source's own URL could not be reached at all (DNS, refused, unreachable, timeout):
    if every source of the run says so, the machine was offline (pipeline.store.runs)."""
    stats.set_value(SOURCE.format(source_id=source_id, what="unreachable"), True)


def mark_source_gone(stats: StatsCollector, source_id: str) -> None:
    """Record that the source's own URL answered 410 Gone: it will be disabled."""
    stats.set_value(SOURCE.format(source_id=source_id, what="gone"), True)


def mark_source_ok(stats: StatsCollector, source_id: str) -> None:
    """Record that the source's own URL (feed, page) was fetched and read."""
    stats.set_value(SOURCE.format(source_id=source_id, what="ok"), True)


def warn_source(stats: StatsCollector, source_id: str, warning: str) -> None:
    """Keep a warning about a source that still worked (e.g. a malformed feed); several
    warnings in one run are kept together."""
    key = SOURCE.format(source_id=source_id, what="warning")
    earlier = stats.get_value(key)
    if earlier and warning not in earlier:
        warning = f"{earlier}; {warning}"
    stats.set_value(key, warning)


def count_document(stats: StatsCollector, source_id: str, outcome: str) -> None:
    """Count a stored document as new, updated or unchanged."""
    stats.inc_value(DOCUMENTS.format(outcome=outcome))
    stats.inc_value(SOURCE.format(source_id=source_id, what="documents"))


def count_extraction(stats: StatsCollector, source_id: str, text: str | None, title: str | None,
                     published: str | None) -> None:
    """Count what extraction made of one fetched page of a source (pipeline.store.drift):
    whether it found main text, a title, a date, and the text's words."""
    stats.inc_value(SOURCE.format(source_id=source_id, what="extracted"))
    for what, missing in (("no_text", not text), ("no_title", not title), ("no_date", not published)):
        if missing:
            stats.inc_value(SOURCE.format(source_id=source_id, what=what))
    if text:
        key = SOURCE.format(source_id=source_id, what="words")
        words = stats.get_value(key)
        if words is None:
            words = []
            stats.set_value(key, words)
        words.append(len(text.split()))  # in place: copying the list per page is quadratic


def count_dropped(stats: StatsCollector, reason: str, count: int = 1) -> None:
    """Count items dropped on purpose, by their reason code."""
    stats.inc_value(DROPPED.format(reason=reason), count)


def count_not_followed(stats: StatsCollector, links: int) -> None:
    """Count a page whose links were not followed (it was not relevant enough), and its links."""
    stats.inc_value(NOT_FOLLOWED_PAGES)
    stats.inc_value(NOT_FOLLOWED, links)


def source_value(stats: dict[str, Any], source_id: str, what: str, default: Any = None) -> Any:
    """Read one per-source counter from a stats dict."""
    return stats.get(SOURCE.format(source_id=source_id, what=what), default)


def dropped_by_reason(stats: dict[str, Any]) -> dict[str, int]:
    """Return {reason: count} of the items dropped in a run."""
    prefix = DROPPED.format(reason="")
    return {key[len(prefix):]: value for key, value in stats.items() if key.startswith(prefix)}
