"""What the site's own pages show, read from the corpus: the home page, a document's page,
a curated list's page and the charts. Plain functions over a sqlite3 connection (Datasette
runs them in its thread with `execute_fn`); the plugin renders them with the templates in
pipeline/publish/templates/. Concepts and content types are shown by their labels
(data/taxonomy.yaml), never by their ids.
"""

from __future__ import annotations

import json
import sqlite3

from pipeline.publish.export import tags_of
from pipeline.publish.indexes import CANONICAL, SHOWN
from pipeline.publish.labels import Labels, labels
from pipeline.publish.reasons import tag_reasons
from pipeline.publish.related import related
from pipeline.publish.snippets import after_title
from pipeline.store.database import database_state
from pipeline.understand.relevance import RELEVANT

LATEST = 10  # documents on the home page
SCREEN_PARAGRAPHS = 6  # paragraphs of a document shown before "read the whole text"
CHART_MONTHS = 12


def _rows(conn: sqlite3.Connection, sql: str, params=()) -> list[dict]:
    cursor = conn.execute(sql, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", [name]).fetchone() is not None


_computed: dict[tuple, tuple[tuple, object]] = {}


def computed_once(path: str | None, name: str, compute):
    """`compute()` once per state of the database at `path` (see database_state): the home
    page's concept counts read every document's tags (150 ms at 10^5 documents), and the
    corpus changes only when a crawl writes it."""
    if path is None:
        return compute()
    state = database_state(path)
    known = _computed.get((path, name))
    if known is not None and known[0] == state:
        return known[1]
    value = compute()
    _computed[(path, name)] = (state, value)
    return value


def home(conn: sqlite3.Connection, path: str | None = None) -> dict:
    """The home page: curated lists, concepts with counts, latest additions, source health.
    `path` (the database file) lets the concept counts be computed once per database state."""
    names = labels()
    lists = _rows(conn, "SELECT l.slug, l.title, l.description, count(i.position) AS item_count FROM lists l "
                        "LEFT JOIN list_items i ON i.list_slug = l.slug GROUP BY l.slug ORDER BY l.title") \
        if _has_table(conn, "lists") else []
    # On topic by default (ON_TOPIC): a corpus also holds the off-topic pages its sources
    # published; the page links to all of them. A near-duplicate cluster counts and shows once
    # (CANONICAL), as on the search page a concept's count leads to.
    counts = computed_once(path, "concepts", lambda: _rows(
        conn, f"SELECT t.value AS id, count(*) AS n FROM documents d, json_each(d.tags) t WHERE {SHOWN} "
              "GROUP BY t.value ORDER BY n DESC, t.value"))
    concepts = [{"id": row["id"], "label": names.concept(row["id"]), "count": row["n"]} for row in counts]
    # Documents are inserted when first seen: the highest rowids are the latest additions.
    latest = [_card(row, names) for row in _rows(
        conn, "SELECT id, url, title, sitename, source_id, published, first_seen, content_type, tags "
              f"FROM documents d WHERE {SHOWN} ORDER BY rowid DESC LIMIT ?", [LATEST])]
    health = _rows(conn, "SELECT count(*) AS total, sum(disabled_reason IS NOT NULL) AS disabled, "
                         "sum(disabled_reason IS NULL AND coalesce(consecutive_errors, 0) > 0) AS failing, "
                         "sum(drift IS NOT NULL) AS drifting FROM sources")[0]
    total = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    # The lede's count is of what the page shows: a crawl of blogs collects their other posts too.
    on_topic = computed_once(path, "on topic", lambda: conn.execute(
        f"SELECT count(*) FROM documents d WHERE {SHOWN}").fetchone()[0])
    return {"lists": lists, "concepts": concepts, "latest": latest, "health": health, "documents": total,
            "on_topic": on_topic, "relevant": RELEVANT}


def _card(row: dict, names: Labels) -> dict:
    """A document as the site lists it: title, source, date, type label, concept labels."""
    return {**row, "type_label": names.type(row.get("content_type")),
            "tag_labels": [(tag, names.concept(tag)) for tag in tags_of(row.get("tags"))],
            "date": (row.get("published") or "")[:10]}


def document(conn: sqlite3.Connection, doc_id: str, with_related: bool = True) -> dict | None:
    """A document's page: its facts, tags with reasons, text, copies, sightings, lists and
    the documents nearest to it in meaning (unless `with_related` is off)."""
    found = _rows(conn, "SELECT * FROM documents WHERE id = ?", [doc_id])
    if not found:
        return None
    row = found[0]
    names = labels()
    # Its text under the page's own heading, without the title it may open with (the <h1>).
    paragraphs = [p.strip() for p in after_title(row["text"] or "", row["title"]).split("\n") if p.strip()]
    copies = _rows(conn, "SELECT d.id, d.title, d.url, d.sitename, d.published, d.id = c.canonical_id AS canonical "
                         "FROM documents d LEFT JOIN clusters c ON c.id = d.cluster_id "
                         "WHERE d.cluster_id = ? AND d.id != ? ORDER BY d.published", [row["cluster_id"], doc_id]) \
        if row["cluster_id"] else []
    sightings = _rows(conn, "SELECT s.source_id, s.url, s.found_via, s.first_seen, s.last_seen, src.name "
                            "FROM sightings s LEFT JOIN sources src ON src.id = s.source_id "
                            "WHERE s.document_id = ? ORDER BY s.first_seen", [doc_id])
    lists = _rows(conn, "SELECT l.slug, l.title, i.position, i.note FROM list_items i JOIN lists l "
                        "ON l.slug = i.list_slug WHERE i.document_id = ? ORDER BY l.title", [doc_id]) \
        if _has_table(conn, "list_items") else []
    try:
        entities = json.loads(row.get("entities") or "[]")
    except ValueError:
        entities = []
    return {
        "doc": _card(row, names),
        "reasons": tag_reasons(row["tags"], row["why"]),
        "lead": paragraphs[:SCREEN_PARAGRAPHS], "rest": paragraphs[SCREEN_PARAGRAPHS:],
        "copies": copies, "sightings": sightings, "lists": lists, "entities": entities,
        "related": related(conn, doc_id) if with_related else [],
    }


def rules_in_words(rules_json: str | None) -> str:
    """A list's rules as a sentence: what it picks and how many."""
    try:
        rules = json.loads(rules_json or "{}")
    except ValueError:
        rules = {}
    if not rules:
        return "Hand-picked: only the documents the editors pinned."
    names = labels()
    parts = []
    if rules.get("concepts"):
        parts.append("about " + " or ".join(names.concept(c) for c in rules["concepts"]))
    if rules.get("types"):
        parts.append("of type " + " or ".join(names.type(t).lower() for t in rules["types"]))
    if "min_relevance" in rules:
        parts.append(f"with a relevance of {rules['min_relevance']:g} or more")
    if rules.get("since"):
        parts.append(f"published since {rules['since']}")
    picked = "Documents " + ", ".join(parts) if parts else "Documents"
    return f"{picked}, most relevant first, at most {rules.get('limit', 50)}; the editors' picks come first."


def curated_list(conn: sqlite3.Connection, slug: str) -> dict | None:
    """A curated list's page: its title, description, rules in words and its items."""
    found = _rows(conn, "SELECT * FROM lists WHERE slug = ?", [slug]) if _has_table(conn, "lists") else []
    if not found:
        return None
    names = labels()
    checks = "c.verdict AS link_verdict, c.detail AS link_detail" if _has_table(conn, "link_checks") else \
        "NULL AS link_verdict, NULL AS link_detail"
    join = "LEFT JOIN link_checks c ON c.url = d.url" if _has_table(conn, "link_checks") else ""
    items = [_card(row, names) for row in _rows(
        conn, f"SELECT i.position, i.note, i.pinned, d.id, d.url, d.title, d.sitename, d.source_id, d.published, "
              f"d.content_type, d.tags, d.description, {checks} FROM list_items i "
              f"JOIN documents d ON d.id = i.document_id {join} WHERE i.list_slug = ? ORDER BY i.position", [slug])]
    return {"list": found[0], "rules": rules_in_words(found[0]["rules"]), "items": items}


def charts(conn: sqlite3.Connection) -> dict:
    """Two charts over the last CHART_MONTHS months with documents: per concept (a
    near-duplicate cluster once) and per source (each source its own copy)."""
    names = labels()
    by_concept = _rows(conn, "SELECT t.value AS series, substr(coalesce(d.published, d.first_seen), 1, 7) AS month, "
                             f"count(*) AS n FROM documents d, json_each(d.tags) t WHERE {CANONICAL} "
                             "GROUP BY series, month")
    by_source = _rows(conn, "SELECT d.source_id AS series, substr(coalesce(d.published, d.first_seen), 1, 7) AS month, "
                            "count(*) AS n FROM documents d GROUP BY series, month")
    months = sorted({row["month"] for row in by_concept + by_source if row["month"]})[-CHART_MONTHS:]
    return {"months": months,
            "concepts": _series(by_concept, months, names.concept),
            "sources": _series(by_source, months, lambda key: key or "unknown")}


def _series(rows: list[dict], months: list[str], label) -> list[dict]:
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["series"], {})[row["month"]] = row["n"]
    peak = max([n for per in counts.values() for month, n in per.items() if month in months] or [1])
    series = []
    for key, per in counts.items():
        values = [per.get(month, 0) for month in months]
        series.append({"key": key, "label": label(key), "total": sum(per.values()),
                       "bars": [{"month": m, "n": n, "height": round(28 * n / peak)} for m, n in zip(months, values)]})
    return sorted(series, key=lambda s: (-s["total"], s["label"]))
