"""The snippet each search result shows: the passage of its text that matches the query
best, its words marked, and the marks turned into <mark> for the page (after escaping)."""

from __future__ import annotations

import re
import sqlite3
from html import escape
from typing import Any

import numpy as np
from markupsafe import Markup

from pipeline.publish.query import STOP_WORDS
from pipeline.understand.embeddings import embed
from pipeline.understand.semantic import passages

SNIPPET_CHARS = 240
SNIPPET_SOURCE_CHARS = 20_000  # the part of a text whose passages compete for the snippet
# Snippet markers that cannot occur in extracted text; the page escapes the snippet, then
# turns them into <mark>.
MARK_START, MARK_END = "\x02", "\x03"
NO_MARKS = str.maketrans({MARK_START: " ", MARK_END: " "})  # if a text holds them anyway


def add_snippets(conn: sqlite3.Connection, text: str, rows: list[dict[str, Any]],
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
        body = after_title((texts.get(row["rowid"]) or row.get("description") or "").translate(NO_MARKS),
                           row.get("title"))
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


def after_title(body: str, title: str | None) -> str:
    """A text without its first line where that line is its title (extractors keep a page's
    <h1>), so that a result's snippet does not say again what its link says; the text itself
    where that would leave nothing."""
    first, _, rest = body.partition("\n")
    same = title and " ".join(first.split()).casefold() == " ".join(title.split()).casefold()
    return rest.lstrip() if same and rest.strip() else body


def description_snippet(row: dict[str, Any]) -> str:
    """The snippet of a row found without words (a browse by filters): its description's start."""
    return " ".join((row.get("description") or "").split())[:SNIPPET_CHARS]


def snippet_html(snippet: str) -> Markup:
    """A snippet as the search page shows it: escaped, its marked words in <mark>."""
    return Markup(str(escape(snippet, quote=False)).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))
