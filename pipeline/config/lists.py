"""Reading, validating and writing data/lists.yaml: the curated lists (how a list resolves
against the corpus is pipeline.store.lists)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from feeds.urls import is_web_address
from pipeline.config.files import (PROJECT_DATA, ConfigError, is_iso_date, locked, parse_entries, read_yaml,
                                   replace_file, top_level_list)
from pipeline.xmlchars import not_text

DEFAULT_LISTS = PROJECT_DATA / "lists.yaml"
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
MAX_NOTE_CHARS = 500  # an editor's note: a line or two beside a link (the site's note fields' maxlength)
HEADER = ("Curated lists, published by `prodops export --list SLUG` and in Datasette; see\n"
          "docs/configuration.md, 'Curated lists'. Edit by hand or with\n"
          "`prodops lists create|add|remove|note`.")
RULES = {"concepts": list, "types": list, "min_relevance": float, "since": str, "limit": int}


@dataclass
class CuratedList:
    slug: str
    title: str
    description: str = ""
    rules: dict[str, Any] = field(default_factory=dict)
    pinned: list[dict[str, str]] = field(default_factory=list)  # {url, note}
    excluded: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"slug": self.slug, "title": self.title, "description": self.description,
                "rules": self.rules, "pinned": self.pinned, "excluded": self.excluded}


def load_lists(path: str | Path = DEFAULT_LISTS) -> list[CuratedList]:
    """Read and validate a lists file (a missing file is no lists)."""
    path = Path(path)
    if not path.exists():
        return []
    return parse_entries(path, top_level_list(path, read_yaml(path), "lists"), _parse, "slug", "list")


def save_lists(path: str | Path, lists: list[CuratedList]) -> None:
    """Write the lists file, keeping its comments and layout where the lists did not change
    (a round trip through ruamel.yaml), atomically: a temporary file renamed over it."""
    path = Path(path)
    for index, curated in enumerate(lists, start=1):
        _parse(path, index, curated.as_dict())  # a list the file could not hold is refused before a byte is written
    editor = YAML()  # round-trip mode: comments, key order and flow style survive
    editor.width = 100
    editor.preserve_quotes = True
    editor.indent(mapping=2, sequence=4, offset=2)  # the hand-written file's style
    document = editor.load(path.read_text(encoding="utf-8")) if path.exists() else None
    path.parent.mkdir(parents=True, exist_ok=True)  # a new file in a new folder, as edit_list makes one
    if not isinstance(document, CommentedMap):
        document = CommentedMap()
        document.yaml_set_start_comment(HEADER)
    new = [curated.as_dict() for curated in lists]
    if isinstance(document.get("lists"), list):
        _merge_into(document["lists"], new)
    else:
        document["lists"] = new
    text = io.StringIO()
    editor.dump(document, text)
    replace_file(path, text.getvalue())


class ListError(ValueError):
    """An edit of a list that cannot be made (no such list); the message says what to do."""


def edit_list(path: str | Path, slug: str, change) -> list[CuratedList]:
    """Apply `change` (a function of the CuratedList) to list `slug` of the lists file and
    write the file back (comments kept, atomically), under the file's lock, which the site
    and `prodops lists` share (config.files.locked); return every list as now written. The
    one way lists are edited."""
    path = Path(path)
    with locked(path):
        lists = load_lists(path)
        found = next((curated for curated in lists if curated.slug == slug), None)
        if found is None:
            known = ", ".join(c.slug for c in lists) or "none"
            raise ListError(f"no list {slug!r} in {path} (lists: {known}); create it with `prodops lists create`")
        change(found)
        save_lists(path, lists)
        return load_lists(path)  # what was written must read back


def add_list(path: str | Path, curated: CuratedList) -> None:
    """Add a new list to the lists file, under the file's lock (an edit made meanwhile by the
    site is kept); ListError when a list of that slug exists."""
    path = Path(path)
    with locked(path):
        lists = load_lists(path)
        if any(other.slug == curated.slug for other in lists):
            raise ListError(f"list {curated.slug!r} already exists in {path}")
        save_lists(path, [*lists, curated])
        load_lists(path)  # what was written must read back


def pin(curated: CuratedList, url: str, note: str | None = None) -> None:
    """Pin a URL (no longer excluded); `note`, when given, becomes its note. ListError for
    what is not a web address (a list is published as links)."""
    if not is_web_address(url):
        raise ListError(f"{url!r} is not a web address; pin an http(s) URL, e.g. https://example.com/guide")
    if note is not None and (bad := not_text(note)):
        raise ListError(f"the note holds {bad}; remove it")
    if note is not None and len(note) > MAX_NOTE_CHARS:  # (the pages' fields say so too: maxlength)
        raise ListError(f"the note has {len(note):,} characters; a note has at most {MAX_NOTE_CHARS}")
    curated.excluded = [u for u in curated.excluded if u != url]
    for item in curated.pinned:
        if item["url"] == url:
            if note is not None:
                item["note"] = note
            return
    curated.pinned.append({"url": url, "note": note or ""})


def move_pin(curated: CuratedList, url: str, step: int) -> None:
    """Move a pinned URL `step` places (-1: up, 1: down) among the pins, staying in bounds;
    ListError when the URL is not pinned."""
    urls = [item["url"] for item in curated.pinned]
    if url not in urls:
        raise ListError(f"{url} is not pinned to {curated.slug}; pin it first")
    at = urls.index(url)
    to = min(max(at + step, 0), len(urls) - 1)
    curated.pinned.insert(to, curated.pinned.pop(at))


def unpin(curated: CuratedList, url: str) -> None:
    """Remove a URL from the list: unpinned, and excluded from its rules."""
    curated.pinned = [item for item in curated.pinned if item["url"] != url]
    if url not in curated.excluded:
        curated.excluded.append(url)


def rules_from(concepts=(), types=(), min_relevance: float | None = None, since: str | None = None,
               limit: int | None = None) -> dict[str, Any]:
    """A list's rules from the options of `prodops lists create` and `prodops export`: only
    the rules given, in the file's order."""
    given = {"concepts": list(concepts), "types": list(types), "min_relevance": min_relevance,
             "since": since, "limit": limit}
    return {name: value for name, value in given.items() if value not in (None, [], "")}


def _merge_into(old: Any, new: Any) -> Any:
    """`new` written over `old` in place where both are mappings or sequences, so that the
    comments attached to what stays are kept; returns what to store."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [key for key in old if key not in new]:
            del old[key]
        for key, value in new.items():
            old[key] = _merge_into(old[key], value) if key in old else value
        return old
    if isinstance(old, list) and isinstance(new, list):
        for index, value in enumerate(new):
            if index < len(old):
                old[index] = _merge_into(old[index], value)
            else:
                old.append(value)
        del old[len(new):]
        return old
    return new


def _parse(path: Path, index: int, entry: Any) -> CuratedList:
    label = f"{path}: list #{index}"
    if not isinstance(entry, dict):
        raise ConfigError(f"{label}: expected a mapping with slug and title")
    slug = entry.get("slug")
    if not isinstance(slug, str) or not SLUG.match(slug):
        raise ConfigError(f"{label}: field 'slug': lower-case letters, digits and '-' (at most 80)")
    label = f"{label} ({slug})"
    if not isinstance(entry.get("title"), str) or not entry["title"].strip():
        raise ConfigError(f"{label}: field 'title': missing or not a string")
    rules = entry.get("rules") or {}
    if not isinstance(rules, dict):
        raise ConfigError(f"{label}: field 'rules': a mapping")
    rules = dict(rules)
    for name, value in rules.items():
        if name == "since" and type(value) is date:  # `since: 2026-01-01` unquoted, which YAML reads as a date
            rules[name] = value = value.isoformat()
        expected = RULES.get(name)
        if expected is None:
            raise ConfigError(f"{label}: field 'rules.{name}': unknown rule ({', '.join(RULES)})")
        ok = isinstance(value, (int, float)) if expected is float else isinstance(value, expected)
        if (not ok or isinstance(value, bool)) and name != "since":
            raise ConfigError(f"{label}: field 'rules.{name}': must be of type {expected.__name__}")
        if name == "since" and not is_iso_date(str(value)):
            raise ConfigError(f"{label}: field 'rules.since': a date as YYYY-MM-DD (of a day the calendar has), "
                              f"not {str(value)!r}")
        # A relevance is a share (50 for 0.5, or .nan, picked nothing); a limit picks one or more.
        if name == "min_relevance" and not 0 <= value <= 1:
            raise ConfigError(f"{label}: field 'rules.min_relevance': a number from 0 to 1, not {value!r}")
        if name == "limit" and value < 1:
            raise ConfigError(f"{label}: field 'rules.limit': 1 or more, not {value!r}")
    pinned = entry.get("pinned") or []
    if not isinstance(pinned, list) or not all(isinstance(p, dict) and isinstance(p.get("url"), str) for p in pinned):
        raise ConfigError(f"{label}: field 'pinned': a list of {{url, note}}")
    excluded = entry.get("excluded") or []
    if not isinstance(excluded, list) or not all(isinstance(u, str) for u in excluded):
        raise ConfigError(f"{label}: field 'excluded': a list of URLs")
    for url in [p["url"] for p in pinned] + excluded:
        if not is_web_address(url):
            raise ConfigError(f"{label}: {url!r} is not an http(s) URL; correct or remove it")
    texts = [("title", entry["title"]), ("description", str(entry.get("description") or ""))]
    for field_name, value in texts + [(f"note of {p['url']}", str(p.get("note") or "")) for p in pinned]:
        if bad := not_text(value):
            raise ConfigError(f"{label}: field '{field_name}': holds {bad}; remove it")
    return CuratedList(slug, entry["title"], str(entry.get("description") or ""), rules,
                       [{"url": p["url"], "note": str(p.get("note") or "")} for p in pinned], excluded)
