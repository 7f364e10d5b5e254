"""What search holds in memory, read from the database and read again when it changes: the
documents' page vectors (VectorIndex) and the facet values of every document a search may
show (FacetIndex). The database stays the one record; these are derived from it.

A change is noticed by the database's files (their size and time: every commit appends to
the WAL), then, for the vectors, by the table's count and last rowid (re-reading 100,000
vectors takes ~1.7 s, so a write elsewhere in the database does not cost it).
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np

from pipeline.publish.export import tags_of
from pipeline.store.database import database_state
from pipeline.store.vectors import fingerprint, load_vectors
from pipeline.understand.relevance import RELEVANT

FACETS = ("content_type", "tags", "entities", "source_id", "language", "year")
ARRAY_FACETS = ("tags", "entities")  # JSON arrays: a document counts under each of its values
FACET_VALUES_SHOWN = 12
# One copy of each near-duplicate cluster is shown: its canonical one.
CANONICAL = "NOT EXISTS (SELECT 1 FROM clusters c WHERE c.id = d.cluster_id AND c.canonical_id != d.id)"
# About product ops: at or above the relevance threshold (a document not yet scored counts).
ON_TOPIC = f"coalesce(d.relevance, 1) >= {RELEVANT!r}"
# What the home page and the feed of the latest documents show: one copy of each, on topic.
SHOWN = f"{ON_TOPIC} AND {CANONICAL}"


@dataclass(frozen=True, eq=False)
class VectorIndex:
    """The stored page vectors of one database as a matrix (rows in rowid order). The head
    vectors stay in the table: searching the better of the head's and the page's similarity
    did no better on the queries' tune split (hybrid hit@5 0.95 and MRR@10 0.90 either way)
    and held twice the memory (100,000 documents: 200 MB)."""

    rowids: np.ndarray
    pages: np.ndarray

    def similarity(self, query: np.ndarray) -> np.ndarray:
        """Each document's similarity (cosine) to a query vector."""
        return self.pages @ query

    def nearest(self, scores: np.ndarray, count: int, floor: float) -> list[int]:
        """The rowids of the `count` most similar documents at least `floor` similar, nearest
        first; `scores`: their similarity() to the query."""
        if len(scores) > count:  # the `count` best without sorting them all
            top = np.argpartition(-scores, count)[:count]
            top = top[np.argsort(-scores[top])]
        else:
            top = np.argsort(-scores)
        return [int(self.rowids[i]) for i in top if scores[i] >= floor]


# database file -> (its files' state, its vectors' fingerprint, the index)
_INDEXES: dict[str, tuple[tuple, tuple, VectorIndex]] = {}
_INDEXES_LOCK = threading.Lock()  # Datasette searches from several threads


def vector_index(conn: sqlite3.Connection) -> VectorIndex:
    """The database's vectors, read once and again whenever they change: the database's files
    are looked at first (a stat), the vectors table only when they changed."""
    path, state = _files_of(conn)
    found = _cached(_INDEXES, path, state)
    if found is not None:
        return found
    try:
        current = fingerprint(conn)
    except sqlite3.OperationalError:  # a database from before the vectors table, opened read-only
        return VectorIndex(np.zeros(0, dtype=np.int64), np.zeros((0, 1)))
    with _INDEXES_LOCK:
        known = _INDEXES.get(path)
        index = known[-1] if known is not None and known[1] == current else VectorIndex(*load_vectors(conn))
        _INDEXES[path] = (state, current, index)
    return index


def plain(conn: sqlite3.Connection) -> sqlite3.Cursor:
    """A cursor that gives tuples whatever the connection's row factory (Datasette's is
    sqlite3.Row: building one for each of 18,000 matches cost up to 50 ms a search)."""
    cursor = conn.cursor()
    cursor.row_factory = None
    return cursor


def _files_of(conn: sqlite3.Connection) -> tuple[str, tuple]:
    """The database file a connection reads, and the state of its files (database_state)."""
    path = conn.execute("PRAGMA database_list").fetchone()[2] or f"memory:{id(conn)}"
    return path, database_state(path)


def _cached(cache: dict, path: str, state: tuple):
    """The index `cache` holds for `path` while its files are as they were (else None; an
    in-memory database has no files to tell, so never)."""
    with _INDEXES_LOCK:
        known = cache.get(path)
    return known[-1] if known is not None and known[0] == state and state else None


class FacetIndex:
    """The FACETS values of every document a search may show (the canonical copy of each
    near-duplicate cluster), held as integer codes by rowid: filtering and counting the
    facets of 18,000 matches is then numpy work (~1 ms), where reading their columns through
    SQLite took ~90 ms (the columns sit after each document's text)."""

    def __init__(self, rows: list[tuple]):
        """`rows`: (rowid, on topic, *FACETS values) of each document, in rowid order."""
        self.rowids = np.array([row[0] for row in rows], dtype=np.int64)
        self.on_topic = np.array([bool(row[1]) for row in rows], dtype=bool)  # ON_TOPIC
        rows = [(row[0], *row[2:]) for row in rows]
        self.values: dict[str, list] = {}
        self.codes: dict[str, np.ndarray] = {}  # scalar facets: a code per document (-1: none)
        self.owners: dict[str, np.ndarray] = {}  # array facets: the document of each value...
        for column, name in enumerate(FACETS, start=1):
            known: dict[Any, int] = {}
            if name in ARRAY_FACETS:
                owners, codes = [], []
                for position, row in enumerate(rows):
                    for value in tags_of(row[column]):
                        owners.append(position)
                        codes.append(known.setdefault(value, len(known)))
                self.owners[name] = np.array(owners, dtype=np.int64)
                self.codes[name] = np.array(codes, dtype=np.int64)  # ... and its code
            else:
                self.codes[name] = np.array([-1 if row[column] in (None, "")
                                             else known.setdefault(row[column], len(known))
                                             for row in rows], dtype=np.int64)
            self.values[name] = list(known)

    def positions(self, rowids) -> np.ndarray:
        """The positions of those of `rowids` that are here, in their order."""
        wanted = np.asarray(rowids, dtype=np.int64)
        if not len(wanted) or not len(self.rowids):
            return np.zeros(0, dtype=np.int64)
        at = np.minimum(np.searchsorted(self.rowids, wanted), len(self.rowids) - 1)
        return at[self.rowids[at] == wanted]

    def kept_by(self, filters: dict[str, Any]) -> np.ndarray:
        """Per position: kept by every filter (a list of values: any of them)."""
        mask = np.ones(len(self.rowids), dtype=bool)
        for name, wanted in filters.items():
            accepted = {str(v) for v in (wanted if isinstance(wanted, (list, tuple)) else [wanted])}
            codes = [code for code, value in enumerate(self.values[name]) if str(value) in accepted]
            hit = np.isin(self.codes[name], codes)
            if name in ARRAY_FACETS:
                hit = np.bincount(self.owners[name][hit], minlength=len(self.rowids)) > 0
            mask &= hit
        return mask

    def counts_at(self, positions: np.ndarray) -> dict[str, list[tuple[Any, int]]]:
        """The facets of the documents at these positions: each facet's most frequent values."""
        chosen = np.zeros(len(self.rowids), dtype=bool)
        chosen[positions] = True
        facets = {}
        for name in FACETS:
            codes = self.codes[name][chosen[self.owners[name]]] if name in ARRAY_FACETS else self.codes[name][chosen]
            tally = np.bincount(codes[codes >= 0], minlength=len(self.values[name]))
            order = sorted(np.flatnonzero(tally), key=lambda code: (-tally[code], code))[:FACET_VALUES_SHOWN]
            if order:
                facets[name] = [(self.values[name][code], int(tally[code])) for code in order]
        return facets


_FACETS: dict[str, tuple[tuple, FacetIndex]] = {}  # database file -> (its files' state, the index)


def facet_index(conn: sqlite3.Connection) -> FacetIndex:
    """The database's FacetIndex, read again whenever the database's files changed."""
    path, state = _files_of(conn)
    found = _cached(_FACETS, path, state)
    if found is not None:
        return found
    index = FacetIndex(plain(conn).execute(f"SELECT d.rowid, {ON_TOPIC}, {', '.join('d.' + name for name in FACETS)} "
                                           f"FROM documents d WHERE {CANONICAL} ORDER BY d.rowid").fetchall())
    with _INDEXES_LOCK:
        _FACETS[path] = (state, index)
    return index
