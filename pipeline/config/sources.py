"""Reading and validating data/sources.yaml.

The file is a mapping with a ``sources`` list. Each source has ``id`` (a slug), ``name``,
``kind``, ``url`` and optionally ``enabled`` (default true) and ``settings`` (options of its
kind, listed in KIND_OPTIONS). Every problem is reported as a ConfigError that names the
file, the entry and the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cssselect import GenericTranslator, SelectorError

from feeds.urls import is_web_address
from pipeline.config.files import ConfigError, parse_entries, read_yaml

SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")

# Options each kind accepts under `settings`, with their types. A new kind of source is
# added here and in spiders/ (a navigator for it).
KIND_OPTIONS: dict[str, dict[str, type]] = {
    "feed": {"max_entries": int, "fetch_pages": bool},
    "sitemap": {"allow": list, "deny": list, "max_pages": int, "max_sitemaps": int},
    "site": {"allow": list, "deny": list, "max_depth": int, "max_pages": int},
    "links": {"selector": str, "allow": list, "deny": list, "max_links": int},
    "url": {},
}
COMMON_OPTIONS: dict[str, type] = {}
PATTERN_OPTIONS = {"allow", "deny"}  # lists of regular expressions matched against URLs


@dataclass(frozen=True)
class Source:
    """One configured source of resources."""

    id: str
    name: str
    kind: str
    url: str
    enabled: bool = True
    settings: dict[str, Any] = field(default_factory=dict)

    def option(self, name: str, default: Any = None) -> Any:
        """Return one of the source's settings, or `default` when it is not set."""
        return self.settings.get(name, default)

    def wants(self, url: str) -> bool:
        """True when `url` passes the source's allow and deny patterns (if it has any)."""
        allow, deny = self.settings.get("allow") or [], self.settings.get("deny") or []
        if allow and not any(re.search(pattern, url) for pattern in allow):
            return False
        return not any(re.search(pattern, url) for pattern in deny)


def select_sources(sources: list[Source], only: list[str] | tuple[str, ...]) -> list[Source]:
    """The sources `only` names (enabled or not), else the enabled ones. An id `only` names
    that is not in `sources` is a ConfigError."""
    known = {source.id for source in sources}
    unknown = [source_id for source_id in only if source_id not in known]
    if unknown:
        raise ConfigError(f"unknown source id {', '.join(map(repr, unknown))}: not in the sources "
                          f"file (--only and PRODOPS_ONLY take ids from it)")
    return [source for source in sources if (source.id in only if only else source.enabled)]


def load_sources(path: str | Path) -> list[Source]:
    """Read and validate a sources file; raise ConfigError naming what is wrong."""
    path = Path(path)
    return sources_in(path, read_yaml(path))


def sources_in(path: Path, data: Any) -> list[Source]:
    """The sources of a sources file's parsed YAML `data` (`path` names the file in what a
    ConfigError says); the check of a file's text before it is written."""
    if data is None:  # an empty file (or only comments) is an empty list of sources
        return []
    if isinstance(data, dict) and "sources" in data and data["sources"] is None:
        return []  # "sources:" with nothing under it yet
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        raise ConfigError(
            f"{path}: expected a mapping with a 'sources' list at the top (a line `sources:`, "
            "then one `- id: ...` entry a source), see docs/configuration.md"
        )
    return parse_entries(path, data["sources"], _parse_source, "id", "source")


def _parse_source(path: Path, index: int, entry: Any) -> Source:
    label = f"{path}: source #{index}"
    if not isinstance(entry, dict):
        raise ConfigError(f"{label}: expected a mapping with id, name, kind and url")
    if isinstance(entry.get("id"), str):
        label = f"{label} ({entry['id']})"

    def fail(field_name: str, problem: str) -> ConfigError:
        return ConfigError(f"{label}: field '{field_name}': {problem}")

    known = {"id", "name", "kind", "url", "enabled", "settings"}
    for key in entry:
        if key not in known:
            raise fail(str(key), f"unknown field (expected one of {', '.join(sorted(known))})")
    for required in ("id", "kind", "url"):
        if not isinstance(entry.get(required), str) or not entry[required].strip():
            raise fail(required, "missing or not a string")
    source_id = entry["id"]
    if not SLUG.match(source_id):
        raise fail("id", "use lower-case letters, digits, '.', '_' or '-' (at most 80)")
    kind = entry["kind"]
    if kind not in KIND_OPTIONS:
        raise fail("kind", f"unknown kind {kind!r} (expected one of {', '.join(KIND_OPTIONS)})")
    url = entry["url"].strip()
    if not is_web_address(url):
        raise fail("url", f"{url!r} is not an absolute http(s) URL (with a host, and a port from 1 to 65535)")
    name = entry.get("name", source_id)
    if not isinstance(name, str):
        raise fail("name", "must be a string")
    enabled = entry.get("enabled", True)
    if not isinstance(enabled, bool):
        raise fail("enabled", "must be true or false")
    settings = entry.get("settings") or {}
    if not isinstance(settings, dict):
        raise fail("settings", "must be a mapping of option: value")
    allowed = {**COMMON_OPTIONS, **KIND_OPTIONS[kind]}
    for option, value in settings.items():
        expected = allowed.get(option)
        if expected is None:
            options = ", ".join(sorted(allowed)) or "none"
            raise fail(f"settings.{option}", f"not an option of kind {kind!r} (options: {options})")
        if not _has_type(value, expected):
            kind_of = "a list of strings (quoted patterns)" if expected is list else f"of type {expected.__name__}"
            raise fail(f"settings.{option}", f"must be {kind_of}, got {value!r}")
        if expected is int and value < (0 if option == "max_depth" else 1):  # limits: a count, or a depth from 0
            raise fail(f"settings.{option}", f"must be {'0' if option == 'max_depth' else '1'} or more, got {value!r}")
        if option in PATTERN_OPTIONS:
            for pattern in value:
                try:
                    re.compile(pattern)
                except (re.error, TypeError) as error:
                    raise fail(f"settings.{option}", f"{pattern!r} is not a regular expression: {error}") from None
        if option == "selector":
            try:
                GenericTranslator().css_to_xpath(value)
            except SelectorError as error:
                raise fail("settings.selector", f"{value!r} is not a CSS selector: {error}") from None
    return Source(id=source_id, name=name, kind=kind, url=url, enabled=enabled, settings=settings)


def _has_type(value: Any, expected: type) -> bool:
    # YAML booleans are ints in Python; an int where a float is expected is fine.
    if expected is bool:
        return isinstance(value, bool)
    if expected is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if expected is list:
        return isinstance(value, list) and all(isinstance(item, str) for item in value)
    return isinstance(value, expected) and not isinstance(value, bool)
