"""The stages on a real Dask cluster: a scheduler and two workers started here on 127.0.0.1
from the project's own environment (the `dask` command `distributed` installs), and stopped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlite_utils
from conftest import FAST, ROOT, free_port, run_prodops, write_sources

from pipeline.config.sources import Source
from pipeline.demo.generate import generated_web
from pipeline.demo.webserver import Route, StaticWeb
from pipeline.stages.cluster import ClusterError, check_address

DASK = str(Path(sys.executable).parent / "dask")
COMPARED = ("id", "url", "title", "text", "content_hash", "content_type", "language", "tags", "tag_scores",
            "relevance", "why", "entities", "too_short", "gated", "published", "author")


class MutualTLS:
    """A certificate authority made for one test (trustme), and a certificate and key signed by
    it for each role: the scheduler, the workers and the client (the crawler)."""

    def __init__(self, folder: Path):
        import trustme

        self.folder = folder
        self.ca = trustme.CA()
        self.ca.cert_pem.write_to_path(folder / "ca.pem")
        for role in ("scheduler", "worker", "client"):
            issued = self.ca.issue_cert("127.0.0.1", "localhost")
            issued.cert_chain_pems[0].write_to_path(folder / f"{role}.pem")
            issued.private_key_pem.write_to_path(folder / f"{role}.key")

    def flags(self, role: str) -> list[str]:
        """The `dask scheduler` / `dask worker` options of a role."""
        return ["--tls-ca-file", str(self.folder / "ca.pem"), "--tls-cert", str(self.folder / f"{role}.pem"),
                "--tls-key", str(self.folder / f"{role}.key")]

    def security(self, role: str):
        from distributed import Security

        return Security(tls_ca_file=str(self.folder / "ca.pem"), tls_client_cert=str(self.folder / f"{role}.pem"),
                        tls_client_key=str(self.folder / f"{role}.key"), require_encryption=True)

    def environment(self) -> dict[str, str]:
        """The variables that give `prodops` its side of mutual TLS (as docs/scale.md says)."""
        return {"DASK_DISTRIBUTED__COMM__TLS__CA_FILE": str(self.folder / "ca.pem"),
                "DASK_DISTRIBUTED__COMM__TLS__CLIENT__CERT": str(self.folder / "client.pem"),
                "DASK_DISTRIBUTED__COMM__TLS__CLIENT__KEY": str(self.folder / "client.key")}


class Cluster:
    """`dask scheduler` and `dask worker` processes on 127.0.0.1, each its own process group;
    with `tls`, over mutual TLS (certificates made by MutualTLS)."""

    def __init__(self, tmp_path: Path, workers: int = 2, preload: Path | None = None, tls: MutualTLS | None = None):
        self.port = free_port()
        self.tls = tls
        self.address = f"{'tls' if tls else 'tcp'}://127.0.0.1:{self.port}"
        self.tmp_path = tmp_path
        self.scheduler = self._start([DASK, "scheduler", "--host", "127.0.0.1", "--port", str(self.port),
                                      "--no-dashboard",
                                      *(["--protocol", "tls", *tls.flags("scheduler")] if tls else [])],
                                     "scheduler")
        self.workers = [self.start_worker(preload) for _ in range(workers)]
        self.wait_for(workers)

    def _start(self, command: list[str], name: str) -> subprocess.Popen:
        log = open(self.tmp_path / f"{name}-{len(list(self.tmp_path.glob(name + '*')))}.log", "w")
        return subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def start_worker(self, preload: Path | None = None) -> subprocess.Popen:
        command = [DASK, "worker", self.address, "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1",
                   "--death-timeout", "30", *(self.tls.flags("worker") if self.tls else [])]
        if preload is not None:
            command += ["--preload", str(preload)]
        return self._start(command, "worker")

    def wait_for(self, workers: int) -> None:
        from distributed import Client

        deadline = time.monotonic() + 90
        while True:
            try:
                with Client(self.address, timeout=5, set_as_default=False,
                            security=self.tls.security("client") if self.tls else None) as client:
                    client.wait_for_workers(workers, timeout=max(1, deadline - time.monotonic()))
                    return
            except (OSError, TimeoutError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)  # the scheduler is starting; bounded by the deadline

    @staticmethod
    def kill(process: subprocess.Popen) -> None:
        """SIGKILL a process and all its children (a worker's nanny and its worker)."""
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=30)

    def stop(self) -> None:
        for process in [*self.workers, self.scheduler]:
            self.kill(process)

    def work_done(self) -> dict[str, tuple[int, dict[str, float]]]:
        """What each worker has run, as the worker itself counts it: {worker: (tasks executed,
        {function name: seconds spent running it})}. Only tasks count: the version checks, the
        shipping of config files and the warm-up travel as `client.run` calls, which are not
        tasks."""
        from distributed import Client

        def work_of(dask_worker) -> tuple[int, dict[str, float]]:  # runs on the worker (sent by value)
            elapsed = dask_worker.state.task_counter.cumulative_elapsed()
            spent = {name: seconds for (name, state), seconds in elapsed.items() if state == "executing"}
            return dask_worker.state.executed_count, spent

        with Client(self.address, timeout=10, set_as_default=False,
                    security=self.tls.security("client") if self.tls else None) as client:
            return client.run(work_of)


def generated_feed(tmp_path: Path, pages: int) -> tuple[StaticWeb, Path]:
    """A generated web of `pages` articles in one feed (not yet served), and its sources file."""
    web = StaticWeb()
    web.routes.update(generated_web(web.base_url, pages)[1])
    sources = write_sources(tmp_path / "s.yaml", [Source("gen", "Gen", "feed", f"{web.base_url}/feed.xml",
                                                         settings={"max_entries": 200})])
    return web, sources


def crawl_under_way(web: StaticWeb, sources: Path, db: Path, address: str) -> subprocess.Popen:
    """A crawl through the cluster at `address`, started and waited for until it has fetched 20
    of the web's articles (so that a fault can strike mid-crawl)."""
    crawl = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "crawl", "--sources", str(sources), "--db", str(db),
         "--allow-private-network", *FAST, "--cluster", address],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while len([p for p in web.requests if p.startswith("/blog/")]) < 20:
        assert time.monotonic() < deadline and crawl.poll() is None, "the crawl did not get going"
        time.sleep(0.05)  # waiting for the crawl to be under way, bounded by the deadline
    return crawl


@pytest.fixture
def cluster(tmp_path):
    """A cluster of this test's own: for the tests that kill or restart its processes."""
    running = Cluster(tmp_path)
    yield running
    running.stop()


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


def test_an_unreachable_scheduler_is_one_line_exit_2_and_nothing_written(tmp_path, sample_sources_file,
                                                                         monkeypatch):
    # Dask's own setting says how long to try (CONNECT_TIMEOUT, 10 s, when not set)
    monkeypatch.setenv("DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT", "2s")
    address = f"tcp://127.0.0.1:{free_port()}"
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
    preload.write_text("import pipeline.stages.cluster as cluster\ncluster.installed_version = lambda: '0.0.0-other'\n")
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


def test_a_worker_of_another_version_joining_mid_crawl_stops_it_cleanly(tmp_path, cluster):
    web, sources = generated_feed(tmp_path, 150)
    preload = tmp_path / "other_version.py"
    preload.write_text("import pipeline.stages.cluster as cluster\ncluster.installed_version = lambda: '0.0.0-other'\n")
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


@pytest.mark.parametrize("command", [("crawl",), ("retag",), ("eval", "--no-semantic")])
def test_a_cluster_off_this_machine_without_mutual_tls_is_refused_before_connecting(tmp_path, command):
    # A name that cannot resolve: no traffic leaves 127.0.0.0/8, and a check that tried to
    # connect would say "cannot reach" (after its 10 s timeout) instead of refusing: the
    # refusal comes before any connection.
    for address, says in [("tcp://scheduler.invalid:8786", "must be reached over tls://"),
                          ("scheduler.invalid:8786", "must be reached over tls://"),
                          ("tls://scheduler.invalid:8786", "mutual TLS needs this client's CA file")]:
        result = run_prodops(*command, "--db", str(tmp_path / "c.db"), "--cluster", address)
        assert result.returncode == 2, result.stdout + result.stderr
        assert says in result.stderr and "--cluster-insecure" in result.stderr, result.stderr
        assert "cannot reach" not in result.stderr and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "c.db").exists()


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
