"""What a worker process (of the crawl's local pool, or a Dask worker of a cluster) runs
before its first task: the models loaded, the signals left to the crawler.

Kept apart from the pool (pipeline/stages/pool.py, a Scrapy stage module) so that a worker
imports the understand layer only: no Scrapy or Twisted, a third less to import at start.
"""

from __future__ import annotations

import gc
import multiprocessing
import resource
import signal
from multiprocessing.context import BaseContext

# What the fork server imports before it forks the first worker (see worker_context).
PRELOAD = "pipeline.understand.preload"


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


def prepare_worker(memory_mb: int = 0, warm_up_arguments: tuple | None = ()) -> None:
    """A local pool worker's initializer: SIGINT and SIGTERM are for the crawler process,
    which stops the pool itself when the crawl has closed (the pages in flight finish); the
    models (and the files given, as `warm_up` takes them; None: nothing) load before the
    first page; then the address space is capped at `memory_mb` MiB (0: not capped), so a
    parser of hostile bytes raises MemoryError instead of taking the machine's memory. The
    cap comes after the warm-up: the models are ours, and loading them must not fail."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if warm_up_arguments is not None:
        warm_up(*warm_up_arguments)
    if memory_mb > 0:
        cap = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
