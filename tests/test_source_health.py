"""Runs and source health on a real database, without a crawl: the outage rule, backoff,
disabling and the choice of the sources that are due (pipeline/store/runs.py).

The crawl tests (test_scheduling.py, test_sources_cli.py) show the same rules end to end;
these pin each rule's edges in milliseconds, so mutation testing can afford to run them.
"""

from __future__ import annotations

import json

import pytest

from pipeline import counters
from pipeline.config.sources import Source
from pipeline.store.database import open_database
from pipeline.store.runs import (
    HealthPolicy,
    enable_source,
    finish_run,
    last_successes,
    skip_not_due,
    sources_not_due,
    start_run,
    summary_of,
    was_offline,
)

START = "2026-11-01T00:00:00Z"
END = "2026-11-01T00:10:00Z"


def source(source_id: str, **settings) -> Source:
    """A feed source on its own host, with these settings."""
    return Source(source_id, source_id.title(), "feed", f"https://{source_id}.example/feed", settings=settings)


def stat(source_id: str, what: str) -> str:
    """The name of one of a source's counters in a crawl's stats."""
    return counters.SOURCE.format(source_id=source_id, what=what)


def unreachable(*source_ids: str) -> dict:
    """The stats of a run in which these sources could not be connected to at all."""
    stats = {}
    for source_id in source_ids:
        stats[stat(source_id, "unreachable")] = True
        stats[stat(source_id, "last_error")] = f"https://{source_id}.example/feed: connection refused"
    return stats


def succeeded(source_id: str, fetched: int = 1, documents: int = 0, warning: str | None = None) -> dict:
    """The stats of a run in which this source was read."""
    stats = {stat(source_id, "ok"): True, stat(source_id, "fetched"): fetched,
             stat(source_id, "documents"): documents}
    if warning:
        stats[stat(source_id, "warning")] = warning
    return stats


def crawl(db, sources, stats, status="finished", now=END, policy=HealthPolicy()):
    """Start and finish a run as the crawler does, with these stats; its summary."""
    run_id = start_run(db, sources, START)
    return finish_run(db, run_id, sources, stats, status, now, policy)


@pytest.fixture
def db(tmp_path):
    """A new corpus database, migrations applied."""
    return open_database(tmp_path / "c.db")


def test_every_source_unreachable_is_an_outage_and_no_source_is_blamed(db):
    sources = [source("a"), source("b")]
    summary = crawl(db, sources, unreachable("a", "b"))
    assert summary.status == "offline"
    assert db["runs"].get(summary.run_id)["status"] == "offline"
    assert summary.drift == {}
    for row in db["sources"].rows:
        assert (row["consecutive_errors"], row["next_due"], row["disabled_reason"], row["last_fetched"],
                row["last_status"]) == (None, None, None, None, None), row
    assert db["source_runs"].count == 0  # no extraction figures recorded for an outage


def test_one_source_alone_unreachable_is_its_own_failure(db):
    summary = crawl(db, [source("a")], unreachable("a"))
    assert summary.status == "finished"
    row = db["sources"].get("a")
    assert row["consecutive_errors"] == 1
    assert row["last_status"] == "https://a.example/feed: connection refused"
    assert row["last_fetched"] == END


def test_one_of_two_unreachable_while_the_other_answers_is_that_ones_failure(db):
    summary = crawl(db, [source("a"), source("b")], {**unreachable("a"), stat("a", "errors"): 1, **succeeded("b")})
    assert summary.status == "finished"
    assert db["source_runs"].get((summary.run_id, "a"))["errors"] == 1  # figures kept unless an outage
    assert db["sources"].get("a")["consecutive_errors"] == 1
    assert db["sources"].get("b")["last_status"] == "ok"


def test_a_source_unreachable_once_but_read_in_the_end_is_no_outage():
    sources = [source("a"), source("b")]
    assert was_offline(sources, unreachable("a", "b"))
    assert not was_offline(sources, {**unreachable("a", "b"), stat("b", "ok"): True})
    assert not was_offline(sources, unreachable("a"))  # b neither unreachable nor ok: it answered something
    assert not was_offline([source("a")], unreachable("a"))


def test_a_stopped_run_is_never_an_outage_and_blames_no_one_who_did_not_answer(db):
    db["sources"].insert({"id": "a", "documents": 4, "consecutive_errors": 2}, pk="id")
    summary = crawl(db, [source("a"), source("b")],
                    {**unreachable("a", "b"), stat("a", "documents"): 3}, status="stopped")
    assert summary.status == "stopped"
    row = db["sources"].get("a")
    assert row["documents"] == 7  # the documents it did yield are counted
    assert row["consecutive_errors"] == 2 and row["last_fetched"] is None and row["next_due"] is None


def test_a_stopped_run_records_the_successes_it_had(db):
    crawl(db, [source("a")], succeeded("a", documents=2), status="stopped")
    row = db["sources"].get("a")
    assert (row["last_status"], row["last_ok"], row["documents"]) == ("ok", END, 2)


def test_backoff_doubles_up_to_its_cap_and_the_default_policy():
    policy = HealthPolicy(backoff_base=60, backoff_max=3600, disable_after=3)
    assert [policy.backoff(n).total_seconds() for n in (1, 2, 3, 6, 7, 30)] == [60, 120, 240, 1920, 3600, 3600]
    default = HealthPolicy()
    assert default.backoff(1).total_seconds() == 3600
    assert default.backoff(20).total_seconds() == 7 * 86400
    assert default.disable_after == 8


def test_each_failure_in_a_row_backs_off_longer_and_the_nth_disables(db):
    policy = HealthPolicy(backoff_base=60, backoff_max=3600, disable_after=3)
    sources = [source("a")]
    crawl(db, sources, unreachable("a"), policy=policy)
    row = db["sources"].get("a")
    assert (row["consecutive_errors"], row["next_due"], row["disabled_reason"]) == (1, "2026-11-01T00:11:00Z", None)
    crawl(db, sources, unreachable("a"), policy=policy)
    row = db["sources"].get("a")
    assert (row["consecutive_errors"], row["next_due"], row["disabled_reason"]) == (2, "2026-11-01T00:12:00Z", None)
    crawl(db, sources, unreachable("a"), policy=policy)
    row = db["sources"].get("a")
    assert row["consecutive_errors"] == 3 and row["next_due"] == "2026-11-01T00:14:00Z"
    assert row["disabled_reason"] == "3 failures in a row; last: https://a.example/feed: connection refused"


def test_a_failure_without_a_message_says_no_response(db):
    crawl(db, [source("a")], {})
    assert db["sources"].get("a")["last_status"] == "no response"


def test_410_gone_disables_at_once_with_the_date(db):
    crawl(db, [source("a")], {**unreachable("a"), stat("a", "gone"): True}, now="2026-11-03T05:00:00Z")
    row = db["sources"].get("a")
    assert row["consecutive_errors"] == 1
    assert row["disabled_reason"] == "410 Gone on 2026-11-03: https://a.example/feed: connection refused"


def test_a_success_clears_the_errors_and_keeps_the_warning(db):
    crawl(db, [source("a")], unreachable("a"))
    crawl(db, [source("a")], succeeded("a", documents=5, warning="malformed feed (bozo)"),
          now="2026-11-02T00:00:00Z")
    row = db["sources"].get("a")
    assert row["consecutive_errors"] == 0 and row["next_due"] is None
    assert (row["last_ok"], row["last_status"], row["last_warning"]) == ("2026-11-02T00:00:00Z", "ok",
                                                                         "malformed feed (bozo)")
    assert row["last_fetched"] == "2026-11-02T00:00:00Z" and row["documents"] == 5


def test_a_success_that_fetched_nothing_new_leaves_last_fetched(db):
    """A source read from its stored validators (304) was ok but fetched no page."""
    crawl(db, [source("a")], succeeded("a"), now="2026-11-01T00:00:00Z")
    crawl(db, [source("a")], succeeded("a", fetched=0), now="2026-11-05T00:00:00Z")
    row = db["sources"].get("a")
    assert row["last_fetched"] == "2026-11-01T00:00:00Z" and row["last_ok"] == "2026-11-05T00:00:00Z"


def test_the_summary_is_what_the_runs_row_keeps(db):
    stats = {
        counters.PAGES: 7, counters.NOT_MODIFIED: 2, "downloader/response_bytes": 1234,
        counters.DOCUMENTS.format(outcome="new"): 3, counters.DOCUMENTS.format(outcome="updated"): 1,
        counters.DOCUMENTS.format(outcome="unchanged"): 2, counters.DROPPED.format(reason="duplicate"): 4,
        counters.ERRORS: 1, counters.ERROR_MESSAGES: ["a: boom"], counters.NOT_FOLLOWED: 5,
        counters.NOT_FOLLOWED_PAGES: 6, counters.INTERRUPTION: "cluster lost",
        **succeeded("a", warning="odd dates"),
    }
    summary = crawl(db, [source("a"), source("b")], stats)
    assert (summary.status, summary.sources, summary.pages_fetched, summary.not_modified,
            summary.bytes_downloaded, summary.new, summary.updated, summary.unchanged, summary.dropped,
            summary.errors, summary.error_messages, summary.not_followed, summary.pages_not_followed,
            summary.warnings, summary.interruption) == (
        "finished", 2, 7, 2, 1234, 3, 1, 2, {"duplicate": 4}, 1, ["a: boom"], 5, 6, {"a": "odd dates"},
        "cluster lost")
    row = db["runs"].get(summary.run_id)
    assert (row["started"], row["finished"], row["links_not_followed"]) == (START, END, 5)
    assert summary_of(db, summary.run_id) == type(summary)(
        run_id=summary.run_id, status="finished", sources=2, pages_fetched=7, not_modified=2,
        bytes_downloaded=1234, new=3, updated=1, unchanged=2, dropped={"duplicate": 4}, errors=1,
        error_messages=["a: boom"])


def test_an_empty_run_counts_zeros_and_reads_back_as_zeros(db):
    summary = crawl(db, [], {})
    assert summary == type(summary)(run_id=summary.run_id, status="finished")  # a counter not kept is 0
    assert summary_of(db, summary.run_id) == type(summary)(run_id=summary.run_id, status="finished")
    running = start_run(db, [], END)  # not finished yet: its counts are still NULL
    assert summary_of(db, running) == type(summary)(run_id=running, status="running")


def test_json_columns_are_written_with_sorted_keys(db):
    summary = crawl(db, [source("b", depth=2, allow=["x"])], {counters.DROPPED.format(reason="short"): 1,
                                                               counters.DROPPED.format(reason="duplicate"): 2})
    assert db["runs"].get(summary.run_id)["dropped"] == '{"duplicate": 2, "short": 1}'
    assert db["sources"].get("b")["settings"] == '{"allow": ["x"], "depth": 2}'


def test_a_source_read_without_a_page_counted_keeps_its_last_fetched(db):
    crawl(db, [source("a")], succeeded("a"), now="2026-11-01T00:00:00Z")
    crawl(db, [source("a")], {stat("a", "ok"): True}, now="2026-11-05T00:00:00Z")
    assert db["sources"].get("a")["last_fetched"] == "2026-11-01T00:00:00Z"


def test_a_new_run_marks_a_killed_one_interrupted_and_mirrors_its_sources(db):
    first = start_run(db, [source("a")], START)
    second = start_run(db, [source("a"), source("b", depth=2, allow=["x"])], END)
    assert second == first + 1
    assert [(row["id"], row["status"]) for row in db["runs"].rows] == [(first, "interrupted"), (second, "running")]
    assert json.loads(db["runs"].get(second)["sources"]) == ["a", "b"]
    row = db["sources"].get("b")
    assert (row["name"], row["kind"], row["url"], row["host"], row["enabled"], row["settings"]) == (
        "B", "feed", "https://b.example/feed", "b.example", 1, '{"allow": ["x"], "depth": 2}')


def test_mirroring_keeps_the_health_columns(db):
    crawl(db, [source("a")], unreachable("a"))
    start_run(db, [Source("a", "Renamed", "feed", "https://a.example/feed", enabled=False)], END)
    row = db["sources"].get("a")
    assert (row["name"], row["enabled"], row["consecutive_errors"]) == ("Renamed", 0, 1)


def test_sources_backing_off_or_disabled_are_skipped_unless_named(db):
    db["sources"].insert_all([
        {"id": "off", "disabled_reason": "410 Gone"},
        {"id": "later", "next_due": "2026-11-02T00:00:00Z"},
        {"id": "now", "next_due": "2026-11-01T00:00:00Z"},  # due at this very moment
        {"id": "fine"},
    ], pk="id")
    not_due = sources_not_due(db, "2026-11-01T00:00:00Z")
    assert not_due == {"off": "disabled (410 Gone); `prodops sources enable off`",
                       "later": "backing off after errors until 2026-11-02T00:00:00Z"}
    chosen = [source(name) for name in ("off", "later", "now", "fine")]
    kept, skipped = skip_not_due(db, chosen, named=False, now="2026-11-01T00:00:00Z")
    assert [s.id for s in kept] == ["now", "fine"] and skipped == not_due
    assert skip_not_due(db, chosen, named=True, now="2026-11-01T00:00:00Z") == (chosen, {})


def test_enabling_clears_the_state_and_an_unknown_source_is_false(db):
    db["sources"].insert({"id": "a", "disabled_reason": "x", "next_due": END, "consecutive_errors": 8}, pk="id")
    assert enable_source(db, "a") is True
    row = db["sources"].get("a")
    assert (row["disabled_reason"], row["next_due"], row["consecutive_errors"]) == (None, None, 0)
    assert enable_source(db, "nope") is False


def test_last_successes_read_only_those_that_succeeded(tmp_path, db):
    assert last_successes(str(tmp_path / "missing.db")) == {}
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    assert last_successes(str(empty)) == {}  # a database without the sources table yet
    crawl(db, [source("a"), source("b")], {**succeeded("a"), **unreachable("b")})
    found = last_successes(str(tmp_path / "c.db"))
    assert list(found) == ["a"] and found["a"].isoformat() == "2026-11-01T00:10:00+00:00"


def test_a_drop_is_counted_by_its_declared_reason_never_by_its_words():
    from scrapy.exceptions import DropItem
    from scrapy.utils.test import get_crawler

    from pipeline.counters import DropReason, count_dropped, dropped_by_reason
    from pipeline.stages.drops import Dropped, reason_of

    stats = get_crawler().stats
    count_dropped(stats, reason_of(Dropped(DropReason.NO_CONTENT, "no main text in https://a.example/")))
    count_dropped(stats, reason_of(DropItem("no-content: a message that only looks like a reason")))
    assert dropped_by_reason(stats.get_stats()) == {"no-content": 1, "unspecified": 1}
    with pytest.raises(ValueError):
        count_dropped(stats, "a-reason-nobody-declared")  # type: ignore[arg-type]
