"""Curated lists: data/lists.yaml read, validated, edited, and resolved against the corpus.

A list resolves to an ordered set of documents: the pinned URLs first, in their order, each
with its editor's note; then the documents its rules pick (concepts, types, minimum
relevance, since), most relevant first; excluded URLs and non-canonical copies of a cluster
left out; at most `limit`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils
import yaml

from pipeline.canonical import canonicalize_url, document_id
from pipeline.config import ConfigError, parse_entries, read_yaml

DEFAULT_LISTS = Path(__file__).resolve().parents[1] / "data" / "lists.yaml"
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


def _document_for(db: sqlite_utils.Database, url: str) -> dict | None:
    seen = db.execute("SELECT document_id FROM sightings WHERE url = ? LIMIT 1", [url]).fetchone()
    candidates = [seen[0]] if seen else []
    candidates.append(document_id(canonicalize_url(url)))
    for candidate in candidates:
        rows = list(db["documents"].rows_where("id = ?", [candidate]))
        if rows:
            return rows[0]
    return None


def resolve(db: sqlite_utils.Database, curated: CuratedList) -> list[dict]:
    """The list's documents, in order, each with a `note` (see the module docstring)."""
    excluded_ids = {row["id"] for url in curated.excluded if (row := _document_for(db, url))}
    items, taken = [], set()
    for pin in curated.pinned:
        row = _document_for(db, pin["url"])
        if row and row["id"] not in taken and row["id"] not in excluded_ids:
            items.append({**row, "note": pin["note"]})
            taken.add(row["id"])
    rules = curated.rules
    where, params = ["(c.canonical_id IS NULL OR c.canonical_id = d.id)"], []
    if rules.get("concepts"):
        where.append("EXISTS (SELECT 1 FROM json_each(d.tags) t WHERE t.value IN (%s))"
                     % ",".join("?" * len(rules["concepts"])))
        params += rules["concepts"]
    if rules.get("types"):
        where.append("d.content_type IN (%s)" % ",".join("?" * len(rules["types"])))
        params += rules["types"]
    if "min_relevance" in rules:
        where.append("d.relevance >= ?")
        params.append(rules["min_relevance"])
    if rules.get("since"):
        where.append("coalesce(d.published, d.first_seen) >= ?")
        params.append(rules["since"])
    limit = int(rules.get("limit", 50))
    if rules:
        sql = (f"SELECT d.* FROM documents d LEFT JOIN clusters c ON c.id = d.cluster_id "
               f"WHERE {' AND '.join(where)} ORDER BY d.relevance DESC, d.published DESC")
        cursor = db.execute(sql, params)
        names = [column[0] for column in cursor.description]
        for values in cursor:
            if len(items) >= limit:
                break
            row = dict(zip(names, values))
            if row["id"] not in taken and row["id"] not in excluded_ids:
                items.append({**row, "note": ""})
                taken.add(row["id"])
    return items[:max(limit, len(curated.pinned))]


def publish_lists(db: sqlite_utils.Database, lists: list[CuratedList]) -> None:
    """Mirror the lists and their resolved items into `lists` and `list_items` (for Datasette)."""
    with db.atomic():
        db.execute("DELETE FROM list_items")
        db.execute("DELETE FROM lists")
        for curated in lists:
            db["lists"].insert({"slug": curated.slug, "title": curated.title,
                                "description": curated.description,
                                "rules": json.dumps(curated.rules, sort_keys=True)})
            for position, item in enumerate(resolve(db, curated), start=1):
                db["list_items"].insert({"list_slug": curated.slug, "position": position,
                                         "document_id": item["id"], "note": item["note"]})
