"""The ranking by words that search fuses with the ranking by meaning: FTS5's bm25 over the
documents' text, a hybrid search's words-then-meaning order, and the best few of a ranking
without sorting it all (pipeline.publish.search fuses them)."""

from __future__ import annotations

import sqlite3

import numpy as np

from pipeline.publish.indexes import VectorIndex
from pipeline.publish.query import Query
from pipeline.publish.terms import WordTerms, documents_matching

# Weights of the FTS columns (title, description, text, author) in bm25.
RANK = "bm25(documents_fts, 10.0, 4.0, 1.0, 1.0)"


def ranked_by_words(conn: sqlite3.Connection, match: str) -> np.ndarray:
    """The rowids of the documents an FTS5 query matches, best bm25 first (newest first among
    equals). Read as one string of integers that SQLite builds in C and numpy parses, where a
    Python tuple per match cost a quarter of the search; the score in units of 10^-12 (a word
    in every document scores ~10^-6, and no score reaches 10^5: int64 holds them all)."""
    found = conn.execute(f"SELECT group_concat(r || ' ' || s, ' ') FROM (SELECT rowid AS r, CAST({RANK} * 1e12 "
                         "AS INTEGER) AS s FROM documents_fts WHERE documents_fts MATCH ? LIMIT -1)",
                         [match]).fetchone()
    if not found or not found[0]:
        return np.zeros(0, dtype=np.int64)
    # (LIMIT -1 keeps bm25 out of the aggregate)
    pairs = np.fromstring(found[0], sep=" ", dtype=np.int64).reshape(-1, 2)
    return pairs[np.lexsort((-pairs[:, 0], pairs[:, 1])), 0]  # bm25: lower is better


def words_then_meaning(conn: sqlite3.Connection, terms: WordTerms, index: VectorIndex,
                       similarity: np.ndarray) -> np.ndarray:
    """The rowids the query's informative terms match, in a hybrid search's ranking by words:
    the scored terms' matches by bm25, then those only the unscored terms match, nearest in
    meaning first (pipeline.publish.terms.informative_terms)."""
    ranked = ranked_by_words(conn, " OR ".join(terms.scored)) if terms.scored else np.zeros(0, dtype=np.int64)
    if not terms.unscored:
        return ranked
    rest = documents_matching(conn, " OR ".join(terms.unscored))
    if len(ranked):
        rest = rest[~np.isin(rest, ranked)]
    at = np.minimum(np.searchsorted(index.rowids, rest), len(index.rowids) - 1)
    nearness = np.where(index.rowids[at] == rest, similarity[at], -np.inf)  # no vectors yet: last
    return np.concatenate([ranked, rest[np.argsort(-nearness, kind="stable")]])


def best(items: np.ndarray, scores: np.ndarray, rowids: np.ndarray, count: int) -> np.ndarray:
    """The `count` best of `items` by score, the newest (highest rowid) first among equals,
    in order; without sorting them all (a common word's 18,000 matches for one page)."""
    if len(items) > count:
        threshold = np.partition(scores, len(scores) - count)[len(scores) - count]
        keep = scores >= threshold  # every item tied with the last one in, so ties break by rowid
        items, scores, rowids = items[keep], scores[keep], rowids[keep]
    return items[np.lexsort((-rowids, -scores))][:count]


def has_all_words(conn: sqlite3.Connection, query: Query) -> bool:
    """Whether a document has every term the query looks for, as the search reads them (a
    prefix as a prefix, the stop words it leaves out left out), and none it excludes. Built
    from the query's words again, "road*" looked for "road" alone and "okr OR template" for
    "or" too: "No document has all of these words" showed above documents that had them."""
    all_words = " ".join(query.terms)
    if all_words and query.excluded:
        all_words = f"({all_words}) NOT ({' OR '.join(query.excluded)})"
    return bool(all_words) and conn.execute("SELECT 1 FROM documents_fts WHERE documents_fts MATCH ? LIMIT 1",
                                            [all_words]).fetchone() is not None
