"""Learning from the curator: small models, fitted on the curator's labels, that adjust the
relevance and concept scores of every document — so that labelling a few pages moves their
unlabelled look-alikes too.

Features of a document: the logit of the score the tagger gave (relevance, or the concept's
score) and the page's unit vector from the semantic reading (what the page is about). Each
model corrects the tagger rather than replacing it: a logistic regression whose score for a
document is the tagger's logit (an offset, its weight fixed at 1) plus an L2-penalised
weighting of the vector and a bias, classes balanced (OffsetLogistic). With few labels the
correction stays small and the tagger's order stands; with many it can move a whole
neighbourhood. (A plain LogisticRegression over the logit and the vector, the model before,
shrank the tagger's weight toward nothing on a few labels: the review queue's first fit on
its hard documents turned one simulated curator's scores upside down.) C=10: the vectors
are unit length, so C=1 held any correction to about one logit; 10 was chosen on
benchmarks/review.py's simulated curator and kept where tests/test_learning.py's labels
still carry a Scrum page across the line (the figures, dated, in docs/benchmarks.md,
"Measurements behind choices in the code"). Fitting is deterministic, so a retag
repeats exactly. The relevance model needs MIN_LABELS labels saying relevant or not, of both
kinds; a concept's model needs MIN_CONCEPT_EXAMPLES documents labelled with the concept and as
many without it (labelled not about it, or not relevant at all). Without them, scores stay
as the tagger made them. A labelled document then takes its own labels: relevance 1 or 0,
its concepts at 1, its not-concepts at 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

from pipeline.config.labels import Label
from pipeline.config.taxonomy import Taxonomy
from pipeline.understand.relevance import RELEVANT
from pipeline.understand.tag_rule import tag_rule
from pipeline.understand.tagging import Tagging, tags_from_scores, with_parents

MIN_LABELS = 20
MIN_CONCEPT_EXAMPLES = 3
SEED = 0
FOLDS = 5


@dataclass
class Teacher:
    """Models fitted on the labels: one for relevance, one per concept with enough labels."""

    relevance: OffsetLogistic | None = None
    concepts: dict[str, OffsetLogistic] = field(default_factory=dict)
    labels: int = 0

    def adjust(self, taxonomy: Taxonomy, taggings: list[Tagging]) -> list[Tagging]:
        """The taggings with relevance and concept scores moved by the models (each model
        predicts for the whole batch at once); `why` says which concept scores the labels
        moved across the tag line, from what to what."""
        results = [replace(t, scores=dict(t.scores), why=list(t.why)) for t in taggings]
        if not taggings:
            return results
        if self.relevance is not None:
            for result, value in zip(results, _predict(self.relevance, [t.relevance for t in taggings], taggings)):
                result.relevance = value
        for concept_id, model in self.concepts.items():
            before = [t.scores.get(concept_id, 0.0) for t in taggings]
            line = tag_rule().line(concept_id)
            for result, old, new in zip(results, before, _predict(model, before, taggings)):
                result.scores[concept_id] = new
                if (old >= line) != (new >= line):
                    result.why.append({"concept": concept_id, "where": "labels", "before": old, "after": new,
                                       "labels": self.labels})
        for result in results:
            result.tags = tags_from_scores(taxonomy, result.scores, result.relevance)
        return results


def _logit(probability: float) -> float:
    p = min(max(probability, 1e-3), 1 - 1e-3)
    return math.log(p / (1 - p))


def features(score: float, tagging: Tagging) -> np.ndarray:
    vector = tagging.reading.vector if tagging.reading is not None else np.zeros(0, dtype=np.float32)
    return np.concatenate([[_logit(score)], vector]).astype(np.float64)


class OffsetLogistic:
    """Logistic regression with an offset: P(y=1) = sigmoid(x[0] + x[1:]·w + b), the first
    column's weight fixed at 1, w penalised by |w|²/2C, classes weighted to balance. The one
    feature scikit-learn's LogisticRegression lacks; written here as its penalised likelihood
    minimised by scipy's L-BFGS (scipy comes with scikit-learn) rather than bring glum or
    statsmodels, compiled and larger, for it."""

    def __init__(self, C: float = 1.0):  # noqa: N803 - named as scikit-learn names it
        self.C = C
        self.coef_ = np.zeros(0)
        self.intercept_ = 0.0

    def fit(self, x: np.ndarray, y: np.ndarray) -> OffsetLogistic:
        offset, features = x[:, 0], x[:, 1:]
        y = np.asarray(y, dtype=np.float64)
        n, positives = len(y), float(y.sum())
        weights = np.where(y == 1, n / (2 * max(positives, 1.0)), n / (2 * max(n - positives, 1.0)))
        sign = 2 * y - 1

        def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
            w, b = params[:-1], params[-1]
            margin = sign * (offset + features @ w + b)
            gradient = -weights * sign * expit(-margin)
            value = float(np.sum(weights * np.logaddexp(0, -margin)) + w @ w / (2 * self.C))
            return value, np.concatenate([features.T @ gradient + w / self.C, [gradient.sum()]])

        result = minimize(loss, np.zeros(features.shape[1] + 1), jac=True, method="L-BFGS-B")
        self.coef_, self.intercept_ = result.x[:-1], float(result.x[-1])
        return self

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        p = expit(x[:, 0] + x[:, 1:] @ self.coef_ + self.intercept_)
        return np.column_stack([1 - p, p])


def _model(x: np.ndarray, y: np.ndarray) -> OffsetLogistic:
    return OffsetLogistic(C=10.0).fit(x, y)


def _predict(model: OffsetLogistic, scores: list[float], taggings: list[Tagging]) -> list[float]:
    x = np.array([features(score, tagging) for score, tagging in zip(scores, taggings)])
    return [round(float(p), 3) for p in model.predict_proba(x)[:, 1]]


def _relevance_data(examples: list[tuple[Tagging, Label]]):
    judged = [(tagging, label) for tagging, label in examples if label.relevant is not None]
    x = np.array([features(tagging.relevance, tagging) for tagging, _ in judged])
    y = np.array([int(bool(label.relevant)) for _, label in judged])  # (judged: never None)
    return x, y


def _concept_data(examples: list[tuple[Tagging, Label]], concept_id: str):
    rows = []
    for tagging, label in examples:
        if concept_id in label.concepts:
            rows.append((tagging, 1))
        elif concept_id in label.not_concepts or label.relevant is False:
            rows.append((tagging, 0))
    x = np.array([features(t.scores.get(concept_id, 0.0), t) for t, _ in rows])
    return x, np.array([y for _, y in rows])


def _enough(y: np.ndarray, least: int) -> bool:
    return len(y) > 0 and int(y.sum()) >= least and int((1 - y).sum()) >= least


def fit(taxonomy: Taxonomy, examples: list[tuple[Tagging, Label]]) -> Teacher | None:
    """Fit the models on labelled documents (their tagging and their label); None when there
    are fewer than MIN_LABELS labels."""
    if len(examples) < MIN_LABELS:
        return None
    teacher = Teacher(labels=len(examples))
    x, y = _relevance_data(examples)
    if _enough(y, 2):
        teacher.relevance = _model(x, y)
    for concept_id in taxonomy.ids():
        x, y = _concept_data(examples, concept_id)
        if _enough(y, MIN_CONCEPT_EXAMPLES):
            teacher.concepts[concept_id] = _model(x, y)
    return teacher


def apply_label(taxonomy: Taxonomy, tagging: Tagging, label: Label) -> Tagging:
    """A labelled document takes its label: relevance, concepts in, not-concepts out."""
    result = replace(tagging, scores=dict(tagging.scores), why=list(tagging.why))
    if label.relevant is not None:
        result.relevance = 1.0 if label.relevant else 0.0
    for concept_id in label.concepts:
        result.scores[concept_id] = 1.0
        result.why.append({"concept": concept_id, "where": "label", "origin": label.origin})
    for concept_id in label.not_concepts:
        result.scores[concept_id] = 0.0
    # The curator's concepts are tags whatever the score says (a concept label says the page is
    # about product ops); the others only on a document above the relevance threshold.
    tagged = (set(tags_from_scores(taxonomy, result.scores, result.relevance))
              | set(with_parents(taxonomy, label.concepts)))
    result.tags = sorted(c for c in tagged if c not in label.not_concepts)
    return result


@dataclass
class CrossValidation:
    """What the labels changed, measured on labels the models did not see."""

    labels: int
    folds: int  # 0: too few labels of some kind to cross-validate
    relevance_auc_before: float | None
    relevance_auc_after: float | None
    concept_pairs: int  # (document, concept) pairs the curator said yes to
    concept_recall_before: float | None
    concept_recall_after: float | None


def _auc(scores: list[float], truths: list[bool]) -> float | None:
    return float(roc_auc_score(truths, scores)) if len(set(truths)) == 2 else None


def cross_validate(taxonomy: Taxonomy, examples: list[tuple[Tagging, Label]]) -> CrossValidation:
    """Up to FOLDS-fold cross-validation (stratified by relevance, seeded): each document
    scored by models fitted on the other folds."""
    strata = [-1 if label.relevant is None else int(label.relevant) for _, label in examples]
    folds = min(FOLDS, min(strata.count(s) for s in set(strata)))
    if folds < 2:
        return CrossValidation(len(examples), 0, None, None, 0, None, None)
    after: list[Tagging] = [tagging for tagging, _ in examples]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
    for train, test in splitter.split(np.zeros(len(examples)), strata):
        teacher = fit(taxonomy, [examples[i] for i in train]) or Teacher()
        for i, adjusted in zip(test, teacher.adjust(taxonomy, [examples[i][0] for i in test])):
            after[i] = adjusted
    judged = [i for i, (_, label) in enumerate(examples) if label.relevant is not None]
    truths = [bool(examples[i][1].relevant) for i in judged]  # (judged: never None)
    pairs = [(i, concept) for i, (_, label) in enumerate(examples) for concept in label.concepts]
    return CrossValidation(
        labels=len(examples),
        folds=folds,
        relevance_auc_before=_auc([examples[i][0].relevance for i in judged], truths),
        relevance_auc_after=_auc([after[i].relevance for i in judged], truths),
        concept_pairs=len(pairs),
        concept_recall_before=sum(c in examples[i][0].tags for i, c in pairs) / len(pairs) if pairs else None,
        concept_recall_after=sum(c in after[i].tags for i, c in pairs) / len(pairs) if pairs else None,
    )


NEW_ARRIVAL_PULL = 0.5  # a new arrival counts as this much as far from the line as it is


def least_sure_first(relevances, new=None) -> np.ndarray:
    """The review queue's order (indices into `relevances`): the documents whose relevance is
    nearest the threshold first, as the labels that teach the models most are those of the
    documents they are least sure of (uncertainty sampling). Before the first fit the scores
    are the tagger's, after it the models': the same rule serves both. A new arrival (`new`,
    a mask: since the curator's last visit) counts as NEW_ARRIVAL_PULL times as far from the
    line as it is, so new documents come up among the uncertain ones without pushing them all
    out. Ties in document order (stable)."""
    distance = np.abs(np.asarray(relevances, dtype=np.float64) - RELEVANT)
    if new is not None:
        distance = np.where(np.asarray(new, dtype=bool), distance * NEW_ARRIVAL_PULL, distance)
    return np.argsort(distance, kind="stable")
