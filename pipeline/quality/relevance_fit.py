"""Fit the relevance model (pipeline/understand/relevance.py) and write the file it ships in.

Run by hand when the features, the taxonomy's prototypes or the labelled sets change:

    .venv/bin/python -m pipeline.quality.relevance_fit

It reads the `tune` splits only: product-ops pages and their hard negatives from
data/eval/situations.yaml and data/eval/lookalikes.yaml, and the entries of the tune half of
the neighbourhood's feeds (pipeline/quality/neighbourhood.py) as pages that are not about
product ops. Held-out splits, the project set (data/eval/labelled.yaml) and the held-out
feeds choose nothing: `prodops eval` measures on them. The model is scikit-learn's
LogisticRegression (L2, C=REGULARIZATION, balanced classes, lbfgs: the same data give the
same weights), fitted twice: on every feature with the page's vector, and on the phrase
features alone (for PRODOPS_SEMANTIC=false).
"""

from __future__ import annotations

import json
import sys
from datetime import date

import numpy as np
from sklearn.linear_model import LogisticRegression

from pipeline.config.files import parse_yaml
from pipeline.config.taxonomy import Taxonomy, load_taxonomy
from pipeline.quality import neighbourhood
from pipeline.quality.labelled_sets import LOOKALIKES, SITUATIONS
from pipeline.understand import embeddings
from pipeline.understand.relevance import MODEL_FILE, PHRASE_FEATURES, SEMANTIC_FEATURES, RelevanceModel
from pipeline.understand.tagging import gather

REGULARIZATION = 10.0  # chosen on the tune split among 0.3-30: held-out figures move little past 3


def training_set() -> list[tuple[str | None, str | None, str, bool]]:
    """(title, description, text, about product ops) of every tune item."""
    rows = []
    for path in (SITUATIONS, LOOKALIKES):
        for item in parse_yaml(path.read_text(encoding="utf-8"))["items"]:
            if item.get("split") == "tune":
                rows.append((item["title"], item.get("description"), item["text"],
                             bool(item.get("relevant", bool(item["tags"])))))
    if not neighbourhood.available():
        sys.exit(f"the neighbourhood's feeds are not at {neighbourhood.NEIGHBOURHOOD}: nothing to fit on")
    rows += [(e.title, e.description, e.text, False) for e in neighbourhood.entries("tune")]
    return rows


def fit(taxonomy: Taxonomy, rows) -> dict[str, RelevanceModel]:
    """Both models, fitted on the rows."""
    evidence = [gather(taxonomy, title, description, text) for title, description, text, _ in rows]
    truth = np.array([relevant for *_, relevant in rows])
    models = {}
    for name, features, with_vector in (("semantic", PHRASE_FEATURES + SEMANTIC_FEATURES, True),
                                        ("phrases", PHRASE_FEATURES, False)):
        x = np.array([[e.features[f] for f in features] for e in evidence])
        if with_vector:
            # (gathered with the semantic reading: never None)
            x = np.hstack([x, np.array([e.reading.vector for e in evidence])])  # type: ignore[union-attr]
        fitted = LogisticRegression(C=REGULARIZATION, class_weight="balanced", max_iter=10_000).fit(x, truth)
        weights = fitted.coef_[0]
        models[name] = RelevanceModel(features, weights[:len(features)], float(fitted.intercept_[0]),
                                      weights[len(features):] if with_vector else None)
    return models


def main() -> None:
    taxonomy = load_taxonomy()
    rows = training_set()
    models = fit(taxonomy, rows)
    positives = sum(relevant for *_, relevant in rows)
    data = {
        "about": "pipeline/understand/relevance.py; fitted by pipeline/quality/relevance_fit.py",
        "fitted": date.today().isoformat(),
        "embedding": f"wordllama {embeddings.CONFIG} {embeddings.DIMENSIONS}",
        "trained_on": {"about product ops": positives, "not": len(rows) - positives},
        "models": {name: model.as_dict() for name, model in models.items()},
    }
    MODEL_FILE.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {MODEL_FILE} from {len(rows)} tune items ({positives} about product ops)")


if __name__ == "__main__":
    main()
