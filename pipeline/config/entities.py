"""Reading data/entities.yaml: the tools, frameworks and methods of product work that
documents are indexed by (the `entities` column), as plain dataclasses."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.config.files import PROJECT_DATA, ConfigError, file_version, read_yaml

DEFAULT_ENTITIES = PROJECT_DATA / "entities.yaml"
KINDS = ("tool", "framework", "method", "metric")


@dataclass(frozen=True)
class Entity:
    """A named tool, framework, method or metric, and the words that name it in a text."""

    name: str
    kind: str
    phrases: tuple[str, ...]  # what is matched: the name and aliases, or the entry's `match`
    case_sensitive: bool = False


def load_entities(path: str | Path = DEFAULT_ENTITIES) -> list[Entity]:
    """Read and validate an entities file; raise ConfigError naming the file, entry and field."""
    path = Path(path)
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("entities"), list):
        raise ConfigError(f"{path}: expected a mapping with an 'entities' list")
    entities, names = [], set()
    for index, entry in enumerate(data["entities"], start=1):
        entity = _entity(path, index, entry)
        if entity.name.lower() in names:
            raise ConfigError(f"{path}: entity #{index} ({entity.name}): field 'name': a second entry of that name")
        names.add(entity.name.lower())
        entities.append(entity)
    return entities


def _strings(where: str, field: str, value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where}: field {field!r}: a list of non-empty strings is needed")
    return value


def _entity(path: Path, index: int, entry: Any) -> Entity:
    where = f"{path}: entity #{index}"
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"].strip():
        raise ConfigError(f"{where}: expected a mapping with a 'name'")
    where = f"{where} ({entry['name']})"
    if entry.get("kind") not in KINDS:
        raise ConfigError(f"{where}: field 'kind': one of {', '.join(KINDS)}, not {entry.get('kind')!r}")
    aliases = _strings(where, "aliases", entry.get("aliases"))
    match = _strings(where, "match", entry.get("match"))
    if "match" in entry and not match:
        raise ConfigError(f"{where}: field 'match': at least one phrase to match")
    case_sensitive = entry.get("case_sensitive", False)
    if not isinstance(case_sensitive, bool):
        raise ConfigError(f"{where}: field 'case_sensitive': true or false")
    phrases = tuple(match) if match else (entry["name"], *aliases)
    return Entity(entry["name"], entry["kind"], phrases, case_sensitive)


def cached_entities(path: str) -> tuple[Entity, ...]:
    """The entities at `path`, read once per process while the file is unchanged
    (file_version, as cached_taxonomy)."""
    return _entities_of(file_version(path))


@functools.lru_cache(maxsize=4)
def _entities_of(version: tuple) -> tuple[Entity, ...]:
    return tuple(load_entities(version[0]))
