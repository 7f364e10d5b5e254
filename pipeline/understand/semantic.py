"""The semantic signal: how near a page is, in meaning, to each concept of the taxonomy and to
the neighbouring fields it must not be confused with — so that a page about "quarterly
objectives" finds the OKR concept though it never says "OKR".

Each concept has a prototype: the mean of the unit vectors of its label with its description,
each of its example sentences, and its phrases (pipeline.understand.embeddings). A page is
read as its head (title + description) and as passages of its text (paragraphs, merged or cut
to about PASSAGE_WORDS words). A concept's similarity is the mean of the head's similarity and
that of the page's best TOP_PASSAGES passages; its best passage is kept as the reason. A
`contrast` is a similarity to the nearest concept minus that to the nearest neighbour, or
minus BACKGROUND_SIMILARITY when no neighbour is that near: above zero a text reads more like
product ops than like sales ops, DevOps or HR, and more than any text does by chance (a
recipe is near nothing, so its nearest concept wins over its nearest neighbour by accident).
The reading keeps the head's, the passages' and their mean's contrasts.

How these numbers become tags and relevance is decided in pipeline.understand.tagging.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

import numpy as np

from pipeline.config.taxonomy import Taxonomy
from pipeline.understand.embeddings import DIMENSIONS, embed

PASSAGE_WORDS = 60  # a paragraph or two: long enough to carry a topic, short enough to be one
MIN_PASSAGE_WORDS = 25  # shorter paragraphs are joined to the next
MAX_PASSAGES = 24  # the first ~1,500 words say what a document is about; keeps long pages cheap
TOP_PASSAGES = 2
HEAD_CHARS = 1_000  # a title and description longer than this are not a title and description
PASSAGE_CHARS = 800  # 60 words of prose; a "word" of thousands of letters is cut (the
# tokenizer pads every text of a batch to the longest: one such text made 500 MB)
BACKGROUND_SIMILARITY = 0.2  # what unrelated pages reach by chance (tune split: at most ~0.28)
PASSAGE_CONTRAST_LINE = 0.05  # a passage this much nearer a concept than a neighbour speaks of product ops
PARAGRAPH = re.compile(r"\n\s*")


@dataclass(frozen=True, eq=False)
class ConceptSpace:
    """The taxonomy as vectors: one prototype per concept and per neighbouring field."""

    ids: tuple[str, ...]
    prototypes: np.ndarray  # (concepts, DIMENSIONS), unit rows
    neighbours: np.ndarray  # (neighbours, DIMENSIONS), unit rows


@dataclass
class Reading:
    """What the semantic signal says about one page.

    The contrasts are a similarity to the nearest concept minus that to the nearest
    neighbouring field (or BACKGROUND_SIMILARITY, whichever is higher). Those of the
    passages are means and shares, never sums or maxima over them, so that they say what
    the page is about and do not grow as it grows longer (pipeline.understand.relevance)."""

    similarity: dict[str, float] = field(default_factory=dict)  # concept id -> cosine
    best_passage: dict[str, tuple[str, float]] = field(default_factory=dict)  # id -> (text, cosine)
    # The page as one unit vector: its head's and its passages' mean, equally weighted.
    vector: np.ndarray = field(default_factory=lambda: np.zeros(DIMENSIONS, dtype=np.float32))
    # The head's alone: title + description.
    head_vector: np.ndarray = field(default_factory=lambda: np.zeros(DIMENSIONS, dtype=np.float32))
    head_contrast: float = 0.0  # the title and description's (0 without them)
    passage_contrast: float = 0.0  # the mean of the passages' own contrasts
    passage_share: float = 0.0  # the share of passages whose contrast is over PASSAGE_CONTRAST_LINE
    centroid_contrast: float = 0.0  # of the passages' mean similarities


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(vector)
    return vector / norm if norm > 0 else vector


@functools.lru_cache(maxsize=8)
def concept_space(taxonomy: Taxonomy) -> ConceptSpace:
    """The prototypes of a taxonomy, embedded once per taxonomy object."""
    prototypes = []
    for concept in taxonomy.concepts:
        texts = [f"{concept.label}. {concept.description}", *concept.examples, ", ".join(concept.phrases)]
        prototypes.append(_unit(embed(texts).mean(axis=0)))
    neighbours = [_unit(v) for v in embed([f"{n.label}: {n.description}" for n in taxonomy.neighbours])]
    empty = np.zeros((0, DIMENSIONS), dtype=np.float32)
    return ConceptSpace(
        ids=tuple(c.id for c in taxonomy.concepts),
        prototypes=np.array(prototypes, dtype=np.float32) if prototypes else empty,
        neighbours=np.array(neighbours, dtype=np.float32) if neighbours else empty,
    )


def passages(text: str | None) -> list[str]:
    """The text cut into passages of about PASSAGE_WORDS words, along paragraphs where it can."""
    found: list[str] = []
    pending: list[str] = []
    for paragraph in PARAGRAPH.split(text or ""):
        pending.extend(paragraph.split())  # (the caller cuts the text: tagging.BODY_CHARS)
        while len(pending) >= PASSAGE_WORDS * 2:  # a long paragraph: cut it
            found.append(" ".join(pending[:PASSAGE_WORDS]))
            pending = pending[PASSAGE_WORDS:]
        if len(pending) >= MIN_PASSAGE_WORDS:
            found.append(" ".join(pending))
            pending = []
        if len(found) >= MAX_PASSAGES:
            return found[:MAX_PASSAGES]
    if pending:
        found.append(" ".join(pending))
    return found


def read(taxonomy: Taxonomy, title: str | None, description: str | None, text: str | None) -> Reading:
    """The semantic reading of one page (see the module docstring)."""
    space = concept_space(taxonomy)
    head = ". ".join(part for part in (title, description) if part)[:HEAD_CHARS]
    parts = [passage[:PASSAGE_CHARS] for passage in passages(text)]
    vectors = embed([head, *parts])
    head_vector, passage_vectors = vectors[0], vectors[1:]
    body_vector = _unit(passage_vectors.mean(axis=0)) if len(parts) else np.zeros(DIMENSIONS, dtype=np.float32)
    reading = Reading(vector=_unit(head_vector + body_vector), head_vector=head_vector)
    if not len(space.ids) or not (head or parts):
        return reading
    concept_sims = vectors @ space.prototypes.T  # (1 + passages, concepts)
    scores = _combine(concept_sims[0] if head else None, concept_sims[1:])
    best = concept_sims[1:].argmax(axis=0) if parts else None
    for index, concept_id in enumerate(space.ids):
        reading.similarity[concept_id] = round(float(scores[index]), 4)
        if best is not None:
            reading.best_passage[concept_id] = (parts[best[index]],
                                                round(float(concept_sims[1 + best[index], index]), 3))
    neighbour_sims = (vectors @ space.neighbours.T if len(space.neighbours)
                      else np.zeros((len(vectors), 0), dtype=np.float32))
    if head:
        reading.head_contrast = round(_contrast(concept_sims[0], neighbour_sims[0]), 4)
    if parts:
        each = [_contrast(concepts, neighbours) for concepts, neighbours in zip(concept_sims[1:], neighbour_sims[1:])]
        reading.passage_contrast = round(float(np.mean(each)), 4)
        reading.passage_share = round(float(np.mean([c > PASSAGE_CONTRAST_LINE for c in each])), 4)
        reading.centroid_contrast = round(_contrast(concept_sims[1:].mean(axis=0), neighbour_sims[1:].mean(axis=0)), 4)
    else:  # a page of a title alone: its head speaks for its body
        reading.passage_contrast = reading.centroid_contrast = reading.head_contrast
        reading.passage_share = float(reading.head_contrast > PASSAGE_CONTRAST_LINE)
    return reading


def _contrast(concepts: np.ndarray, neighbours: np.ndarray) -> float:
    """The nearest concept's similarity minus the nearest neighbour's (or the background's)."""
    nearest_neighbour = float(neighbours.max()) if len(neighbours) else 0.0
    return float(concepts.max()) - max(nearest_neighbour, BACKGROUND_SIMILARITY)


def _combine(head: np.ndarray | None, passage_sims: np.ndarray) -> np.ndarray:
    """Per prototype: the mean of the head's similarity and of the best passages' mean."""
    if len(passage_sims):
        top = min(TOP_PASSAGES, len(passage_sims))
        body = np.sort(passage_sims, axis=0)[-top:].mean(axis=0)
        return body if head is None else (head + body) / 2
    assert head is not None  # read() asks only for a page with a head or passages
    return head
