"""`prodops curators add|remove|list|token`: who may sign in to the published site and curate
there (pipeline/publish/curators.py keeps them beside the database, never in it)."""

from __future__ import annotations

import sys

import click

from pipeline.cli.common import DEFAULT_DB, UserError, require_database
from pipeline.publish.curators import CuratorError, add_curator, curators, curators_file, new_token, remove_curator

DB_OPTION = click.option("--db", "db_path", default=DEFAULT_DB, show_default=True,
                         help="The database whose site they curate.")


@click.group("curators")
def curators_group() -> None:
    """Curators: the people who may sign in to the site (`prodops serve`) to curate."""


@curators_group.command("add")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (for scripts).")
@DB_OPTION
def add(name: str, password_stdin: bool, db_path: str) -> None:
    """Add a curator, or set the password of one already there (ending their open sessions).

    \b
    Examples:
      prodops curators add maya
      echo "$PASSWORD" | prodops curators add maya --password-stdin
    """
    require_database(db_path)  # (before the password is asked for)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        first = not curators(db_path)
        new = add_curator(db_path, name, password)
    except CuratorError as error:
        raise UserError(str(error)) from None
    click.echo(f"{'Added' if new else 'Changed the password of'} curator {name} ({curators_file(db_path)}).")
    if first:
        click.echo("Restart `prodops serve` for the site to offer sign-in at /-/login.")


@curators_group.command("remove")
@click.argument("name")
@DB_OPTION
def remove(name: str, db_path: str) -> None:
    """Remove a curator (their open sessions on the site end at once).

    \b
    Example:
      prodops curators remove maya
    """
    require_database(db_path)
    try:
        removed = remove_curator(db_path, name)
    except CuratorError as error:
        raise UserError(str(error)) from None
    if not removed:
        raise UserError(f"no curator named {name!r}; `prodops curators list` shows them")
    click.echo(f"Removed curator {name}.")


@curators_group.command("list")
@DB_OPTION
def list_command(db_path: str) -> None:
    """The curators, with when each was added (never their password hashes).

    \b
    Example:
      prodops curators list
    """
    require_database(db_path)
    try:
        known = curators(db_path)
    except CuratorError as error:
        raise UserError(str(error)) from None
    for name, curator in sorted(known.items()):
        click.echo(f"{name}\tadded {curator.get('added', '?')}")
    if not known:
        click.echo("No curators: the site is read-only. `prodops curators add NAME` adds one.", err=True)


@curators_group.command("token")
@click.argument("name")
@DB_OPTION
def token(name: str, db_path: str) -> None:
    """Print a new API token for a curator (the one before stops working), for scripts and
    bookmarklets: `Authorization: Bearer TOKEN` on POST /-/api/label and
    /-/api/lists/{slug}/items. Only its hash is kept: copy it now.

    \b
    Example:
      prodops curators token maya
    """
    require_database(db_path)
    try:
        click.echo(new_token(db_path, name))
    except CuratorError as error:
        raise UserError(str(error)) from None
