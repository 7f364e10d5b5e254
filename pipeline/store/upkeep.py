"""Work a migration leaves for the command that needs it, instead of doing it in every
`open_database`: one row per task in the `upkeep` table, removed when the work is done.

The one task so far, REMAKE_SIGNATURES: near-duplicate signatures made otherwise than
pipeline.understand.signatures makes them (datasketch 1's "legacy" scheme), which no new
document's signature would ever match. Migration m014 only notices them (it recomputes a
few, which takes milliseconds) and adds the task; remaking every signature may take minutes,
so it is done by the commands whose results depend on the stored signatures, before their
own work and with a progress line (pipeline.cli.common.remake_signatures_first):
`prodops crawl` (its dedup compares each new document with the stored signatures) and
`prodops reextract` (it re-clusters the documents whose text changed). A crawl started
without the CLI (`scrapy crawl curator`) has its store stage do it, with a log line. Every
other command that opens the database (`prodops sources health`, `prodops serve`, ...)
reads no signature and leaves them as they are; the clusters found with the old ones stay.
"""

from __future__ import annotations

import logging
from typing import Callable

import numpy as np
import sqlite_utils

from pipeline.understand.signatures import band_keys, signature

logger = logging.getLogger(__name__)

REMAKE_SIGNATURES = "remake-signatures"
SAMPLE = 5  # signatures recomputed to tell which scheme made them
CHUNK = 500  # documents' texts in memory, and signatures written in one transaction
WITH_TEXT = ("FROM minhashes m JOIN documents d ON d.id = m.document_id "
             "WHERE d.text IS NOT NULL AND d.text != ''")


def create_table(db: sqlite_utils.Database) -> None:
    """Create the `upkeep` table if it is not there (its migrations call it)."""
    db.execute("CREATE TABLE IF NOT EXISTS upkeep (task TEXT PRIMARY KEY, reason TEXT)")


def signatures_of_another_scheme(db: sqlite_utils.Database) -> bool:
    """Whether the stored signatures were made otherwise than they are now (a few are
    recomputed from their texts: cheap, whatever the size of the corpus)."""
    if not db["minhashes"].exists():
        return False
    sample = db.execute(f"SELECT m.signature, d.text {WITH_TEXT} LIMIT {SAMPLE}").fetchall()
    return any(np.frombuffer(stored, dtype=np.uint32).tolist() != signature(text).tolist()
               for stored, text in sample)


def plan(db: sqlite_utils.Database, task: str, reason: str) -> None:
    """Leave a task for the command that needs it done (call inside a transaction)."""
    create_table(db)
    db.execute("INSERT OR REPLACE INTO upkeep (task, reason) VALUES (?, ?)", [task, reason])


def signatures_to_remake(db: sqlite_utils.Database) -> int:
    """How many signatures wait to be remade (0 unless a migration left the task)."""
    if not db["upkeep"].exists() or not db.execute(
            "SELECT 1 FROM upkeep WHERE task = ?", [REMAKE_SIGNATURES]).fetchone():
        return 0
    return db.execute(f"SELECT count(*) {WITH_TEXT}").fetchone()[0]


def remake_signatures(db: sqlite_utils.Database, progress: Callable[[int], None] | None = None) -> int:
    """Remake the signatures a migration found of another scheme, from the stored texts, with
    their band keys; return how many (0, at once, when there is nothing to remake).

    A transaction per CHUNK documents, `progress` called with the number done after each;
    the task is removed once all are remade, so an interrupted remake starts again next time."""
    total = signatures_to_remake(db)
    if not total:
        return 0
    logger.info("Remaking %d near-duplicate signatures (made by an older version)", total)
    ids = [row[0] for row in db.execute(f"SELECT m.document_id {WITH_TEXT} ORDER BY m.document_id")]
    done = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        rows = db.execute(f"SELECT id, text FROM documents WHERE id IN ({','.join('?' * len(chunk))})",
                          chunk).fetchall()
        with db.atomic():
            for document_id, text in rows:
                sig = signature(text)
                db.execute("UPDATE minhashes SET signature = ? WHERE document_id = ?", [sig.tobytes(), document_id])
                db.execute("DELETE FROM minhash_bands WHERE document_id = ?", [document_id])
                db.conn.executemany("INSERT INTO minhash_bands (band, key, document_id) VALUES (?, ?, ?)",
                                    [(band, key, document_id) for band, key in enumerate(band_keys(sig))])
        done += len(rows)
        if progress is not None:
            progress(done)
    with db.atomic():
        db.execute("DELETE FROM upkeep WHERE task = ?", [REMAKE_SIGNATURES])
    return done
