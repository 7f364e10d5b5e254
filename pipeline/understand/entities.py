"""Which tools, frameworks and methods a document names (data/entities.yaml), matched with
the taxonomy's phrase matcher and its case rules."""

from __future__ import annotations

import functools

from pipeline.config.entities import Entity, cached_entities
from pipeline.understand.phrases import PhraseIndex

TEXT_CHARS = 60_000  # as for tagging


@functools.lru_cache(maxsize=4)
def entity_index(entities: tuple[Entity, ...]) -> PhraseIndex:
    """One phrase index over every entity's phrases, built once per entities tuple."""
    exact = frozenset(e.name for e in entities if e.case_sensitive)
    return PhraseIndex(((e.name, p) for e in entities for p in e.phrases), exact_owners=exact)


def find_entities(entities: tuple[Entity, ...], title: str | None, description: str | None,
                  text: str | None) -> list[str]:
    """The names of the entities a document names, sorted."""
    index = entity_index(entities)
    found: set[str] = set()
    for value in (title or "", description or "", (text or "")[:TEXT_CHARS]):
        found.update(name for name, _ in index.find(value))
    return sorted(found)


def entities_at(path: str, title, description, text) -> list[str]:
    """find_entities with the entities file read from a path (once per worker process)."""
    return find_entities(cached_entities(path), title, description, text)
