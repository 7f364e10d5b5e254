"""The documents' vectors as stored and read back for search (pipeline/store/vectors.py)."""

from __future__ import annotations

import numpy as np

from pipeline.store.database import open_database
from pipeline.store.vectors import fingerprint, load_vectors, save_vectors
from pipeline.understand.embeddings import DIMENSIONS, to_blob


def unit(seed: int) -> np.ndarray:
    """A reproducible random unit vector."""
    vector = np.random.default_rng(seed).normal(size=DIMENSIONS).astype(np.float32)
    return vector / np.linalg.norm(vector)


def test_vectors_read_back_in_rowid_order_a_chunk_at_a_time_and_only_this_models(tmp_path):
    db = open_database(tmp_path / "c.db")
    assert fingerprint(db.conn) == (0, None)
    for name in ("c", "a", "b", "old"):
        db["documents"].insert({"id": name, "url": f"https://x.example/{name}"})
    for seed, name in enumerate(("a", "b", "c")):
        save_vectors(db, name, (to_blob(unit(seed + 10)), to_blob(unit(seed))))
    save_vectors(db, "old", (b"", b""))
    db.execute("UPDATE vectors SET model = 'another model' WHERE document_id = 'old'")
    rowid = {row[1]: row[0] for row in db.execute("SELECT rowid, id FROM documents")}
    for chunk in (1, 2, 5000):
        rowids, pages = load_vectors(db.conn, chunk=chunk)
        assert rowids.dtype == np.int64 and pages.dtype == np.float32 and pages.shape == (3, DIMENSIONS)
        assert rowids.tolist() == [rowid["c"], rowid["a"], rowid["b"]]
        assert np.allclose(pages, [unit(2), unit(0), unit(1)], atol=1e-3)  # float16 on disk
    before = fingerprint(db.conn)
    save_vectors(db, "a", (to_blob(unit(20)), to_blob(unit(21))))  # replaced: a new rowid
    assert fingerprint(db.conn)[0] == before[0] and fingerprint(db.conn) != before
