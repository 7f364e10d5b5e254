"""Tagging documents with product-ops concepts, with a score each and the reasons.

Two kinds of evidence, combined as independent signals (1 - (1 - a)(1 - b)):

- **Phrases.** A phrase found in the title weighs 3, in the description 2, in the body 0.5
  per occurrence (at most 3 counted). The phrase score of a concept is 1 - exp(-weight / 3):
  one phrase in the title gives 0.63, one phrase once in the body 0.15. The phrase relevance
  grows with all the evidence, 1 - exp(-evidence / 8), where explicit talk of product
  operations (the prodops-definition concept) counts double.
- **Meaning** (pipeline.understand.semantic). The page's `contrast` (its best concept
  similarity minus its best neighbouring-field similarity) gives the semantic relevance,
  sigmoid((contrast - SEMANTIC_MIDPOINT) / SEMANTIC_SCALE). The nearest SEMANTIC_TAGS concepts,
  when within SEMANTIC_MARGIN of the nearest, get a semantic score of sigmoid(min(z, closeness))
  where z is the relevance's argument and closeness says how far inside the margin the
  concept is: so a concept passes 0.5 on meaning alone exactly when the page reads more like
  product ops than like its neighbours and the concept is among the nearest.

Concepts scoring TAG_THRESHOLD or more are tags, and so are their parents. `why` lists, per
concept, every phrase that matched (where, how often) and, for each tag, the passage that
matched it best (its first WHY_PASSAGE_CHARS characters) with its cosine similarity.

The constants were chosen on the `tune` split of data/eval/situations.yaml, never on its
`held-out` split (`prodops eval` reports both).
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass, field

from pipeline.config.taxonomy import Taxonomy, cached_taxonomy
from pipeline.understand.entities import entities_at
from pipeline.understand.phrases import PhraseIndex
from pipeline.understand.semantic import Reading, read

WHERE_WEIGHTS = {"title": 3.0, "description": 2.0}
BODY_WEIGHT = 0.5
BODY_MAX_COUNT = 3
TAG_THRESHOLD = 0.5
CORE_CONCEPT = "prodops-definition"
BODY_CHARS = 60_000  # enough to judge a document; keeps tagging of books cheap
SEMANTIC_MIDPOINT = 0.09  # contrast at which meaning alone makes a page 0.5 relevant
SEMANTIC_SCALE = 0.02  # contrast for one logit: 0.11 -> 0.73, 0.13 -> 0.88, 0.07 -> 0.27
SEMANTIC_TAGS = 2  # at most this many concepts are tagged on meaning alone
SEMANTIC_MARGIN = 0.02  # ... and only those this near the nearest concept
CLOSENESS_SCALE = 0.01  # similarity for one logit of closeness inside the margin
WHY_PASSAGE_CHARS = 200


@dataclass
class Tagging:
    """The tag stage's result for one document."""

    tags: list[str] = field(default_factory=list)  # sorted concept ids
    scores: dict[str, float] = field(default_factory=dict)  # concept id -> 0..1
    relevance: float = 0.0
    # {concept, phrase, where, count} per phrase; {concept, where: "passage", passage,
    # similarity} per tag
    why: list[dict] = field(default_factory=list)
    reading: Reading | None = None  # the semantic reading, when there was one


def sigmoid(value: float) -> float:
    return 1 / (1 + math.exp(-max(min(value, 50.0), -50.0)))


@functools.lru_cache(maxsize=8)
def concept_index(taxonomy: Taxonomy) -> PhraseIndex:
    """One phrase index over every concept's phrases, built once per taxonomy."""
    return PhraseIndex((c.id, p) for c in taxonomy.concepts for p in c.phrases)


def tag(taxonomy: Taxonomy, title: str | None, description: str | None, text: str | None,
        semantic: bool = True) -> Tagging:
    """Tag one document from its title, description and body text; `semantic=False` uses
    the phrases only (the PRODOPS_SEMANTIC setting)."""
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
    phrase_scores = {}
    for concept_id, weight in weights.items():
        phrase_scores[concept_id] = 1 - math.exp(-weight / 3)
        evidence += weight * (2 if concept_id == CORE_CONCEPT else 1)
    relevance = 1 - math.exp(-evidence / 8)
    semantic_scores: dict[str, float] = {}
    if semantic:
        result.reading = read(taxonomy, title, description, (text or "")[:BODY_CHARS])
        semantic_relevance, semantic_scores = semantic_evidence(result.reading)
        relevance = either(relevance, semantic_relevance)
    for concept_id in phrase_scores.keys() | semantic_scores.keys():
        score = round(either(phrase_scores.get(concept_id, 0.0), semantic_scores.get(concept_id, 0.0)), 3)
        if score > 0:
            result.scores[concept_id] = score
    result.tags = tags_from_scores(taxonomy, result.scores)
    result.relevance = round(relevance, 3)
    if result.reading is not None:
        for concept_id in result.tags:
            if concept_id in result.reading.best_passage:
                passage, similarity = result.reading.best_passage[concept_id]
                result.why.append({"concept": concept_id, "where": "passage",
                                   "passage": passage[:WHY_PASSAGE_CHARS], "similarity": similarity})
    result.why.sort(key=lambda item: (item["concept"], item["where"], item.get("phrase", "")))
    return result


def tags_from_scores(taxonomy: Taxonomy, scores: dict[str, float]) -> list[str]:
    """The concepts scoring TAG_THRESHOLD or more, with their parents, sorted."""
    tags = {concept_id for concept_id, score in scores.items() if score >= TAG_THRESHOLD}
    for concept_id in list(tags):
        parent = taxonomy.parent_of(concept_id)
        while parent is not None and parent not in tags:
            tags.add(parent)
            parent = taxonomy.parent_of(parent)
    return sorted(tags)


def either(a: float, b: float) -> float:
    """Two independent pieces of evidence for the same thing: 1 - (1 - a)(1 - b)."""
    return 1 - (1 - a) * (1 - b)


def semantic_evidence(reading: Reading) -> tuple[float, dict[str, float]]:
    """The semantic relevance of a page and the semantic score of its nearest concepts
    (see the module docstring)."""
    if not reading.similarity:
        return 0.0, {}
    z = (reading.contrast - SEMANTIC_MIDPOINT) / SEMANTIC_SCALE
    nearest = sorted(reading.similarity, key=reading.similarity.get, reverse=True)[:SEMANTIC_TAGS]
    best = reading.similarity[nearest[0]]
    scores = {}
    for concept_id in nearest:
        closeness = (reading.similarity[concept_id] - (best - SEMANTIC_MARGIN)) / CLOSENESS_SCALE
        scores[concept_id] = sigmoid(min(z, closeness))
    return sigmoid(z), scores


def tag_columns(taxonomy: Taxonomy, title, description, text, semantic: bool = True) -> dict:
    """The documents columns the tagger fills: tags, tag_scores, relevance, why."""
    return columns_of(tag(taxonomy, title, description, text, semantic))


def columns_of(result: Tagging) -> dict:
    """A tagging as the documents columns tags, tag_scores, relevance and why."""
    return {
        "tags": json.dumps(result.tags),
        "tag_scores": json.dumps(result.scores, sort_keys=True),
        "relevance": result.relevance,
        "why": json.dumps(result.why),
    }


def tag_columns_at(taxonomy_path: str, title, description, text, semantic: bool = True) -> dict:
    """tag_columns with the taxonomy read from a path (once per worker process)."""
    return tag_columns(cached_taxonomy(taxonomy_path), title, description, text, semantic)


def describe(taxonomy_path: str, entities_path: str, title, description, text, semantic: bool) -> dict:
    """The tag stage's columns for one document: tags, tag_scores, relevance, why, and the
    entities it names (runs in a worker: one round trip for both)."""
    columns = tag_columns_at(taxonomy_path, title, description, text, semantic)
    columns["entities"] = json.dumps(entities_at(entities_path, title, description, text))
    return columns
