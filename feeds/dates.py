"""Dates as feeds, sitemaps and pages write them, read into ISO 8601 UTC — the one format
every stored date has (``2026-11-25T18:00:00Z``)."""

from __future__ import annotations

import calendar
import re
import time
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime


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


# W3C Datetime's reduced precisions, which the sitemaps protocol allows for <lastmod>: a year
# ("2005") or a year and month ("2005-01"): their first day as a date (parse_datetime), their
# last second as a sitemap's lastmod (parse_lastmod).
YEAR_OR_MONTH = re.compile(r"\d{4}(-(0[1-9]|1[0-2]))?")
# ... and a day alone ("2005-07-16"): a sitemap's lastmod of these precisions ends last where
# the day ends last, at UTC-12 (parse_lastmod).
DAY_MONTH_OR_YEAR = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")
LATEST_ZONE = timezone(timedelta(hours=-12))
# An RFC 822 date's year: read as written where it has four digits (the email module takes
# "0001", .NET's "no date", for 2001).
RFC_822_YEAR = re.compile(r"\b\d{1,2}\s+[A-Za-z]{3,9}\s+(\d{2,4})\b")


def parse_datetime(value) -> datetime | None:
    """An ISO 8601 / RFC 3339 / W3C datetime string (a year or a month alone too) or an RFC
    822 one ("Mon, 02 Jan 2006 15:04:05 GMT", which sitemap generators write too) as an aware
    UTC datetime, or None (also for a placeholder: `dated`). A value without a zone is taken
    as UTC."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if YEAR_OR_MONTH.fullmatch(text):
        text += "-01" * (2 - text.count("-"))
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        year = RFC_822_YEAR.search(text)
        if year and len(year[1]) == 4 and int(year[1]) != moment.year:
            return None  # a year before 100, taken for this century's
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return dated(moment.astimezone(timezone.utc))


def parse_lastmod(value) -> datetime | None:
    """A sitemap's <lastmod> as the latest moment it may mean: a day, a month or a year alone
    ("2025-06-10", "2025-06", "2025") is its last second, and in the last time zone to end it
    (UTC-12: LATEST_ZONE), as a page changed at any time in it may say so. Read as its first
    second, a page crawled on 10 June at 08:00 UTC and changed that afternoon, its sitemap
    still saying "2025-06-10", would be taken as unchanged since, and not fetched again until
    its lastmod named a later day; read as its last second in UTC, so would a Californian page
    crawled at 02:00 UTC on 11 June (the evening of the 10th there) and changed later that
    evening. Any other value (one with a time) as parse_datetime reads it."""
    text = value.strip() if isinstance(value, str) else ""
    if not DAY_MONTH_OR_YEAR.fullmatch(text):
        return parse_datetime(value)
    year, month, day = (int(part) if part else 0 for part in (text.split("-") + ["", ""])[:3])
    if year < EARLIEST_YEAR:
        return None  # a placeholder for no date ("0000", which no datetime can hold)
    days = calendar.monthrange(year, month or 12)[1]
    if day > days:
        return None  # "2025-02-30"
    if dated(datetime(year, month or 1, day or 1, tzinfo=timezone.utc)) is None:
        return None  # the Unix epoch: a placeholder for no date
    moment = datetime(year, month or 12, day or days, 23, 59, 59, tzinfo=LATEST_ZONE)
    return moment.astimezone(timezone.utc)
