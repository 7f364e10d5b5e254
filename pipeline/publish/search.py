"""Search by words and meaning together: the engine of /-/search, /-/search.json and
`prodops search`.

Two rankings, fused (reciprocal rank fusion: each document scores the sum over the rankings
it is in of 1 / (RRF_K + its rank), Cormack et al. 2009):

- **words**: FTS5's bm25 over title, description, text and author (a match in the title
  weighs 10x, in the description 4x a match in the text), over every document that has any
  of the query's words — not all of them: "product ops training course" finds the course
  that never says "ops" — stop words left out, prefix* kept, never raw FTS5 syntax (no
  input can make it fail);
- **meaning**: the query's vector (the tagger's own embedding model) against every
  document's stored page vector (pipeline/store/vectors.py), the MEANING_CANDIDATES nearest
  that are at least MEANING_FLOOR similar.

What a query requires (+word, a "quoted phrase" or "word") and excludes (-word, NOT word,
-"a phrase"; the syntax: pipeline/publish/query.py) holds for both rankings alike, and for
the counts and facets: a document without a required term, or with an excluded one, is not
found by words nor by meaning (pipeline.publish.terms.allowed_by).

Every match is ranked and faceted (no window of recent documents). Each row says how it
matched (`matched_by`: words, meaning, or words+meaning) and shows as its snippet the
passage of its text that matches best (the query's words marked). A query no document has
all the words of still finds the nearest documents by meaning, and `note` says so. Of a
near-duplicate cluster only the canonical copy is shown (the canned query
`also_published_at` lists the others).

The vectors and the facet values are held in memory, read again whenever the database
changes (pipeline/publish/indexes.py): the database stays the one record. A database made
before vectors were stored searches by words alone until `prodops retag`, and `note` says
so.

Its parts beside it: the ranking by words (pipeline.publish.ranking), the snippets
(pipeline.publish.snippets), the facets of a browse without words, read from SQL
(pipeline.publish.facets); and, by the same vectors, a document's related documents
(pipeline.publish.related).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from pipeline.config.files import ConfigError
from pipeline.config.taxonomy import DEFAULT_TAXONOMY, cached_taxonomy
from pipeline.publish.export import tags_of
from pipeline.publish.facets import facet_counts, filter_sql
from pipeline.publish.indexes import FACETS, facet_index, vector_index
from pipeline.publish.query import parse_query
from pipeline.publish.ranking import best, has_all_words, ranked_by_words, words_then_meaning
from pipeline.publish.reasons import tag_reasons
from pipeline.publish.snippets import add_snippets, description_snippet
from pipeline.publish.terms import Allowed, allowed_by, informative_terms
from pipeline.understand.embeddings import embed
from pipeline.understand.semantic import concept_space

PAGE_SIZE = 20
MODES = ("hybrid", "words", "meaning")
# Chosen on the tune split of data/eval/queries.yaml among k 10/60 and floor 0.2/0.3/0.4
# (`prodops eval`); for the similarity see pipeline.publish.indexes.VectorIndex.
RRF_K = 10
MEANING_CANDIDATES = 100  # the nearest documents by meaning that enter the ranking
MEANING_FLOOR = 0.2  # ... when at least this similar (cosine) to the query
MAX_QUERY_CHARS = 500
# A document below the relevance threshold (indexes.ON_TOPIC) counts this share of its fused
# score: below an on-topic page that matched as well, still found when it alone matches.
OFF_TOPIC_WEIGHT = 0.5
CONCEPT_FLOOR = 0.38  # a query this near a concept's prototype (and CONCEPT_MARGIN nearer than the
CONCEPT_MARGIN = 0.05  # next) is offered that concept as a filter: "keeping an eye on competitors" 0.40
COLUMNS = ("id", "url", "title", "sitename", "source_id", "published", "content_type", "tags",
           "relevance", "description", "language", "year", "why")


@dataclass
class SearchResult:
    """One page of results, with the facets of everything the filters kept."""

    query: str
    filters: dict[str, Any]
    mode: str = "hybrid"
    total_matches: int = 0  # documents found by words or by meaning, before the filters
    count: int = 0  # of those, the ones the filters kept
    page: int = 1
    page_size: int = PAGE_SIZE
    rows: list[dict[str, Any]] = field(default_factory=list)
    facets: dict[str, list[tuple[Any, int]]] = field(default_factory=dict)
    note: str | None = None  # what the reader should know about these results, in a line
    excluded: list[str] = field(default_factory=list)  # what the query excluded, as a reader writes it
    concept: str | None = None  # the taxonomy's concept the query means, offered as a filter
    browsed: bool = False  # no words to rank by: the documents the filters keep (`_browse`)

    @property
    def ranking(self) -> str:
        """How the rows are ordered, in words, for the page's summary line."""
        if self.browsed:
            return "most relevant first"
        return {"words": "ranked by words", "meaning": "ranked by meaning"}.get(self.mode,
                                                                               "ranked by words and meaning")

    @property
    def has_next(self) -> bool:
        return self.page * self.page_size < self.count

    def as_json(self) -> dict[str, Any]:
        return {
            "query": self.query, "filters": self.filters, "mode": self.mode, "total_matches": self.total_matches,
            "count": self.count, "page": self.page, "page_size": self.page_size, "note": self.note,
            "concept": self.concept, "excluded": self.excluded, "rows": self.rows,
            "facets": {name: [{"value": v, "count": n} for v, n in values]
                       for name, values in self.facets.items()},
        }


def search(conn: sqlite3.Connection, text: str, filters: dict[str, Any] | None = None,
           page: int = 1, mode: str = "hybrid", page_size: int = PAGE_SIZE) -> SearchResult:
    """Search documents for `text` by words and meaning (`mode` "words" or "meaning": one of
    the two alone); `filters` maps facet names (FACETS) to a value or a list of values (any
    of them). The syntax of `text` (required and excluded words) is pipeline.publish.query's.
    With no words but some filters or excluded words, browse: the documents the filters keep
    and the exclusions leave in, most relevant first (`-template` alone: every document
    without the word)."""
    filters = {k: v for k, v in (filters or {}).items() if k in FACETS and v}
    mode = mode if mode in MODES else "hybrid"
    text = "".join(char if char.isprintable() else " " for char in text)[:MAX_QUERY_CHARS].strip()
    result = SearchResult(query=text, filters=filters, mode=mode, page=max(page, 1), page_size=page_size)
    query = parse_query(text)
    result.excluded = query.excluded_words
    # The same documents left out of both rankings and of the counts (None: nothing is).
    allowed = allowed_by(conn, query) if query.restricted else None
    if not query.terms:
        return _browse(conn, result, filters, page_size, allowed) if filters or query.excluded else result
    shown = facet_index(conn)  # the canonical copy of each cluster, with its FACETS values
    by_words = by_meaning = np.zeros(0, dtype=np.int64)  # positions in `shown`, best first
    query_vector = similarity = None
    if mode != "words":
        index = vector_index(conn)
        if not len(index.rowids):
            if len(shown.rowids):  # documents, but none with its vectors (an older database)
                result.note = "Searched by words only: no document has its vectors yet (run `prodops retag` once)."
        else:
            query_vector = embed([query.text])[0]  # what it excludes left out: "-template" must not pull to templates
            result.concept = None if "tags" in filters else meant_concept(query_vector)
            similarity = index.similarity(query_vector)
            # The nearest among the documents left in: one left out cannot take a candidate's place.
            eligible = similarity if allowed is None else np.where(allowed.at(index.rowids), similarity, -np.inf)
            by_meaning = shown.positions(index.nearest(eligible, MEANING_CANDIDATES, MEANING_FLOOR))
    unranked = []  # terms too common to rank by (matching them still counts as matched by words)
    if mode != "meaning":
        # Words alone rank by every term; with meaning beside them, by the informative ones.
        if similarity is None:
            by_words = shown.positions(ranked_by_words(conn, query.match))
        else:
            terms = informative_terms(conn, query.terms)
            by_words, unranked = shown.positions(words_then_meaning(conn, terms, index, similarity)), terms.common
    left_in = np.ones(len(shown.rowids), dtype=bool) if allowed is None else allowed.at(shown.rowids)
    found = np.zeros(len(shown.rowids), dtype=bool)
    found[by_words] = found[by_meaning] = True
    result.total_matches = int((found & left_in).sum())
    # Reciprocal rank fusion over the documents the filters keep (and the query leaves in),
    # in arrays by position: ranks count among those alone.
    kept = shown.kept_by(filters) & left_in
    fused = np.zeros(len(shown.rowids))
    matched = {"words": np.zeros(len(shown.rowids), dtype=bool), "meaning": np.zeros(len(shown.rowids), dtype=bool)}
    for positions, how in ((by_words, "words"), (by_meaning, "meaning")):
        chosen = positions[kept[positions]]
        fused[chosen] += 1 / (RRF_K + np.arange(1, len(chosen) + 1))
        matched[how][chosen] = True
    fused[~shown.on_topic] *= OFF_TOPIC_WEIGHT  # the same match: a page about product ops first
    candidates = np.flatnonzero(fused)
    result.count = len(candidates)
    result.facets = shown.counts_at(candidates)
    start = (result.page - 1) * page_size
    page_positions = best(candidates, fused[candidates], shown.rowids[candidates], start + page_size)[start:]
    result.rows = _fetch_rows(conn, shown.rowids[page_positions].tolist())
    how_of = {int(shown.rowids[at]): {how for how, flags in matched.items() if flags[at]} for at in page_positions}
    unmarked = [rowid for rowid, how in how_of.items() if "words" not in how]
    if unranked and unmarked:  # a word too common to rank by still matched
        marks = ", ".join("?" for _ in unmarked)
        for (rowid,) in conn.execute(f"SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? AND rowid IN "
                                     f"({marks})", [" OR ".join(unranked), *unmarked]):
            how_of[rowid].add("words")
    for row in result.rows:
        row["matched_by"] = "+".join(how for how in ("words", "meaning") if how in how_of[row["rowid"]])
    add_snippets(conn, query.text, result.rows, query_vector)
    if mode != "meaning" and result.rows and not result.note and not has_all_words(conn, query):
        result.note = ("No document has all of these words: these have some of them"
                       + (", or their meaning." if mode == "hybrid" else "."))
    return result


def meant_concept(query_vector: np.ndarray, taxonomy_path: str | None = None) -> str | None:
    """The concept a query means, when one stands out: at least CONCEPT_FLOOR similar to its
    prototype (pipeline.understand.semantic), CONCEPT_MARGIN nearer than the next concept,
    and nearer than every neighbouring field."""
    try:
        space = concept_space(cached_taxonomy(str(taxonomy_path or DEFAULT_TAXONOMY)))
    except ConfigError:
        return None
    if len(space.ids) < 2:
        return None
    scores = space.prototypes @ query_vector
    first, second = np.argsort(-scores)[:2]
    neighbour = float((space.neighbours @ query_vector).max()) if len(space.neighbours) else 0.0
    if (scores[first] >= CONCEPT_FLOOR and scores[first] - scores[second] >= CONCEPT_MARGIN
            and scores[first] > neighbour):
        return space.ids[first]
    return None


def _browse(conn: sqlite3.Connection, result: SearchResult, filters: dict[str, Any], page_size: int,
            allowed: Allowed | None) -> SearchResult:
    """No words, only filters (a concept, a tool, a source ...) or excluded words: the
    documents the filters keep and `allowed` leaves in, most relevant first."""
    result.browsed = True
    where, params = filter_sql(filters)
    candidates = conn.execute(
        f"SELECT d.rowid, -coalesce(d.relevance, 0), {', '.join('d.' + name for name in FACETS)} "
        f"FROM documents d WHERE 1{where}", params).fetchall()
    if allowed is not None:
        left_in = allowed.at(np.array([row[0] for row in candidates], dtype=np.int64))
        candidates = [row for row, keep in zip(candidates, left_in) if keep]
    result.count = result.total_matches = len(candidates)
    result.facets = facet_counts([row[2:] for row in candidates])
    candidates.sort(key=lambda row: (row[1], -row[0]))
    start = (result.page - 1) * page_size
    result.rows = _fetch_rows(conn, [row[0] for row in candidates[start:start + page_size]])
    for row in result.rows:
        row["snippet"] = description_snippet(row)
        row["matched_by"] = "filters"
    return result


def _fetch_rows(conn: sqlite3.Connection, rowids: list[int]) -> list[dict[str, Any]]:
    marks = ", ".join("?" for _ in rowids)
    # `copies`: how many other documents of its near-duplicate cluster (0 when alone).
    found = {row[0]: dict(zip(["rowid", *COLUMNS, "copies"], row)) for row in conn.execute(
        f"SELECT d.rowid, {', '.join('d.' + c for c in COLUMNS)}, "
        "coalesce((SELECT c.size - 1 FROM clusters c WHERE c.id = d.cluster_id), 0) "
        f"FROM documents d WHERE d.rowid IN ({marks})", rowids)}
    rows = [found[rowid] for rowid in rowids if rowid in found]
    for row in rows:
        # Each tag with its label and its reasons in words (the raw `why` stays in the table).
        row["reasons"] = [{"concept": r.concept, "label": r.label, "why": r.summary()}
                          for r in tag_reasons(row["tags"], row.pop("why"))]
        row["tags"] = tags_of(row["tags"])
    return rows
