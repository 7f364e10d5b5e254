"""Reading the YAML files a curator edits (sources, taxonomy, curated lists): the one error
type for what is wrong in them, and the helpers every config reader shares."""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import yaml

# libyaml's parser when PyYAML was built with it (its wheels are): the same documents, a tenth
# of the time (the taxonomy: 56 -> 6 ms; every crawl, eval and worker reads it).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# The files that ship with the project (taxonomy, lists, Datasette metadata, evaluation sets).
PROJECT_DATA = Path(__file__).resolve().parents[2] / "data"
# The most values (mappings, lists and scalars, counted each time an alias repeats them) a
# config file may hold. The curator's files hold a few thousand; a file whose aliases
# (`*name`) nest an anchor in an anchor ("billion laughs") parses as a few shared lists but
# holds billions of values, which every reader that walks it, and a message that quotes it,
# would take hours over.
MAX_VALUES = 1_000_000
# A date as the files and the commands' --since take it: YYYY-MM-DD, or an ISO time of that day.
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(T[0-9:.]+Z?)?")


def is_iso_date(text: str) -> bool:
    """Whether `text` is a date as ISO_DATE takes it, of a day the calendar has: 2026-02-30
    or 2026-13-01 is a mistake to say, not a text to compare with the stored dates."""
    if not ISO_DATE.fullmatch(text):
        return False
    try:
        date.fromisoformat(text[:10])
    except ValueError:
        return False
    return True


class ConfigError(Exception):
    """A config file is missing, unreadable or has an invalid value."""


def parse_entries(path: Path, entries: list, parse, key: str, what: str) -> list:
    """Parse each entry of a config list with `parse(path, index, entry)`, refusing two
    entries with the same `key` (the message names the file, the entry and the field)."""
    parsed, seen = [], set()
    for index, entry in enumerate(entries, start=1):
        item = parse(path, index, entry)
        value = getattr(item, key)
        if value in seen:
            raise ConfigError(f"{path}: {what} #{index} ({value}): field '{key}': duplicate {key}")
        seen.add(value)
        parsed.append(item)
    return parsed


# Config files sent with the work to the machines of a cluster (pipeline/stages/cluster.py):
# name → text. A worker reads these, never its own disk, so every worker tags with the
# crawler's taxonomy. The name carries a digest of the text: a changed file is a new name.
SHIPPED: dict[str, str] = {}


def file_version(path: str | Path) -> tuple:
    """What tells one text of a config file from another without reading it, for the caches
    of parsed files (cached_taxonomy, cached_entities): a shipped name carries a digest of its
    text; a file on disk is known by its size, inode and modification and change times, so an
    edited or replaced file is read again (by a long-lived `prodops serve` too). A file that
    cannot be stat'ed is known by its name alone: reading it says what is wrong."""
    name = str(path)
    if name in SHIPPED:
        return (name,)
    try:
        status = os.stat(name)
    except OSError:
        return (name,)
    return (name, status.st_size, status.st_ino, status.st_mtime_ns, status.st_ctime_ns)


def shipped_name(path: str | Path, text: str) -> str:
    """The name a config file's text is shipped under: its path and a digest of the text."""
    return f"{path}#sha1={hashlib.sha1(text.encode('utf-8')).hexdigest()[:16]}"


class UniqueKeyLoader(SAFE_LOADER):  # type: ignore[misc,valid-type]
    """The safe loader, refusing a mapping that gives a key twice. PyYAML keeps the last and
    drops the first without a word: a second `sources:` pasted below the first lost every
    source above it, and a source's second `url:` its first."""

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":  # `<<: *defaults`: keys merged, then overridden
                continue
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, str | int | float | bool) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} is given twice (first at line {seen[key].line + 1}); "
                    "give each key once", key_node.start_mark)
            seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep)


def parse_yaml(text: str) -> Any:
    """YAML text as Python data (safe tags only, each key of a mapping once), by the fastest
    safe parser installed."""
    return yaml.load(text, Loader=UniqueKeyLoader)  # a safe loader (C or Python)


def read_yaml(path: Path) -> Any:
    """Parse a YAML config file (or one shipped under that name); raise ConfigError with the
    file, line and problem."""
    try:
        text = SHIPPED[str(path)] if str(path) in SHIPPED else path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found (give another path)") from None
    except UnicodeDecodeError as error:  # UTF-16 or Latin-1, as some editors save: re-saving as UTF-8 fixes it
        raise ConfigError(f"{path}: not UTF-8 text (byte {error.object[error.start]:#04x} at offset "
                          f"{error.start}); save it as UTF-8") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error}") from None
    return config_yaml(path, text)


def config_yaml(path: Path, text: str) -> Any:
    """The data of a config file's YAML `text` (read from `path`, or about to be written
    there); raise ConfigError with the file, line and problem."""
    try:
        data = parse_yaml(text)
    except yaml.YAMLError as error:
        where = ""
        mark = getattr(error, "problem_mark", None)
        if mark is not None:
            where = f" at line {mark.line + 1}, column {mark.column + 1}"
        problem = getattr(error, "problem", None) or str(error)
        raise ConfigError(f"{path}: not valid YAML{where}: {' '.join(problem.split())}") from None
    if _holds_more_than(data, MAX_VALUES):
        raise ConfigError(f"{path}: its aliases (*name) repeat anchored values into more than {MAX_VALUES:,} "
                          "values; write the values out, or use fewer aliases")
    return data


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the lock of a file that is read, changed and replaced (`<file>.lock` beside it),
    taken by every process that writes it: the CLI's and each of the site's workers."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{path}.lock", "a", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def replace_file(path: Path, text: str, private: bool = False) -> None:
    """Write `text` as the file at `path` all at once: into a temporary file beside it, then
    renamed over it, so a stop, a full disk or a text it cannot encode leaves the old file or
    the new, never half, and no temporary behind. The one way the project replaces a file
    (config files, exports, the curators' files). The file keeps the mode of the one it
    replaces (a new one gets the usual mode under the umask); a `private` one is its owner's
    alone (0600)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        if not private:  # not mkstemp's 0600: an HTML export is often served by another user
            os.chmod(temporary, path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def top_level_list(path: Path, data: Any, key: str) -> list:
    """The list under `key` at the top of a config file's `data` ([] for an empty file, or
    the key with nothing under it yet). ConfigError for any other shape, naming the keys found
    when `key` is not among them: another of the curator's files given by mistake (the labels
    file as --lists) would otherwise read as one holding nothing."""
    if data is None:
        return []
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping with a '{key}' list")
    if data and key not in data:
        found = ", ".join(repr(str(name)) for name in list(data)[:5])
        raise ConfigError(f"{path}: expected a '{key}' list at the top, found {found}: is it another file?")
    value = data.get(key)
    if value is not None and not isinstance(value, list):
        raise ConfigError(f"{path}: expected a mapping with a '{key}' list")
    return value or []


def _holds_more_than(data: Any, limit: int) -> bool:
    """Whether `data` holds more than `limit` values, counting a value reached by several
    aliases each time; stops counting at the limit (a file that refers to itself too)."""
    count, pending = 0, [data]
    while pending:
        value = pending.pop()
        count += 1
        if count > limit:
            return True
        if isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return False
