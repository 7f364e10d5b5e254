"""What the CLI modules share: defaults, the user-error exception and the group that turns
library errors into it, the checks of a database and of the document filters that several
commands take, Scrapy settings from -s options."""

from __future__ import annotations

import difflib
import errno
import importlib
import json
import math
import sqlite3
import sys
from pathlib import Path

import click

from pipeline.config.files import ConfigError, is_iso_date
from pipeline.config.labels import DEFAULT_LABELS
from pipeline.config.lists import DEFAULT_LISTS
from pipeline.config.taxonomy import DEFAULT_TAXONOMY
from pipeline.store.database import DatabaseError, checkpoint_opened, open_database

DEFAULT_SOURCES = "data/sources.yaml"
DEFAULT_DB = "data/prodops.db"

# The options several commands take, said once.
db_option = click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, help="SQLite database.")
taxonomy_option = click.option("--taxonomy", "taxonomy_path", default=str(DEFAULT_TAXONOMY), show_default=True,
                               help="Taxonomy file (YAML).")
labels_option = click.option("--labels", "labels_path", default=str(DEFAULT_LABELS), show_default=True,
                             help="The curator's labels file (YAML).")
lists_option = click.option("--lists", "lists_path", default=str(DEFAULT_LISTS), show_default=True,
                            help="Lists file (YAML).")


class UserError(click.ClickException):
    """Something the user can fix: printed as one line, exit status 2."""

    exit_code = 2


class DatabaseBusy(click.ClickException):
    """The database stayed locked by another writer past the wait (busy_timeout): exit
    status 75, as a crawl that finds another crawl's lock (EX_TEMPFAIL: try again later)."""

    exit_code = 75


class DiskFull(click.ClickException):
    """The disk (or the user's quota) filled while a command wrote: exit status 1, a failure
    of the machine, not of what the user gave. SQLite rolls back the transaction it could not
    finish, so what was stored before stays."""


class CuratorGroup(click.Group):
    """The `prodops` group. The one place where a bad file or database the user gave
    (ConfigError, DatabaseError, from any command) becomes a one-line message, exit status 2;
    so do SQLite's own refusals of a database file (corrupt, read-only, not SQLite) and a file
    or folder this user may not write. A full disk, for the database or for the output, is a
    one-line failure too (DiskFull); a closed pipe (`prodops search x | head`) is click's: exit
    status 1, nothing printed. When a command ends (but for a stop), the databases it wrote
    have their WAL moved into their file (pipeline.store.database.checkpoint_opened).

    Its commands are named in `lazy_commands` ({name: "module:attribute"}) and imported when
    used (click's "lazily loading subcommands"): `prodops crawl` does not import Datasette,
    `prodops serve` not Scrapy, and every command starts in about half the time."""

    def __init__(self, *args, lazy_commands: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in self.lazy_commands:
            module, attribute = self.lazy_commands[name].split(":")
            self.add_command(getattr(importlib.import_module(module), attribute), name)
        return super().get_command(ctx, name)

    def invoke(self, ctx: click.Context):
        stopped = False
        try:
            return self._invoke_and_say_why(ctx)
        except KeyboardInterrupt:
            stopped = True  # a stop ends as soon as it can (the next command checkpoints)
            raise
        finally:
            if not stopped:
                checkpoint_opened()  # the database file alone holds what the command wrote

    def _invoke_and_say_why(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (ConfigError, DatabaseError) as error:
            raise UserError(str(error)) from None
        except sqlite3.DatabaseError as error:
            if getattr(error, "sqlite_errorname", "").startswith("SQLITE_BUSY"):
                # Not a damaged file (restoring a copy would lose the other writer's work): a
                # crawl or a retag holds the write lock longer than we wait.
                raise DatabaseBusy("the database is busy: another command (a crawl, a retag) is writing it; "
                                   "run this again when that one ends") from None
            if getattr(error, "sqlite_errorname", "") == "SQLITE_FULL":
                raise DiskFull("the database's disk is full: free some space and run this again "
                               "(what was stored before is kept)") from None
            raise UserError(f"the database: {error} (check the file given as --db, or restore it from a copy; "
                            "`sqlite3 FILE 'PRAGMA integrity_check'` says more)") from None
        except PermissionError as error:
            raise UserError(f"{error.filename or 'a file'}: permission denied; give a file or folder you may write"
                            ) from None
        except OSError as error:
            if error.errno not in (errno.ENOSPC, errno.EDQUOT):
                raise
            where = f" writing {error.filename}" if error.filename else ""  # (a stream's write names none)
            raise DiskFull(f"no space left on the device{where}: free some space and run this again") from None


def require_database(db_path: str) -> str:
    """`db_path`, when a database is there; else a one-line UserError. The commands that read
    a corpus never make an empty one: a wrong --db, a command run from another folder, or an
    empty file (`touch`ed, a copy that failed) would otherwise answer from nothing with exit
    status 0; and the curators of a database that is not there would sign in to no site."""
    if not Path(db_path).exists():
        raise UserError(f"no database at {db_path}: crawl first (`prodops crawl`), "
                        "or give the --db of a crawled corpus")
    if Path(db_path).is_dir():  # (SQLite says "disk I/O error", or "unable to open database file")
        raise UserError(f"--db {db_path} is a folder; give the path of a database file, "
                        f"e.g. {Path(db_path) / 'prodops.db'}")
    if Path(db_path).stat().st_size == 0:  # (SQLite takes it for a new database: made an empty corpus)
        raise UserError(f"--db {db_path} is an empty file, not a crawled corpus: crawl into it first "
                        "(`prodops crawl --db`), or give the --db of a crawled corpus")
    return db_path


def check_filters(taxonomy, concepts=(), types=(), since: str | None = None, concept_option: str = "--tag",
                  min_relevance: float | None = None) -> None:
    """The document filters of `search`, `export` and `lists create`, checked before anything
    is read or written: a concept and a content type the taxonomy has, a date as YYYY-MM-DD,
    a relevance that is a number (click's FloatRange lets `nan` through: it compares with
    nothing, so a list or export with it picked nothing, and `.nan` was written to the file)."""
    if min_relevance is not None and math.isnan(min_relevance):
        raise UserError("--min-relevance nan: give a number from 0 to 1, e.g. 0.5")
    for concept in concepts:
        if concept not in taxonomy.ids():
            raise UserError(f"{concept_option} {concept}: no such concept; the concepts are the ids in "
                            "data/taxonomy.yaml")
    for kind in types:
        if kind not in taxonomy.type_labels():
            raise UserError(f"--type {kind}: no such content type; one of {', '.join(sorted(taxonomy.type_labels()))}")
    check_since(since)


def check_since(since: str | None) -> None:
    """A --since option: a date as YYYY-MM-DD (or an ISO time of that day), of a day the
    calendar has."""
    if since is not None and not is_iso_date(since):
        raise UserError(f"--since {since!r}: give a date as YYYY-MM-DD, of a day the calendar has")


def scrapy_settings(values: tuple[str, ...]) -> dict[str, str]:
    """-s NAME=VALUE options as a dict; a malformed one is a usage error, and so is a value
    that a setting whose default is a number or a truth value cannot be read as (checked
    here, in a line, rather than by a traceback from deep in the crawl)."""
    overrides = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep or not name.strip():
            raise click.UsageError(f"-s {value!r}: expected NAME=VALUE, e.g. -s DOWNLOAD_DELAY=0")
        overrides[name.strip()] = setting
        _check_setting(name.strip(), setting)
    return overrides


TRUTH_VALUES = ("true", "false", "1", "0")  # what Scrapy's getbool reads
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# The settings read as whole numbers (Settings.getint, which is int(value)): "2.5" for one is
# a traceback before the crawl starts (PRODOPS_EXTRACT_WORKERS), or every sitemap of the run
# failing (PRODOPS_MAX_SITEMAPS), the source then backing off. Ours and Scrapy's
# (tests/test_config.py fails while a getint of either reads one that is not here).
WHOLE_NUMBER_SETTINGS = frozenset({
    "PRODOPS_DISABLE_AFTER", "PRODOPS_EXTRACT_WORKERS", "PRODOPS_FEED_MAX_ENTRIES", "PRODOPS_MAX_SITEMAPS",
    "PRODOPS_PDF_LINKS_PER_PAGE", "PRODOPS_WORKER_MEMORY_MB",
    "AWS_MAX_POOL_CONNECTIONS", "CLOSESPIDER_ERRORCOUNT", "CLOSESPIDER_ITEMCOUNT", "CLOSESPIDER_PAGECOUNT",
    "CLOSESPIDER_PAGECOUNT_NO_ITEM", "CLOSESPIDER_TIMEOUT_NO_ITEM", "CONCURRENT_ITEMS", "CONCURRENT_REQUESTS",
    "CONCURRENT_REQUESTS_PER_DOMAIN", "CONCURRENT_REQUESTS_PER_IP", "DEPTH_LIMIT", "DEPTH_PRIORITY",
    "DNSCACHE_SIZE", "DOWNLOAD_MAXSIZE", "DOWNLOAD_WARNSIZE", "FEED_EXPORT_BATCH_ITEM_COUNT", "FEED_EXPORT_INDENT",
    "HTTP2_MAX_FRAME_SIZE", "HTTPCACHE_EXPIRATION_SECS", "MAIL_PORT", "MEMUSAGE_LIMIT_MB", "MEMUSAGE_WARNING_MB",
    "METAREFRESH_MAXDELAY", "REACTOR_THREADPOOL_MAXSIZE", "REDIRECT_MAX_TIMES", "REDIRECT_PRIORITY_ADJUST",
    "REMOTE_CONTROL_OUTPUT_MAX_BYTES", "REMOTE_CONTROL_TRACEBACK_MAX_BYTES", "RETRY_PRIORITY_ADJUST", "RETRY_TIMES",
    "SCRAPER_SLOT_MAX_ACTIVE_SIZE", "URLLENGTH_LIMIT",
})
# The settings that are a share or a relevance, from 0 to 1 (5 would follow nothing, silently).
FRACTION_SETTINGS = frozenset({"PRODOPS_FOLLOW_MIN_RELEVANCE"})
# Scrapy's request priorities, which a negative number lowers (RETRY_PRIORITY_ADJUST's default is
# -1; DEPTH_PRIORITY=1 or -1 makes a crawl breadth- or depth-first): every other number setting
# is a count, a size or a time, and cannot be negative.
SIGNED_SUFFIXES = ("_PRIORITY", "_PRIORITY_ADJUST")
# The settings a command's own options set: through -s, the command itself would not see them
# (PRODOPS_DB: the crawl wrote another database than the --db it named, locked and summed up;
# PRODOPS_ONLY, PRODOPS_SOURCES: ignored, every source crawled). `scrapy crawl` reads them.
OPTION_SETTINGS = {"PRODOPS_DB": "--db PATH", "PRODOPS_SOURCES": "--sources PATH",
                   "PRODOPS_ONLY": "--only SOURCE_ID (repeatable)"}


def _check_setting(name: str, value: str) -> None:
    from scrapy.settings import default_settings  # Scrapy only when -s is given

    from spiders import settings as project

    if name in OPTION_SETTINGS:
        raise UserError(f"-s {name}={value}: give it as the command's option, {OPTION_SETTINGS[name]}")
    known = {setting for module in (project, default_settings) for setting in dir(module) if setting.isupper()}
    if name not in known:
        # A misspelt name did nothing, silently (-s DOWNLOD_DELAY=2); a name of neither kind
        # may be a setting of a component Scrapy loads from elsewhere: said, and passed on.
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.8)
        if close:
            raise UserError(f"-s {name}={value}: no such setting; did you mean {close[0]}?")
        if name.startswith("PRODOPS_"):
            raise UserError(f"-s {name}={value}: no such setting of this project; its settings are listed in "
                            "docs/configuration.md")
        click.echo(f"Warning: -s {name}: not a setting of Scrapy's or of this project; passed on as given", err=True)
        return
    default = getattr(project, name, getattr(default_settings, name, None))
    if name == "LOG_LEVEL" and value.strip().upper() not in LOG_LEVELS:
        raise UserError(f"-s LOG_LEVEL={value}: one of {', '.join(LOG_LEVELS)}")
    if isinstance(default, dict):
        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict):
            raise UserError(f"-s {name}={value}: {name} is a JSON object, e.g. '{{\"name\": 100}}'")
        return
    if isinstance(default, bool):
        if value.strip().lower() not in TRUTH_VALUES:
            raise UserError(f"-s {name}={value}: {name} is true or false (True, False, 1 or 0)")
        return
    if not isinstance(default, (int, float)):
        return
    try:
        number = float(value)  # (Scrapy reads some whole-number defaults as numbers: DOWNLOAD_TIMEOUT=2.5)
    except ValueError:
        raise UserError(f"-s {name}={value}: {name} is a number, e.g. {default}") from None
    if not math.isfinite(number):  # DOWNLOAD_DELAY=inf waits forever, and a stop then waits for it too
        raise UserError(f"-s {name}={value}: {name} is a finite number, e.g. {default}")
    if number < 0 and not name.endswith(SIGNED_SUFFIXES):
        raise UserError(f"-s {name}={value}: {name} cannot be negative (the default is {default})")
    if name in FRACTION_SETTINGS and number > 1:
        raise UserError(f"-s {name}={value}: {name} is a relevance, from 0 to 1 (the default is {default})")
    if name in WHOLE_NUMBER_SETTINGS:
        try:
            int(value)
        except ValueError:
            raise UserError(f"-s {name}={value}: {name} is a whole number, e.g. {default}") from None


def cluster_options(help_text: str):
    """The `--cluster ADDRESS` and `--cluster-insecure` options of the commands that can run
    their stages on a Dask cluster (crawl, retag, eval)."""
    def decorate(command):
        command = click.option("--cluster-insecure", is_flag=True,
                               help="Trust a --cluster off this machine without mutual TLS (its workers can run "
                                    "code here; warned on every run).")(command)
        return click.option("--cluster", metavar="ADDRESS", help=help_text)(command)
    return decorate


def use_cluster(address: str, client: bool = False, insecure: bool = False):
    """Check the Dask cluster at `address` before anything is written: exit 2 (one line) for a
    cluster off this machine without mutual TLS (unless `insecure`, which is warned about),
    or one that cannot be reached, has no workers or runs another version. Returns
    {worker: version}, or with `client` a connected client for batch work (close it when
    done)."""
    from pipeline.stages.cluster_connect import ClusterError, check_address, connect_and_check, executor

    try:
        warning = check_address(address, insecure)
        if warning:
            click.echo(warning, err=True)
        return executor(address) if client else connect_and_check(address)
    except ClusterError as error:
        raise UserError(str(error)) from None


def remake_signatures_first(db_path: str) -> None:
    """The first step of the commands that compare near-duplicate signatures (`prodops crawl`,
    `prodops reextract`): remake those an older version made, if a migration found any, with a
    progress line on stderr (pipeline/store/upkeep.py says why not in every open_database)."""
    from pipeline.store import upkeep

    db = open_database(db_path)
    try:
        total = upkeep.signatures_to_remake(db)
        if not total:
            return
        line = f"Remaking {total} near-duplicate signatures (made by an older version) ..."
        click.echo(line, err=True, nl=False)
        interactive = sys.stderr.isatty()  # a count in place, on a terminal only

        def count(done: int) -> None:
            click.echo(f"\r{line} {done}/{total}", err=True, nl=False)

        upkeep.remake_signatures(db, count if interactive else None)
        width = len(f"{line} {total}/{total}")
        click.echo(f"\r{f'{line} done':<{width}}" if interactive else " done", err=True)
    finally:
        db.close()
