"""`prodops lists ...` (curated lists) and `prodops export` (lists and selections as files)."""

from __future__ import annotations

import click

from pipeline.cli.common import DEFAULT_DB, UserError
from pipeline.config.lists import DEFAULT_LISTS, CuratedList, load_lists, rules_from, save_lists
from pipeline.store.database import open_database
from pipeline.store.lists import publish_lists, resolve

lists_option = click.option("--lists", "lists_path", default=str(DEFAULT_LISTS), show_default=True,
                            help="Lists file (YAML).")
db_option = click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, help="SQLite database.")


def find_list(lists: list[CuratedList], slug: str, path: str) -> CuratedList:
    for curated in lists:
        if curated.slug == slug:
            return curated
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
    """Create a list with rules that pick its documents."""
    lists = load_lists(lists_path)
    if any(c.slug == slug for c in lists):
        raise UserError(f"list {slug!r} already exists in {lists_path}")
    rules = rules_from(concepts, types, min_relevance, since, limit)
    _save(lists_path, [*lists, CuratedList(slug, title, description, rules)])
    click.echo(f"Created list {slug} in {lists_path}")


def _save(path: str, lists: list[CuratedList]) -> None:
    save_lists(path, lists)
    load_lists(path)  # what was written must read back


@lists_group.command()
@click.argument("slug")
@click.argument("url")
@click.option("--note", default="", help="The editor's note shown with it.")
@lists_option
def add(slug, url, note, lists_path) -> None:
    """Pin a URL to a list (shown first, in the order added)."""
    lists = load_lists(lists_path)
    curated = find_list(lists, slug, lists_path)
    curated.excluded = [u for u in curated.excluded if u != url]
    if all(pin["url"] != url for pin in curated.pinned):
        curated.pinned.append({"url": url, "note": note})
    _save(lists_path, lists)
    click.echo(f"Pinned {url} to {slug}")


@lists_group.command()
@click.argument("slug")
@click.argument("url")
@lists_option
def remove(slug, url, lists_path) -> None:
    """Remove a URL from a list: unpinned, and excluded from its rules."""
    lists = load_lists(lists_path)
    curated = find_list(lists, slug, lists_path)
    curated.pinned = [pin for pin in curated.pinned if pin["url"] != url]
    if url not in curated.excluded:
        curated.excluded.append(url)
    _save(lists_path, lists)
    click.echo(f"Removed {url} from {slug}")


@lists_group.command()
@click.argument("slug")
@click.argument("url")
@click.argument("text")
@lists_option
def note(slug, url, text, lists_path) -> None:
    """Set the editor's note of a URL in a list (pinning it if needed)."""
    lists = load_lists(lists_path)
    curated = find_list(lists, slug, lists_path)
    for pin in curated.pinned:
        if pin["url"] == url:
            pin["note"] = text
            break
    else:
        curated.pinned.append({"url": url, "note": text})
    _save(lists_path, lists)
    click.echo(f"Noted {url} in {slug}")


@lists_group.command()
@click.argument("slug")
@lists_option
@db_option
def show(slug, lists_path, db_path) -> None:
    """Print a list as it resolves against the database now."""
    lists = load_lists(lists_path)
    curated = find_list(lists, slug, lists_path)
    db = open_database(db_path)
    publish_lists(db, lists)
    items = resolve(db, curated)
    click.echo(f"{curated.title} ({len(items)} item(s))")
    for position, item in enumerate(items, start=1):
        note_text = f"  — {item['note']}" if item["note"] else ""
        click.echo(f"{position:>3}. {item['title']}  <{item['url']}>{note_text}")
