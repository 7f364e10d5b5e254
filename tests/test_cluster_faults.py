"""Faults of a real Dask cluster mid-crawl (tests/dask_cluster.py starts it): a worker
killed, a worker of another version joining, a page past its time, the scheduler lost. Each
test has a cluster of its own, whose processes it kills or restarts."""

from __future__ import annotations

import time

import pytest
import sqlite_utils
from conftest import FAST, run_prodops, write_sources
from dask_cluster import Cluster, crawl_under_way, generated_feed

from pipeline.config.sources import Source
from pipeline.demo.webserver import Route, StaticWeb

pytestmark = pytest.mark.long  # run early: conftest.pytest_collection_modifyitems


@pytest.fixture
def cluster(tmp_path):
    """A cluster of this test's own: for the tests that kill or restart its processes."""
    running = Cluster(tmp_path)
    yield running
    running.stop()


def test_a_worker_killed_mid_crawl_loses_no_page(tmp_path, cluster):
    web, sources = generated_feed(tmp_path, 60)  # killed at 20 fetched: the rest still to do
    with web:
        crawl = crawl_under_way(web, sources, tmp_path / "c.db", cluster.address)
        cluster.kill(cluster.workers[0])  # the worker and its nanny, mid-crawl
        out, err = crawl.communicate(timeout=300)
    assert crawl.returncode == 0, out + err
    db = sqlite_utils.Database(tmp_path / "c.db")
    assert db["documents"].count == 60, out + err
    assert db.execute("SELECT count(DISTINCT url) FROM documents").fetchone()[0] == 60
    assert db["runs"].get(1)["errors"] == 0, db["runs"].get(1)["error_messages"]


def test_a_worker_of_another_version_joining_mid_crawl_stops_it_cleanly(tmp_path, cluster):
    web, sources = generated_feed(tmp_path, 150)
    preload = tmp_path / "other_version.py"
    preload.write_text("import pipeline.stages.cluster_tasks as t\nt.installed_version = lambda: '0.0.0-other'\n")
    with web:
        crawl = crawl_under_way(web, sources, tmp_path / "c.db", cluster.address)
        cluster.workers.append(cluster.start_worker(preload))  # another version joins...
        cluster.wait_for(3)
        for worker in cluster.workers[:2]:  # ...and is soon the only one left
            cluster.kill(worker)
        out, err = crawl.communicate(timeout=300)
    assert crawl.returncode == 1, out + err
    assert "Traceback" not in err
    assert "runs prodops-curator 0.0.0-other, this crawler" in out, out + err
    db = sqlite_utils.Database(tmp_path / "c.db")
    assert db["runs"].get(1)["status"] == "interrupted"
    assert db["runs"].get(1)["errors"] == 0, db["runs"].get(1)["error_messages"]
    assert db["documents"].count < 150


def test_a_page_past_its_time_on_the_cluster_does_not_stall_the_crawl(tmp_path, cluster):
    paragraph = "<p>" + "Product operations keeps the planning cadence honest. " * 8 + "</p>"
    huge = ("<html><body><article>" + paragraph * 32000 + "</article></body></html>").encode()  # 14 MB
    good = ("<html><head><title>Good</title></head><body><article><h1>Good</h1>" + paragraph * 3
            + "</article></body></html>").encode()
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain"), "/huge": Route(huge), "/good": Route(good)})
    with web:
        sources = write_sources(tmp_path / "s.yaml", [Source("huge", "H", "url", web.base_url + "/huge"),
                                                      Source("good", "G", "url", web.base_url + "/good")])
        result = run_prodops("crawl", "--sources", str(sources), "--db", str(tmp_path / "c.db"),
                             "--allow-private-network", *FAST, "-s", "PRODOPS_TASK_TIMEOUT=3",
                             "--cluster", cluster.address)
    assert result.returncode == 0, result.stdout + result.stderr
    db = sqlite_utils.Database(tmp_path / "c.db")
    assert [row["source_id"] for row in db["documents"].rows] == ["good"], result.stdout + result.stderr
    assert "took longer than 3 s" in db["sources"].get("huge")["last_warning"]


def test_a_scheduler_lost_mid_run_interrupts_the_run_and_a_rerun_finishes(tmp_path):
    web, sources = generated_feed(tmp_path, 60)  # lost at 20 fetched: the rest still to do
    first = Cluster(tmp_path)
    with web:
        try:
            crawl = crawl_under_way(web, sources, tmp_path / "c.db", first.address)
            Cluster.kill(first.scheduler)
            lost_at = time.monotonic()
            out, err = crawl.communicate(timeout=300)
            ended_in = time.monotonic() - lost_at
        finally:
            first.stop()
        assert crawl.returncode == 1, out + err
        # Dask's reconnect attempts are in the run's log file, not tracebacks on the terminal;
        # and the crawl does not wait for Dask to give up reconnecting (CONNECT_TIMEOUT, 10 s)
        assert "Traceback" not in err and "distributed" not in err, err
        assert ended_in < 10, f"the crawl took {ended_in:.1f} s to stop after the scheduler was lost"
        db = sqlite_utils.Database(tmp_path / "c.db")
        assert db["runs"].get(1)["status"] == "interrupted"
        stored = db["documents"].count
        assert stored < 60
        second = Cluster(tmp_path)
        try:
            again = run_prodops("crawl", "--sources", str(sources), "--db", str(tmp_path / "c.db"),
                                "--allow-private-network", *FAST, "--cluster", second.address)
        finally:
            second.stop()
    assert again.returncode == 0, again.stdout + again.stderr
    assert db["documents"].count == 60
