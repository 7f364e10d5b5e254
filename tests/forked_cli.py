"""Run `prodops` in a fresh process without paying for its imports each time.

A crawl runs in a process of its own (Scrapy's reactor starts once per process), and most of
a small crawl's time in a new process goes to importing Scrapy, Twisted, trafilatura,
sqlite-utils and the pipeline. A fork server, one per pytest process and started on first
use, imports those once and forks a child for each run. The child is a new process with a
fresh reactor: it takes the caller's arguments, working directory and environment, runs the
real entry point (`pipeline.cli.__main__.run`, as `python -m pipeline.cli` does, with that
module as `__main__` so a worker pool spawns its workers the same way), and exits as that
command would: atexit handlers run, the exit code is kept, output goes to files the caller
reads. Tests of the process itself (stops, memory, crashes, the cluster) still start
`python -m pipeline.cli` with subprocess.

The server speaks JSON lines on its stdin and stdout; it ends when its stdin closes, that is
when the pytest process that started it ends.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# What a crawling command imports: loaded once in the server, before any fork.
PRELOAD = ("pipeline.cli.__main__", "pipeline.cli.main", "pipeline.cli.crawl", "pipeline.cli.sources",
           "pipeline.cli.lists", "pipeline.cli.corpus", "pipeline.cli.serve", "pipeline.store.retag")


class ForkServer:
    """The client side: starts the server on first use and asks it for one run at a time."""

    def __init__(self) -> None:
        self._process: subprocess.Popen | None = None
        self._lock = threading.Lock()

    def _server(self) -> subprocess.Popen:
        if self._process is None or self._process.poll() is not None:
            self._process = subprocess.Popen(
                [sys.executable, __file__], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            ready = self._process.stdout.readline()
            if json.loads(ready or "{}").get("ready") is not True:
                raise RuntimeError(f"the fork server did not start: {ready!r}")
        return self._process

    def run(self, args: list[str], cwd: Path, timeout: float) -> subprocess.CompletedProcess:
        """`prodops ARGS` in a forked child, as subprocess.run(..., capture_output=True, text=True)
        would report it (TimeoutExpired after killing the child when it runs over `timeout`)."""
        with self._lock, tempfile.TemporaryDirectory(prefix="forked-cli-") as folder:
            out, err = Path(folder, "stdout"), Path(folder, "stderr")
            request = {"args": args, "cwd": str(cwd), "env": dict(os.environ), "timeout": timeout,
                       "stdout": str(out), "stderr": str(err)}
            server = self._server()
            server.stdin.write(json.dumps(request) + "\n")
            server.stdin.flush()
            answer = json.loads(server.stdout.readline() or '{"lost": true}')
            if answer.get("lost"):
                raise RuntimeError("the fork server died")
            stdout = out.read_text(encoding="utf-8", errors="replace")
            stderr = err.read_text(encoding="utf-8", errors="replace")
            if answer.get("timed_out"):
                raise subprocess.TimeoutExpired(args, timeout, stdout, stderr)
            return subprocess.CompletedProcess(args, answer["returncode"], stdout, stderr)


def _child(request: dict) -> None:
    """In the forked child: become `python -m pipeline.cli ARGS` and exit as it would."""
    import atexit
    import traceback

    code = 1
    try:
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")  # as loading the model sets it
        if "dask.config" in sys.modules:  # read its configuration from the environment, as at import
            sys.modules["dask.config"].refresh()
        for fd, path, flags in ((0, os.devnull, os.O_RDONLY),
                                (1, request["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
                                (2, request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)):
            opened = os.open(path, flags, 0o600)
            os.dup2(opened, fd)
            os.close(opened)
        # Text streams on the new descriptors (the process's own), as a new process opens them.
        sys.stdin = open(0, closefd=False)
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
        sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)
        entry = sys.modules["pipeline.cli.__main__"]
        sys.modules["__main__"] = entry
        sys.argv = [entry.__file__, *request["args"]]
        sys.path[0] = os.getcwd()  # as `python -m` puts the working directory first
        try:
            entry.run()
            code = 0
        except SystemExit as stop:
            if stop.code is None or isinstance(stop.code, int):
                code = stop.code or 0
            else:
                print(stop.code, file=sys.stderr)
        except BaseException:  # noqa: BLE001 - reported as Python reports an uncaught one
            traceback.print_exc()
        atexit._run_exitfuncs()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _wait(pid: int, timeout: float) -> dict:
    """Wait for the child; kill it when it runs over `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return {"returncode": os.waitstatus_to_exitcode(status)}
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            return {"timed_out": True}
        time.sleep(0.01)


def _preload() -> None:
    """Import what every crawl imports, Scrapy's components included (Scrapy imports them by
    name when a crawler starts), and load the language and embedding models from their
    installed files (pipeline.understand.embeddings.model sets TOKENIZERS_PARALLELISM, unless
    the environment does: so does each child, whose environment is the caller's)."""
    import importlib

    from scrapy.settings import default_settings
    from scrapy.utils.misc import load_object

    from pipeline.understand.worker import warm_up
    from spiders import settings as project_settings

    for name in PRELOAD:
        importlib.import_module(name)
    for module in (default_settings, project_settings):
        for setting in ("DOWNLOADER_MIDDLEWARES_BASE", "DOWNLOADER_MIDDLEWARES", "SPIDER_MIDDLEWARES_BASE",
                        "EXTENSIONS_BASE", "EXTENSIONS", "ITEM_PIPELINES"):
            for path in getattr(module, setting, {}):
                load_object(path)
    for path in default_settings.DOWNLOAD_HANDLERS_BASE.values():
        load_object(path)
    for setting in ("SCHEDULER", "SCHEDULER_PRIORITY_QUEUE", "SCHEDULER_MEMORY_QUEUE", "SCHEDULER_DISK_QUEUE",
                    "DUPEFILTER_CLASS", "STATS_CLASS", "LOG_FORMATTER", "ROBOTSTXT_PARSER"):
        load_object(getattr(default_settings, setting))
    # What a worker loads before its first page (trafilatura's date patterns and the list of
    # top-level domains its metadata reads, the language identifier, the embedding model:
    # loaded, not run, as its tokenizer's threads start on first use, after the fork), as the
    # inline stages of the tests' crawls would load it on their first page.
    warm_up()


def serve() -> None:
    """The server: preload, say ready, then fork one child per request line."""
    sys.path[0] = str(ROOT)
    _preload()
    # A reactor installed here would be every child's, and Scrapy must choose its own.
    assert "twisted.internet.reactor" not in sys.modules, "a preloaded module installed a reactor"
    # A fork copies only the forking thread: a lock another thread held would stay held.
    assert threading.active_count() == 1, f"a preloaded module started a thread: {threading.enumerate()}"
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(request)
        print(json.dumps(_wait(pid, request["timeout"])), flush=True)


if __name__ == "__main__":
    serve()
