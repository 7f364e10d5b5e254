"""Re-applying the taxonomy, the entities and the curator's labels to the whole corpus: tags,
scores, relevance, reasons, content types and entities, from the stored text (nothing is
fetched).

With at least MIN_LABELS labels (pipeline.understand.learning), the labelled documents are
tagged first and the models are fitted on them; then every document is tagged, adjusted by
the models, and a labelled one takes its label. The tagging (phrases, semantic reading,
content type) runs in a process per core, a batch at a time (in this process for a corpus of
fewer than IN_PROCESS_UP_TO documents); this process adjusts, compares and writes.
"""

from __future__ import annotations

import json
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass

import sqlite_utils

from pipeline.config.entities import Entity
from pipeline.config.labels import Label
from pipeline.config.taxonomy import Taxonomy
from pipeline.store.labels import document_labels
from pipeline.store.vectors import save_vectors
from pipeline.understand.content_types.decision import decide_type, type_reason
from pipeline.understand.content_types.index import TypeIndex
from pipeline.understand.entities import find_entities
from pipeline.understand.learning import Teacher, apply_label, fit
from pipeline.understand.markup import decode as decode_markup
from pipeline.understand.pdf import is_pdf_document
from pipeline.understand.tagging import Tagging, columns_of, joined_why, stored_vectors, tag, tagger_columns
from pipeline.understand.worker import local_pool

BATCH = 500
COLUMNS = ("id", "url", "title", "description", "text", "extracted_by", "media_type", "page_count",
           "tags", "tag_scores", "relevance", "why", "content_type", "entities", "markup_types",
           "tagger_relevance", "tagger_scores")

# Fewer documents are tagged in this process: a pool's workers take seconds to start and load
# their models, more than tagging them takes (the figures: CHANGELOG.md, docs/benchmarks.md).
IN_PROCESS_UP_TO = 1000


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


def judge(taxonomy: Taxonomy, entities: tuple[Entity, ...], records: list[dict]) -> list[tuple[Tagging, dict]]:
    """Tag, type and index a batch of stored documents (runs in a worker process)."""
    types = TypeIndex(taxonomy)
    judged = []
    for r in records:
        # The stored markup declarations type it as the crawl did, without the HTML.
        kind = decide_type(types, r["url"], r["title"], r["text"], is_pdf_document(r), decode_markup(r["markup_types"]))
        judged.append((tag(taxonomy, r["title"], r["description"], r["text"]), {
            "content_type": kind.content_type,
            "why": json.dumps([type_reason(kind)]),
            "entities": json.dumps(find_entities(entities, r["title"], r["description"], r["text"])),
        }))
    return judged


def retag_corpus(db: sqlite_utils.Database, taxonomy: Taxonomy, entities: tuple[Entity, ...] = (),
                 workers: int | None = None, executor=None) -> RetagSummary:
    """Retag every document (see the module docstring); `workers` processes tag (default:
    one per core, or here below IN_PROCESS_UP_TO documents; 1: here, without a pool), or
    `executor` does (anything with `submit` whose futures have `result()`: a Dask cluster's
    client; the taxonomy travels with each batch)."""
    labels = document_labels(db)
    teacher: Teacher | None = fit(taxonomy, labelled_examples(db, taxonomy, labels))
    summary = RetagSummary(labels=len(labels), learned=teacher is not None)
    if workers is None and executor is None and db["documents"].count < IN_PROCESS_UP_TO:
        workers = 1  # a small corpus: tagged before a pool's workers would have loaded their models
    workers = workers or os.cpu_count() or 1
    own_pool = local_pool(workers) if executor is None and workers > 1 else None
    submit: Callable[..., Future] | None = None  # None: tagged here
    if executor is not None:
        submit = lambda function, args: executor.submit(function, *args)  # noqa: E731 - as pebble's
    elif own_pool is not None:
        submit = own_pool.schedule  # (function, args=…)
    try:
        for rows, results in _judged(submit, taxonomy, entities, _documents(db), ahead=2 * workers):
            taggings = [tagging for tagging, _ in results]
            own = [tagger_columns(tagging) for tagging in taggings]
            if teacher is not None:
                taggings = teacher.adjust(taxonomy, taggings)
            with db.atomic():
                for record, tagging, (_, other), signals in zip(rows, taggings, results, own):
                    if record["id"] in labels:
                        tagging = apply_label(taxonomy, tagging, labels[record["id"]])
                    tagged = columns_of(tagging)
                    update = {**tagged, **other, **signals, "why": joined_why(other["why"], tagged["why"])}
                    if any(record[key] != value for key, value in update.items()):
                        db.table("documents").update(record["id"], update)
                        summary.changed += 1
                    vectors = stored_vectors(tagging)
                    if vectors is not None:  # this version's model's, for search (made before: none)
                        save_vectors(db, record["id"], vectors)
                    summary.seen += 1
    finally:
        if own_pool is not None:
            # After a stop too: the batches in flight finish in a second or two (the workers
            # ignore the stop, and are not killed half-way); what was written stays.
            own_pool.close()
            own_pool.join()
    return summary


def _judged(submit: Callable[..., Future] | None, taxonomy: Taxonomy, entities: tuple[Entity, ...],
            batches: Iterator[list[dict]], ahead: int):
    """(batch, its judgements) in order, with at most `ahead` batches in the workers (so
    memory stays bounded however large the corpus); `submit(function, args=…)` hands one to
    them (None: judged here)."""
    if submit is None:
        for rows in batches:
            yield rows, judge(taxonomy, entities, rows)
        return
    pending: deque = deque()
    for rows in batches:
        pending.append((rows, submit(judge, args=(taxonomy, entities, rows))))
        if len(pending) > ahead:
            done, future = pending.popleft()
            yield done, future.result()
    while pending:
        done, future = pending.popleft()
        yield done, future.result()
