"""`prodops sources ...`: list, add, import, export, discover, suggest, health, enable."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import click

from feeds.opml import OpmlError, parse_opml
from feeds.urls import is_web_address
from pipeline.cli.common import DEFAULT_DB, DEFAULT_SOURCES, UserError, db_option, require_database, scrapy_settings
from pipeline.clock import now_iso
from pipeline.config.source_files import (
    append_sources,
    export_opml,
    export_yaml,
    guess_kind,
    new_sources,
)
from pipeline.config.sources import KIND_OPTIONS, Source, load_sources
from pipeline.store import runs
from pipeline.store.citations import suggest_hosts
from pipeline.store.database import open_database
from pipeline.store.scorecard import refresh_scorecards
from pipeline.understand.links import host_of

sources_option = click.option("--sources", "sources_path", default=DEFAULT_SOURCES,
                              show_default=True, help="Sources file (YAML).")


def _load(path: str, missing_ok: bool = False) -> list[Source]:
    if missing_ok and not Path(path).exists():
        return []
    return load_sources(path)


@click.group()
def sources() -> None:
    """List, add, import, export and check the configured sources."""


@sources.command("list")
@sources_option
def list_sources(sources_path) -> None:
    """One line per source: id, kind, enabled, URL.

    \b
    Example:
      prodops sources list
    """
    configured = _load(sources_path)
    width = max((len(source.id) for source in configured), default=0)  # the ids in one column, however long
    for source in configured:
        state = "" if source.enabled else "  (disabled in config)"
        click.echo(f"{source.id:<{width}} {source.kind:<8} {source.url}{state}")


@sources.command("add")
@click.argument("url")
@click.option("--kind", type=click.Choice(sorted(KIND_OPTIONS)),
              help="Kind of source (default: guessed from the URL: feed, sitemap or url).")
@click.option("--id", "source_id", help="Id (default: made from the name or URL).")
@click.option("--name", help="Name (default: the id).")
@sources_option
def add(url, kind, source_id, name, sources_path) -> None:
    """Add a source to the sources file.

    \b
    Examples:
      prodops sources add https://www.productopsweekly.example/feed.xml
      prodops sources add https://example.com/blog/ --kind site --name 'Example blog'
    """
    existing = _load(sources_path, missing_ok=True)
    if source_id in {source.id for source in existing}:
        raise UserError(f"id {source_id!r} is already used in {sources_path}; choose another --id")
    new = new_sources(existing, [(url, name, kind or guess_kind(url))])
    if not new:
        raise UserError(f"{url} is already in {sources_path}")
    source = replace(new[0], id=source_id or new[0].id)
    source = replace(source, name=name or source.id)
    append_sources(sources_path, [source])
    click.echo(f"Added {source.id} ({source.kind}) to {sources_path}")


@sources.command("import")
@click.argument("opml_file", type=click.Path(exists=True, dir_okay=False))
@sources_option
def import_opml(opml_file, sources_path) -> None:
    """Add the feeds of an OPML file (feeds already present are skipped).

    \b
    Example:
      prodops sources import subscriptions.opml
    """
    try:
        subscriptions = parse_opml(Path(opml_file).read_bytes(), opml_file)
    except OpmlError as error:
        raise UserError(f"{error}; nothing was imported") from None
    new = new_sources(_load(sources_path, missing_ok=True),
                      [(feed.url, feed.title, "feed") for feed in subscriptions.feeds])
    for problem in subscriptions.problems:
        click.echo(f"warning: {problem}", err=True)
    if new:
        append_sources(sources_path, new)
    skipped = len(subscriptions.feeds) - len(new)
    click.echo(f"Imported {len(new)} feed source(s) into {sources_path}"
               + (f"; {skipped} already present" if skipped else ""))


@sources.command("export")
@click.option("--format", "output_format", type=click.Choice(["opml", "yaml"]), default="yaml",
              show_default=True)
@sources_option
def export(output_format, sources_path) -> None:
    """Print the sources as YAML, or the feed sources as OPML.

    \b
    Example:
      prodops sources export --format opml > sources.opml
    """
    configured = _load(sources_path)
    click.echo(export_opml(configured) if output_format == "opml" else export_yaml(configured), nl=False)


@sources.command()
@click.argument("url")
@click.option("--add", "add_found", is_flag=True, help="Add what was found to the sources file.")
@sources_option
@click.option("-s", "settings", multiple=True, metavar="NAME=VALUE", help="A Scrapy setting.")
@click.option("--allow-private-network", is_flag=True, help="Allow loopback and private addresses.")
def discover(url, add_found, sources_path, settings, allow_private_network) -> None:
    """Find a site's feeds (<link rel=alternate>, platform paths; not its comments' feeds) and
    sitemaps (robots.txt, /sitemap.xml); print them as proposed sources.

    \b
    Examples:
      prodops sources discover https://example.com/
      prodops sources discover https://example.com/ --add
    """
    from pipeline.crawl import runner as crawling

    if not is_web_address(url):
        raise UserError(f"{url!r} is not a web address; give a page of the site, e.g. https://example.com/")
    # What discovery finds, and why a page failed, is said below; Scrapy's own errors (a DNS
    # failure's traceback for each address tried) would only bury it.
    overrides = {"LOG_LEVEL": "CRITICAL", **scrapy_settings(settings)}
    proposals, failures = crawling.discover_sources(
        url, crawling.crawl_settings(DEFAULT_DB, overrides, allow_private_network)
    )
    if not proposals and url in failures:
        click.echo(f"Could not fetch {url}: {failures[url]}; nothing found.", err=True)
        sys.exit(1)
    if not proposals:
        click.echo(f"No feed or sitemap found for {url}; add it as a `url` or `site` source.")
        return
    new = new_sources(_load(sources_path, missing_ok=True),
                      [(proposal.url, proposal.title, proposal.kind) for proposal in proposals])
    new_urls = {source.url for source in new}
    for proposal in proposals:
        mark = "" if proposal.url in new_urls else " (already configured)"
        click.echo(f"{proposal.kind:<8} {proposal.url}  — {proposal.title or ''} [{proposal.evidence}]{mark}")
    if add_found and new:
        append_sources(sources_path, new)
        click.echo(f"Added {len(new)} source(s) to {sources_path}")


@sources.command()
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True, help="Hosts to suggest at most.")
@click.option("--min-citations", type=click.IntRange(1), default=3, show_default=True,
              help="Relevant documents that must cite a host.")
@click.option("--check", "check_feeds", is_flag=True, help="Look for each host's feed or sitemap (fetches).")
@click.option("--add", "add_found", is_flag=True,
              help="Add the feeds or sitemaps found to the sources file (implies --check).")
@click.option("--json", "as_json", is_flag=True,
              help="One JSON object per line: host, citations, score, examples, feed.")
@db_option
@sources_option
@click.option("-s", "settings", multiple=True, metavar="NAME=VALUE", help="A Scrapy setting.")
@click.option("--allow-private-network", is_flag=True, help="Allow loopback and private addresses.")
def suggest(limit, min_citations, check_feeds, add_found, as_json, db_path, sources_path, settings,
            allow_private_network) -> None:
    """Sites that relevant stored documents cite and no source follows, ranked by the
    relevance of the documents citing them; with --check or --add, each one's feed or
    sitemap, found as `sources discover` finds it (through the crawler, politely).

    \b
    Examples:
      prodops sources suggest
      prodops sources suggest --check
    """
    configured = _load(sources_path, missing_ok=True)
    db = open_database(require_database(db_path))
    found = suggest_hosts(db, {host_of(source.url) for source in configured}, limit, min_citations)
    db.close()
    if (check_feeds or add_found) and found:
        _find_feeds(found, settings, allow_private_network)
    for suggestion in found:
        if as_json:
            click.echo(json.dumps(suggestion.as_json(), ensure_ascii=False))
            continue
        click.echo(f"{suggestion.host:<32} {suggestion.citations:>3} citing  score {suggestion.score:6.2f}  "
                   f"{'feed: ' + suggestion.feed if suggestion.feed else ''}")
        for title in suggestion.examples:
            click.echo(f"    cited by: {title}")
    if not found and not as_json:
        click.echo(f"No site is cited by {min_citations} or more relevant documents and followed by no source "
                   f"(of {db_path}, or in {sources_path}).")
    if add_found:
        chosen = [s for s in found if s.feed]
        new: list[Source] = []
        comments: dict[str, str] = {}
        for s in chosen:
            assert s.feed is not None and s.kind is not None  # found together by _find_feeds
            for source in new_sources([*configured, *new], [(s.feed, s.host, s.kind)]):
                new.append(source)
                comments[source.id] = (f"suggested {now_iso()[:10]}: cited by {s.citations} relevant "
                                       f"document(s), e.g. {s.examples[0] if s.examples else s.host}")
        if new:
            append_sources(sources_path, new, comments)
        if not as_json:
            click.echo(f"Added {len(new)} source(s) to {sources_path}"
                       + (f"; no feed or sitemap found on {len(found) - len(chosen)} host(s)"
                          if len(chosen) < len(found) else ""))


def _find_feeds(found, settings, allow_private_network: bool) -> None:
    """Fill each suggestion's `feed` (a feed, else a sitemap) by discovery on its home page."""
    from pipeline.crawl import runner as crawling  # Scrapy only for the commands that fetch

    overrides = {"LOG_LEVEL": "CRITICAL", **scrapy_settings(settings)}  # as discover: what failed is not shown
    sites = {f"{s.scheme}://{s.host}/": s for s in found}
    proposals, _ = crawling.discover_sources(list(sites), crawling.crawl_settings(DEFAULT_DB, overrides,
                                                                               allow_private_network))
    for proposal in sorted(proposals, key=lambda p: p.kind != "feed"):  # a feed before a sitemap
        suggestion = sites.get(proposal.site)
        if suggestion is not None and suggestion.feed is None:
            suggestion.feed, suggestion.kind = proposal.url, proposal.kind


@sources.command()
@sources_option
@db_option
def health(sources_path, db_path) -> None:
    """Each source's health and scorecard, worst first: state, last success, errors, next due;
    documents, share relevant, share copied from another source, extraction failures, median
    words, newest date; a verdict naming every problem (pipeline/store/scorecard.py); and
    the warning of a source's last good run (a malformed feed, rules that let nothing through).

    \b
    Example:
      prodops sources health
    """
    configured = {source.id: source for source in _load(sources_path)}
    db = open_database(require_database(db_path))
    rows = {row["id"]: row for row in db["sources"].rows}
    cards = {card.source_id: card for card in refresh_scorecards(db, now_iso())}
    order = [source_id for source_id in cards if source_id in configured]
    order += [source_id for source_id in configured if source_id not in cards]
    click.echo(f"{'source':<28} {'state':<9} {'last success':<20} {'errors':>6} {'next due':<20} "
               f"{'docs':>5} {'relevant':>8} {'copies':>6} {'no text':>7} {'words':>6}  newest")
    for source_id in order:
        source, row, card = configured[source_id], rows.get(source_id, {}), cards.get(source_id)
        if row.get("disabled_reason"):
            state = "disabled"
        elif not source.enabled:
            state = "off"
        elif row.get("consecutive_errors"):
            state = "failing"
        elif row.get("last_ok"):
            state = "ok"
        else:
            state = "new"
        click.echo(
            f"{source_id:<28} {state:<9} {row.get('last_ok') or '-':<20} "
            f"{row.get('consecutive_errors') or 0:>6} {row.get('next_due') or '-':<20} "
            f"{card.documents if card else 0:>5} {_share(card.relevant_share if card else None):>8} "
            f"{_share(card.copies_share if card else None):>6} {card.failures if card else 0:>7} "
            f"{_number(card.median_words if card else None):>6}  {(card.newest or '-')[:10] if card else '-'}"
        )
        errors = f" · {card.recent_errors} fetch error(s) in its last runs" if card and card.recent_errors else ""
        click.echo(f"    {card.verdict if card else 'not crawled yet'}{errors}")
        if state == "ok" and row.get("last_warning"):  # what its last good run noticed
            click.echo(f"    warning: {row['last_warning']}")


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


@sources.command()
@click.argument("source_id")
@db_option
def enable(source_id, db_path) -> None:
    """Re-enable a source the crawler disabled, and end its backoff.

    \b
    Example:
      prodops sources enable acme-blog
    """
    db = open_database(require_database(db_path))
    if not runs.enable_source(db, source_id):
        raise UserError(f"unknown source id {source_id!r} in {db_path} (see `prodops sources health`)")
    click.echo(f"Enabled {source_id}; the next crawl fetches it.")
