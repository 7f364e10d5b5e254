"""The reasons for a document's tags, in words: from the `why` column (which
pipeline.understand.tagging writes) to one line per tag, for the search page and the
document's page."""

from __future__ import annotations

import json
from dataclasses import dataclass

from pipeline.publish.labels import labels as site_labels

PHRASES_SHOWN = 4


@dataclass
class TagReason:
    """Why one tag: its label, and the evidence in words."""

    concept: str
    label: str
    phrases: list[str]  # e.g. '"product ops" in the title', '"okr" ×2 in the text'
    passage: str | None  # the passage that matched best (first 200 characters)
    similarity: float | None
    labelled: str | None  # "by the curator", "pinned on a list", "moved by 24 labels"

    def summary(self) -> str:
        parts = []
        if self.phrases:
            parts.append("phrases " + ", ".join(self.phrases))
        if self.passage:
            parts.append(f"closest passage ({self.similarity:.2f}): “{self.passage}”")
        if self.labelled:
            parts.append(self.labelled)
        return "; ".join(parts) or "a child concept's tag"


def _where(item: dict) -> str:
    count = item.get("count", 1)
    times = f" ×{count}" if count and count > 1 else ""
    place = {"title": "the title", "description": "the description", "body": "the text"}.get(item.get("where", ""), "")
    return f"“{item.get('phrase')}”{times} in {place}"


def tag_reasons(tags_json: str | None, why_json: str | None) -> list[TagReason]:
    """One reason per tag, in the order of the tags."""
    try:
        tags = json.loads(tags_json or "[]")
        why = json.loads(why_json or "[]")
    except (TypeError, ValueError):
        return []
    labels = site_labels().concepts
    reasons = []
    for concept in tags:
        items = [item for item in why if isinstance(item, dict) and item.get("concept") == concept]
        phrases = [_where(item) for item in items if "phrase" in item][:PHRASES_SHOWN]
        passage = next((item for item in items if item.get("where") == "passage"), None)
        labelled = None
        for item in items:
            if item.get("where") == "label":
                labelled = "pinned on a list" if item.get("origin") == "list-pin" else "labelled by the curator"
            elif item.get("where") == "labels" and labelled is None:
                labelled = f"moved from {item['before']:.2f} to {item['after']:.2f} by {item['labels']} curator labels"
        reasons.append(TagReason(
            concept=concept, label=labels.get(concept, concept), phrases=phrases,
            passage=passage["passage"] if passage else None,
            similarity=passage["similarity"] if passage else None, labelled=labelled,
        ))
    return reasons
