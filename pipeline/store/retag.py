"""Re-applying the taxonomy and the curator's labels to the whole corpus: tags, scores,
relevance, reasons and content types, from the stored text (nothing is fetched).

With at least MIN_LABELS labels (pipeline.understand.learning), the labelled documents are
tagged first and the models are fitted on them; then every document is tagged, adjusted by
the models, and a labelled one takes its label.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import sqlite_utils

from pipeline.config.labels import Label
from pipeline.config.taxonomy import Taxonomy
from pipeline.store.labels import document_labels
from pipeline.understand.classify import TypeIndex, content_type
from pipeline.understand.learning import Teacher, apply_label, fit
from pipeline.understand.pdf import is_pdf_document
from pipeline.understand.tagging import Tagging, columns_of, tag

BATCH = 500
COLUMNS = ("id", "url", "title", "description", "text", "extracted_by", "media_type", "page_count",
           "tags", "tag_scores", "relevance", "why", "content_type")


@dataclass
class RetagSummary:
    seen: int = 0
    changed: int = 0
    labels: int = 0  # labels of stored documents
    learned: bool = False  # the models were fitted (enough labels)


def _documents(db: sqlite_utils.Database) -> Iterator[list[dict]]:
    """Batches of documents, in id order (keyset pagination: constant memory)."""
    last_id = ""
    while True:
        rows = db.execute(
            f"SELECT {', '.join(COLUMNS)} FROM documents WHERE id > ? ORDER BY id LIMIT ?", [last_id, BATCH]
        ).fetchall()
        if not rows:
            return
        yield [dict(zip(COLUMNS, row)) for row in rows]
        last_id = rows[-1][0]


def labelled_examples(db: sqlite_utils.Database, taxonomy: Taxonomy,
                      labels: dict[str, Label] | None = None) -> list[tuple[Tagging, Label]]:
    """The labelled documents, each tagged as the tagger sees it, with its label."""
    labels = document_labels(db) if labels is None else labels
    examples = []
    for document_id, label in sorted(labels.items()):
        row = db.execute("SELECT title, description, text FROM documents WHERE id = ?", [document_id]).fetchone()
        if row is not None:
            examples.append((tag(taxonomy, *row), label))
    return examples


def retag_corpus(db: sqlite_utils.Database, taxonomy: Taxonomy) -> RetagSummary:
    """Retag every document (see the module docstring)."""
    types = TypeIndex(taxonomy)
    labels = document_labels(db)
    teacher: Teacher | None = fit(taxonomy, labelled_examples(db, taxonomy, labels))
    summary = RetagSummary(labels=len(labels), learned=teacher is not None)
    for rows in _documents(db):
        with db.atomic():
            for record in rows:
                tagging = tag(taxonomy, record["title"], record["description"], record["text"])
                if teacher is not None:
                    tagging = teacher.adjust(taxonomy, tagging)
                if record["id"] in labels:
                    tagging = apply_label(taxonomy, tagging, labels[record["id"]])
                update = columns_of(tagging)
                update["content_type"] = content_type(types, record["url"], record["title"], record["text"],
                                                      is_pdf_document(record))
                if any(record[key] != value for key, value in update.items()):
                    db["documents"].update(record["id"], update)
                    summary.changed += 1
                summary.seen += 1
    return summary
