"""The one place that reads the clock, so tests can pin time."""

from __future__ import annotations

from datetime import datetime, timezone

from feeds.dates import iso


def utcnow() -> datetime:
    """Return the current time in UTC (tests monkeypatch this function)."""
    return datetime.now(timezone.utc)


def now_iso() -> str:
    """Return the current time as ISO 8601 UTC."""
    return iso(utcnow())
