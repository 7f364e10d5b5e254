"""The stages on a real Dask cluster (tests/dask_cluster.py starts it): a crawl, retag and
eval through it store and measure what they do here; what it refuses (another version, no
scheduler, a cluster off this machine without mutual TLS); calls sent together. Its faults
mid-crawl are in tests/test_cluster_faults.py."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import sqlite_utils
from conftest import FAST, ROOT, run_prodops
from dask_cluster import Cluster, MutualTLS

from pipeline.stages.cluster_connect import ClusterError, check_address
from pipeline.store.database import open_database

pytestmark = pytest.mark.long  # run early: conftest.pytest_collection_modifyitems

COMPARED = ("id", "url", "title", "text", "content_hash", "content_type", "language", "tags", "tag_scores",
            "relevance", "why", "entities", "too_short", "gated", "published", "author")


# The module's tests run on one pytest worker (`--dist loadfile`, the Makefile): it starts once.
@pytest.fixture(scope="module")
def shared_cluster(tmp_path_factory):
    """One cluster for the tests that only send it work (they count work done as a difference)."""
    running = Cluster(tmp_path_factory.mktemp("shared-cluster"))
    yield running
    running.stop()


def work_since(cluster: Cluster, before: dict[str, tuple[int, dict[str, float]]]) -> dict[str, tuple[int, set[str]]]:
    """The work each worker has done since `before` (cluster.work_done()): (tasks executed,
    the names of the functions they ran)."""
    def since(worker: str, count: int, spent: dict[str, float]) -> tuple[int, set[str]]:
        count_before, spent_before = before.get(worker, (0, {}))
        return count - count_before, {name for name, seconds in spent.items() if seconds > spent_before.get(name, 0)}

    return {worker: since(worker, count, spent) for worker, (count, spent) in cluster.work_done().items()}


def rows_of(db_path: Path) -> dict[str, dict]:
    db = sqlite_utils.Database(db_path)
    return {row["id"]: {k: row[k] for k in COMPARED} for row in db["documents"].rows}


def clusters_of(db_path: Path) -> set[frozenset]:
    db = sqlite_utils.Database(db_path)
    groups: dict[str, set] = {}
    for row in db["documents"].rows:
        groups.setdefault(row["cluster_id"], set()).add(row["id"])
    return {frozenset(group) for group in groups.values()}


def test_a_crawl_through_the_cluster_stores_what_the_local_pool_stores(tmp_path, sample_web, sample_sources_file,
                                                                         shared_cluster):
    cluster = shared_cluster
    local = run_prodops("crawl", "--sources", str(sample_sources_file), "--db", str(tmp_path / "local.db"),
                        "--allow-private-network", *FAST)
    assert local.returncode == 0, local.stderr
    remote = run_prodops("crawl", "--sources", str(sample_sources_file), "--db", str(tmp_path / "cluster.db"),
                         "--allow-private-network", *FAST, "--cluster", cluster.address)
    assert remote.returncode == 0, remote.stdout + remote.stderr
    assert f"Stages run on the Dask cluster at {cluster.address} (2 worker(s))" in remote.stderr
    assert rows_of(tmp_path / "cluster.db") == rows_of(tmp_path / "local.db")
    assert clusters_of(tmp_path / "cluster.db") == clusters_of(tmp_path / "local.db")
    signatures = "SELECT document_id, signature FROM minhashes ORDER BY document_id"
    assert (sqlite_utils.Database(tmp_path / "cluster.db").execute(signatures).fetchall()
            == sqlite_utils.Database(tmp_path / "local.db").execute(signatures).fetchall())


def test_an_unreachable_scheduler_is_one_line_exit_2_and_nothing_written(tmp_path, sample_sources_file,
                                                                         monkeypatch, closed_port):
    # Dask's own setting says how long to try (CONNECT_TIMEOUT, 10 s, when not set)
    monkeypatch.setenv("DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT", "2s")
    address = f"tcp://127.0.0.1:{closed_port()}"
    started = time.monotonic()
    result = run_prodops("crawl", "--sources", str(sample_sources_file), "--db", str(tmp_path / "c.db"),
                         "--allow-private-network", "--cluster", address)
    assert result.returncode == 2
    assert f"cannot reach the Dask scheduler at {address}" in result.stderr
    assert 2 <= time.monotonic() - started < 8, "the connect timeout Dask's config gives was not used"
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "c.db").exists()
    malformed = run_prodops("crawl", "--sources", str(sample_sources_file), "--db", str(tmp_path / "c.db"),
                            "--cluster", "not an address")
    assert malformed.returncode == 2 and "give an address such as tls://host:8786" in malformed.stderr
    assert "Traceback" not in malformed.stderr and not (tmp_path / "c.db").exists()


def test_a_worker_of_another_version_is_refused(tmp_path, sample_sources_file):
    preload = tmp_path / "other_version.py"
    preload.write_text("import pipeline.stages.cluster_tasks as t\nt.installed_version = lambda: '0.0.0-other'\n")
    other = Cluster(tmp_path, workers=1, preload=preload)
    try:
        result = run_prodops("crawl", "--sources", str(sample_sources_file), "--db", str(tmp_path / "c.db"),
                             "--allow-private-network", "--cluster", other.address)
    finally:
        other.stop()
    assert result.returncode == 2, result.stdout + result.stderr
    assert "runs prodops-curator 0.0.0-other, this crawler" in result.stderr
    assert "install the same version on every machine" in result.stderr
    assert not (tmp_path / "c.db").exists()


def test_calls_made_together_travel_as_one_task_and_each_gets_its_own_result(shared_cluster):
    cluster = shared_cluster
    import asyncio
    import operator

    from pipeline.stages.cluster import MAX_BATCH, ClusterPool

    async def run_all():
        pool = ClusterPool(cluster.address, timeout=60)
        try:
            calls = [pool.run(operator.add, i, 1) for i in range(40)] + [pool.run(operator.truediv, 1, 0)]
            return await asyncio.gather(*calls, return_exceptions=True), pool.tasks_sent
        finally:
            await pool.aclose()

    results, tasks_sent = asyncio.run(run_all())
    assert results[:40] == list(range(1, 41))
    assert isinstance(results[40], ZeroDivisionError)  # the failing call's own, and only its
    assert tasks_sent == -(-41 // MAX_BATCH)


def test_a_batch_that_fails_as_a_whole_is_sent_again_call_by_call(shared_cluster):
    # A result that cannot travel back (a lock) fails the batch's task as a whole, as a worker
    # lost under it would: each call is sent again alone, and only its own fails.
    import asyncio
    import operator
    import threading

    from pipeline.stages.cluster import ClusterPool

    async def run_all():
        pool = ClusterPool(shared_cluster.address, timeout=60)
        try:
            calls = [pool.run(operator.add, i, 1) for i in range(5)] + [pool.run(threading.Lock)]
            return await asyncio.gather(*calls, return_exceptions=True), pool.tasks_sent
        finally:
            await pool.aclose()

    results, tasks_sent = asyncio.run(run_all())
    assert results[:5] == [1, 2, 3, 4, 5]
    assert isinstance(results[5], Exception)
    assert tasks_sent == 1 + 6  # the batch, then each of its calls


@pytest.mark.parametrize("command", [("crawl",), ("retag",), ("eval", "--no-semantic")])
def test_a_cluster_off_this_machine_without_mutual_tls_is_refused_before_connecting(tmp_path, command):
    # A name that cannot resolve: no traffic leaves 127.0.0.0/8, and a check that tried to
    # connect would say "cannot reach" (after its 10 s timeout) instead of refusing: the
    # refusal comes before any connection. (A corpus there: retag reads one.)
    db = tmp_path / "c.db"
    open_database(db).close()
    before = db.read_bytes()
    for address, says in [("tcp://scheduler.invalid:8786", "must be reached over tls://"),
                          ("scheduler.invalid:8786", "must be reached over tls://"),
                          ("tls://scheduler.invalid:8786", "mutual TLS needs this client's CA file")]:
        result = run_prodops(*command, "--db", str(db), "--cluster", address)
        assert result.returncode == 2, result.stdout + result.stderr
        assert says in result.stderr and "--cluster-insecure" in result.stderr, result.stderr
        assert "cannot reach" not in result.stderr and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert db.read_bytes() == before  # nothing written


def test_the_trust_check_of_cluster_addresses():
    assert check_address("tcp://127.0.0.1:8786") is None  # this machine's own processes
    assert check_address("tcp://localhost:8786") is None
    assert check_address("tcp://[::1]:8786") is None
    for refused in ("tcp://10.1.2.3:8786", "tcp://scheduler.invalid:8786", "tls://scheduler.invalid:8786"):
        with pytest.raises(ClusterError):
            check_address(refused)
        assert "--cluster-insecure" in check_address(refused, insecure=True)
    import dask.config

    with dask.config.set({"distributed.comm.tls.ca-file": "ca.pem", "distributed.comm.tls.client.cert": "c.pem",
                          "distributed.comm.tls.client.key": "c.key"}):
        assert check_address("tls://scheduler.invalid:8786") is None  # mutual TLS: trusted
        with pytest.raises(ClusterError):
            check_address("tcp://scheduler.invalid:8786")  # certificates do not help a plain address


def test_a_crawl_through_a_cluster_with_mutual_tls(tmp_path, sample_web, sample_sources_file, monkeypatch):
    tls = MutualTLS(tmp_path)
    running = Cluster(tmp_path, workers=1, tls=tls)
    try:
        # Mutual: a client whose certificate another CA signed is not let in.
        from distributed import Client, Security

        (tmp_path / "stranger").mkdir()
        stranger = MutualTLS(tmp_path / "stranger")
        with pytest.raises((OSError, TimeoutError)):
            Client(running.address, timeout=3, set_as_default=False, security=Security(
                tls_ca_file=str(tmp_path / "ca.pem"), tls_client_cert=str(stranger.folder / "client.pem"),
                tls_client_key=str(stranger.folder / "client.key"), require_encryption=True))
        for variable, value in tls.environment().items():
            monkeypatch.setenv(variable, value)
        result = run_prodops("crawl", "--sources", str(sample_sources_file), "--db", str(tmp_path / "c.db"),
                             "--allow-private-network", *FAST, "--cluster", running.address)
    finally:
        running.stop()
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Stages run on the Dask cluster at {running.address} (1 worker(s))" in result.stderr
    assert "warning" not in result.stderr.lower()
    db = sqlite_utils.Database(tmp_path / "c.db")
    assert db["documents"].count > 10 and db["runs"].get(1)["status"] == "finished"


def test_retag_on_the_cluster_gives_what_retag_here_gives(tmp_path, sample_web, sample_sources_file, shared_cluster):
    import sqlite3

    cluster = shared_cluster

    crawled = run_prodops("crawl", "--sources", str(sample_sources_file), "--db", str(tmp_path / "here.db"),
                          "--allow-private-network", *FAST)
    assert crawled.returncode == 0, crawled.stderr
    with sqlite3.connect(tmp_path / "here.db") as source, sqlite3.connect(tmp_path / "there.db") as copy:
        source.backup(copy)  # the WAL's pages too
    taxonomy = tmp_path / "taxonomy.yaml"  # a changed taxonomy, so that retag has work to do
    taxonomy.write_text((ROOT / "data" / "taxonomy.yaml").read_text().replace(
        "label: Onboarding, training & enablement", "label: Onboarding and enablement"))
    before = cluster.work_done()
    here = run_prodops("retag", "--db", str(tmp_path / "here.db"), "--taxonomy", str(taxonomy))
    assert sum(count for count, _ in work_since(cluster, before).values()) == 0  # `retag` here left it alone
    there = run_prodops("retag", "--db", str(tmp_path / "there.db"), "--taxonomy", str(taxonomy),
                        "--cluster", cluster.address)
    assert here.returncode == 0 and there.returncode == 0, there.stdout + there.stderr
    assert here.stdout.split(";")[0] == there.stdout.split(";")[0]
    assert rows_of(tmp_path / "there.db") == rows_of(tmp_path / "here.db")
    # The tagging ran on the workers (equal rows alone would not show it: tagging here gives them too).
    work = work_since(cluster, before)
    assert sum(count for count, _ in work.values()) > 0, work
    assert any("judge" in names for _, names in work.values()), work


def test_eval_on_the_cluster_measures_what_eval_here_measures(shared_cluster):
    cluster = shared_cluster
    before = cluster.work_done()
    # The groups whose items the workers read (the neighbourhood's feeds are parsed here either
    # way, and would only make the test slower).
    groups = ("--only", "labelled", "--only", "markup")
    here = run_prodops("eval", "--no-semantic", *groups)
    there = run_prodops("eval", "--no-semantic", *groups, "--cluster", cluster.address)
    assert there.stdout == here.stdout and there.returncode == here.returncode, there.stderr
    assert "situations, held-out: relevance AUC" in there.stdout
    # The labelled items were read on the workers, each of the two taking its share (equal
    # figures alone would not show it: reading them here gives them too).
    work = work_since(cluster, before)
    assert len(work) == 2 and all(count > 0 and "read_item" in names for count, names in work.values()), work
