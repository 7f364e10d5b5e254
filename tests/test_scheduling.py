"""Running from cron: one crawl at a time, stale locks detected, --every keeps crawling."""

import os
import sqlite3
import subprocess
import sys
import time

import pytest
import sqlite_utils
from conftest import FAST, ROOT, run_prodops

from pipeline.cli.crawl import parse_interval
from pipeline.crawl.lock import CrawlLockedError, crawl_lock
from pipeline.store.database import open_database


def test_a_second_crawl_on_the_same_database_is_refused(tmp_path, sample_sources_file):
    db_path = tmp_path / "c.db"
    with crawl_lock(db_path):
        result = run_prodops("crawl", "--sources", str(sample_sources_file), "--db", str(db_path),
                             "--allow-private-network", *FAST)
    assert result.returncode == 75
    assert f"another crawl (pid {os.getpid()})" in result.stderr
    with pytest.raises(CrawlLockedError):
        with crawl_lock(db_path):
            with crawl_lock(db_path):
                pass


def test_a_lock_left_by_a_killed_crawl_is_detected_and_its_run_marked(tmp_path, sample_sources_file):
    db_path = tmp_path / "c.db"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pipeline.crawl.lock import crawl_lock\n"
         f"with crawl_lock({str(db_path)!r}):\n    print('locked', flush=True); time.sleep(60)"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    holder.kill()
    holder.wait()
    db = open_database(db_path)
    db["runs"].insert({"id": 99, "started": "2026-01-01T00:00:00Z", "status": "running"}, pk="id")
    result = run_prodops("crawl", "--sources", str(sample_sources_file), "--db", str(db_path),
                         "--allow-private-network", *FAST)
    assert result.returncode == 0, result.stderr
    assert f"The previous crawl (pid {holder.pid}) did not finish" in result.stderr
    assert sqlite_utils.Database(db_path)["runs"].get(99)["status"] == "interrupted"


def test_every_runs_crawls_on_an_interval(tmp_path, sample_sources_file):
    db_path = tmp_path / "c.db"
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "crawl", "--sources", str(sample_sources_file),
         "--db", str(db_path), "--allow-private-network", "--every", "1s", *FAST],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 120
        finished = 0
        while finished < 2 and time.monotonic() < deadline:
            time.sleep(0.5)  # polling for the outcome, bounded by the deadline
            if not db_path.exists():
                continue
            try:  # the file appears before the crawler's migrations have made its tables
                finished = sqlite_utils.Database(db_path).execute(
                    "select count(*) from runs where status = 'finished'").fetchone()[0]
            except sqlite3.OperationalError:
                finished = 0
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert finished >= 2


def test_the_shipped_sources_offline_are_an_outage_whatever_their_kind(tmp_path):
    """A fresh clone crawling data/sources.yaml on a machine with no network (every name
    fails to resolve): feeds, sitemaps, a site, a links page and a page alike report the
    connection failure, so the run is `offline`, no source is marked failing, and the
    summary says so in one line instead of an error per source."""
    from pipeline.config.sources import load_sources

    shipped = ROOT / "data" / "sources.yaml"
    sources = load_sources(shipped)
    assert {source.kind for source in sources} >= {"feed", "sitemap", "site", "links", "url"}
    db_path = tmp_path / "offline.db"
    result = run_prodops("crawl", "--sources", str(shipped), "--db", str(db_path), *FAST, "-s", "RETRY_TIMES=0",
                         "-s", "TWISTED_DNS_RESOLVER=tests.no_network.NoNetworkResolver")
    assert result.returncode == 1, result.stderr
    assert f"No network: none of the {len(sources)} sources could be reached" in result.stdout, result.stdout
    assert "error:" not in result.stdout  # one cause, said once
    db = sqlite_utils.Database(db_path)
    assert [row["status"] for row in db["runs"].rows] == ["offline"]
    for row in db["sources"].rows:
        assert not row["consecutive_errors"] and not row["next_due"] and not row["disabled_reason"], row


@pytest.mark.parametrize("value, seconds", [("90s", 90), ("30m", 1800), ("6h", 21600), ("1d", 86400)])
def test_parse_interval(value, seconds):
    assert parse_interval(value) == seconds


def test_an_outage_is_not_the_sources_fault(tmp_path, closed_port):
    """Every source refused at the connection: the run is `offline` and no source's health
    changes. One of two refused while the other answers: that one's own failure."""
    from conftest import write_sources

    from pipeline.config.sources import Source
    from pipeline.demo.webserver import Route, StaticWeb

    db_path = tmp_path / "c.db"
    dead = [Source(f"dead{i}", "Dead", "url", f"http://127.0.0.1:{closed_port()}/post") for i in range(2)]
    sources = write_sources(tmp_path / "s.yaml", dead)
    for _ in range(2):
        result = run_prodops("crawl", "--sources", str(sources), "--db", str(db_path), "--allow-private-network",
                             *FAST, "-s", "RETRY_TIMES=0")
        assert result.returncode == 1
        assert "No network: none of the 2 sources could be reached" in result.stdout, result.stdout
    db = sqlite_utils.Database(db_path)
    assert [row["status"] for row in db["runs"].rows] == ["offline", "offline"]
    for row in db["sources"].rows:
        assert not row["consecutive_errors"] and not row["next_due"] and not row["disabled_reason"], row

    web = StaticWeb({"/robots.txt": Route(b"", "text/plain"), "/ok": Route(b"<html><body><p>fine</p></body></html>")})
    with web:
        alive = Source("alive", "Alive", "url", f"{web.base_url}/ok")
        sources = write_sources(tmp_path / "s.yaml", [alive, dead[0]])
        result = run_prodops("crawl", "--sources", str(sources), "--db", str(db_path), "--allow-private-network",
                             *FAST, "-s", "RETRY_TIMES=0")
    assert "No network" not in result.stdout
    assert db["runs"].get(3)["status"] == "finished"
    assert db["sources"].get("dead0")["consecutive_errors"] == 1 and db["sources"].get("dead0")["next_due"]
    assert db["sources"].get("alive")["last_status"] == "ok"
