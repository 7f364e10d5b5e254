"""Extraction drift: a source whose pages suddenly extract worse than they used to.

Each run records, per source, what extraction made of the pages it fetched (table
`source_runs`: pages, fetch errors, pages without main text, without title, without date,
median words of the texts). A run that read at least MIN_PAGES pages of a source is compared
with that source's own recent history — the median of its last HISTORY runs that read
MIN_PAGES pages or more and raised no alert — and an alert says what changed since when:

- pages without main text (or without title, or without date) rose by RISE or more and to at
  least twice their usual share (2% → 60%);
- the median words of the texts fell by two thirds or more (FALL).

The source's `drift` column holds the alert while it lasts: a later run that reads enough
pages and extracts as usual clears it; a run that reads too few (all unchanged) leaves it.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from pipeline import counters

MIN_PAGES = 3  # fewer pages read say too little about a source's extraction
HISTORY = 5  # recent runs that make a source's usual figures
RISE = 0.3  # a share must rise by this much (and double) to alert
FALL = 1 / 3  # median words at or below this fraction of the usual alert


@dataclass
class ExtractionFigures:
    """What extraction made of one source's pages in one run."""

    pages: int
    no_text: int
    no_title: int
    no_date: int
    median_words: float | None

    def share(self, what: str) -> float:
        return getattr(self, what) / self.pages if self.pages else 0.0


SHARES = (("no_text", "pages without main text"), ("no_title", "pages without a title"),
          ("no_date", "pages without a date"))


def figures_of(stats: dict[str, Any], source_id: str) -> ExtractionFigures:
    """A source's extraction figures from a crawl's stats (pipeline.counters)."""
    words = counters.source_value(stats, source_id, counters.SourceFact.WORDS, [])
    return ExtractionFigures(
        pages=counters.source_value(stats, source_id, counters.SourceFact.EXTRACTED, 0),
        no_text=counters.source_value(stats, source_id, counters.SourceFact.NO_TEXT, 0),
        no_title=counters.source_value(stats, source_id, counters.SourceFact.NO_TITLE, 0),
        no_date=counters.source_value(stats, source_id, counters.SourceFact.NO_DATE, 0),
        median_words=statistics.median(words) if words else None,
    )


def drift_alert(history: list[ExtractionFigures], now: ExtractionFigures, since: str) -> str | None:
    """What changed between a source's usual figures (`history`, its recent healthy runs, the
    latest ending at `since`) and this run's, in words; None when nothing did."""
    if now.pages < MIN_PAGES or not history:
        return None
    changes = []
    for what, label in SHARES:
        usual = statistics.median(figures.share(what) for figures in history)
        current = now.share(what)
        if current - usual >= RISE and current >= 2 * usual:
            changes.append(f"{label} rose from {usual:.0%} to {current:.0%}")
    usual_words = [figures.median_words for figures in history if figures.median_words]
    if usual_words and now.no_text < now.pages:
        usual = statistics.median(usual_words)
        current = now.median_words or 0
        if current <= usual * FALL:
            changes.append(f"median words fell from {usual:.0f} to {current:.0f}")
    if not changes:
        return None
    return "; ".join(changes) + f" (compared with the runs up to {since[:10]})"


def record_figures(db: sqlite_utils.Database, run_id: int, source_ids: list[str], stats: dict[str, Any],
                   now: str) -> dict[str, str]:
    """Save each source's figures of this run, compare them with its history, update its
    `drift` column; return the alerts raised (source id → what changed)."""
    alerts = {}
    for source_id in source_ids:
        figures = figures_of(stats, source_id)
        errors = counters.source_value(stats, source_id, counters.SourceFact.ERRORS, 0)
        alert = None
        if figures.pages >= MIN_PAGES:
            history = db.execute(
                "SELECT r.pages, r.no_text, r.no_title, r.no_date, r.median_words, runs.started "
                "FROM source_runs r JOIN runs ON runs.id = r.run_id "
                "WHERE r.source_id = ? AND r.run_id < ? AND r.pages >= ? AND r.alert IS NULL "
                "ORDER BY r.run_id DESC LIMIT ?", [source_id, run_id, MIN_PAGES, HISTORY]).fetchall()
            usual = [ExtractionFigures(*row[:5]) for row in history]
            alert = drift_alert(usual, figures, history[0][5]) if history else None
            db.table("sources").update(source_id, {"drift": alert})
            if alert:
                alerts[source_id] = alert
        if figures.pages or errors:
            db.table("source_runs").upsert({
                "run_id": run_id, "source_id": source_id, "pages": figures.pages, "errors": errors,
                "no_text": figures.no_text, "no_title": figures.no_title, "no_date": figures.no_date,
                "median_words": figures.median_words, "alert": alert}, pk=("run_id", "source_id"))
    return alerts
