"""A real Dask cluster for tests: `dask scheduler` and `dask worker` processes started on
127.0.0.1 from the project's own environment (the `dask` command `distributed` installs),
optionally over mutual TLS, and what the cluster tests crawl (tests/test_cluster.py,
tests/test_cluster_faults.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import FAST, ROOT, free_port, write_sources

from pipeline.config.sources import Source
from pipeline.demo.generate import generated_web
from pipeline.demo.webserver import StaticWeb

DASK = str(Path(sys.executable).parent / "dask")


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
