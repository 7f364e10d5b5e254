"""Refitting the models on the curator's labels and re-scoring the corpus from what is stored:
each document's own tagger scores (`tagger_relevance`, `tagger_scores`) and its page vector
(table `vectors`). Nothing is extracted, tagged or embedded again, so it takes seconds where
`prodops retag` takes minutes; the review queue (pipeline/publish/review.py) runs it in the
background after every few judgements. `prodops retag` stays the full pass (a new taxonomy,
content types, entities, and the documents stored before their tagger scores were kept: they
are left as they are here, and counted).

What it writes, where a value changes: `relevance`, `tag_scores`, `tags`, and the labels'
entries of `why` (the tagger's reasons are kept) — the same columns, from the same models
(pipeline.understand.learning), as a retag would write.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import sqlite_utils

from pipeline.config.labels import Label
from pipeline.config.taxonomy import Taxonomy
from pipeline.store.labels import document_labels
from pipeline.store.retag import RetagSummary
from pipeline.understand.embeddings import DIMENSIONS, MODEL_NAME, from_blobs
from pipeline.understand.learning import Teacher, apply_label, fit
from pipeline.understand.semantic import Reading
from pipeline.understand.tagging import Tagging, tags_from_scores

BATCH = 2000
LABEL_REASONS = ("labels", "label")  # the `why` entries the labels write (learning.py)
SELECT = ("SELECT d.id, d.tagger_relevance, d.tagger_scores, d.relevance, d.tag_scores, d.tags, d.why, v.page "
          "FROM documents d LEFT JOIN vectors v ON v.document_id = d.id AND v.model = ? ")


@dataclass
class RescoreSummary(RetagSummary):
    """A retag's figures, and the documents a refit could not re-score."""

    without_scores: int = 0  # stored before tagger scores were kept: left for `prodops retag`


def _tagging(taxonomy: Taxonomy, row: tuple) -> Tagging | None:
    """A document as the tagger left it, from its stored row, its tags too (the tagger's are
    its scores' `tags_from_scores`: without them, a refit before the models had labels enough
    to learn wrote every unlabelled document's tags as none); None without tagger scores."""
    _, relevance, scores, *_, page = row
    if relevance is None:
        return None
    vector = from_blobs([page])[0] if page is not None else np.zeros(DIMENSIONS, dtype=np.float32)
    read = json.loads(scores or "{}")
    return Tagging(tags=tags_from_scores(taxonomy, read, relevance), scores=read, relevance=relevance,
                   reading=Reading(vector=vector))


def _batches(db: sqlite_utils.Database) -> Iterator[list[tuple]]:
    """The documents' rows, BATCH at a time in id order (keyset pagination: constant memory)."""
    last_id = ""
    while rows := db.execute(SELECT + "WHERE d.id > ? ORDER BY d.id LIMIT ?", [MODEL_NAME, last_id, BATCH]).fetchall():
        yield rows
        last_id = rows[-1][0]


def labelled_taggings(db: sqlite_utils.Database, taxonomy: Taxonomy,
                      labels: dict[str, Label]) -> list[tuple[Tagging, Label]]:
    """The labelled documents as the tagger left them, with their labels (those stored with
    tagger scores)."""
    examples = []
    for document_id, label in sorted(labels.items()):
        row = db.execute(SELECT + "WHERE d.id = ?", [MODEL_NAME, document_id]).fetchone()
        tagging = _tagging(taxonomy, row) if row is not None else None
        if tagging is not None:
            examples.append((tagging, label))
    return examples


def _why(stored: str | None, tagging: Tagging) -> str:
    """The stored reasons without the labels' old entries, with the new ones."""
    try:
        kept = [entry for entry in json.loads(stored or "[]")
                if not (isinstance(entry, dict) and entry.get("where") in LABEL_REASONS)]
    except ValueError:
        kept = []
    return json.dumps(kept + [entry for entry in tagging.why if entry.get("where") in LABEL_REASONS])


def rescore_corpus(db: sqlite_utils.Database, taxonomy: Taxonomy) -> RescoreSummary:
    """Fit the models on the labels and re-score every document from its stored tagger scores
    and vector (see the module docstring); one transaction per batch, so a crawl writing
    meanwhile waits a moment at most."""
    labels = document_labels(db)
    teacher: Teacher | None = fit(taxonomy, labelled_taggings(db, taxonomy, labels))
    summary = RescoreSummary(labels=len(labels), learned=teacher is not None)
    for rows in _batches(db):
        known = [(row, tagging) for row in rows if (tagging := _tagging(taxonomy, row)) is not None]
        summary.without_scores += len(rows) - len(known)
        taggings = [tagging for _, tagging in known]
        if teacher is not None:
            taggings = teacher.adjust(taxonomy, taggings)
        updates = []
        for (row, _), tagging in zip(known, taggings):
            document_id, *_, relevance, tag_scores, tags, why, _ = row
            if document_id in labels:
                tagging = apply_label(taxonomy, tagging, labels[document_id])
            new = (tagging.relevance, json.dumps(tagging.scores, sort_keys=True), json.dumps(tagging.tags),
                   _why(why, tagging))
            if new != (relevance, tag_scores, tags, why):
                updates.append((*new, document_id))
        with db.atomic():
            db.conn.executemany("UPDATE documents SET relevance = ?, tag_scores = ?, tags = ?, why = ? WHERE id = ?",
                                updates)
        summary.seen += len(known)
        summary.changed += len(updates)
    return summary
