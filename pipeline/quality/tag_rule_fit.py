"""Fit the tag rule (pipeline/understand/tag_rule.py) and write the file it ships in.

Run by hand when the tagger, the taxonomy's prototypes or the labelled sets change, after
the relevance model (the concept scores depend on the relevance):

    .venv/bin/python -m pipeline.quality.tag_rule_fit

It reads the product-ops pages of the `tune` splits of data/eval/situations.yaml and
data/eval/lookalikes.yaml (as pipeline/quality/relevance_fit.py does); held-out splits and
the project set (data/eval/labelled.yaml) choose nothing: `prodops eval` measures on them.
Each choice maximises the tag micro-F1 on those pages without losing concept recall there
(a page that had a right concept among its tags keeps one), and among equals keeps what
changes least, so that a flat stretch of the tune split does not move anything:

1. the definition margin, from MARGINS (the smallest of the best);
2. then each concept's line, from LINES, for a concept labelled on MIN_SUPPORT tune pages or
   more (fewer say too little: the others keep tag_rule.DEFAULT_LINE), one concept at a time
   in id order, PASSES times over (the nearest to the default among the best).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date

from pipeline.config.files import parse_yaml
from pipeline.config.taxonomy import Taxonomy, load_taxonomy
from pipeline.quality.labelled_sets import LOOKALIKES, SITUATIONS
from pipeline.understand import embeddings
from pipeline.understand.relevance import model
from pipeline.understand.tag_rule import DEFAULT_LINE, RULE_FILE, TagRule
from pipeline.understand.tagging import Evidence, concept_scores, gather, tags_from_scores

MARGINS = tuple(round(0.005 * step, 3) for step in range(11))  # 0 to 0.05 in cosine similarity
LINES = tuple(round(0.3 + 0.05 * step, 2) for step in range(13))  # 0.3 to 0.9
MIN_SUPPORT = 3  # as pipeline.understand.learning asks of a concept's labels
PASSES = 2


@dataclass
class Page:
    """A tune page about product ops: its evidence, relevance and labelled concepts."""

    evidence: Evidence
    relevance: float
    concepts: frozenset[str]


def tune_pages(taxonomy: Taxonomy) -> list[Page]:
    """Every product-ops page of the tune splits, read as the tagger reads it."""
    pages = []
    for path in (SITUATIONS, LOOKALIKES):
        for item in parse_yaml(path.read_text(encoding="utf-8"))["items"]:
            if item.get("split") != "tune" or not item.get("relevant", bool(item["tags"])):
                continue
            evidence = gather(taxonomy, item["title"], item.get("description"), item["text"])
            assert evidence.reading is not None  # gathered with the semantic reading
            relevance = model().probability(evidence.features, evidence.reading.vector)
            pages.append(Page(evidence, round(relevance, 3), frozenset(item["tags"])))
    return pages


def score(taxonomy: Taxonomy, pages: list[Page], rule: TagRule) -> tuple[float, float]:
    """(concept recall, tag micro-F1) of the rule on the pages."""
    hit = true_positive = predicted = expected = 0
    for page in pages:
        tags = set(tags_from_scores(taxonomy, concept_scores(page.evidence, page.relevance, rule),
                                    page.relevance, rule))
        hit += bool(tags & page.concepts)
        true_positive += len(tags & page.concepts)
        predicted += len(tags)
        expected += len(page.concepts)
    precision = true_positive / predicted if predicted else 0.0
    recall = true_positive / expected if expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return hit / max(len(pages), 1), round(f1, 6)  # rounded: float noise is not a reason to move


def best(taxonomy: Taxonomy, pages: list[Page], candidates: list[TagRule], floor: float, closeness) -> TagRule:
    """The candidate with the highest F1 among those keeping concept recall at `floor`; ties
    go to the smallest closeness(candidate)."""
    scored = [(score(taxonomy, pages, rule), rule) for rule in candidates]
    kept = [(f1, rule) for (recall, f1), rule in scored if recall >= floor]
    top = max(f1 for f1, _ in kept)
    return min((rule for f1, rule in kept if f1 == top), key=closeness)


def fit(taxonomy: Taxonomy, pages: list[Page]) -> TagRule:
    """The rule chosen on the pages (see the module docstring)."""
    rule = TagRule()
    floor = score(taxonomy, pages, rule)[0]
    rule = best(taxonomy, pages, [TagRule({}, margin) for margin in MARGINS], floor,
                lambda candidate: candidate.definition_margin)
    support = Counter(concept for page in pages for concept in page.concepts)
    for _ in range(PASSES):
        for concept_id in sorted(c for c, n in support.items() if n >= MIN_SUPPORT):
            candidates = [replace(rule, lines={**rule.lines, concept_id: line}) for line in LINES]
            rule = best(taxonomy, pages, candidates, floor,
                        lambda candidate: abs(candidate.line(concept_id) - DEFAULT_LINE))
    return rule


def main() -> None:
    taxonomy = load_taxonomy()
    pages = tune_pages(taxonomy)
    rule = fit(taxonomy, pages)
    recall, f1 = score(taxonomy, pages, rule)
    data = {
        "about": "pipeline/understand/tag_rule.py; fitted by pipeline/quality/tag_rule_fit.py",
        "fitted": date.today().isoformat(),
        "embedding": f"wordllama {embeddings.CONFIG} {embeddings.DIMENSIONS}",
        "trained_on": {"product-ops tune pages": len(pages), "concept recall": round(recall, 3), "tag micro-F1": f1},
        **rule.as_dict(),
    }
    RULE_FILE.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {RULE_FILE} from {len(pages)} tune pages: definition margin {rule.definition_margin}, "
          f"lines {rule.as_dict()['lines']} (tune concept recall {recall:.3f}, tag micro-F1 {f1:.3f})")


if __name__ == "__main__":
    main()
