"""`prodops crawl`: one crawl (or one every INTERVAL) with a progress line and a summary."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import click
from scrapy.settings import BaseSettings

from pipeline import clock
from pipeline.cli.common import (DEFAULT_DB, DEFAULT_SOURCES, UserError, cluster_options, remake_signatures_first,
                                 scrapy_settings, use_cluster)
from pipeline.config.sources import Source, load_sources, select_sources
from pipeline.crawl import runner as crawling
from pipeline.crawl.lock import CrawlLockedError, crawl_lock
from pipeline.crawl.progress import Progress
from pipeline.store import runs
from pipeline.store.database import open_database
from pipeline.store.runs import RunSummary

KEPT_LOGS = 120
NO_SOURCES = "no enabled sources to crawl; add one to the sources file or use --only"


@click.command()
@click.option("--sources", "sources_path", default=DEFAULT_SOURCES, show_default=True,
              help="Sources file (YAML).")
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, help="SQLite database.")
@click.option("--only", multiple=True, metavar="SOURCE_ID",
              help="Crawl only this source (repeatable); disabled sources too.")
@click.option("-s", "settings", multiple=True, metavar="NAME=VALUE",
              help="A Scrapy setting for this run, as `scrapy crawl -s` (repeatable).")
@click.option("--allow-private-network", is_flag=True,
              help="Allow loopback and private addresses (tests, the demo, an intranet).")
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log (INFO).")
@cluster_options("Run the stages on this Dask scheduler's workers (tls://host:8786; tcp:// on this machine).")
@click.option("--every", metavar="INTERVAL", callback=lambda ctx, param, value: parse_interval(value),
              help="Keep running: crawl now and then every INTERVAL (e.g. 6h, 30m, 1d).")
def crawl(sources_path, db_path, only, settings, allow_private_network, verbose, cluster, cluster_insecure,
          every) -> None:
    """Crawl the configured sources into the database and print a summary.

    Sources in backoff after errors, or disabled, are skipped unless named with --only.
    Exit status: 0 finished, 1 not finished, 2 bad input, 75 another crawl is running.

    \b
    Examples:
      prodops crawl
      prodops crawl --only acme-blog --only acme-sitemap
      prodops crawl --every 6h
    """
    # Until the crawl's own handlers take over (pipeline/crawl/runner.py), a stop (Ctrl-C, or a
    # SIGTERM, which `prodops` makes the same: pipeline/cli/__main__.py) is one before the crawl.
    try:
        crawl_once_or_every(sources_path, db_path, only, settings, allow_private_network, verbose, cluster,
                            cluster_insecure, every)
    except KeyboardInterrupt:
        click.echo("Stopped before the crawl began: nothing was fetched or changed.", err=True)
        sys.exit(1)


def crawl_once_or_every(sources_path, db_path, only, settings, allow_private_network, verbose, cluster,
                        cluster_insecure, every) -> None:
    """`prodops crawl`'s work, once its options are read."""
    if cluster:
        settings = (*settings, f"PRODOPS_CLUSTER={cluster}")
    if cluster_insecure:  # a setting, so that the crawls of --every and the pool see it too
        settings = (*settings, "PRODOPS_CLUSTER_INSECURE=True")
    overrides = scrapy_settings(settings)
    if overrides.get("PRODOPS_CLUSTER"):
        insecure = BaseSettings(overrides).getbool("PRODOPS_CLUSTER_INSECURE")
        versions = use_cluster(overrides["PRODOPS_CLUSTER"], insecure=insecure)
        click.echo(f"Stages run on the Dask cluster at {overrides['PRODOPS_CLUSTER']} ({len(versions)} worker(s)).",
                   err=True)
    # An unknown id, or no source at all, is refused before anything is written (the database
    # is not made); a bad database path fails next, before any fetching.
    chosen = select_sources(load_sources(sources_path), only)
    if not chosen:
        raise UserError(NO_SOURCES)
    db = open_database(db_path)
    try:
        sources, skipped = runs.skip_not_due(db, chosen, bool(only), clock.now_iso())
    finally:
        db.close()
    for source_id, why in skipped.items():
        click.echo(f"Skipping {source_id}: {why}", err=True)
    if not sources and not every:  # each backing off or disabled by the crawler: not an error
        click.echo("Nothing to crawl now: every source is skipped (above); `--only ID` crawls one anyway.",
                   err=True)
        return
    if every:
        sys.exit(repeat_crawl(every, sources_path, db_path, only, settings,
                              allow_private_network, verbose))
    try:
        with crawl_lock(db_path) as stale_pid:
            if stale_pid:
                click.echo(f"The previous crawl (pid {stale_pid}) did not finish; "
                           "its run is marked interrupted.", err=True)
            summary = run_and_report(sources, db_path, overrides, allow_private_network, verbose)
    except CrawlLockedError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(75)
    if summary.status != "finished":
        sys.exit(1)


MAX_INTERVAL = 365 * 86400


def parse_interval(value: str | None) -> float | None:
    """Seconds in an interval such as 90s, 30m, 6h or 1d."""
    if value is None:
        return None
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd])\s*", value.lower())
    if not match or float(match.group(1)) <= 0:
        raise click.BadParameter(f"{value!r}: use a number and a unit, e.g. 90s, 30m, 6h or 1d")
    seconds = float(match.group(1)) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[match.group(2)]
    if seconds > MAX_INTERVAL:  # time.sleep cannot wait that long, and no schedule needs it
        raise click.BadParameter(f"{value!r}: at most 365d")
    return seconds


def repeat_crawl(every: float, sources_path, db_path, only, settings, allow_private_network,
                 verbose) -> int:
    """Crawl now and then every `every` seconds, each crawl in a fresh process (Scrapy's
    reactor runs once per process), until interrupted."""
    command = [sys.executable, "-m", "pipeline.cli", "crawl", "--sources", sources_path,
               "--db", db_path]
    command += [part for source_id in only for part in ("--only", source_id)]
    command += [part for setting in settings for part in ("-s", setting)]
    command += ["--allow-private-network"] * allow_private_network + ["--verbose"] * verbose
    crawl_process: subprocess.Popen | None = None
    try:  # a SIGTERM is a Ctrl-C too (pipeline/cli/__main__.py)
        while True:
            started = time.monotonic()
            crawl_process = subprocess.Popen(command)
            status = crawl_process.wait()
            click.echo(f"Crawl ended with status {status}; next in {every:.0f} s.", err=True)
            time.sleep(max(0.0, every - (time.monotonic() - started)))
    except KeyboardInterrupt:
        # The crawl in progress (if any) stops as a crawl does on SIGTERM: cleanly.
        if crawl_process is not None and crawl_process.poll() is None:
            crawl_process.send_signal(signal.SIGTERM)
            crawl_process.wait()
        return 0


def run_and_report(
    sources: list[Source], db_path: str, overrides: dict[str, str],
    allow_private_network: bool, verbose: bool,
) -> RunSummary:
    """Run a crawl with progress on stderr and the summary on stdout (first remaking the
    near-duplicate signatures of an older version, which its dedup compares with)."""
    if not sources:
        raise UserError(NO_SOURCES)
    remake_signatures_first(db_path)
    overrides.setdefault("LOG_LEVEL", "INFO")
    log_file = None
    if not verbose and "LOG_FILE" not in overrides:
        # The terminal (or the cron mail) gets the progress line and the summary; Scrapy's
        # own log goes to a file of this run, named in the summary.
        log_file = new_log_file(db_path)
        overrides["LOG_FILE"] = str(log_file)
    settings = crawling.crawl_settings(db_path, overrides, allow_private_network)
    click.echo(f"Crawling {len(sources)} source(s) into {db_path} ...", err=True)
    progress = Progress(sys.stderr)
    try:
        summary = crawling.run_crawl(sources, settings, watch=progress.watch)
    except crawling.CrawlError as error:
        raise UserError(str(error)) from None
    finally:
        progress.finish()
    click.echo(format_summary(summary))
    if log_file is not None:
        click.echo(f"Scrapy's log of this run: {log_file}")
    return summary


def new_log_file(db_path: str) -> Path:
    """A fresh log file for one crawl, in a `logs` folder beside the database; the oldest are
    removed so that at most KEPT_LOGS stay (a crawl every six hours keeps about a month)."""
    folder = Path(db_path).parent / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    for old in sorted(folder.glob("crawl-*.log"))[:-(KEPT_LOGS - 1)]:
        old.unlink(missing_ok=True)
    stamp = clock.utcnow().strftime("%Y%m%dT%H%M%SZ")
    return folder / f"crawl-{stamp}-{os.getpid()}.log"


def format_summary(summary: RunSummary) -> str:
    """The end-of-run report."""
    lines = [
        f"Run {summary.run_id} {summary.status}: {summary.pages_fetched} pages fetched "
        f"({summary.not_modified} not modified, {summary.bytes_downloaded:,} bytes); "
        f"documents: {summary.new} new, {summary.updated} updated, "
        f"{summary.unchanged} unchanged; {summary.errors} error(s).",
    ]
    if summary.status == "offline":  # one cause, said once: not an error per source
        lines.append(f"No network: none of the {summary.sources} sources could be reached (DNS, refused, "
                     "unreachable or timed out) — nothing changed, no source is marked failing; the next "
                     "crawl tries them all again. `make demo` runs offline; the errors are in the runs table.")
        return "\n".join(lines)
    if summary.dropped:
        reasons = ", ".join(f"{reason} {count}" for reason, count in sorted(summary.dropped.items()))
        lines.append(f"Dropped: {reasons}.")
    if summary.not_followed:
        lines.append(f"Not followed: {summary.not_followed} link(s) of {summary.pages_not_followed} page(s) "
                     "less relevant than PRODOPS_FOLLOW_MIN_RELEVANCE.")
    for source_id, warning in sorted(summary.warnings.items()):
        lines.append(f"  warning: {source_id}: {warning}")
    for source_id, alert in sorted(summary.drift.items()):
        lines.append(f"Extraction drift: {source_id}: {alert}. Check its pages; `prodops sources health` "
                     "keeps the alert until extraction is back to usual.")
    if summary.status == "interrupted":
        lines.append(f"Interrupted: {summary.interruption or 'the crawl could not go on'}; "
                     "the next crawl fetches what this one did not store.")
    if summary.status == "stopped":
        lines.append("Stopped before the end: the next crawl fetches what this one did not.")
    for message in summary.error_messages[:20]:
        lines.append(f"  error: {message}")
    if len(summary.error_messages) > 20:
        lines.append(f"  ... {len(summary.error_messages) - 20} more in the runs table")
    return "\n".join(lines)
