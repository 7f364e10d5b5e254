"""Per-source scorecards: is each source still worth following? Worst first, with a verdict.

For each source: its documents (those it yielded first); the share that are relevant
(relevance >= 0.5); the share that are copies of another source's documents (in a
near-duplicate cluster whose canonical copy is another source's); extraction failures (a
page asked for that failed or had no main text, `page_error`: the feed's entry kept in its
place); median words; newest publication date; fetch errors in its last RECENT_RUNS runs;
and the extraction drift alert, if any. The verdict names every problem, worst first;
`prodops sources health` prints it, and the table `source_scorecards` (refreshed after each
crawl and by `sources health`) serves the canned query `source_scorecard`.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from datetime import datetime, timezone

import sqlite_utils

from pipeline.store.citations import RELEVANT

RECENT_RUNS = 5
OFF_TOPIC_BELOW = 0.3  # share of relevant documents under which a source is "mostly off-topic"
MIN_DOCUMENTS = 5  # fewer documents say too little about a source's relevance or copies
COPIES_FROM = 0.5  # share of copies from which a source is "half copies of X"
FAILURES_FROM = 0.5
STALE_AFTER_DAYS = 180


@dataclass
class Scorecard:
    source_id: str
    documents: int = 0
    relevant_share: float | None = None
    copies_share: float | None = None
    copies_of: str | None = None  # the source it copies most
    failures: int = 0
    median_words: float | None = None
    newest: str | None = None
    recent_errors: int = 0
    drift: str | None = None
    verdict: str = "ok"
    severity: int = 9  # 0 worst .. 9 fine: the sort order


def scorecards(db: sqlite_utils.Database, now: str) -> list[Scorecard]:
    """Every source's scorecard (the configured sources the database knows), worst first."""
    cards = {row[0]: Scorecard(row[0]) for row in db.execute("SELECT id FROM sources")}
    words: dict[str, list[int]] = defaultdict(list)
    relevant: Counter = Counter()
    for source_id, count, n_relevant, failures, newest in db.execute(
            "SELECT source_id, count(*), sum(coalesce(relevance, 0) >= ?), "
            # A feed entry kept without its page is a failure only when the page was asked for:
            # a source with fetch_pages: false keeps its entries by choice (every such source
            # was "mostly without main text", a feed of 3,000-word posts among them).
            "sum(page_error IS NOT NULL), max(published) "
            "FROM documents GROUP BY source_id", [RELEVANT]):
        card = cards.setdefault(source_id, Scorecard(source_id))
        card.documents, card.failures, card.newest = count, failures, newest
        relevant[source_id] = n_relevant
    for source_id, word_count in db.execute("SELECT source_id, word_count FROM documents WHERE word_count > 0"):
        words[source_id].append(word_count)
    copies: dict[str, Counter] = defaultdict(Counter)
    for source_id, other, count in db.execute(
            "SELECT d.source_id, canon.source_id, count(*) FROM documents d "
            "JOIN clusters c ON c.id = d.cluster_id JOIN documents canon ON canon.id = c.canonical_id "
            "WHERE canon.id != d.id AND canon.source_id != d.source_id GROUP BY 1, 2"):
        copies[source_id][other] = count
    for source_id, errors in db.execute(
            "SELECT source_id, sum(errors) FROM (SELECT source_id, errors, row_number() OVER "
            "(PARTITION BY source_id ORDER BY run_id DESC) AS n FROM source_runs) WHERE n <= ? GROUP BY 1",
            [RECENT_RUNS]):
        if source_id in cards:
            cards[source_id].recent_errors = errors or 0
    health = {row[0]: row[1:] for row in db.execute(
        "SELECT id, disabled_reason, consecutive_errors, last_status, drift FROM sources")}
    for source_id, card in cards.items():
        if card.documents:
            card.relevant_share = relevant[source_id] / card.documents
            card.copies_share = sum(copies[source_id].values()) / card.documents
            if copies[source_id]:
                card.copies_of = copies[source_id].most_common(1)[0][0]
        card.median_words = statistics.median(words[source_id]) if words[source_id] else None
        disabled, failing, last_status, card.drift = health.get(source_id, (None, 0, None, None))
        card.severity, card.verdict = verdict(card, disabled, failing or 0, last_status, now)
    return sorted(cards.values(), key=lambda c: (c.severity, c.relevant_share or 0, c.source_id))


def verdict(card: Scorecard, disabled: str | None, failing: int, last_status: str | None,
            now: str) -> tuple[int, str]:
    """(severity, the problems in words, worst first); (9, "ok") when there are none."""
    problems: list[tuple[int, str]] = []
    if disabled:
        problems.append((0, f"disabled: {disabled}"))
    elif failing:
        problems.append((1, f"failing {failing} time(s) in a row: {last_status}"))
    if card.drift:
        problems.append((2, f"extraction drift: {card.drift}"))
    if card.documents >= MIN_DOCUMENTS and (card.relevant_share or 0) < OFF_TOPIC_BELOW:
        problems.append((3, f"mostly off-topic ({card.relevant_share:.0%} relevant)"))
    if card.documents >= MIN_DOCUMENTS and (card.copies_share or 0) >= COPIES_FROM:
        amount = "mostly" if (card.copies_share or 0) >= 0.9 else "half"
        problems.append((4, f"{amount} copies of {card.copies_of}"))
    if card.documents and card.failures / card.documents >= FAILURES_FROM:
        problems.append((5, f"mostly without main text ({card.failures} of {card.documents})"))
    if card.newest:
        age = _days_between(card.newest, now)
        if age is not None and age > STALE_AFTER_DAYS:
            problems.append((6, f"stale for {age} days"))
    if not card.documents and not problems:
        problems.append((7, "no documents yet"))
    if not problems:
        return 9, "ok"
    problems.sort()
    return problems[0][0], "; ".join(text for _, text in problems)


def refresh_scorecards(db: sqlite_utils.Database, now: str) -> list[Scorecard]:
    """Recompute the scorecards into `source_scorecards` (for Datasette) and return them."""
    cards = scorecards(db, now)
    with db.atomic():
        db.execute("DELETE FROM source_scorecards")
        db.table("source_scorecards").insert_all(
            ({**asdict(card), "updated": now} for card in cards), pk="source_id")
    return cards


def _days_between(earlier: str, later: str) -> int | None:
    try:
        first = datetime.fromisoformat(earlier.replace("Z", "+00:00"))
        second = datetime.fromisoformat(later.replace("Z", "+00:00"))
    except ValueError:
        return None
    if first.tzinfo is None:
        first = first.replace(tzinfo=timezone.utc)
    if second.tzinfo is None:
        second = second.replace(tzinfo=timezone.utc)
    return (second - first).days
