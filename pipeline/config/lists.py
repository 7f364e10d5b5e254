"""Reading, validating and writing data/lists.yaml: the curated lists (how a list resolves
against the corpus is pipeline.store.lists)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipeline.config.files import PROJECT_DATA, ConfigError, parse_entries, read_yaml

DEFAULT_LISTS = PROJECT_DATA / "lists.yaml"
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
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
    data = read_yaml(path) or {}
    if not isinstance(data, dict) or not isinstance(data.get("lists", []), list):
        raise ConfigError(f"{path}: expected a mapping with a 'lists' list")
    return parse_entries(path, data.get("lists") or [], _parse, "slug", "list")


def save_lists(path: str | Path, lists: list[CuratedList]) -> None:
    """Write the lists file (atomically: a temporary file renamed over it)."""
    path = Path(path)
    header = "# Curated lists (see README 'Curated lists'); written by `prodops lists`.\n"
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text(header + yaml.safe_dump({"lists": [l.as_dict() for l in lists]},
                                                 sort_keys=False, allow_unicode=True), encoding="utf-8")
    temporary.replace(path)


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
    for name, value in rules.items():
        expected = RULES.get(name)
        if expected is None:
            raise ConfigError(f"{label}: field 'rules.{name}': unknown rule ({', '.join(RULES)})")
        ok = isinstance(value, (int, float)) if expected is float else isinstance(value, expected)
        if not ok or isinstance(value, bool):
            raise ConfigError(f"{label}: field 'rules.{name}': must be of type {expected.__name__}")
    pinned = entry.get("pinned") or []
    if not isinstance(pinned, list) or not all(isinstance(p, dict) and isinstance(p.get("url"), str) for p in pinned):
        raise ConfigError(f"{label}: field 'pinned': a list of {{url, note}}")
    excluded = entry.get("excluded") or []
    if not isinstance(excluded, list) or not all(isinstance(u, str) for u in excluded):
        raise ConfigError(f"{label}: field 'excluded': a list of URLs")
    return CuratedList(slug, entry["title"], str(entry.get("description") or ""), rules,
                       [{"url": p["url"], "note": str(p.get("note") or "")} for p in pinned], excluded)
