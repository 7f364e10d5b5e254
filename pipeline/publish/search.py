"""Ranked full-text search with facets, fast at any corpus size: the engine of /-/search.

FTS5 ranks by bm25, which costs one lookup per match: ~280 ms for a word that appears in
all of 100,000 documents, and a facet over all those matches costs as much again. So ranking,
filters and facets run over a bounded window: the RANK_WINDOW most recently added matches
(the highest rowids; documents are inserted as they are first seen). Any query with fewer
matches than that — almost every real one — is ranked and faceted over all of them; the total
number of matches is always exact (counted from the FTS index alone, which is cheap).

Near-duplicates collapse: of a cluster's copies only its canonical one is shown (the
canned query `also_published_at` lists the others).

Ranking weighs a match in the title 10x and in the description 4x a match in the text.
The query is taken as words (all of them must appear) and "quoted phrases", never as raw FTS5
syntax, so no input can make it fail.
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from datasette.utils import escape_fts

from pipeline.publish.export import tags_of
from pipeline.publish.reasons import tag_reasons

RANK_WINDOW = 1000
PAGE_SIZE = 20
SNIPPET_CHARS = 240
FACETS = ("content_type", "tags", "entities", "source_id", "language", "year")
ARRAY_FACETS = ("tags", "entities")  # JSON arrays: a document counts under each of its values
FACET_VALUES_SHOWN = 12
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
    filters: dict[str, str]
    total_matches: int = 0
    considered: int = 0  # matches ranked and faceted (all, or the RANK_WINDOW most recent)
    count: int = 0  # of those, the ones the filters kept
    page: int = 1
    rows: list[dict[str, Any]] = field(default_factory=list)
    facets: dict[str, list[tuple[Any, int]]] = field(default_factory=dict)

    @property
    def windowed(self) -> bool:
        return self.considered < self.total_matches

    @property
    def has_next(self) -> bool:
        return self.page * PAGE_SIZE < self.count

    def as_json(self) -> dict[str, Any]:
        return {
            "query": self.query, "filters": self.filters, "total_matches": self.total_matches,
            "considered": self.considered, "count": self.count, "page": self.page,
            "page_size": PAGE_SIZE, "rows": self.rows,
            "facets": {name: [{"value": v, "count": n} for v, n in values]
                       for name, values in self.facets.items()},
        }


def search(conn: sqlite3.Connection, text: str, filters: dict[str, str] | None = None,
           page: int = 1, window: int = RANK_WINDOW) -> SearchResult:
    """Search documents for `text`; `filters` maps facet names (FACETS) to one value each;
    ranking, filters and facets cover the `window` most recently added matches. With no
    words but some filters, browse: the documents the filters keep, most relevant first."""
    filters = {k: v for k, v in (filters or {}).items() if k in FACETS and v}
    result = SearchResult(query=text, filters=filters, page=max(page, 1))
    words = "".join(char if char.isprintable() else " " for char in text).strip()  # no NUL etc.
    match = escape_fts(words) if words else ""
    if not match:
        return _browse(conn, result, filters, window) if filters else result
    result.total_matches = conn.execute(
        "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH ?", [match]).fetchone()[0]
    floor = 0
    if result.total_matches > window:
        floor = conn.execute(
            "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? ORDER BY rowid DESC "
            "LIMIT 1 OFFSET ?", [match, window - 1]).fetchone()[0]
    result.considered = min(result.total_matches, window)
    where, params = _filter_sql(filters)
    params.update(match=match, floor=floor)
    # One pass over the window: rank and facet columns together (ranking and faceting in
    # two queries reads every candidate row twice).
    candidates = conn.execute(
        f"SELECT f.rowid, {RANK}, {', '.join('d.' + name for name in FACETS)} "
        f"FROM documents_fts f JOIN documents d ON d.rowid = f.rowid "
        f"WHERE documents_fts MATCH :match AND f.rowid >= :floor{where}", params).fetchall()
    result.count = len(candidates)
    result.facets = _facet_counts([row[2:] for row in candidates])
    candidates.sort(key=lambda row: (row[1], -row[0]))
    start = (result.page - 1) * PAGE_SIZE
    shown = [row[0] for row in candidates[start:start + PAGE_SIZE]]
    result.rows = _fetch_rows(conn, shown)
    _add_snippets(conn, text, result.rows)
    return result


def _browse(conn: sqlite3.Connection, result: SearchResult, filters: dict[str, str], window: int) -> SearchResult:
    """No words, only filters (a concept, a tool, a source ...): the documents they keep,
    most relevant first, faceted over the `window` most recently added."""
    where, params = _filter_sql(filters)
    params["window"] = window
    candidates = conn.execute(
        f"SELECT d.rowid, -coalesce(d.relevance, 0), {', '.join('d.' + name for name in FACETS)} "
        f"FROM documents d WHERE 1{where} ORDER BY d.rowid DESC LIMIT :window", params).fetchall()
    result.count = result.considered = len(candidates)
    result.total_matches = len(candidates) if len(candidates) < window else conn.execute(
        f"SELECT count(*) FROM documents d WHERE 1{where}", {k: v for k, v in params.items() if k != "window"}
    ).fetchone()[0]
    result.facets = _facet_counts([row[2:] for row in candidates])
    candidates.sort(key=lambda row: (row[1], -row[0]))
    start = (result.page - 1) * PAGE_SIZE
    result.rows = _fetch_rows(conn, [row[0] for row in candidates[start:start + PAGE_SIZE]])
    for row in result.rows:
        row["snippet"] = " ".join((row.get("description") or "").split())[:SNIPPET_CHARS]
    return result


def _filter_sql(filters: dict[str, str]) -> tuple[str, dict[str, Any]]:
    clauses = ["NOT EXISTS (SELECT 1 FROM clusters c WHERE c.id = d.cluster_id AND c.canonical_id != d.id)"]
    params = {}
    for name, value in filters.items():
        params[f"f_{name}"] = value
        if name in ARRAY_FACETS:
            clauses.append(f"EXISTS (SELECT 1 FROM json_each(d.{name}) t WHERE t.value = :f_{name})")
        else:
            clauses.append(f"CAST(d.{name} AS TEXT) = :f_{name}")
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


def _add_snippets(conn: sqlite3.Connection, text: str, rows: list[dict[str, Any]]) -> None:
    """A snippet of each shown row's text around the first query word, words marked with
    MARK_START/MARK_END. Built here rather than by FTS5's snippet(), which re-reads the
    whole match list of a common word for every row (0.3 ms a row at 10^5 documents)."""
    words = [word for word in re.findall(r"\w+", text.lower()) if len(word) > 1]
    if not rows or not words:
        return
    pattern = re.compile(r"\b(" + "|".join(re.escape(word) for word in words) + r")\w*", re.IGNORECASE)
    marks = ", ".join("?" for _ in rows)
    texts = dict(conn.execute(f"SELECT rowid, text FROM documents WHERE rowid IN ({marks})",
                              [row["rowid"] for row in rows]).fetchall())
    for row in rows:
        body = (texts.get(row["rowid"]) or row.get("description") or "").translate(NO_MARKS)
        found = pattern.search(body)
        start = max(0, body.rfind(" ", 0, max(0, found.start() - SNIPPET_CHARS // 3)) + 1) if found else 0
        excerpt = body[start:start + SNIPPET_CHARS]
        if start + SNIPPET_CHARS < len(body):
            excerpt = excerpt[:excerpt.rfind(" ")] + " …" if " " in excerpt else excerpt + "…"
        if start:
            excerpt = "… " + excerpt
        row["snippet"] = pattern.sub(lambda m: f"{MARK_START}{m.group(0)}{MARK_END}", excerpt)
