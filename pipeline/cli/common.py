"""What the CLI modules share: defaults, the user-error exception and the group that turns
library errors into it, Scrapy settings from -s options."""

from __future__ import annotations

import click

from pipeline.config.files import ConfigError
from pipeline.store.database import DatabaseError

DEFAULT_SOURCES = "data/sources.yaml"
DEFAULT_DB = "data/prodops.db"


class UserError(click.ClickException):
    """Something the user can fix: printed as one line, exit status 2."""

    exit_code = 2


class CuratorGroup(click.Group):
    """The `prodops` group. The one place where a bad file or database the user gave
    (ConfigError, DatabaseError, from any command) becomes a one-line message, exit status 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (ConfigError, DatabaseError) as error:
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


def use_cluster(address: str, client: bool = False):
    """Check the Dask cluster at `address` before anything is written: a warning for a plain
    tcp:// address on a public network; exit 2 (one line) when it cannot be reached, has no
    workers or runs another version. Returns {worker: version}, or with `client` a connected
    client for batch work (close it when done)."""
    from pipeline.stages.cluster import ClusterError, check_address, connect_and_check, executor

    warning = check_address(address)
    if warning:
        click.echo(warning, err=True)
    try:
        return executor(address) if client else connect_and_check(address)
    except ClusterError as error:
        raise UserError(str(error)) from None
