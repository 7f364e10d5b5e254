"""Which of a query's terms search ranks by words (those informative enough), and which
documents its required and excluded terms leave in. pipeline.publish.query reads the terms
from what was typed."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

import numpy as np

from pipeline.publish.query import Query

MAX_TERMS = 12  # terms of a query ranked by words (each costs a count of its documents)
COMMON_SHARE = 0.2  # a term in more than this share of the documents ranks nothing by words ...
COMMON_FLOOR = 1000  # ... when it is in more than this many too (a small corpus keeps every term)
SCORE_BUDGET = 10_000  # matches a query's words are scored by bm25 for (the rarest terms' first)


@dataclass
class WordTerms:
    """A query's terms by how their matches rank among the words' matches (informative_terms)."""

    scored: list[str] = field(default_factory=list)  # ranked by bm25
    unscored: list[str] = field(default_factory=list)  # their other matches follow, nearest in meaning first
    common: list[str] = field(default_factory=list)  # in too many documents to rank by


def informative_terms(conn: sqlite3.Connection, terms: list[str]) -> WordTerms:
    """The query's terms that tell documents apart, and which of them bm25 ranks.

    A term found in more than COMMON_SHARE of the documents (and at least COMMON_FLOOR) is
    left out: bm25 gives it almost no weight anyway (its inverse document frequency is near
    zero), and its documents are ranked by meaning instead. Of the others, the rarest are
    scored by bm25 while their matches fit SCORE_BUDGET (scoring costs ~1 µs a match: "run"
    in 18,000 of 100,000 documents took 20 ms); the matches of the commoner ones still count
    as matched by words, ordered by meaning after the scored ones."""
    documents = conn.execute("SELECT max(rowid) FROM documents").fetchone()[0] or 0
    ceiling = int(max(COMMON_FLOOR, COMMON_SHARE * documents))
    counted = sorted(((_documents_holding(conn, term, ceiling), term) for term in terms[:MAX_TERMS]),
                     key=lambda pair: pair[0])
    found, budget = WordTerms(), SCORE_BUDGET
    for count, term in counted:
        if count > ceiling:
            found.common.append(term)
        elif count <= budget:
            found.scored.append(term)
            budget -= count
        else:
            found.unscored.append(term)
    return found


def _documents_holding(conn: sqlite3.Connection, term: str, ceiling: int) -> int:
    """How many documents hold `term`, or ceiling + 1 when more do: whether any is past the
    ceiling is asked first (skipping 20,000 matches of a word in 93,000 of 100,000 documents
    takes 0.7 ms, where counting them all takes 3.6 ms)."""
    if conn.execute("SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? LIMIT 1 OFFSET ?",
                    [term, ceiling]).fetchone():
        return ceiling + 1
    return conn.execute("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH ?", [term]).fetchone()[0]


def documents_matching(conn: sqlite3.Connection, match: str) -> np.ndarray:
    """The rowids of the documents an FTS5 query matches (read as one string that SQLite
    builds, as pipeline.publish.ranking.ranked_by_words does)."""
    found = conn.execute("SELECT group_concat(rowid) FROM documents_fts WHERE documents_fts MATCH ?",
                         [match]).fetchone()[0]
    return np.fromstring(found or "", sep=",", dtype=np.int64)


@dataclass(frozen=True)
class Allowed:
    """The documents a query's required and excluded terms leave in (allowed_by)."""

    required: np.ndarray | None  # rowids holding every required term; None: nothing required
    excluded: np.ndarray  # rowids holding any excluded term

    def at(self, rowids: np.ndarray) -> np.ndarray:
        """Per rowid of `rowids`: whether it is left in."""
        keep = ~np.isin(rowids, self.excluded)
        if self.required is not None:
            keep &= np.isin(rowids, self.required)
        return keep


def allowed_by(conn: sqlite3.Connection, query: Query) -> Allowed:
    """The documents `query` leaves in: those with each of its required terms and none of its
    excluded ones. The same for the ranking by words, the ranking by meaning and the counts:
    a document left out by a word cannot come back by its meaning."""
    required = documents_matching(conn, " AND ".join(query.required)) if query.required else None
    excluded = documents_matching(conn, " OR ".join(query.excluded)) if query.excluded else np.zeros(0, np.int64)
    return Allowed(required, excluded)
