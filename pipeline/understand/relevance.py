"""Relevance: the probability that a page is about product operations, from evidence that
says what the page is about and does not grow with its length.

The score is a logistic model, fitted once per version on labelled pages and on real
writing of the neighbourhood (pipeline/quality/relevance_fit.py writes MODEL_FILE):

    relevance = sigmoid(intercept + sum(weight[f] * feature[f]) + vector_weights . vector)

Its features (each a mean, a share or a density, never a sum over passages or phrases:
the earlier score added evidence up, so a long post on audio software or a memory leak
collected enough weak hints to pass, one blog post in six in the wild):

- `head_contrast`: the title and description's similarity to the nearest concept minus
  that to the nearest neighbouring field (pipeline.understand.semantic);
- `passage_contrast`: the mean of the passages' own contrasts;
- `passage_share`: the share of passages that read as product ops
  (contrast over semantic.PASSAGE_CONTRAST_LINE);
- `centroid_contrast`: the contrast of the passages' mean similarities;
- `phrase_density`: taxonomy phrases in the body per 100 words (each phrase counted at most
  BODY_MAX_COUNT times, the density at most MAX_DENSITY);
- `head_phrases`: taxonomy phrases in the title and description (at most MAX_HEAD_PHRASES);
- `core_phrase`: 1 when a phrase of product operations itself (the prodops-definition
  concept) appears anywhere;
- `vector`: the page's unit vector (its head and its passages' mean, equally weighted), so
  that what real off-topic writing looks like, learned from the neighbourhood's feeds, counts
  against a page that reads like it.

Classes are balanced when it is fitted: a score of 0.5 means even odds between a product-ops
page and a page of the neighbourhood (docs/quality.md says how well the probabilities held on
held-out pages). Without the semantic signal
(PRODOPS_SEMANTIC=false) a model of the phrase features alone is used.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.understand.semantic import Reading

MODEL_FILE = Path(__file__).with_name("relevance-model.json")
RELEVANT = 0.5  # the product's threshold: a document is about product ops from this score
SEMANTIC_FEATURES = ("head_contrast", "passage_contrast", "passage_share", "centroid_contrast")
PHRASE_FEATURES = ("phrase_density", "head_phrases", "core_phrase")
BODY_MAX_COUNT = 3  # occurrences of one phrase counted in the body
MAX_DENSITY = 5.0  # phrases per 100 words
MAX_HEAD_PHRASES = 3


@dataclass(frozen=True, eq=False)
class RelevanceModel:
    """A fitted logistic model: weights of named features, and of the page's vector if any."""

    features: tuple[str, ...]
    weights: np.ndarray
    intercept: float
    vector_weights: np.ndarray | None = None

    def probability(self, evidence: dict[str, float], vector: np.ndarray | None = None) -> float:
        """The relevance of a page with this evidence (and this unit vector)."""
        logit = self.intercept + float(self.weights @ np.array([evidence[name] for name in self.features]))
        if self.vector_weights is not None and vector is not None and len(vector):
            logit += float(self.vector_weights @ vector)
        return 1 / (1 + math.exp(-max(min(logit, 50.0), -50.0)))

    def as_dict(self) -> dict:
        data = {"features": list(self.features), "weights": [round(float(w), 6) for w in self.weights],
                "intercept": round(float(self.intercept), 6)}
        if self.vector_weights is not None:
            data["vector_weights"] = [round(float(w), 6) for w in self.vector_weights]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> RelevanceModel:
        vector = data.get("vector_weights")
        return cls(tuple(data["features"]), np.array(data["weights"], dtype=np.float64), float(data["intercept"]),
                   np.array(vector, dtype=np.float32) if vector is not None else None)


@functools.cache
def model(semantic: bool = True, path: Path = MODEL_FILE) -> RelevanceModel:
    """The shipped model (read once per process): with the semantic features, or phrases only."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return RelevanceModel.from_dict(data["models"]["semantic" if semantic else "phrases"])


def phrase_evidence(hits: dict[str, list[tuple[str, str, int]]], body_words: int, core_concept: str) -> dict:
    """The phrase features from the phrases found per field ("title", "description", "body":
    (concept id, phrase, occurrences) each) and the body's length in words."""
    body = hits.get("body", [])
    occurrences = sum(min(count, BODY_MAX_COUNT) for _, _, count in body)
    head = len(hits.get("title", [])) + len(hits.get("description", []))
    return {
        "phrase_density": min(occurrences / max(body_words, 1) * 100, MAX_DENSITY),
        "head_phrases": float(min(head, MAX_HEAD_PHRASES)),
        "core_phrase": float(any(concept == core_concept for found in hits.values() for concept, _, _ in found)),
    }


def semantic_evidence(reading: Reading) -> dict:
    """The semantic features of a reading."""
    return {name: float(getattr(reading, name)) for name in SEMANTIC_FEATURES}
