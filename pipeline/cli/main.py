"""The `prodops` command line: crawl, serve, demo.

Library errors become one-line messages with exit status 2 here, at the edge.
"""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import click

from pipeline import clock
from pipeline.cli.common import DEFAULT_DB, DEFAULT_SOURCES, CuratorGroup, UserError, scrapy_settings
from pipeline.cli.lists import export, lists_group
from pipeline.cli.sources import sources
from pipeline.config.lists import DEFAULT_LISTS, load_lists
from pipeline.config.sources import Source, load_sources
from pipeline.config.taxonomy import DEFAULT_TAXONOMY, load_taxonomy
from pipeline.crawl import runner as crawling
from pipeline.crawl.lock import CrawlLocked, crawl_lock
from pipeline.crawl.progress import Progress
from pipeline.publish.datasette import database_name, datasette_command, list_queries, load_metadata
from pipeline.store import runs
from pipeline.store.database import open_database
from pipeline.store.lists import publish_lists
from pipeline.store.retag import retag_corpus
from pipeline.store.runs import RunSummary

QUIET_LOGGERS = (
    "scrapy.downloadermiddlewares.robotstxt",
    "scrapy.downloadermiddlewares.retry",
)


@click.group(cls=CuratorGroup)
@click.version_option(package_name="prodops-curator")
def main() -> None:
    """ProdOps Curator: collect, understand and publish product-ops resources."""


@main.command()
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
@click.option("--every", metavar="INTERVAL", callback=lambda ctx, param, value: parse_interval(value),
              help="Keep running: crawl now and then every INTERVAL (e.g. 6h, 30m, 1d).")
def crawl(sources_path, db_path, only, settings, allow_private_network, verbose, every) -> None:
    """Crawl the configured sources into the database and print a summary.

    Sources in backoff after errors, or disabled, are skipped unless named with --only.
    Exit status: 0 finished, 1 not finished, 2 bad input, 75 another crawl is running.
    """
    overrides = scrapy_settings(settings)
    configured = load_sources(sources_path)
    db = open_database(db_path)  # a bad database path fails here, before any fetching
    try:
        sources, skipped = runs.sources_to_crawl(db, configured, only, clock.now_iso())
    finally:
        db.close()
    for source_id, why in skipped.items():
        click.echo(f"Skipping {source_id}: {why}", err=True)
    if every:
        sys.exit(repeat_crawl(every, sources_path, db_path, only, settings,
                              allow_private_network, verbose))
    try:
        with crawl_lock(db_path) as stale_pid:
            if stale_pid:
                click.echo(f"The previous crawl (pid {stale_pid}) did not finish; "
                           "its run is marked interrupted.", err=True)
            summary = run_and_report(sources, db_path, overrides, allow_private_network, verbose)
    except CrawlLocked as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(75)
    if summary.status != "finished":
        sys.exit(1)


def parse_interval(value: str | None) -> float | None:
    """Seconds in an interval such as 90s, 30m, 6h or 1d."""
    if value is None:
        return None
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd])\s*", value.lower())
    if not match or float(match.group(1)) <= 0:
        raise click.BadParameter(f"{value!r}: use a number and a unit, e.g. 90s, 30m, 6h or 1d")
    return float(match.group(1)) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[match.group(2)]


def repeat_crawl(every: float, sources_path, db_path, only, settings, allow_private_network,
                 verbose) -> int:
    """Crawl now and then every `every` seconds, each crawl in a fresh process (Scrapy's
    reactor runs once per process), until interrupted."""
    command = [sys.executable, "-m", "pipeline.cli", "crawl", "--sources", sources_path,
               "--db", db_path]
    command += [part for source_id in only for part in ("--only", source_id)]
    command += [part for setting in settings for part in ("-s", setting)]
    command += ["--allow-private-network"] * allow_private_network + ["--verbose"] * verbose
    try:
        while True:
            started = time.monotonic()
            status = subprocess.call(command)
            click.echo(f"Crawl ended with status {status}; next in {every:.0f} s.", err=True)
            time.sleep(max(0.0, every - (time.monotonic() - started)))
    except KeyboardInterrupt:
        return 0


def run_and_report(
    sources: list[Source], db_path: str, overrides: dict[str, str],
    allow_private_network: bool, verbose: bool,
) -> RunSummary:
    """Run a crawl with progress on stderr and the summary on stdout."""
    if not sources:
        raise UserError("no enabled sources to crawl; add one to the sources file or use --only")
    overrides.setdefault("LOG_LEVEL", "INFO" if verbose else "WARNING")
    settings = crawling.crawl_settings(db_path, overrides, allow_private_network)
    click.echo(f"Crawling {len(sources)} source(s) into {db_path} ...", err=True)
    progress = Progress(sys.stderr)

    def prepare(crawler) -> None:
        progress.watch(crawler)
        if not verbose:
            # Fetch failures are listed in the summary and the runs table; Scrapy's own
            # tracebacks for them are noise on a terminal or in a cron mail. (Set here:
            # Scrapy resets logger levels when it configures logging.)
            for name in QUIET_LOGGERS:
                logging.getLogger(name).setLevel(logging.CRITICAL)

    try:
        summary = crawling.run_crawl(sources, settings, watch=prepare)
    except crawling.CrawlError as error:
        raise click.ClickException(str(error)) from None
    finally:
        progress.finish()
    click.echo(format_summary(summary))
    return summary


def format_summary(summary: RunSummary) -> str:
    """The end-of-run report."""
    lines = [
        f"Run {summary.run_id} {summary.status}: {summary.pages_fetched} pages fetched "
        f"({summary.not_modified} not modified, {summary.bytes_downloaded:,} bytes); "
        f"documents: {summary.new} new, {summary.updated} updated, "
        f"{summary.unchanged} unchanged; {summary.errors} error(s).",
    ]
    if summary.dropped:
        reasons = ", ".join(f"{reason} {count}" for reason, count in sorted(summary.dropped.items()))
        lines.append(f"Dropped: {reasons}.")
    for message in summary.error_messages[:20]:
        lines.append(f"  error: {message}")
    if len(summary.error_messages) > 20:
        lines.append(f"  ... {len(summary.error_messages) - 20} more in the runs table")
    return "\n".join(lines)


@main.command()
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, help="SQLite database.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int)
@click.option("--no-sql", is_flag=True, help="Turn off arbitrary SQL (canned queries stay).")
@click.option("--lists", "lists_path", default=str(DEFAULT_LISTS), show_default=True,
              help="Curated lists to publish.")
def serve(db_path, host, port, no_sql, lists_path) -> None:
    """Publish the database with Datasette (read-only) using data/metadata.yml, with the
    curated lists, their Atom feeds and the concept chart."""
    sys.exit(serve_datasette(db_path, host, port, allow_sql=not no_sql, lists_path=lists_path))


def serve_datasette(db_path: str, host: str, port: int, allow_sql: bool = True,
                    lists_path: str = str(DEFAULT_LISTS)) -> int:
    """Publish the lists, then run Datasette on the database until it is stopped."""
    lists = load_lists(lists_path)
    db = open_database(db_path)  # creates the schema for a new path; refuses a non-SQLite file
    publish_lists(db, lists)
    db.close()
    metadata_dict = load_metadata(db_path)
    name = database_name(db_path)
    metadata_dict.setdefault("databases", {}).setdefault(name, {}).setdefault("queries", {}).update(
        list_queries(lists))
    with tempfile.TemporaryDirectory() as scratch:
        metadata = Path(scratch) / "metadata.json"
        metadata.write_text(json.dumps(metadata_dict), encoding="utf-8")
        command = [sys.executable, "-m", "datasette",
                   *datasette_command(db_path, metadata, host, port, allow_sql)]
        click.echo(f"Serving {db_path} at http://{host}:{port}/ (Ctrl-C stops)", err=True)
        try:
            return subprocess.call(command)
        except KeyboardInterrupt:
            return 0


@main.command()
@click.option("--db", "db_path", default="data/demo.db", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int, help="Datasette's port.")
@click.option("--no-serve", is_flag=True, help="Crawl the sample web and stop.")
def demo(db_path, port, no_serve) -> None:
    """Offline tour: crawl the bundled sample web (on 127.0.0.1) and serve the result."""
    from pipeline.demo.sampleweb import sample_sources, serve_sample_web

    open_database(db_path).close()
    with serve_sample_web() as base_url:
        click.echo(f"Sample web running at {base_url}", err=True)
        sources = sample_sources(base_url)
        overrides = {"AUTOTHROTTLE_ENABLED": "False", "DOWNLOAD_DELAY": "0"}
        run_and_report(sources, db_path, overrides, allow_private_network=True, verbose=False)
    if not no_serve:
        sys.exit(serve_datasette(db_path, "127.0.0.1", port))


@main.command()
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, help="SQLite database.")
@click.option("--taxonomy", "taxonomy_path", default=str(DEFAULT_TAXONOMY), show_default=True,
              help="Taxonomy file (YAML).")
def retag(db_path, taxonomy_path) -> None:
    """Re-apply the taxonomy (tags, relevance, why, content type) to every stored document,
    without fetching anything."""
    taxonomy = load_taxonomy(taxonomy_path)
    db = open_database(db_path)
    seen, changed = retag_corpus(db, taxonomy)
    click.echo(f"Retagged {seen} document(s); {changed} changed.")


@main.command("eval")
@click.option("--taxonomy", "taxonomy_path", default=str(DEFAULT_TAXONOMY), show_default=True,
              help="Taxonomy file (YAML) to evaluate.")
def evaluate_command(taxonomy_path) -> None:
    """Measure extraction, dedup, tagging and content-type quality on the labelled fixtures;
    exit status 1 when a figure is below its target."""
    from pipeline.quality.evaluation import evaluate, format_figures

    taxonomy = load_taxonomy(taxonomy_path)
    figures = evaluate(taxonomy)
    click.echo(format_figures(figures))
    low = [figure.name for figure in figures if not figure.met]
    if low:
        click.echo(f"Below target: {', '.join(low)}", err=True)
        sys.exit(1)


main.add_command(sources)
main.add_command(lists_group)
main.add_command(export)

