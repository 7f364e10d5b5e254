"""What the CLI modules share: defaults, the user-error exception, opening the database."""

from __future__ import annotations

import click

from pipeline.store.database import DatabaseError, open_database

DEFAULT_SOURCES = "data/sources.yaml"
DEFAULT_DB = "data/prodops.db"


class UserError(click.ClickException):
    """Something the user can fix: printed as one line, exit status 2."""

    exit_code = 2


def open_db(db_path: str):
    """Open the corpus database, or stop with a one-line message."""
    try:
        return open_database(db_path)
    except DatabaseError as error:
        raise UserError(str(error)) from None


def scrapy_settings(values: tuple[str, ...]) -> dict[str, str]:
    """-s NAME=VALUE options as a dict; a malformed one is a usage error."""
    overrides = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep or not name.strip():
            raise click.UsageError(f"-s {value!r}: expected NAME=VALUE, e.g. -s DOWNLOAD_DELAY=0")
        overrides[name.strip()] = setting
    return overrides
