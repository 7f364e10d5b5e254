"""The documents' vectors, kept so that search, related documents and learning read them
instead of embedding again.

Table `vectors`: per document, the unit vector of its title and description (`head`) and of
the whole page (`page`: its head and its passages' mean, equally weighted), as float16
BLOBs (pipeline.understand.embeddings.to_blob), with the model that made them. The tag stage
computes them in the workers (they are the semantic reading's own vectors) and the store
stage writes them in the document's transaction; `prodops retag` writes every document's
again, so a database made before this table, or with another model, gets them from it.
"""

from __future__ import annotations

import sqlite3

import numpy as np
import sqlite_utils

from pipeline.understand.embeddings import DIMENSIONS, MODEL_NAME, from_blobs


def save_vectors(db: sqlite_utils.Database, document_id: str, vectors: tuple[bytes, bytes]) -> None:
    """Keep a document's (head, page) vectors (call inside its transaction)."""
    head, page = vectors
    db.execute("INSERT OR REPLACE INTO vectors (document_id, model, head, page) VALUES (?, ?, ?, ?)",
               [document_id, MODEL_NAME, head, page])


def fingerprint(conn: sqlite3.Connection) -> tuple:
    """What changes whenever a vector is written (an index built from them is then stale)."""
    # A write replaces its row (INSERT OR REPLACE: a new rowid), so the largest rowid and the
    # count say whether any vector changed.
    return tuple(conn.execute("SELECT count(*), max(rowid) FROM vectors").fetchone())


def load_vectors(conn: sqlite3.Connection, chunk: int = 5000) -> tuple[np.ndarray, np.ndarray]:
    """(the documents' rowids, their page vectors) made by this model, read `chunk` rows at a
    time into a matrix made once (100,000 rows read at once held their BLOBs, a copy and the
    matrix together)."""
    total = conn.execute("SELECT count(*) FROM vectors WHERE model = ?", [MODEL_NAME]).fetchone()[0]
    rowids = np.zeros(total, dtype=np.int64)
    pages = np.zeros((total, DIMENSIONS), dtype=np.float32)
    cursor = conn.execute("SELECT d.rowid, v.page FROM vectors v JOIN documents d ON d.id = v.document_id "
                          "WHERE v.model = ? ORDER BY d.rowid", [MODEL_NAME])
    filled = 0
    while rows := cursor.fetchmany(chunk):
        end = min(filled + len(rows), total)  # (a row written meanwhile is read next time)
        rows = rows[:end - filled]
        rowids[filled:end] = [row[0] for row in rows]
        pages[filled:end] = from_blobs([row[1] for row in rows])
        filled = end
    return rowids[:filled], pages[:filled]
