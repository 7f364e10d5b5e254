"""What a worker process (of the crawl's local pool, or a Dask worker of a cluster) runs
before its first task: the models loaded, the signals left to the crawler.

Kept apart from the pool (pipeline/stages/pool.py, a Scrapy stage module) so that a worker
imports the understand layer only: no Scrapy or Twisted, a third less to import at start.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import resource
import signal
import sys
import threading
from contextlib import contextmanager
from multiprocessing import resource_tracker
from multiprocessing.context import BaseContext
from typing import Iterator, NamedTuple

from pebble import ProcessPool

# What the fork server imports before it forks the first worker (see worker_context).
PRELOAD = "pipeline.understand.preload"

# A stop of the crawl (Ctrl-C, or SIGTERM from `timeout`, cron, systemd): the crawler's to handle.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def warm_up(taxonomy_path: str | None = None, entities_path: str | None = None, semantic: bool = True) -> bool:
    """Load, in a worker, what the stages load on first use (trafilatura and the date parser's
    patterns, the embedding model; given the crawl's taxonomy and entities files, their
    compiled phrases and concept vectors: half a second more), so that no page's task pays
    for it against PRODOPS_TASK_TIMEOUT and the first pages find the workers ready; then
    freeze what is loaded out of the garbage collector's sight (the models' and parsers'
    millions of long-lived objects need no scanning, and every page's extraction triggers
    collections)."""
    from pipeline.understand.classify import classify_text, language  # noqa: PLC0415
    from pipeline.understand.embeddings import model  # noqa: PLC0415
    from pipeline.understand.extraction import extract_html  # noqa: PLC0415
    from pipeline.understand.tagging import describe  # noqa: PLC0415

    sample = "Product operations. " * 30
    extract_html("<html><head><meta name='date' content='2026-01-02'></head><body><article><p>"
                 + sample + "</p></article></body></html>", "http://localhost/")
    language(sample, None)  # the language identifier's model: most of a warm-up's time
    loaded = model() is not None
    try:
        if taxonomy_path:
            classify_text(taxonomy_path, "http://localhost/", "Product operations", sample, False, "en")
        if taxonomy_path and entities_path:
            describe(taxonomy_path, entities_path, "Product operations", None, sample, semantic)
    except Exception:  # noqa: BLE001 - a malformed file is the crawl's to report, in one line, before any page
        pass
    gc.freeze()
    return loaded


def worker_context() -> BaseContext:
    """How worker processes start, for every pool of them (the crawl's, `retag`'s): forked
    from multiprocessing's fork server, which imports PRELOAD — the models loaded once, not
    once per worker (loading them is most of a worker's start-up: docs/benchmarks.md), and a
    worker replaced after a stuck page or a bomb starts warm. The fork server is a fresh
    interpreter with no reactor and no threads of ours, so forking it is safe where forking
    the crawler (Twisted, the pool's own threads) is not."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([PRELOAD])
    return context


@contextmanager
def stops_held() -> Iterator[None]:
    """Hold the stop signals while worker processes start, then deliver the first that came.
    Two holds, for the two ways a stop would break a start: this thread blocks them, and the
    fork server, started from it, inherits the block through fork and exec and ignores them
    before it lets them through (PRELOAD), so that a Ctrl-C cannot kill it half-way through
    loading the models, with a traceback; and a stop the kernel hands to another thread (the
    numerical libraries' own) only is noted, instead of raising KeyboardInterrupt half-way
    through a worker's start, leaving an orphan. Call it from the main thread (a signal's
    handler can be set there only); elsewhere it holds nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    # multiprocessing starts its resource tracker before the fork server, with the stops
    # blocked, then unblocks them in this thread, undoing the hold: started first, it is not.
    resource_tracker.ensure_running()
    came: list[int] = []
    handlers = {number: signal.signal(number, lambda signum, frame: came.append(signum)) for number in STOP_SIGNALS}
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a blocked one arrives now, and is noted
        for number, handler in handlers.items():
            signal.signal(number, handler)
        if came:
            signal.raise_signal(came[0])  # to the handler of before: a stop, now that the workers are whole


def local_pool(workers: int, memory_mb: int = 0, warm_up_arguments: tuple | None = None,
               log: WorkerLog | None = None) -> ProcessPool:
    """A pool of `workers` processes on this machine (forked from the fork server, each
    prepared by `prepare_worker` with `memory_mb`, `warm_up_arguments` and `log`), started now with
    the stops held, so that a Ctrl-C or SIGTERM while they start neither kills one half-made
    (a traceback from the orphan) nor is lost: this process gets it once they have started
    (should it raise, the pool is closed first).
    pebble's pool, not the standard library's: it can stop one stuck worker, and starts them
    all at once rather than one per task."""
    pool = None
    try:
        with stops_held():
            pool = ProcessPool(max_workers=workers, context=worker_context(), initializer=prepare_worker,
                               initargs=(memory_mb, warm_up_arguments, log))
            pool.schedule(os.getpid)  # a first task: pebble starts its workers on one
    except BaseException:  # a stop held meanwhile, raised as it ends (KeyboardInterrupt): none is left
        if pool is not None:
            pool.close()
            pool.join()
        raise
    return pool


class WorkerLog(NamedTuple):
    """Where a worker's log records go: the crawl's log file, with Scrapy's LOG_LEVEL,
    LOG_FORMAT and LOG_DATEFORMAT (pipeline.stages.pool.WorkerPool.from_settings)."""

    file: str
    level: str | int
    format: str
    date_format: str


def log_to(log: WorkerLog) -> None:
    """Send this worker's log records (the parsers' complaints about a stranger's bytes,
    such as pypdf's "incorrect startxref pointer"), and its warnings, to the crawl's log file
    beside the crawler's own, not to the terminal, where the crawl shows a progress line and a
    summary only. Each record is one appended write, so the processes' lines do not mix."""
    handler = logging.FileHandler(log.file, encoding="utf-8")  # appends, as Scrapy's does
    handler.setFormatter(logging.Formatter(log.format, log.date_format))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(log.level)
    logging.captureWarnings(True)


def prepare_worker(memory_mb: int = 0, warm_up_arguments: tuple | None = (), log: WorkerLog | None = None) -> None:
    """A local pool worker's initializer: SIGINT and SIGTERM are for the crawler process,
    which stops the pool itself when the crawl has closed (the pages in flight finish); its
    log goes to `log` (None: as Python's does, warnings and worse on stderr: `-v`, where the
    crawl's log is the terminal, and `reextract`); the models (and the files given, as
    `warm_up` takes them; None: nothing) load before the first page; then the address space
    is capped at `memory_mb` MiB (0: not capped), so a parser of hostile bytes raises
    MemoryError instead of taking the machine's memory. The cap comes after the warm-up: the
    models are ours, and loading them must not fail."""
    for number in STOP_SIGNALS:
        signal.signal(number, signal.SIG_IGN)
    if log is not None:
        log_to(log)
    if warm_up_arguments is not None:
        warm_up(*warm_up_arguments)
    if memory_mb > 0:
        resource.setrlimit(resource.RLIMIT_AS, address_space_cap(memory_mb))


def address_space_cap(memory_mb: int) -> tuple[int, int]:
    """The (soft, hard) RLIMIT_AS of `memory_mb` MiB a worker may set: never above the hard
    limit it runs under (an administrator's `ulimit -v`: raising it is refused, and the
    pool's every worker failed to start), and no cap at all past what the kernel can hold
    (-s PRODOPS_WORKER_MEMORY_MB=99999999999999 overflowed, every page "Unexpected error
    within the Pool")."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = memory_mb * 1024 * 1024
    if cap > sys.maxsize:
        cap = resource.RLIM_INFINITY
    if hard != resource.RLIM_INFINITY and (cap == resource.RLIM_INFINITY or cap > hard):
        cap = hard
    return cap, cap
