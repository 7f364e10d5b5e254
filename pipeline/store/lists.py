"""Curated lists resolved against the corpus, and mirrored into tables for Datasette.

A list resolves to an ordered set of documents: the pinned URLs first, in their order, each
with its editor's note; then the documents its rules pick (concepts, types, minimum
relevance, since), most relevant first; excluded URLs and non-canonical copies of a cluster
left out; at most `limit`. Each item also carries its link's latest check (`link_check`,
a `link_checks` row, or None when never checked) and its source's name (`source_name`).
"""

from __future__ import annotations

import json

import sqlite_utils

from pipeline.config.lists import CuratedList
from pipeline.store.documents import document_id_for_url
from pipeline.store.link_checks import checks_for


def _document_for(db: sqlite_utils.Database, url: str) -> dict | None:
    rows = list(db["documents"].rows_where("id = ?", [document_id_for_url(db, url)]))
    return rows[0] if rows else None


def unstored_pins(db: sqlite_utils.Database, curated: CuratedList) -> list[str]:
    """The pinned URLs the database holds no document of yet (resolve leaves them out)."""
    return [pin["url"] for pin in curated.pinned if _document_for(db, pin["url"]) is None]


def resolve(db: sqlite_utils.Database, curated: CuratedList) -> list[dict]:
    """The list's documents, in order, each with a `note` and its `link_check` (see the
    module docstring)."""
    excluded_ids = {row["id"] for url in curated.excluded if (row := _document_for(db, url))}
    items, taken = [], set()
    for pin in curated.pinned:
        row = _document_for(db, pin["url"])
        if row and row["id"] not in taken and row["id"] not in excluded_ids:
            items.append({**row, "note": pin["note"], "pinned": True})
            taken.add(row["id"])
    rules = curated.rules
    where, params = ["(c.canonical_id IS NULL OR c.canonical_id = d.id)"], []
    if rules.get("concepts"):
        where.append("EXISTS (SELECT 1 FROM json_each(d.tags) t WHERE t.value IN (%s))"
                     % ",".join("?" * len(rules["concepts"])))
        params += rules["concepts"]
    if rules.get("types"):
        where.append("d.content_type IN (%s)" % ",".join("?" * len(rules["types"])))
        params += rules["types"]
    if "min_relevance" in rules:
        where.append("d.relevance >= ?")
        params.append(rules["min_relevance"])
    if rules.get("since"):
        where.append("coalesce(d.published, d.first_seen) >= ?")
        params.append(rules["since"])
    limit = int(rules.get("limit", 50))
    if rules:
        sql = (f"SELECT d.* FROM documents d LEFT JOIN clusters c ON c.id = d.cluster_id "
               f"WHERE {' AND '.join(where)} ORDER BY d.relevance DESC, d.published DESC")
        cursor = db.execute(sql, params)
        names = [column[0] for column in cursor.description]
        for values in cursor:
            if len(items) >= limit:
                break
            row = dict(zip(names, values))
            if row["id"] not in taken and row["id"] not in excluded_ids:
                items.append({**row, "note": "", "pinned": False})
                taken.add(row["id"])
    items = items[:max(limit, len(curated.pinned))]
    checks = checks_for(db, [item["url"] for item in items])
    source_names = dict(db.execute("SELECT id, name FROM sources").fetchall()) if items else {}
    for item in items:
        item["link_check"] = checks.get(item["url"])
        item["source_name"] = source_names.get(item.get("source_id"))  # as the curator named it
    return items


def publish_lists(db: sqlite_utils.Database, lists: list[CuratedList]) -> None:
    """Mirror the lists and their resolved items into `lists` and `list_items` (for Datasette)."""
    with db.atomic():
        db.execute("DELETE FROM list_items")
        db.execute("DELETE FROM lists")
        for curated in lists:
            db.table("lists").insert({"slug": curated.slug, "title": curated.title,
                                "description": curated.description,
                                "rules": json.dumps(curated.rules, sort_keys=True)})
            for position, item in enumerate(resolve(db, curated), start=1):
                db.table("list_items").insert({"list_slug": curated.slug, "position": position,
                                         "document_id": item["id"], "note": item["note"],
                                         "pinned": int(item["pinned"])})
