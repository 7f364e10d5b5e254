"""Shared fixtures: the sample web on 127.0.0.1 and a way to run the real `prodops` CLI."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from forked_cli import ForkServer

from pipeline.cli.main import main
from pipeline.demo.sampleweb import sample_routes, sample_sources
from pipeline.demo.webserver import StaticWeb

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"


def pytest_collection_modifyitems(items):
    """The modules marked `long` (processes, clusters, a browser: the suite's longest) run
    first, each module's tests in their order. `--dist loadfile --no-loadscope-reorder` (the
    Makefile) hands modules to the two workers in collection order; by default pytest-xdist
    orders them by their number of tests, so the long modules of one or two tests came last,
    and one worker ran on up to 30 s after the other had finished."""
    items.sort(key=lambda item: item.get_closest_marker("long") is None)


@pytest.fixture
def sample_web():
    """The bundled sample web, served on a free port for one test."""
    web = StaticWeb()
    web.routes.update(sample_routes(web.base_url))
    with web:
        yield web


def write_sources(path: Path, sources) -> Path:
    """Write Source objects as a sources.yaml file."""
    entries = [
        {"id": s.id, "name": s.name, "kind": s.kind, "url": s.url,
         **({"settings": s.settings} if s.settings else {})}
        for s in sources
    ]
    path.write_text(yaml.safe_dump({"sources": entries}, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def sample_sources_file(tmp_path, sample_web) -> Path:
    return write_sources(tmp_path / "sources.yaml", sample_sources(sample_web.base_url))


@pytest.fixture(scope="session")
def shared_sample_web():
    """The sample web served for the whole session (each xdist worker its own): the one the
    shared crawled corpus was crawled from, so its documents' URLs answer all along."""
    web = StaticWeb()
    web.routes.update(sample_routes(web.base_url))
    with web:
        yield web


@pytest.fixture(scope="session")
def crawled_sample(tmp_path_factory, shared_sample_web) -> Path:
    """The sample web crawled once a session through the real CLI, its WAL folded into the
    file: tests that need a crawled corpus but do not test the crawl copy it (sample_corpus)."""
    import sqlite3

    folder = tmp_path_factory.mktemp("crawled-sample")
    db_path = crawl_into(write_sources(folder / "sources.yaml", sample_sources(shared_sample_web.base_url)),
                         folder / "prodops.db")
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db_path


@pytest.fixture
def sample_corpus(tmp_path, crawled_sample) -> Path:
    """This test's own copy of the crawled sample web's database (tmp_path/prodops.db)."""
    import shutil

    return Path(shutil.copy(crawled_sample, tmp_path / "prodops.db"))


# Commands that run Scrapy's reactor, which starts once per process: they get a fresh one.
FORKED = ForkServer()
NEEDS_REACTOR = {("crawl",), ("demo",), ("sources", "discover"), ("sources", "suggest"), ("lists", "check"), ("retag",)}


def run_prodops(*args: str, cwd: Path | None = None, timeout: float = 180) -> subprocess.CompletedProcess:
    """Run the real CLI: in a fresh process when it crawls (forked from a process that has
    imported it, forked_cli), else in this one through click's CliRunner (the same `main`,
    much faster). Either way: returncode, stdout and stderr."""
    if args[:1] in NEEDS_REACTOR or args[:2] in NEEDS_REACTOR:
        return FORKED.run(list(args), cwd or ROOT, timeout)
    previous = os.getcwd()
    os.chdir(cwd or ROOT)
    try:
        result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(previous)
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)


# Politeness delays off for the local server; the stages inline (a process pool costs a
# second of start-up per crawl; the sample web is ours, so its bytes need no bound; the
# end-to-end, hostile-web and stopping tests keep the pool, see POOLED).
POOLED = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"]
FAST = [*POOLED, "-s", "PRODOPS_INLINE_STAGES=True"]


def crawl_into(sources_file: Path, db_path: Path) -> Path:
    """Crawl a sources file into a database through the CLI (fast settings); fail loudly."""
    result = run_prodops("crawl", "--sources", str(sources_file), "--db", str(db_path),
                         "--allow-private-network", *FAST)
    assert result.returncode == 0, result.stdout + result.stderr
    return db_path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (at the time of asking)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def closed_port():
    """Gives TCP ports on 127.0.0.1 that refuse connections for the whole test: each bound
    here and never listened on, so no other test's server can take it meanwhile (as it can
    take a free_port() when tests run side by side)."""
    import socket

    held: list[socket.socket] = []

    def port() -> int:
        sock = socket.socket()
        held.append(sock)
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]

    yield port
    for sock in held:
        sock.close()


def crawl_page(tmp_path: Path, html: str | bytes, db_name: str = "c.db", path: str = "/page",
               content_type: str = "text/html; charset=utf-8") -> tuple[Path, dict]:
    """Serve one page (HTML, or a body of `content_type`) at `path` on 127.0.0.1 and crawl it as
    a `url` source through the CLI (fast settings): (the database, the page's documents row)."""
    import sqlite_utils

    from pipeline.config.sources import Source
    from pipeline.demo.webserver import Route

    db_path = tmp_path / db_name
    body = html.encode() if isinstance(html, str) else html
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain"), path: Route(body, content_type)})
    with web:
        sources = write_sources(tmp_path / "s.yaml", [Source("blog", "Blog", "url", f"{web.base_url}{path}")])
        result = run_prodops("crawl", "--sources", str(sources), "--db", str(db_path),
                             "--allow-private-network", *FAST)
    assert result.returncode == 0, result.stderr
    [row] = sqlite_utils.Database(db_path)["documents"].rows
    return db_path, row


def high_water_mib(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    return int(status.split("VmHWM:")[1].split()[0]) / 1024 if "VmHWM:" in status else 0.0


def watch_peaks(process) -> dict[str, float]:
    """The peak RSS (VmHWM) of a process and of each of its descendants, in MiB, sampled every
    0.1 s until it ends. Not os.wait4's ru_maxrss: a child started with vfork + exec (as
    Popen starts it) inherits its parent's high-water mark there, so the pytest process's
    own size (the tests load models) would count as the crawler's."""
    peaks: dict[str, float] = {}

    def descendants(pid: int) -> list[int]:
        found = []
        for children in Path(f"/proc/{pid}/task").glob("*/children"):
            try:
                found += [int(child) for child in children.read_text().split()]
            except OSError:
                pass
        return found + [grandchild for child in found for grandchild in descendants(child)]

    def sample():
        # Until the process is gone or a zombie (no VmHWM then); never poll(): that would
        # reap it under a caller that waits for it itself.
        while high_water_mib(process.pid) > 0:
            for pid in [process.pid, *descendants(process.pid)]:
                name = "crawler" if pid == process.pid else f"process {pid}"
                peaks[name] = max(peaks.get(name, 0.0), round(high_water_mib(pid)))
            time.sleep(0.1)

    threading.Thread(target=sample, daemon=True).start()
    return peaks


def run_bounded(*args: str, seconds: float = 150, one_core: bool = False) -> tuple[subprocess.CompletedProcess, dict]:
    """Run `prodops ARGS` in a subprocess, killed after `seconds` (a test of a bound must not
    hang the suite when the bound is missing), optionally pinned to one CPU (a machine of one
    core): (its result, the peak RSS in MiB of it, "crawler", and of each of its children)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, preexec_fn=(lambda: os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})) if one_core else None)
    watchdog = threading.Timer(seconds, process.kill)
    watchdog.start()
    peaks = watch_peaks(process)
    out, err = process.communicate()
    watchdog.cancel()
    return subprocess.CompletedProcess(args, process.returncode, out, err), peaks
