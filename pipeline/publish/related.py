"""The related documents on a document's page (and in /-/documents/ID.json): the documents
nearest to it in meaning, by the page vectors search holds (pipeline.publish.indexes)."""

from __future__ import annotations

import sqlite3
from typing import Any

import numpy as np

from pipeline.publish.indexes import vector_index

RELATED = 5  # related documents on a document's page
RELATED_CANDIDATES = 50  # nearest looked at (copies of one cluster and the document's own are left out)


def related(conn: sqlite3.Connection, doc_id: str, count: int = RELATED) -> list[dict[str, Any]]:
    """Up to `count` documents nearest in meaning to one (by their page vectors), none from its
    own near-duplicate cluster, one copy (the canonical) of any other cluster."""
    found = conn.execute("SELECT rowid, cluster_id FROM documents WHERE id = ?", [doc_id]).fetchone()
    index = vector_index(conn)
    if found is None or not len(index.rowids):
        return []
    position = np.searchsorted(index.rowids, found[0])
    if position >= len(index.rowids) or index.rowids[position] != found[0]:
        return []
    scores = index.pages @ index.pages[position]
    nearest = [int(index.rowids[i]) for i in np.argsort(-scores)[:RELATED_CANDIDATES] if i != position]
    marks = ", ".join("?" for _ in nearest)
    rows = conn.execute(
        f"SELECT d.rowid, d.id, d.title, d.url, d.content_type, d.sitename FROM documents d WHERE d.rowid IN ({marks}) "
        "AND (d.cluster_id IS NULL OR d.cluster_id != coalesce(?, '')) AND NOT EXISTS (SELECT 1 FROM clusters c "
        "WHERE c.id = d.cluster_id AND c.canonical_id != d.id)", [*nearest, found[1]]).fetchall() if nearest else []
    by_rowid = {row[0]: dict(zip(("id", "title", "url", "content_type", "sitename"), row[1:])) for row in rows}
    return [by_rowid[rowid] for rowid in nearest if rowid in by_rowid][:count]
