"""Tagging documents with product-ops concepts, with a score each and the reasons.

A phrase found in the title weighs 3, in the description 2, in the body 0.5 per occurrence
(at most 3 counted). A concept's score is 1 - exp(-weight / 3): one phrase in the title
gives 0.63, one phrase once in the body 0.15. Concepts scoring TAG_THRESHOLD or more are
tags, and so are their parents. `relevance` says how much the document is about product
ops as a whole: it grows with all the evidence, and explicit talk of product operations
(the prodops-definition concept) counts double. `why` lists every phrase that matched,
where, and how often.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass, field

from pipeline.config.taxonomy import Taxonomy, cached_taxonomy
from pipeline.understand.phrases import PhraseIndex

WHERE_WEIGHTS = {"title": 3.0, "description": 2.0}
BODY_WEIGHT = 0.5
BODY_MAX_COUNT = 3
TAG_THRESHOLD = 0.5
CORE_CONCEPT = "prodops-definition"
BODY_CHARS = 60_000  # enough to judge a document; keeps tagging of books cheap


@dataclass
class Tagging:
    """The tag stage's result for one document."""

    tags: list[str] = field(default_factory=list)  # sorted concept ids
    scores: dict[str, float] = field(default_factory=dict)  # concept id -> 0..1
    relevance: float = 0.0
    why: list[dict] = field(default_factory=list)  # {concept, phrase, where, count}


@functools.lru_cache(maxsize=8)
def concept_index(taxonomy: Taxonomy) -> PhraseIndex:
    """One phrase index over every concept's phrases, built once per taxonomy."""
    return PhraseIndex((c.id, p) for c in taxonomy.concepts for p in c.phrases)


def tag(taxonomy: Taxonomy, title: str | None, description: str | None, text: str | None) -> Tagging:
    """Tag one document from its title, description and body text."""
    fields = {"title": title or "", "description": description or "", "body": (text or "")[:BODY_CHARS]}
    result = Tagging()
    weights: dict[str, float] = {}
    for where, value in fields.items():
        for (concept_id, phrase), count in concept_index(taxonomy).find(value).items():
            if where == "body":
                added = BODY_WEIGHT * min(count, BODY_MAX_COUNT)
            else:
                added = WHERE_WEIGHTS[where]
            weights[concept_id] = weights.get(concept_id, 0.0) + added
            result.why.append({"concept": concept_id, "phrase": phrase, "where": where, "count": count})
    evidence = 0.0
    for concept_id, weight in weights.items():
        result.scores[concept_id] = round(1 - math.exp(-weight / 3), 3)
        evidence += weight * (2 if concept_id == CORE_CONCEPT else 1)
    tags = {concept_id for concept_id, score in result.scores.items() if score >= TAG_THRESHOLD}
    for concept_id in list(tags):
        parent = taxonomy.parent_of(concept_id)
        while parent is not None and parent not in tags:
            tags.add(parent)
            parent = taxonomy.parent_of(parent)
    result.tags = sorted(tags)
    result.relevance = round(1 - math.exp(-evidence / 8), 3)
    result.why.sort(key=lambda item: (item["concept"], item["where"], item["phrase"]))
    return result


def tag_columns(taxonomy: Taxonomy, title, description, text) -> dict:
    """The documents columns the tagger fills: tags, tag_scores, relevance, why."""
    result = tag(taxonomy, title, description, text)
    return {
        "tags": json.dumps(result.tags),
        "tag_scores": json.dumps(result.scores, sort_keys=True),
        "relevance": result.relevance,
        "why": json.dumps(result.why),
    }


def tag_columns_at(taxonomy_path: str, title, description, text) -> dict:
    """tag_columns with the taxonomy read from a path (once per worker process)."""
    return tag_columns(cached_taxonomy(taxonomy_path), title, description, text)
