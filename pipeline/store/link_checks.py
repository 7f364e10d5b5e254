"""The latest verdict on each curated link (`link_checks`), written by `prodops lists check`
and read wherever a list is shown or exported."""

from __future__ import annotations

import sqlite_utils

COLUMNS = ("url", "checked_at", "http_status", "final_url", "verdict", "detail", "document_id")


def save_checks(db: sqlite_utils.Database, rows: list[dict]) -> None:
    """Record verdicts, one row per URL (a newer check replaces the older one)."""
    with db.atomic():
        db.table("link_checks").upsert_all(({c: row.get(c) for c in COLUMNS} for row in rows), pk="url")


def checks_for(db: sqlite_utils.Database, urls: list[str]) -> dict[str, dict]:
    """The stored verdicts of these URLs (URL → row); URLs never checked are absent."""
    found: dict[str, dict] = {}
    for start in range(0, len(urls), 500):  # SQLite's limit on bound parameters
        chunk = urls[start:start + 500]
        sql = f"SELECT * FROM link_checks WHERE url IN ({','.join('?' * len(chunk))})"
        for row in db.query(sql, chunk):
            found[row["url"]] = row
    return found


def describe(check: dict | None) -> str:
    """A short mark for a link that is not ok, e.g. "link gone: HTTP 404 (checked
    2026-12-01)"; "" when it is ok or was never checked."""
    if not check or check["verdict"] == "ok":
        return ""
    detail = f": {check['detail']}" if check.get("detail") else ""
    return f"link {check['verdict']}{detail} (checked {check['checked_at'][:10]})"
