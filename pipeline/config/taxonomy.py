"""Reading data/taxonomy.yaml: product-ops concepts, the phrases that signal them, and the
cues of each content type, as plain dataclasses (pipeline.understand builds the phrase
indexes from them)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.config.files import PROJECT_DATA, ConfigError, file_version, read_yaml

DEFAULT_TAXONOMY = PROJECT_DATA / "taxonomy.yaml"


@dataclass(frozen=True)
class Concept:
    """A product-ops concept: the phrases that signal it, and the words that describe it."""

    id: str
    label: str
    parent: str | None
    phrases: tuple[str, ...]
    description: str = ""
    examples: tuple[str, ...] = ()  # sentences about the concept, for its semantic prototype


@dataclass(frozen=True)
class Neighbour:
    """A neighbouring field (sales ops, DevOps...): pages nearer it than to any concept are
    less relevant."""

    id: str
    label: str
    description: str


@dataclass(frozen=True)
class ContentType:
    """Cues of one content type: URL patterns, title phrases, text phrases, and the
    declarations in a page's markup that say it is one (pipeline.understand.markup)."""

    id: str
    url: tuple[re.Pattern, ...]
    title: tuple[str, ...]
    text: tuple[str, ...]
    label: str = ""  # what readers see ("Guide or playbook"); from the id when not given
    # schema.org type names ("JobPosting"), og:type families ("og:video"), feed enclosure
    # media types ("enclosure:audio")
    markup: tuple[str, ...] = ()


@dataclass(eq=False)  # compared and hashed by identity: indexes built from it are cached per object
class Taxonomy:
    """The concepts and content types of one taxonomy file."""

    concepts: list[Concept] = field(default_factory=list)
    neighbours: list[Neighbour] = field(default_factory=list)
    content_types: list[ContentType] = field(default_factory=list)

    def ids(self) -> list[str]:
        return [c.id for c in self.concepts]

    def concept_labels(self) -> dict[str, str]:
        """Concept id → the label readers see."""
        return {c.id: c.label for c in self.concepts}

    def type_labels(self) -> dict[str, str]:
        """Content type id → the label readers see (the default type, article, included)."""
        return {"article": "Article", **{t.id: t.label for t in self.content_types}}

    def parent_of(self, concept_id: str) -> str | None:
        return next((c.parent for c in self.concepts if c.id == concept_id), None)


def load_taxonomy(path: str | Path = DEFAULT_TAXONOMY) -> Taxonomy:
    """Read and validate a taxonomy file; raise ConfigError naming the file, entry and field."""
    path = Path(path)
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("concepts"), list):
        raise ConfigError(f"{path}: expected a mapping with a 'concepts' list")
    for key in ("neighbours", "content_types"):
        if not isinstance(data.get(key) or [], list):
            raise ConfigError(f"{path}: field '{key}': a list of entries is needed")
    taxonomy = Taxonomy()
    ids = set()
    for index, entry in enumerate(data["concepts"], start=1):
        taxonomy.concepts.append(_concept(path, index, entry))
        if taxonomy.concepts[-1].id in ids:
            raise ConfigError(f"{path}: concept #{index}: id {taxonomy.concepts[-1].id!r} is used twice; "
                              "each concept needs its own")
        ids.add(taxonomy.concepts[-1].id)
    for concept in taxonomy.concepts:
        if concept.parent is not None and concept.parent not in ids:
            raise ConfigError(f"{path}: concept {concept.id}: field 'parent': "
                              f"no concept {concept.parent!r}")
    for index, entry in enumerate(data.get("neighbours") or [], start=1):
        taxonomy.neighbours.append(_neighbour(path, index, entry))
    for index, entry in enumerate(data.get("content_types") or [], start=1):
        taxonomy.content_types.append(_content_type(path, index, entry))
    return taxonomy


def _concept(path: Path, index: int, entry: Any) -> Concept:
    label = f"{path}: concept #{index}"
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
        raise ConfigError(f"{label}: expected a mapping with an 'id'")
    label = f"{label} ({entry['id']})"
    phrases = entry.get("phrases")
    if not isinstance(phrases, list) or not phrases or not all(isinstance(p, str) and p.strip() for p in phrases):
        raise ConfigError(f"{label}: field 'phrases': a non-empty list of strings is needed")
    parent = entry.get("parent")
    if parent is not None and not isinstance(parent, str):
        raise ConfigError(f"{label}: field 'parent': a concept id or null")
    examples = entry.get("examples") or []
    if not isinstance(examples, list) or not all(isinstance(e, str) and e.strip() for e in examples):
        raise ConfigError(f"{label}: field 'examples': a list of sentences is needed")
    return Concept(
        id=entry["id"], label=str(entry.get("label") or entry["id"]), parent=parent,
        phrases=tuple(phrases), description=str(entry.get("description") or ""),
        examples=tuple(examples),
    )


def _neighbour(path: Path, index: int, entry: Any) -> Neighbour:
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
        raise ConfigError(f"{path}: neighbour #{index}: expected a mapping with an 'id'")
    if not isinstance(entry.get("description"), str) or not entry["description"].strip():
        raise ConfigError(f"{path}: neighbour {entry['id']}: field 'description': a sentence is needed")
    return Neighbour(id=entry["id"], label=str(entry.get("label") or entry["id"]),
                     description=entry["description"])


def _content_type(path: Path, index: int, entry: Any) -> ContentType:
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
        raise ConfigError(f"{path}: content type #{index}: expected a mapping with an 'id'")
    for key in ("url", "title", "text", "markup"):
        if not isinstance(entry.get(key) or [], list):
            raise ConfigError(f"{path}: content type {entry['id']}: field '{key}': a list of strings is needed")
    try:
        urls = tuple(re.compile(p, re.IGNORECASE) for p in entry.get("url") or [])
    except re.error as error:
        raise ConfigError(f"{path}: content type {entry['id']}: field 'url': {error}") from None
    return ContentType(
        id=entry["id"], url=urls,
        title=tuple(str(p) for p in entry.get("title") or []),
        text=tuple(str(p) for p in entry.get("text") or []),
        label=str(entry.get("label") or entry["id"].replace("-", " ").capitalize()),
        markup=tuple(str(p) for p in entry.get("markup") or []),
    )


def cached_taxonomy(path: str) -> Taxonomy:
    """The taxonomy at `path`, read once per process while the file is unchanged
    (file_version): a crawl's stages check it when built and its workers tag many
    documents with it; a malformed file raises ConfigError each time."""
    return _taxonomy_of(file_version(path))


@functools.lru_cache(maxsize=4)
def _taxonomy_of(version: tuple) -> Taxonomy:
    return load_taxonomy(version[0])
