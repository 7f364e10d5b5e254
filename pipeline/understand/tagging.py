"""Tagging documents with product-ops concepts, with a score each and the reasons, and the
document's relevance.

Relevance is pipeline.understand.relevance's calibrated probability that the page is about
product operations. A document under its threshold (relevance.RELEVANT) carries no concept
tags: its concept scores stay in `tag_scores`, but facets, lists and exports show
product-ops concepts only on product-ops documents.

A concept's score combines two kinds of evidence as independent signals (1 - (1 - a)(1 - b)):

- **Phrases.** A phrase found in the title weighs 3, in the description 2, in the body 0.5
  per occurrence (at most 3 counted). The phrase score of a concept is 1 - exp(-weight / 3):
  one phrase in the title gives 0.63, one phrase once in the body 0.15.
- **Meaning** (pipeline.understand.semantic). The nearest SEMANTIC_TAGS concepts, when
  within SEMANTIC_MARGIN of the nearest, get a semantic score of
  sigmoid(min(logit(relevance), closeness)), where closeness says how far inside the margin
  the concept is: so on a relevant page the nearest concept passes 0.5 on meaning alone
  (a page about product ops is about something in it), and on a page that is not, none
  does. (The page's own contrast decided this before relevance could be trusted; on the
  tune splits the relevance does better: docs/benchmarks.md, "Measurements behind choices
  in the code".)

The definition concept (CORE_CONCEPT, "what product ops is") is near, in meaning, to every
page a product-ops team writes, and its phrases are the field's own name: scored like the
others, it was the fallback whenever a specific concept scored a little lower. So it counts
only its own evidence: its phrases in the title (where a page says what it is about: "What
is product operations?", "Product Ops Summit"; in the description and body the name says
who wrote the page), and its meaning only when it is the nearest concept by the rule's
definition margin over every specific one. When it is nearest by less, the specific concepts
take the meaning slots among themselves; when it is a runner-up, it gets no meaning score.
Its children (team structure, career, impact) are specific concepts and bring it as their
parent, as any child does.

Concepts scoring their line or more are tags, and so are their parents: the line is
TAG_THRESHOLD unless the tune split chose another for the concept (pipeline.understand.
tag_rule, fitted by pipeline/quality/tag_rule_fit.py, with the definition margin). `why` lists, per
concept, every phrase that matched (where, how often) and, for each tag, the passage that
matched it best (its first WHY_PASSAGE_CHARS characters) with its cosine similarity; the
documents column also holds, first, the content type's reason (`joined_why`).

The constants were chosen on the `tune` split of data/eval/situations.yaml, never on its
`held-out` split (`prodops eval` reports both).
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass, field

from pipeline.config.taxonomy import Taxonomy, cached_taxonomy
from pipeline.understand import relevance as relevance_model
from pipeline.understand.embeddings import to_blob
from pipeline.understand.entities import entities_at
from pipeline.understand.phrases import PhraseIndex
from pipeline.understand.relevance import BODY_MAX_COUNT, RELEVANT, phrase_evidence
from pipeline.understand.semantic import Reading, read
from pipeline.understand.tag_rule import DEFAULT_LINE, TagRule, tag_rule

WHERE_WEIGHTS = {"title": 3.0, "description": 2.0}
BODY_WEIGHT = 0.5
TAG_THRESHOLD = DEFAULT_LINE  # a concept's line unless the shipped rule names another
CORE_CONCEPT = "prodops-definition"
BODY_CHARS = 60_000  # enough to judge a document; keeps tagging of books cheap
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


@dataclass
class Evidence:
    """What a document offers the tagger: the phrases found per field ("title",
    "description", "body": (concept id, phrase, occurrences) each), the relevance features
    (pipeline.understand.relevance) and the semantic reading (None without it)."""

    hits: dict[str, list[tuple[str, str, int]]]
    features: dict[str, float]
    reading: Reading | None


def gather(taxonomy: Taxonomy, title: str | None, description: str | None, text: str | None,
           semantic: bool = True) -> Evidence:
    """The evidence of one document (what `tag` scores, and what the relevance model is
    fitted on: pipeline/quality/relevance_fit.py)."""
    fields = {"title": title or "", "description": description or "", "body": (text or "")[:BODY_CHARS]}
    hits: dict[str, list[tuple[str, str, int]]] = {}
    for where, value in fields.items():
        for (concept_id, phrase), count in concept_index(taxonomy).find(value).items():
            hits.setdefault(where, []).append((concept_id, phrase, count))
    features = phrase_evidence(hits, len(fields["body"].split()), CORE_CONCEPT)
    reading = read(taxonomy, title, description, fields["body"]) if semantic else None
    if reading is not None:
        features.update(relevance_model.semantic_evidence(reading))
    return Evidence(hits, features, reading)


def tag(taxonomy: Taxonomy, title: str | None, description: str | None, text: str | None,
        semantic: bool = True) -> Tagging:
    """Tag one document from its title, description and body text; `semantic=False` uses
    the phrases only (the PRODOPS_SEMANTIC setting)."""
    evidence = gather(taxonomy, title, description, text, semantic)
    result = Tagging(reading=evidence.reading)
    for where, found in evidence.hits.items():
        for concept_id, phrase, count in found:
            result.why.append({"concept": concept_id, "phrase": phrase, "where": where, "count": count})
    vector = result.reading.vector if result.reading is not None else None
    result.relevance = round(relevance_model.model(semantic).probability(evidence.features, vector), 3)
    result.scores = concept_scores(evidence, result.relevance)
    result.tags = tags_from_scores(taxonomy, result.scores, result.relevance)
    if result.reading is not None:
        for concept_id in result.tags:
            if concept_id in result.reading.best_passage:
                passage, similarity = result.reading.best_passage[concept_id]
                result.why.append({"concept": concept_id, "where": "passage",
                                   "passage": passage[:WHY_PASSAGE_CHARS], "similarity": similarity})
    result.why.sort(key=lambda item: (item["concept"], item["where"], item.get("phrase", "")))
    return result


def concept_scores(evidence: Evidence, relevance: float, rule: TagRule | None = None) -> dict[str, float]:
    """Each concept's score (phrases and meaning combined, see the module docstring), rounded;
    concepts scoring 0 left out."""
    rule = rule or tag_rule()
    weights: dict[str, float] = {}
    for where, found in evidence.hits.items():
        for concept_id, _, count in found:
            if concept_id == CORE_CONCEPT and where != "title":
                continue  # the field's name says who wrote the page, not what it is about
            added = BODY_WEIGHT * min(count, BODY_MAX_COUNT) if where == "body" else WHERE_WEIGHTS[where]
            weights[concept_id] = weights.get(concept_id, 0.0) + added
    phrase_scores = {concept_id: 1 - math.exp(-weight / 3) for concept_id, weight in weights.items()}
    semantic_scores = (semantic_concept_scores(evidence.reading, relevance, rule.definition_margin)
                       if evidence.reading is not None else {})
    scores = {}
    for concept_id in phrase_scores.keys() | semantic_scores.keys():
        score = round(either(phrase_scores.get(concept_id, 0.0), semantic_scores.get(concept_id, 0.0)), 3)
        if score > 0:
            scores[concept_id] = score
    return scores


def tags_from_scores(taxonomy: Taxonomy, scores: dict[str, float], relevance: float,
                     rule: TagRule | None = None) -> list[str]:
    """The concepts scoring their line or more (the shipped rule's unless one is given), with
    their parents, sorted; none for a document under the relevance threshold (it is not about
    product ops)."""
    if relevance < RELEVANT:
        return []
    rule = rule or tag_rule()
    return with_parents(taxonomy, [concept_id for concept_id, score in scores.items()
                                   if score >= rule.line(concept_id)])


def with_parents(taxonomy: Taxonomy, concept_ids) -> list[str]:
    """The concepts and every ancestor of each, sorted."""
    tags = set(concept_ids)
    for concept_id in list(tags):
        parent = taxonomy.parent_of(concept_id)
        while parent is not None and parent not in tags:
            tags.add(parent)
            parent = taxonomy.parent_of(parent)
    return sorted(tags)


def either(a: float, b: float) -> float:
    """Two independent pieces of evidence for the same thing: 1 - (1 - a)(1 - b)."""
    return 1 - (1 - a) * (1 - b)


def semantic_concept_scores(reading: Reading, relevance: float, definition_margin: float = 0.0) -> dict[str, float]:
    """The semantic score of a page's nearest concepts; the definition concept takes part only
    when nearer than every specific concept by `definition_margin` (see the module docstring)."""
    if not reading.similarity:
        return {}
    odds = min(max(relevance, 1e-6), 1 - 1e-6)
    z = math.log(odds / (1 - odds))
    ranked = sorted(reading.similarity, key=reading.similarity.__getitem__, reverse=True)
    specific = [concept_id for concept_id in ranked if concept_id != CORE_CONCEPT]
    nearest = ranked[:SEMANTIC_TAGS]
    leads = not specific or reading.similarity.get(CORE_CONCEPT, -1.0) >= (
        reading.similarity[specific[0]] + definition_margin)
    if CORE_CONCEPT in nearest and not leads:
        # Nearest by too little: the page is about its nearest specific concept. A runner-up
        # gives up its score, not its place: a third concept has not earned a slot either.
        nearest = specific[:SEMANTIC_TAGS] if nearest[0] == CORE_CONCEPT else [c for c in nearest if c != CORE_CONCEPT]
    if not nearest:
        return {}
    best = reading.similarity[nearest[0]]
    scores = {}
    for concept_id in nearest:
        closeness = (reading.similarity[concept_id] - (best - SEMANTIC_MARGIN)) / CLOSENESS_SCALE
        scores[concept_id] = sigmoid(min(z, closeness))
    return scores


def columns_of(result: Tagging) -> dict:
    """A tagging as the documents columns tags, tag_scores, relevance and why."""
    return {
        "tags": json.dumps(result.tags),
        "tag_scores": json.dumps(result.scores, sort_keys=True),
        "relevance": result.relevance,
        "why": json.dumps(result.why),
    }


def tagger_columns(result: Tagging) -> dict:
    """The tagger's own relevance and concept scores as the documents columns
    tagger_relevance and tagger_scores: kept beside the columns the curator's labels move, so
    that a refit re-scores from them without tagging again (pipeline/store/rescore.py)."""
    return {"tagger_relevance": result.relevance, "tagger_scores": json.dumps(result.scores, sort_keys=True)}


def joined_why(*whys: str | None) -> str:
    """`why` columns made one: the content type's reason (classification writes it first,
    pipeline.understand.content_types.decision.type_reason) and the tags' reasons; a value that is not a
    JSON array adds nothing."""
    joined: list = []
    for why in whys:
        try:
            value = json.loads(why or "[]")
        except (TypeError, ValueError):
            continue
        joined += value if isinstance(value, list) else []
    return json.dumps(joined)


def describe(taxonomy_path: str, entities_path: str, title, description, text, semantic: bool,
             type_why: str | None = None) -> dict:
    """The tag stage's columns for one document: tags, tag_scores, relevance, why (after
    `type_why`, the content type's reason classification wrote: joined_why), and the
    entities it names (runs in a worker: one round trip for all, and the crawler's process
    parses no JSON); and under "vectors" its head's and whole page's vectors as stored for
    search (None without the semantic signal)."""
    result = tag(cached_taxonomy(taxonomy_path), title, description, text, semantic)
    columns = {**columns_of(result), **tagger_columns(result)}
    columns["why"] = joined_why(type_why, columns["why"])
    columns["entities"] = json.dumps(entities_at(entities_path, title, description, text))
    columns["vectors"] = stored_vectors(result)
    return columns


def stored_vectors(result: Tagging) -> tuple[bytes, bytes] | None:
    """(head, page) vectors of a tagging as pipeline/store/vectors.py keeps them."""
    if result.reading is None:
        return None
    return to_blob(result.reading.head_vector), to_blob(result.reading.vector)
