"""`prodops lists ...`: create and edit the curated lists, show them resolved, check their links."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click

from pipeline.cli.common import UserError, check_filters, db_option, lists_option, require_database, scrapy_settings
from pipeline.config.lists import (SLUG, CuratedList, ListError, add_list, edit_list, load_lists, pin,
                                   rules_from, unpin)
from pipeline.config.taxonomy import load_taxonomy
from pipeline.store.database import open_database
from pipeline.store.link_checks import describe as describe_check
from pipeline.store.link_checks import save_checks
from pipeline.store.lists import publish_lists, resolve, unstored_pins
from pipeline.understand.linkrot import VERDICTS



def find_list(lists: list[CuratedList], slug: str, path: str) -> CuratedList:
    """The list `slug` of the lists file at `path`; a UserError that says what to do when the
    file holds no such list, or is not there (a mistyped --lists reads as an empty file)."""
    for curated in lists:
        if curated.slug == slug:
            return curated
    if not Path(path).exists():
        raise UserError(f"{path}: file not found; give another --lists path, or make a list with "
                        "`prodops lists create`")
    known = ", ".join(c.slug for c in lists) or "none"
    raise UserError(f"no list {slug!r} in {path} (lists: {known}); create it with `prodops lists create`")


@click.group("lists")
def lists_group() -> None:
    """Create and edit curated lists (data/lists.yaml)."""


@lists_group.command()
@click.argument("slug")
@click.option("--title", required=True)
@click.option("--description", default="")
@click.option("--concept", "concepts", multiple=True, help="Pick documents tagged with it (repeatable).")
@click.option("--type", "types", multiple=True, help="Pick documents of this content type (repeatable).")
@click.option("--min-relevance", type=click.FloatRange(0, 1))
@click.option("--since", help="Published on or after (YYYY-MM-DD).")
@click.option("--limit", type=click.IntRange(1, 10000), default=20, show_default=True)
@lists_option
def create(slug, title, description, concepts, types, min_relevance, since, limit, lists_path) -> None:
    """Create a list with rules that pick its documents.

    \b
    Example:
      prodops lists create reading --title 'Onboarding reading' --concept enablement-training --type guide-playbook
    """
    if not SLUG.match(slug):
        raise UserError(f"{slug!r}: a list's slug is lower-case letters, digits and '-' (at most 80), "
                        "e.g. onboarding-reading")
    check_filters(load_taxonomy(), concepts, types, since, concept_option="--concept",
                  min_relevance=min_relevance)
    rules = rules_from(concepts, types, min_relevance, since, limit)
    try:
        add_list(lists_path, CuratedList(slug, title, description, rules))
    except ListError as error:
        raise UserError(str(error)) from None
    click.echo(f"Created list {slug} in {lists_path}")


@lists_group.command()
@click.argument("slug")
@click.argument("url")
@click.option("--note", default="", help="The editor's note shown with it.")
@lists_option
def add(slug, url, note, lists_path) -> None:
    """Pin a URL to a list (shown first, in the order added).

    \b
    Example:
      prodops lists add prodops-onboarding https://example.com/guide --note 'Start here'
    """
    _edit(lists_path, slug, lambda curated: pin(curated, url, note or None))
    click.echo(f"Pinned {url} to {slug}")


@lists_group.command()
@click.argument("slug")
@click.argument("url")
@lists_option
def remove(slug, url, lists_path) -> None:
    """Remove a URL from a list: unpinned, and excluded from its rules.

    \b
    Example:
      prodops lists remove prodops-onboarding https://example.com/old-guide
    """
    was: dict[str, bool] = {}

    def remove_url(curated) -> None:
        was["pinned"] = any(item["url"] == url for item in curated.pinned)
        was["excluded"] = url in curated.excluded
        unpin(curated, url)

    _edit(lists_path, slug, remove_url)
    # Said apart, so that a mistyped URL (not pinned, so only excluded) is seen for what it did.
    if was["pinned"]:
        click.echo(f"Removed {url} from {slug}: unpinned, and left out of its rules")
    elif was["excluded"]:
        click.echo(f"{url} was already left out of {slug}")
    else:
        click.echo(f"{url} was not pinned to {slug}; its rules now leave it out (`prodops lists show {slug}` "
                   "says what the list holds)")


@lists_group.command()
@click.argument("slug")
@click.argument("url")
@click.argument("text")
@lists_option
def note(slug, url, text, lists_path) -> None:
    """Set the editor's note of a URL in a list (pinning it if needed).

    \b
    Example:
      prodops lists note prodops-onboarding https://example.com/guide 'Read before week one'
    """
    _edit(lists_path, slug, lambda curated: pin(curated, url, text))
    click.echo(f"Noted {url} in {slug}")


def _edit(lists_path: str, slug: str, change) -> None:
    try:
        edit_list(lists_path, slug, change)
    except ListError as error:
        raise UserError(str(error)) from None


@lists_group.command()
@click.argument("slug")
@lists_option
@db_option
def show(slug, lists_path, db_path) -> None:
    """Print a list as it resolves against the database now.

    \b
    Example:
      prodops lists show prodops-onboarding
    """
    lists = load_lists(lists_path)
    curated = find_list(lists, slug, lists_path)
    db = open_database(require_database(db_path))
    publish_lists(db, lists)
    items = resolve(db, curated)
    click.echo(f"{curated.title} ({len(items)} item(s))")
    for position, item in enumerate(items, start=1):
        note_text = f"  — {item['note']}" if item["note"] else ""
        rot = describe_check(item["link_check"])
        rot_text = f"  [{rot}]" if rot else ""
        title = item["title"] or item["url"]  # a page with no title: its address, as the exports name it
        click.echo(f"{position:>3}. {title}  <{item['url']}>{note_text}{rot_text}")
    # A pin the corpus does not hold yet resolves to nothing (a list shows stored documents):
    # said, so that it is not taken for lost.
    for url in unstored_pins(db, curated):
        click.echo(f"  (pinned, not stored yet: <{url}>; it is listed once a crawl stores it)")


@lists_group.command()
@click.argument("slugs", nargs=-1, metavar="[SLUG]...")
@lists_option
@db_option
@click.option("-s", "settings", multiple=True, metavar="NAME=VALUE", help="A Scrapy setting.")
@click.option("--allow-private-network", is_flag=True, help="Allow loopback and private addresses.")
def check(slugs, lists_path, db_path, settings, allow_private_network) -> None:
    """Re-request every item of the named lists (all lists by default) and record a verdict
    per link in `link_checks`: ok, moved, gone, soft-404, changed or error.

    Fetched politely through the crawler (robots.txt, delays, conditional GET, the network
    guard). Exit status: 0 every link ok, 1 some link is not (or the check was stopped),
    2 bad input.

    \b
    Examples:
      prodops lists check
      prodops lists check prodops-onboarding
    """
    from pipeline.crawl import runner as crawling  # Scrapy only for the commands that fetch

    lists = load_lists(lists_path)
    chosen = [find_list(lists, slug, lists_path) for slug in slugs] if slugs else lists
    require_database(db_path)
    overrides = {"LOG_LEVEL": "ERROR", **scrapy_settings(settings)}
    db = open_database(db_path)
    items = {curated.slug: resolve(db, curated) for curated in chosen}
    links = {item["url"]: item["text"] for rows in items.values() for item in rows}
    if not links:
        click.echo("No items to check: the lists resolve to no documents yet.")
        return
    db.close()
    results, stopped = crawling.check_links(
        links, crawling.crawl_settings(db_path, overrides, allow_private_network))
    db = open_database(db_path)
    ids = {item["url"]: item["id"] for rows in items.values() for item in rows}
    save_checks(db, [{**row, "document_id": ids.get(url)} for url, row in results.items()])
    for curated in chosen:
        rows = [results[item["url"]] for item in items[curated.slug] if item["url"] in results]
        counts = Counter(row["verdict"] for row in rows)
        summary = ", ".join(f"{counts[v]} {v}" for v in VERDICTS if counts[v])
        click.echo(f"{curated.slug}: {len(rows)} link(s) checked: {summary or 'none'}")
        for item in items[curated.slug]:
            if item["url"] in results and (rot := describe_check(results[item["url"]])):
                click.echo(f"  {item['url']}  {rot}")
    if stopped:
        click.echo(f"Interrupted: {len(results)} of {len(links)} link(s) checked; "
                   "the verdicts reached are saved.", err=True)
    if stopped or any(row["verdict"] != "ok" for row in results.values()):
        sys.exit(1)
