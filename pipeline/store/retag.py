"""Re-applying the taxonomy to the whole corpus after data/taxonomy.yaml changes: tags,
scores, relevance, reasons and content types, from the stored text (nothing is fetched)."""

from __future__ import annotations

import sqlite_utils

from pipeline.config.taxonomy import Taxonomy
from pipeline.understand.classify import TypeIndex, content_type
from pipeline.understand.pdf import is_pdf_document
from pipeline.understand.tagging import tag_columns

BATCH = 500


def retag_corpus(db: sqlite_utils.Database, taxonomy: Taxonomy) -> tuple[int, int]:
    """Retag every document; return (documents seen, documents whose tags or type changed)."""
    types = TypeIndex(taxonomy)
    seen = changed = 0
    columns = "id, url, title, description, text, extracted_by, media_type, page_count, tags, tag_scores, relevance, why, content_type"
    last_id = ""
    while True:
        rows = db.execute(
            f"SELECT {columns} FROM documents WHERE id > ? ORDER BY id LIMIT ?", [last_id, BATCH]
        ).fetchall()
        if not rows:
            return seen, changed
        with db.atomic():
            for row in rows:
                record = dict(zip([c.strip() for c in columns.split(",")], row))
                update = tag_columns(taxonomy, record["title"], record["description"], record["text"])
                update["content_type"] = content_type(types, record["url"], record["title"], record["text"],
                                                      is_pdf_document(record))
                if any(record[key] != value for key, value in update.items()):
                    db["documents"].update(record["id"], update)
                    changed += 1
                seen += 1
        last_id = rows[-1][0]
