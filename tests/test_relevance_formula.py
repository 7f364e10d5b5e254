"""The relevance formula itself (pipeline/understand/relevance.py): the logistic model, its
file, and the phrase features that must not grow with a page's length. Offline and fast;
test_relevance.py measures the shipped model on real feeds."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from pipeline.understand import relevance
from pipeline.understand.relevance import (
    MODEL_FILE,
    PHRASE_FEATURES,
    SEMANTIC_FEATURES,
    RelevanceModel,
    model,
    phrase_evidence,
    semantic_evidence,
)
from pipeline.understand.semantic import Reading


def sigmoid(logit: float) -> float:
    """The logistic function, written out."""
    return 1 / (1 + math.exp(-logit))


def test_the_probability_is_the_sigmoid_of_the_weighted_features_and_the_vector():
    m = RelevanceModel(("a", "b"), np.array([2.0, -1.0]), 0.5, np.array([1.0, 3.0], dtype=np.float32))
    evidence = {"a": 0.25, "b": 1.0, "ignored": 9.0}
    assert m.probability(evidence) == pytest.approx(sigmoid(0.5 + 0.5 - 1.0))  # no vector given
    assert m.probability(evidence, np.array([0.5, 0.25])) == pytest.approx(sigmoid(0.0 + 0.5 + 0.75))
    assert m.probability(evidence, np.array([])) == pytest.approx(0.5)  # an empty vector adds nothing
    plain = RelevanceModel(("a", "b"), np.array([2.0, -1.0]), 0.5)
    assert plain.probability(evidence, np.array([0.5, 0.25])) == pytest.approx(0.5)  # no vector weights
    assert m.probability({"a": 1000.0, "b": 0.0}) == pytest.approx(sigmoid(50.0))  # clamped, no overflow
    assert m.probability({"a": -1000.0, "b": 0.0}) == pytest.approx(sigmoid(-50.0), rel=1e-9, abs=0)


def test_a_model_survives_its_file_format():
    m = RelevanceModel(("a", "b"), np.array([0.1234567, -2.0]), -0.25, np.array([0.5, -0.5], dtype=np.float32))
    data = m.as_dict()
    assert data == {"features": ["a", "b"], "weights": [0.123457, -2.0], "intercept": -0.25,
                    "vector_weights": [0.5, -0.5]}
    back = RelevanceModel.from_dict(json.loads(json.dumps(data)))
    assert back.features == ("a", "b") and back.intercept == -0.25
    assert back.weights.dtype == np.float64 and back.weights.tolist() == [0.123457, -2.0]
    assert back.vector_weights.dtype == np.float32 and back.vector_weights.tolist() == [0.5, -0.5]
    plain = RelevanceModel(("a",), np.array([1.0]), 0.0).as_dict()
    assert "vector_weights" not in plain
    assert RelevanceModel.from_dict(plain).vector_weights is None
    # Six decimals are kept, of every number; whole-number weights are still floats.
    fine = RelevanceModel(("a",), np.array([0.12345678]), 0.12345678, np.array([0.12345678], dtype=np.float32))
    assert fine.as_dict() == {"features": ["a"], "weights": [0.123457], "intercept": 0.123457,
                              "vector_weights": [0.123457]}
    assert RelevanceModel.from_dict({"features": ["a"], "weights": [1], "intercept": 0}).weights.dtype == np.float64


def test_the_shipped_file_holds_both_models(tmp_path):
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    semantic, phrases = model(), model(semantic=False)
    assert semantic.features == (*PHRASE_FEATURES, *SEMANTIC_FEATURES)
    assert semantic.intercept == data["models"]["semantic"]["intercept"]
    assert semantic.vector_weights is not None and len(semantic.vector_weights) == len(
        data["models"]["semantic"]["vector_weights"])
    assert phrases.features == PHRASE_FEATURES and phrases.vector_weights is None
    assert phrases.weights.tolist() == data["models"]["phrases"]["weights"]
    other = tmp_path / "model.json"
    other.write_text(json.dumps({"models": {"semantic": {"features": ["x"], "weights": [1.0], "intercept": 2.0},
                                            "phrases": {"features": ["y"], "weights": [3.0], "intercept": 4.0}}}))
    assert (model(True, other).features, model(False, other).intercept) == (("x",), 4.0)
    assert relevance.RELEVANT == 0.5


def test_phrase_features_are_densities_and_capped_counts_not_sums():
    hits = {"body": [("roadmaps", "roadmap", 10), ("prodops-definition", "product operations", 1)],
            "title": [("roadmaps", "roadmap", 1)], "description": []}
    evidence = phrase_evidence(hits, 200, "prodops-definition")
    # A phrase counts at most BODY_MAX_COUNT (3) times: (3 + 1) / 200 words * 100.
    assert evidence == {"phrase_density": 2.0, "head_phrases": 1.0, "core_phrase": 1.0}
    assert phrase_evidence(hits, 40, "other")["phrase_density"] == 5.0  # at most MAX_DENSITY
    assert phrase_evidence(hits, 100, "other") == {"phrase_density": 4.0, "head_phrases": 1.0, "core_phrase": 0.0}
    crowded = {"title": [("a", "a", 1)] * 2, "description": [("b", "b", 1)] * 3}
    assert phrase_evidence(crowded, 0, "c") == {"phrase_density": 0.0, "head_phrases": 3.0, "core_phrase": 0.0}
    assert phrase_evidence({"title": [("c", "c", 1)], "body": [("a", "a", 1)]}, 0, "c") == {
        "phrase_density": 5.0, "head_phrases": 1.0, "core_phrase": 1.0}  # no words: one word, not a division by 0
    assert phrase_evidence({"body": [("a", "a", 1)]}, 50, "c")["phrase_density"] == 2.0
    assert phrase_evidence({}, 100, "c") == {"phrase_density": 0.0, "head_phrases": 0.0, "core_phrase": 0.0}
    assert all(isinstance(value, float) for value in phrase_evidence({}, 100, "c").values())


def test_semantic_features_are_the_readings_contrasts():
    reading = Reading(head_contrast=0.1, passage_contrast=0.2, passage_share=0.5, centroid_contrast=-0.05)
    assert semantic_evidence(reading) == {"head_contrast": 0.1, "passage_contrast": 0.2, "passage_share": 0.5,
                                          "centroid_contrast": -0.05}
