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
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from datasette.utils import escape_fts

from pipeline.config.files import ConfigError
from pipeline.config.taxonomy import DEFAULT_TAXONOMY, cached_taxonomy
from pipeline.publish.export import tags_of
from pipeline.publish.indexes import (ARRAY_FACETS, CANONICAL, FACET_VALUES_SHOWN, FACETS, VectorIndex,
                                      facet_index, vector_index)
from pipeline.publish.reasons import tag_reasons
from pipeline.publish.query import STOP_WORDS, Query, parse_query
from pipeline.publish.terms import Allowed, WordTerms, allowed_by, documents_matching, informative_terms
from pipeline.understand.embeddings import embed
from pipeline.understand.semantic import concept_space, passages

PAGE_SIZE = 20
MODES = ("hybrid", "words", "meaning")
# Chosen on the tune split of data/eval/queries.yaml among k 10/60 and floor 0.2/0.3/0.4
# (`prodops eval`); for the similarity see VectorIndex.
RRF_K = 10
MEANING_CANDIDATES = 100  # the nearest documents by meaning that enter the ranking
MEANING_FLOOR = 0.2  # ... when at least this similar (cosine) to the query
MAX_QUERY_CHARS = 500
# A document below the relevance threshold (indexes.ON_TOPIC) counts this share of its fused
# score: below an on-topic page that matched as well, still found when it alone matches.
OFF_TOPIC_WEIGHT = 0.5
CONCEPT_FLOOR = 0.38  # a query this near a concept's prototype (and CONCEPT_MARGIN nearer than the
CONCEPT_MARGIN = 0.05  # next) is offered that concept as a filter: "keeping an eye on competitors" 0.40
RELATED = 5  # related documents on a document's page
RELATED_CANDIDATES = 50  # nearest looked at (copies of one cluster and the document's own are left out)
SNIPPET_CHARS = 240
SNIPPET_SOURCE_CHARS = 20_000  # the part of a text whose passages compete for the snippet
# Weights of the FTS columns (title, description, text, author) in bm25.
RANK = "bm25(documents_fts, 10.0, 4.0, 1.0, 1.0)"
# Snippet markers that cannot occur in extracted text; the page escapes the snippet, then
# turns them into <mark>.
MARK_START, MARK_END = "\x02", "\x03"
NO_MARKS = str.maketrans({MARK_START: " ", MARK_END: " "})  # if a text holds them anyway
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
            by_words, unranked = shown.positions(_words_then_meaning(conn, terms, index, similarity)), terms.common
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
    page_positions = _best(candidates, fused[candidates], shown.rowids[candidates], start + page_size)[start:]
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
    _add_snippets(conn, query.text, result.rows, query_vector)
    if mode != "meaning" and result.rows and not result.note and not _has_all_words(conn, query):
        result.note = ("No document has all of these words: these have some of them"
                       + (", or their meaning." if mode == "hybrid" else "."))
    return result


def _has_all_words(conn: sqlite3.Connection, query: Query) -> bool:
    """Whether a document has every word the query looks for (and none it excludes)."""
    all_words = escape_fts(" ".join(re.findall(r"\w+", query.text)))
    if all_words and query.excluded:
        all_words = f"({all_words}) NOT ({' OR '.join(query.excluded)})"
    return bool(all_words) and conn.execute("SELECT 1 FROM documents_fts WHERE documents_fts MATCH ? LIMIT 1",
                                            [all_words]).fetchone() is not None


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


def _best(items: np.ndarray, scores: np.ndarray, rowids: np.ndarray, count: int) -> np.ndarray:
    """The `count` best of `items` by score, the newest (highest rowid) first among equals,
    in order; without sorting them all (a common word's 18,000 matches for one page)."""
    if len(items) > count:
        threshold = np.partition(scores, len(scores) - count)[len(scores) - count]
        keep = scores >= threshold  # every item tied with the last one in, so ties break by rowid
        items, scores, rowids = items[keep], scores[keep], rowids[keep]
    return items[np.lexsort((-rowids, -scores))][:count]


def _words_then_meaning(conn: sqlite3.Connection, terms: WordTerms, index: VectorIndex,
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


def _browse(conn: sqlite3.Connection, result: SearchResult, filters: dict[str, Any], page_size: int,
            allowed: Allowed | None) -> SearchResult:
    """No words, only filters (a concept, a tool, a source ...) or excluded words: the
    documents the filters keep and `allowed` leaves in, most relevant first."""
    where, params = _filter_sql(filters)
    candidates = conn.execute(
        f"SELECT d.rowid, -coalesce(d.relevance, 0), {', '.join('d.' + name for name in FACETS)} "
        f"FROM documents d WHERE 1{where}", params).fetchall()
    if allowed is not None:
        left_in = allowed.at(np.array([row[0] for row in candidates], dtype=np.int64))
        candidates = [row for row, keep in zip(candidates, left_in) if keep]
    result.count = result.total_matches = len(candidates)
    result.facets = _facet_counts([row[2:] for row in candidates])
    candidates.sort(key=lambda row: (row[1], -row[0]))
    start = (result.page - 1) * page_size
    result.rows = _fetch_rows(conn, [row[0] for row in candidates[start:start + page_size]])
    for row in result.rows:
        row["snippet"] = " ".join((row.get("description") or "").split())[:SNIPPET_CHARS]
        row["matched_by"] = "filters"
    return result


def _filter_sql(filters: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """SQL clauses (and their parameters) that keep the canonical copy of each cluster and
    the documents every filter keeps (a list of values: any of them)."""
    clauses = [CANONICAL]
    params = {}
    for name, value in filters.items():
        values = value if isinstance(value, (list, tuple)) else [value]
        names = []
        for index, one in enumerate(values):
            params[f"f_{name}_{index}"] = str(one)
            names.append(f":f_{name}_{index}")
        if name in ARRAY_FACETS:
            clauses.append(f"EXISTS (SELECT 1 FROM json_each(d.{name}) t WHERE t.value IN ({', '.join(names)}))")
        else:
            clauses.append(f"CAST(d.{name} AS TEXT) IN ({', '.join(names)})")
    return "".join(f" AND {clause}" for clause in clauses), params


def _facet_counts(rows: list[tuple]) -> dict[str, list[tuple[Any, int]]]:
    """Value counts per facet; `rows` hold the FACETS columns in order. Counted with C-speed
    Counters per column, and each distinct JSON array (tags, entities) decoded once."""
    facets = {}
    for name, values in zip(FACETS, zip(*rows)):
        if name in ARRAY_FACETS:
            counter: Counter = Counter()
            for array, times in Counter(values).items():
                for value in tags_of(array):
                    counter[value] += times
        else:
            counter = Counter(values)
            counter.pop(None, None)
            counter.pop("", None)
        if counter:
            facets[name] = counter.most_common(FACET_VALUES_SHOWN)
    return facets


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


def _add_snippets(conn: sqlite3.Connection, text: str, rows: list[dict[str, Any]],
                  query_vector: np.ndarray | None) -> None:
    """The snippet of each shown row: the passage of its text that matches best (the most
    query words; among equals, the nearest in meaning), cut to SNIPPET_CHARS around the first
    word, the words marked with MARK_START/MARK_END. Built here rather than by FTS5's
    snippet(), which re-reads the whole match list of a common word for every row."""
    if not rows:
        return
    words = [word for word in re.findall(r"\w+", text.lower()) if len(word) > 1 and word not in STOP_WORDS]
    pattern = (re.compile(r"\b(" + "|".join(re.escape(word) for word in words) + r")\w*", re.IGNORECASE)
               if words else None)
    marks = ", ".join("?" for _ in rows)
    texts = dict(conn.execute(f"SELECT rowid, text FROM documents WHERE rowid IN ({marks})",
                              [row["rowid"] for row in rows]).fetchall())
    every = []  # (row, its passages, the passages that compete: those with the most query words)
    for row in rows:
        body = (texts.get(row["rowid"]) or row.get("description") or "").translate(NO_MARKS)
        parts = passages(body[:SNIPPET_SOURCE_CHARS]) or [body]
        hits = [len(pattern.findall(part)) if pattern else 0 for part in parts]
        every.append((row, parts, [i for i, n in enumerate(hits) if n == max(hits)]))
    # Meaning breaks the ties, in one embedding call for all the shown rows' tied passages (a
    # call per row costs more); a row with one best passage needs none.
    tied = [parts[i] for _, parts, best in every if len(best) > 1 for i in best]
    nearness = iter(embed(tied) @ query_vector if query_vector is not None and tied else np.zeros(len(tied)))
    for row, parts, best in every:
        if len(best) > 1:
            near = {i: next(nearness) for i in best}
            best = [max(best, key=near.__getitem__)]
        passage = parts[best[0]]
        found = pattern.search(passage) if pattern else None
        start = max(0, passage.rfind(" ", 0, max(0, found.start() - SNIPPET_CHARS // 3)) + 1) if found else 0
        excerpt = passage[start:start + SNIPPET_CHARS]
        if start + SNIPPET_CHARS < len(passage):
            excerpt = excerpt[:excerpt.rfind(" ")] + " …" if " " in excerpt else excerpt + "…"
        if start:
            excerpt = "… " + excerpt
        row["snippet"] = pattern.sub(lambda m: f"{MARK_START}{m.group(0)}{MARK_END}", excerpt) if pattern else excerpt
