"""Tagging, relevance and content-type figures on each labelled set, and how far its
labellers agree.

On each labelled set (pipeline.quality.labelled_sets.LABELLED_SETS: data/eval/labelled.yaml,
written with the taxonomy, and the two splits of data/eval/situations.yaml, written from
situations, whose `held-out` split chose nothing, and the sets beside them): concept recall
(a right concept among a product-ops page's tags), tag micro precision, recall and F1, tags
per product-ops page, relevance AUC (product ops vs not, where the set has both) and
content-type accuracy, with the hits per type; on the situations set, whose types three
blind hands gave, accuracy against the adjudicated types (the one most of them give:
`adjudicated_types`), which the target reads, and against the first hand's alone.

And, per split, how often the second and the third hand agree with the first
(data/eval/situations-second-labels.yaml, -third-labels.yaml), and how often each of two
checking hands, not part of its reference, gives the reference type (-fourth-labels,
-fifth-labels); the same agreement on a second held-out set in its style, typed and
adjudicated the same way (situations-held-out-2.yaml), and on lookalikes-7, whose later
hands' types are reported beside its first's, not adjudicating it."""

from __future__ import annotations

import functools

from pipeline.config.taxonomy import Taxonomy
from pipeline.quality.figures import TARGETS, Figure, hits_per
from pipeline.quality.labelled_sets import (LOOKALIKES_7, LOOKALIKES_7_OTHER_LABELS, SITUATIONS,
                                            SITUATIONS_CHECKING_LABELS, SITUATIONS_HELD_OUT_2,
                                            SITUATIONS_HELD_OUT_2_OTHER_LABELS, SITUATIONS_OTHER_LABELS,
                                            LabelledSet, labels_of)
from pipeline.understand.content_types.decision import content_type
from pipeline.understand.content_types.index import TypeIndex
from pipeline.understand.tagging import tag


def auc(scores: list[float], truths: list[bool]) -> float | None:
    """Area under the ROC curve: the chance that a random positive outscores a random
    negative (ties count half); None without both kinds."""
    positives = [s for s, t in zip(scores, truths) if t]
    negatives = [s for s, t in zip(scores, truths) if not t]
    if not positives or not negatives:
        return None
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


def read_item(taxonomy: Taxonomy, semantic: bool, item: dict) -> tuple[list[str], float, str]:
    """What the tool makes of one labelled item: (tags, relevance, content type). Runs here,
    or on a Dask cluster's worker (`prodops eval --cluster`)."""
    result = tag(taxonomy, item["title"], item.get("description"), item["text"], semantic)
    kind = content_type(TypeIndex(taxonomy), item["url"], item["title"], item["text"], item["url"].endswith(".pdf"))
    return list(result.tags), result.relevance, kind


def labelled_figures(taxonomy: Taxonomy, labelled: LabelledSet, semantic: bool = True, mapper=map) -> list[Figure]:
    """Tagging, relevance and content-type figures on one labelled set. An item is about
    product ops when it says `relevant: true`, or when it has tags and says nothing.
    `mapper(function, items)` reads the items (the builtin map here; a cluster's, there)."""
    items = labelled.items()
    true_positive = predicted_total = expected_total = pages_hit = product_pages = 0
    scores, truths = [], []
    by_type: dict[str, list[bool]] = {}
    first_hits = 0  # against the first hand's types, where others' adjudicate them
    readings = list(mapper(functools.partial(read_item, taxonomy, semantic), items))
    for item, (tags, relevance, kind) in zip(items, readings):
        predicted, expected = set(tags), set(item["tags"])
        relevant = item.get("relevant", bool(expected))
        scores.append(relevance)
        truths.append(relevant)
        if relevant:
            product_pages += 1
            pages_hit += bool(predicted & expected)
            true_positive += len(predicted & expected)
            predicted_total += len(predicted)
            expected_total += len(expected)
        by_type.setdefault(item["type"], []).append(kind == item["type"])
        first_hits += kind == item.get("first_type", item["type"])
    precision = true_positive / predicted_total if predicted_total else 0.0
    recall = true_positive / expected_total if expected_total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    right_types = sum(sum(hits) for hits in by_type.values())
    name = labelled.name
    # A set typed for its content types alone says nothing of relevance: no count to give.
    relevance_labelled = any("relevant" in item or item["tags"] for item in items)
    note = f"{len(items)} items, " + (f"{product_pages} about product ops" if relevance_labelled
                                      else "relevance not labelled")

    def target(key: str) -> float | None:
        return TARGETS.get(f"{name}: {key}") if labelled.targets else None

    figures = [
        Figure(f"{name}: concept recall", pages_hit / max(product_pages, 1), target("concept recall"),
               "a right concept among the tags; " + note),
        Figure(f"{name}: tag micro-precision", precision, None),
        Figure(f"{name}: tag micro-recall", recall, None),
        Figure(f"{name}: tag micro-F1", f1, target("tag micro-F1")),
        Figure(f"{name}: tags per product-ops page", predicted_total / max(product_pages, 1),
               target("tags per product-ops page"), at_most=True),
    ] if labelled.concepts else []
    area = auc(scores, truths)
    if area is not None:
        figures.append(Figure(f"{name}: relevance AUC", area, target("relevance AUC"),
                              f"product ops vs not ({truths.count(False)} not)"))
    types_note = hits_per(by_type) if labelled.concepts else f"{note}; {hits_per(by_type)}"
    if labelled.other_labels:
        types_note = f"types adjudicated by {1 + len(labelled.other_labels)} hands; {types_note}"
    figures.append(Figure(f"{name}: content-type accuracy", right_types / len(items),
                          target("content-type accuracy"), types_note))
    if labelled.other_labels:
        figures.append(Figure(f"{name}: content-type accuracy, first hand", first_hits / len(items), None,
                              f"{first_hits} of {len(items)}: against the set's author's types alone"))
    return figures


def agreement_figures() -> list[Figure]:
    """How often each later labeller, blind to the others, gave a page the first's content
    type, per split: how far one hand's types are one judgement among others (why the
    situations sets' reference types are adjudicated); and how often each checking hand of
    the situations set gave a page its reference type (the adjudicated one)."""
    figures = []
    for named, path, others in (("situations, {split}", SITUATIONS, SITUATIONS_OTHER_LABELS),
                                ("situations, second {split}", SITUATIONS_HELD_OUT_2,
                                 SITUATIONS_HELD_OUT_2_OTHER_LABELS),
                                ("look-alikes 7, {split}", LOOKALIKES_7, LOOKALIKES_7_OTHER_LABELS)):
        figures += _hands_agree(named, LabelledSet("all", path).items(), zip(("second", "third"), others),
                                "agrees", "the first labeller's type")
    reference = LabelledSet("all", SITUATIONS, other_labels=SITUATIONS_OTHER_LABELS).items()
    checking = zip(("fourth", "fifth"), SITUATIONS_CHECKING_LABELS)
    return figures + _hands_agree("situations, {split}", reference, checking, "gives the reference type",
                                  "the reference type (a checking hand)")


def _hands_agree(named: str, items: list[dict], hands, verb: str, given: str) -> list[Figure]:
    """Per split the items have, the share of them each hand's labels (`hands`: pairs of its
    name and its labels' file) give their `type`."""
    figures = []
    for hand, path in hands:
        labels = labels_of(path)
        for split in ("tune", "held-out"):
            chosen = [item for item in items if item.get("split") == split]
            if chosen:  # the second situations set is all held-out
                agreed = sum(labels.get(item["url"]) == item["type"] for item in chosen)
                figures.append(Figure(f"{named.format(split=split)}: {hand} labeller {verb}", agreed / len(chosen),
                                      None, f"{agreed} of {len(chosen)} pages given {given}"))
    return figures
