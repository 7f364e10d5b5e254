"""Dates as feeds, sitemaps and pages write them, read into ISO 8601 UTC — the one format
every stored date has (``2026-11-25T18:00:00Z``)."""

from __future__ import annotations

import time
from datetime import datetime, timezone


def iso(moment: datetime) -> str:
    """Format a datetime as ISO 8601 UTC with second precision, e.g. 2026-11-25T18:00:00Z."""
    if moment.tzinfo is None:  # a date without a zone (PDF metadata often) is taken as UTC
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# What generators write for "no date": year 1 ("Mon, 01 Jan 0001 00:00:00 +0000", .NET's
# DateTime.MinValue) and the Unix epoch. No document of the corpus was published before 1900.
EARLIEST_YEAR = 1900
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def dated(moment: datetime | None) -> datetime | None:
    """`moment`, unless it is a placeholder for no date (before EARLIEST_YEAR, or the Unix
    epoch to the second): a date of a document, a feed entry or a sitemap's page."""
    if moment is None or moment.year < EARLIEST_YEAR:
        return None
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)
    return None if aware == EPOCH else moment


def struct_time_iso(value: time.struct_time | None) -> str | None:
    """Format a UTC struct_time (as feedparser returns) as ISO 8601, or None (also for a
    placeholder: `dated`)."""
    if value is None:
        return None
    try:
        moment = dated(datetime(*value[:6], tzinfo=timezone.utc))
    except (TypeError, ValueError):
        return None
    return iso(moment) if moment is not None else None


def parse_datetime(value) -> datetime | None:
    """An ISO 8601 / RFC 3339 / W3C datetime string as an aware UTC datetime, or None (also
    for a placeholder: `dated`). A value without a zone is taken as UTC."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return dated(moment.astimezone(timezone.utc))
