"""Relevance in the wild, on the held-out half of the neighbourhood's real feeds
(pipeline.quality.neighbourhood). The share of its entries at or above the product's
threshold and at or above the threshold for following links, the entries tagged under the
threshold; and, mixed with the labelled product-ops pages the relevance model was not fitted
on, the precision and recall at the threshold."""

from __future__ import annotations

import functools

from pipeline.config.taxonomy import Taxonomy
from pipeline.quality import neighbourhood
from pipeline.quality.figures import TARGETS, Figure
from pipeline.quality.labelled_sets import LABELLED_SETS
from pipeline.understand.relevance import RELEVANT
from pipeline.understand.tagging import tag
from spiders import settings as crawl_settings

FOLLOW_THRESHOLD = crawl_settings.PRODOPS_FOLLOW_MIN_RELEVANCE  # the other threshold a crawl uses


def read_relevance(taxonomy: Taxonomy, semantic: bool,
                   page: tuple[str | None, str | None, str | None]) -> tuple[float, int]:
    """(relevance, tags) of a (title, description, text): here or on a cluster's worker."""
    result = tag(taxonomy, *page, semantic)
    return result.relevance, len(result.tags)


def relevance_figures(taxonomy: Taxonomy, semantic: bool = True, mapper=map) -> list[Figure]:
    """Relevance in the wild: the share of the held-out neighbourhood's entries (real writing,
    hardly any about product ops) at or above the product's threshold and at or above the
    threshold for following links; and, on a mix of those entries with every labelled
    product-ops page the relevance model was not fitted on (the project set and the held-out
    splits), the precision and recall at the threshold."""
    if not neighbourhood.available():
        return [Figure("neighbourhood: not measured", None, None, f"no feeds at {neighbourhood.NEIGHBOURHOOD}")]
    read = functools.partial(read_relevance, taxonomy, semantic)
    held_out = neighbourhood.entries("held-out")  # read once: parsing the feeds is most of eval's time
    wild = list(mapper(read, [(e.title, e.description, e.text) for e in held_out]))
    product_ops = [(item["title"], item.get("description"), item["text"])
                   for labelled in LABELLED_SETS if labelled.split != "tune"
                   for item in labelled.items() if item.get("relevant", bool(item["tags"]))]
    known = list(mapper(read, product_ops))
    scores = [score for score, _ in wild]
    false_hits = sum(score >= RELEVANT for score in scores)
    hits = sum(score >= RELEVANT for score, _ in known)
    note = f"{len(wild)} entries of {len({e.feed for e in held_out})} feeds"
    return [
        Figure(f"neighbourhood, held-out: share at {RELEVANT:g} or more", false_hits / len(wild),
               TARGETS[f"neighbourhood, held-out: share at {RELEVANT:g} or more"], note, at_most=True),
        Figure(f"neighbourhood, held-out: share at {FOLLOW_THRESHOLD:g} or more",
               sum(score >= FOLLOW_THRESHOLD for score in scores) / len(wild), None,
               "PRODOPS_FOLLOW_MIN_RELEVANCE: links followed from such pages"),
        Figure("neighbourhood, held-out: tagged under the threshold",
               sum(tags > 0 for score, tags in wild if score < RELEVANT),
               TARGETS["neighbourhood, held-out: tagged under the threshold"], "documents", at_most=True),
        Figure(f"mix: precision at {RELEVANT:g}", hits / max(hits + false_hits, 1),
               TARGETS[f"mix: precision at {RELEVANT:g}"],
               f"{len(known)} labelled product-ops pages (not fitted on) + the held-out entries"),
        Figure(f"mix: recall at {RELEVANT:g}", hits / max(len(known), 1), TARGETS[f"mix: recall at {RELEVANT:g}"]),
    ]
