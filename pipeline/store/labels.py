"""The curator's labels in the database: table `labels`, one row per labelled URL, tied to
the document the URL leads to. The labels file is the record (it survives a rebuilt
database); the table mirrors it and adds what the curated lists say: a pinned URL counts as
relevant, an excluded one as not relevant (a curator's own label of the URL wins)."""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlite_utils

from pipeline.clock import now_iso
from pipeline.config.labels import Label, append_label, load_labels
from pipeline.config.lists import CuratedList
from pipeline.store.documents import document_id_for_url


def stored_document_id(db: sqlite_utils.Database, url: str) -> str | None:
    """The id of the stored document a URL leads to, or None when the corpus has none."""
    document_id = document_id_for_url(db, url)
    found = db.execute("SELECT 1 FROM documents WHERE id = ?", [document_id]).fetchone()
    return document_id if found else None


def mirror_labels(db: sqlite_utils.Database, labels: list[Label], lists: Sequence[CuratedList] = ()) -> int:
    """Replace the `labels` table with these labels and the lists' pins and exclusions;
    return how many rows it holds. Labels of URLs the corpus does not hold are kept, with
    no document_id (the document may come with a later crawl)."""
    rows: dict[str, dict] = {}
    for curated in lists:
        for pin in curated.pinned:
            rows[pin["url"]] = _row(db, Label(pin["url"], True, origin="list-pin"))
        for url in curated.excluded:
            rows[url] = _row(db, Label(url, False, origin="list-excluded"))
    for label in labels:
        rows[label.url] = _row(db, label)
    with db.atomic():
        db.execute("DELETE FROM labels")
        if rows:
            db.table("labels").insert_all(rows.values())
    return len(rows)


class JudgementError(ValueError):
    """A judgement that cannot be recorded (nothing said, an unknown concept, a URL the
    corpus does not hold); the message says what to do."""


def record_label(db: sqlite_utils.Database, labels_path, concept_ids: set[str], url: str, relevant: bool | None,
                 concepts=(), not_concepts=(), by: str = "") -> Label:
    """Record a curator's judgement of a stored document: checked, appended to the labels
    file (the record; earlier judgements stay in it) and saved in the `labels` table. The one
    way in for `prodops label` and the site's acts alike."""
    concepts, not_concepts = list(dict.fromkeys(concepts)), list(dict.fromkeys(not_concepts))
    if relevant is None and not concepts and not not_concepts:
        raise JudgementError("say what you judge: relevant or not, and/or concepts it is or is not about")
    for concept_id in (*concepts, *not_concepts):
        if concept_id not in concept_ids:
            raise JudgementError(f"no concept {concept_id!r} in the taxonomy; one of: {', '.join(sorted(concept_ids))}")
    both = set(concepts) & set(not_concepts)
    if both:
        raise JudgementError(f"concept {sorted(both)[0]!r} given as about and as not about")
    load_labels(labels_path, concept_ids)  # a broken labels file is reported before anything is written
    document_id = stored_document_id(db, url)
    if document_id is None:
        raise JudgementError(f"no stored document for {url}; crawl it first (labels are for stored documents)")
    entry = Label(url, relevant, concepts, not_concepts, now_iso(), by=by)
    save_label(db, entry, document_id)
    append_label(labels_path, entry)
    return entry


def save_label(db: sqlite_utils.Database, label: Label, document_id: str) -> None:
    """Record one curator's label (replacing an earlier one of the URL)."""
    with db.atomic():
        db.table("labels").upsert({**_row(db, label), "document_id": document_id}, pk="url")


def _row(db: sqlite_utils.Database, label: Label) -> dict:
    return {
        "url": label.url,
        "document_id": stored_document_id(db, label.url),
        "relevant": None if label.relevant is None else int(label.relevant),
        "concepts": json.dumps(label.concepts),
        "not_concepts": json.dumps(label.not_concepts),
        "labelled_at": label.labelled_at,
        "origin": label.origin,
    }


def document_labels(db: sqlite_utils.Database) -> dict[str, Label]:
    """The labels of stored documents, by document id (the last labelled URL wins)."""
    found = {}
    for row in db.execute("SELECT url, document_id, relevant, concepts, not_concepts, labelled_at, origin "
                          "FROM labels WHERE document_id IS NOT NULL ORDER BY labelled_at, url"):
        url, document_id, relevant, concepts, not_concepts, labelled_at, origin = row
        found[document_id] = Label(url, None if relevant is None else bool(relevant), json.loads(concepts),
                                   json.loads(not_concepts), labelled_at, origin)
    return found
