"""The `runs` and `sources` tables: one row per crawl, and each source's health."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlite_utils

from feeds.dates import iso, parse_datetime
from pipeline import counters
from pipeline.config.sources import Source
from pipeline.store.database import open_read_only
from pipeline.store.drift import record_figures
from pipeline.store.scorecard import refresh_scorecards
from pipeline.understand.links import host_of


@dataclass(frozen=True)
class HealthPolicy:
    """How the crawler treats a failing source: wait longer after each failure, and
    disable it after `disable_after` failures in a row (or at once on 410 Gone)."""

    backoff_base: float = 3600.0  # seconds after the first failure; doubles after each
    backoff_max: float = 7 * 86400.0
    disable_after: int = 8

    def backoff(self, consecutive_errors: int) -> timedelta:
        """How long to leave a source alone after its n-th failure in a row."""
        return timedelta(seconds=min(self.backoff_base * 2 ** (consecutive_errors - 1), self.backoff_max))


@dataclass
class RunSummary:
    """What one crawl did, as the CLI reports it and the `runs` table keeps it."""

    run_id: int
    status: str
    sources: int = 0  # how many sources the run crawled
    pages_fetched: int = 0
    not_modified: int = 0
    bytes_downloaded: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    error_messages: list[str] = field(default_factory=list)
    warnings: dict[str, str] = field(default_factory=dict)  # source id -> what to know
    not_followed: int = 0  # links not followed: their pages were below the follow threshold
    pages_not_followed: int = 0
    stop_asked: bool = False  # a stop (SIGTERM, Ctrl-C) came, even if the run then finished
    drift: dict[str, str] = field(default_factory=dict)  # source id -> extraction drift alert
    interruption: str = ""  # why the run was interrupted, when the crawl knows


def start_run(db: sqlite_utils.Database, sources: list[Source], now: str) -> int:
    """Insert a `runs` row for a crawl that starts now and mirror its sources; return its id.

    Runs still marked running were killed (only one crawl runs at a time): they are marked
    interrupted.
    """
    with db.atomic():
        db.execute("UPDATE runs SET status = 'interrupted' WHERE status = 'running'")
        for source in sources:
            mirror_source(db, source)
        table = db.table("runs")
        table.insert(
            {"started": now, "status": "running", "sources": json.dumps([s.id for s in sources])}
        )
        assert table.last_pk is not None  # the row just inserted
        return table.last_pk


def mirror_source(db: sqlite_utils.Database, source: Source) -> None:
    """Copy a source's configuration into `sources`, keeping its health columns."""
    config = {
        "id": source.id,
        "name": source.name,
        "kind": source.kind,
        "url": source.url,
        "host": host_of(source.url),
        "enabled": int(source.enabled),
        "settings": json.dumps(source.settings, sort_keys=True),
    }
    db.table("sources").upsert(config, pk="id")


def finish_run(
    db: sqlite_utils.Database, run_id: int, sources: list[Source], stats: dict[str, Any],
    status: str, now: str, policy: HealthPolicy = HealthPolicy(),
) -> RunSummary:
    """Write the run's counts and each source's health from the crawl's stats. A run in which
    every source (two or more) failed to connect was the machine's outage, not theirs: it is
    recorded as `offline` and no source's health changes."""
    if status == "finished" and was_offline(sources, stats):
        status = "offline"
    summary = RunSummary(
        run_id=run_id,
        status=status,
        sources=len(sources),
        pages_fetched=stats.get(counters.PAGES, 0),
        not_modified=stats.get(counters.NOT_MODIFIED, 0),
        bytes_downloaded=stats.get("downloader/response_bytes", 0),
        new=stats.get(counters.DOCUMENTS.format(outcome="new"), 0),
        updated=stats.get(counters.DOCUMENTS.format(outcome="updated"), 0),
        unchanged=stats.get(counters.DOCUMENTS.format(outcome="unchanged"), 0),
        dropped=counters.dropped_by_reason(stats),
        errors=stats.get(counters.ERRORS, 0),
        not_followed=stats.get(counters.NOT_FOLLOWED, 0),
        pages_not_followed=stats.get(counters.NOT_FOLLOWED_PAGES, 0),
        error_messages=list(stats.get(counters.ERROR_MESSAGES, [])),
        warnings={source.id: warning for source in sources
                  if (warning := counters.source_value(stats, source.id, counters.SourceFact.WARNING))},
        interruption=stats.get(counters.INTERRUPTION, ""),
    )
    with db.atomic():
        db.table("runs").update(
            run_id,
            {
                "finished": now,
                "status": status,
                "pages_fetched": summary.pages_fetched,
                "pages_not_modified": summary.not_modified,
                "bytes_downloaded": summary.bytes_downloaded,
                "links_not_followed": summary.not_followed,
                "documents_new": summary.new,
                "documents_updated": summary.updated,
                "documents_unchanged": summary.unchanged,
                "dropped": json.dumps(summary.dropped, sort_keys=True),
                "errors": summary.errors,
                "error_messages": json.dumps(summary.error_messages),
            },
        )
        for source in sources:
            if status != "offline":
                # A crawl cut short (stopped, or interrupted: its cluster lost, its disk full) did
                # not reach every source: one that did not answer is not failing for it.
                _record_health(db, source.id, stats, now, policy, stopped=status in ("stopped", "interrupted"))
        if status != "offline":
            summary.drift = record_figures(db, run_id, [source.id for source in sources], stats, now)
    refresh_scorecards(db, now)
    return summary


def was_offline(sources: list[Source], stats: dict[str, Any]) -> bool:
    """True when two or more sources ran and every one failed at the connection (DNS, refused,
    unreachable, timeout) without a single success. One source alone cannot tell an outage
    from its own host's failure, so it counts as its own."""
    return len(sources) >= 2 and all(
        counters.source_value(stats, s.id, counters.SourceFact.UNREACHABLE)
        and not counters.source_value(stats, s.id, counters.SourceFact.OK)
        for s in sources)


def _record_health(
    db: sqlite_utils.Database, source_id: str, stats: dict[str, Any], now: str, policy: HealthPolicy,
    stopped: bool = False,
) -> None:
    """A source's health after a run. In a run that was stopped (SIGTERM, Ctrl-C, or interrupted) a source
    that did not answer is not failing: the stop cut it short, so only successes count. Nor
    is one whose address the network guard refused (a private address without
    --allow-private-network): its last status says so, and it is due again at the next run."""
    row = db.table("sources").get(source_id)
    fetched = counters.source_value(stats, source_id, counters.SourceFact.FETCHED, 0)
    ok = counters.source_value(stats, source_id, counters.SourceFact.OK, False)
    update: dict[str, Any] = {
        "documents": (row.get("documents") or 0)
        + counters.source_value(stats, source_id, counters.SourceFact.DOCUMENTS, 0),
    }
    if stopped and not ok:
        db.table("sources").update(source_id, update)
        return
    if not ok and counters.source_value(stats, source_id, counters.SourceFact.REFUSED):
        update.update(last_fetched=now, last_status=counters.source_value(
            stats, source_id, counters.SourceFact.LAST_ERROR) or "refused by the network guard")
        db.table("sources").update(source_id, update)
        return
    if fetched or not ok:
        update["last_fetched"] = now
    if ok:
        warning = counters.source_value(stats, source_id, counters.SourceFact.WARNING)
        update.update(last_ok=now, last_status="ok", consecutive_errors=0, last_warning=warning,
                      next_due=None)
    else:
        error = counters.source_value(stats, source_id, counters.SourceFact.LAST_ERROR) or "no response"
        failures = (row.get("consecutive_errors") or 0) + 1
        moment = parse_datetime(now)
        assert moment is not None, now  # the run's own clock
        update.update(last_status=error, consecutive_errors=failures,
                      next_due=iso(moment + policy.backoff(failures)))
        if counters.source_value(stats, source_id, counters.SourceFact.GONE):
            update["disabled_reason"] = f"410 Gone on {now[:10]}: {error}"
        elif failures >= policy.disable_after:
            update["disabled_reason"] = f"{failures} failures in a row; last: {error}"
    db.table("sources").update(source_id, update)


def enable_source(db: sqlite_utils.Database, source_id: str) -> bool:
    """Clear a source's disabled state and backoff; False if the database does not know it."""
    if not db["sources"].count_where("id = ?", [source_id]):
        return False
    db.table("sources").update(source_id, {"disabled_reason": None, "next_due": None,
                                     "consecutive_errors": 0})
    return True


def sources_not_due(db: sqlite_utils.Database, now: str) -> dict[str, str]:
    """Sources to leave alone now, with why: disabled, or backing off after errors."""
    skip = {}
    for row in db.execute("SELECT id, disabled_reason, next_due FROM sources").fetchall():
        source_id, disabled, next_due = row
        if disabled:
            skip[source_id] = f"disabled ({disabled}); `prodops sources enable {source_id}`"
        elif next_due and next_due > now:
            skip[source_id] = f"backing off after errors until {next_due}"
    return skip


def skip_not_due(
    db: sqlite_utils.Database, chosen: list[Source], named: bool, now: str,
) -> tuple[list[Source], dict[str, str]]:
    """The second half of choosing a crawl's sources (the first is
    config.sources.select_sources): sources named with --only run whatever their state;
    otherwise those disabled by the crawler or backing off after errors are skipped, each
    with why. `prodops crawl` and `scrapy crawl curator` both choose this way."""
    if named:
        return chosen, {}
    not_due = sources_not_due(db, now)
    skipped = {source.id: not_due[source.id] for source in chosen if source.id in not_due}
    return [source for source in chosen if source.id not in skipped], skipped


def summary_of(db: sqlite_utils.Database, run_id: int) -> RunSummary:
    """Read a run's summary back from the `runs` table."""
    row = db.table("runs").get(run_id)
    return RunSummary(
        run_id=run_id,
        status=row["status"],
        sources=len(json.loads(row["sources"] or "[]")),
        pages_fetched=row["pages_fetched"] or 0,
        not_modified=row["pages_not_modified"] or 0,
        bytes_downloaded=row["bytes_downloaded"] or 0,
        new=row["documents_new"] or 0,
        updated=row["documents_updated"] or 0,
        unchanged=row["documents_unchanged"] or 0,
        dropped=json.loads(row["dropped"] or "{}"),
        errors=row["errors"] or 0,
        error_messages=json.loads(row["error_messages"] or "[]"),
    )


def last_successes(db_path: str) -> dict[str, datetime | None]:
    """Each source's last successful crawl (from `sources.last_ok`), for incremental sitemaps."""
    conn = open_read_only(db_path)
    if conn is None:
        return {}
    try:
        rows = conn.execute("SELECT id, last_ok FROM sources WHERE last_ok IS NOT NULL").fetchall()
    except sqlite3.OperationalError:
        return {}
    finally:
        conn.close()
    return {source_id: parse_datetime(last_ok) for source_id, last_ok in rows}
