"""The words readers see for concepts and content types: their labels in data/taxonomy.yaml,
never their ids. The one place the published site and the exports take them from."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.config.files import ConfigError
from pipeline.config.taxonomy import DEFAULT_TAXONOMY, cached_taxonomy


@dataclass(frozen=True)
class Labels:
    """Concept and content-type labels, by id (an unknown id is shown as itself)."""

    concepts: dict[str, str] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)

    def concept(self, concept_id: str) -> str:
        return self.concepts.get(concept_id, concept_id)

    def type(self, type_id: str | None) -> str:
        return self.types.get(type_id or "", type_id or "")


def labels(taxonomy_path: str | None = None) -> Labels:
    """The labels of the project's taxonomy (or another file); ids alone when it is unreadable."""
    try:
        taxonomy = cached_taxonomy(str(taxonomy_path or DEFAULT_TAXONOMY))
    except ConfigError:
        return Labels()
    return Labels(taxonomy.concept_labels(), taxonomy.type_labels())
