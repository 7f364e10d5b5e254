"""The process pool that CPU-bound stages share (extraction, classification, tagging,
signatures), one per crawl, so the crawler's own process stays free to fetch and store.

PRODOPS_EXTRACT_WORKERS sets its size (0 = one process per core; 1 = no pool: the work runs
inline in the crawler process, simplest to debug). Stages get it with `WorkerPool.of(crawler)`
and await `pool.run(function, *args)`: Scrapy goes on downloading meanwhile.

A task that runs longer than PRODOPS_TASK_TIMEOUT seconds (a pathological page or PDF: pypdf
and lxml have had infinite-loop bugs) has its worker stopped and replaced, and raises
TaskTimeout, so one document can never hang a crawl. pebble's pool does that (the stdlib's
cannot stop one worker). Work run inline (a pool of one) has no time limit.

A stop (SIGTERM from `timeout`, cron or systemd, which signal every process of the crawl; or
Ctrl-C) is the crawler's to handle: workers ignore both signals and finish the pages in
flight, which Scrapy lets through before it closes the spider. Should a worker die anyway
while the crawl is stopping, its page is dropped as `interrupted` (the next crawl fetches
it again), not counted as an error of its source.

Backpressure: when fetching outpaces the workers (pages that answer 404 become feed-entry
documents at network speed), pages would pile up in memory waiting for a worker. Past
PENDING_PER_WORKER tasks a worker, the pool pauses the engine's new downloads, and resumes
them when half are done.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import astuple

from pebble import ProcessPool
from scrapy import signals
from scrapy.exceptions import DropItem

from pipeline.stages.reading import ReadAhead
from pipeline.understand.worker import prepare_worker

ATTRIBUTE = "prodops_worker_pool"  # where the crawler keeps its pool
PENDING_PER_WORKER = 16  # tasks waiting or running per worker before downloads pause
CLUSTER_LOST = "cluster-lost"  # the spider's close reason when a Dask scheduler goes away


def worker_count(setting: int) -> int:
    """Resolve the PRODOPS_EXTRACT_WORKERS setting to a number of processes."""
    return setting if setting > 0 else (os.cpu_count() or 1)


class TaskTimeout(Exception):
    """A task ran past PRODOPS_TASK_TIMEOUT; its worker was stopped."""


class Backpressure:
    """What both pools share (this local one and pipeline.stages.cluster's): counting the
    tasks in flight and pausing the engine's downloads while the workers are behind."""

    workers = 1
    _crawler = None
    _pending = 0
    _paused = False

    @property
    def behind(self) -> bool:
        """True while the workers are behind (downloads are paused for them)."""
        return self._paused

    def _hold_downloads(self) -> None:
        engine = getattr(self._crawler, "engine", None)
        if not self._paused and engine is not None and self._pending > self.workers * PENDING_PER_WORKER:
            engine.pause()
            self._paused = True

    def _release_downloads(self) -> None:
        if self._paused and self._pending <= self.workers * PENDING_PER_WORKER // 2:
            self._paused = False
            engine = self._crawler.engine
            engine.unpause()
            # Ask for the next requests now rather than at the engine's next heartbeat (5 s).
            slot = getattr(engine, "_slot", None)
            if slot is not None and getattr(slot, "nextcall", None) is not None:
                slot.nextcall.schedule()


class WorkerPool(Backpressure):
    """A lazily started process pool (spawned: the crawler runs threads a fork would copy)."""

    def __init__(self, workers: int, timeout: float | None = None, crawler=None, warm_up: tuple = ()):
        self.workers = workers
        self.warm_up = warm_up  # what each worker loads at start (pipeline.understand.worker.warm_up)
        self.timeout = timeout if timeout and timeout > 0 else None
        self._crawler = crawler  # to tell a stop from a failure, and to pause downloads
        self._executor: ProcessPool | None = None
        self._pending = 0
        self._paused = False

    @classmethod
    def of(cls, crawler):
        """The crawler's pool, created on first use and shut down when the spider closes: on
        the Dask cluster at PRODOPS_CLUSTER when it is set (pipeline/stages/cluster.py),
        else this local process pool. The stages do not know which runs them."""
        pool = getattr(crawler, ATTRIBUTE, None)
        if pool is None:
            address = crawler.settings.get("PRODOPS_CLUSTER")
            timeout = crawler.settings.getfloat("PRODOPS_TASK_TIMEOUT")
            if address:
                from pipeline.stages.cluster import ClusterPool  # noqa: PLC0415

                pool = ClusterPool(address, timeout, crawler, crawler.settings.getbool("PRODOPS_CLUSTER_INSECURE"))
            else:
                pool = cls(worker_count(crawler.settings.getint("PRODOPS_EXTRACT_WORKERS")), timeout, crawler,
                           astuple(ReadAhead.of(crawler.settings)))  # what the pages' tasks will load
            setattr(crawler, ATTRIBUTE, pool)
            # The workers start (and load their models) while the first feeds are fetched.
            crawler.signals.connect(pool.start, signal=signals.spider_opened)
            crawler.signals.connect(pool.close, signal=signals.spider_closed)
        return pool

    def ship(self, path: str) -> str:
        """The name under which a config file reaches the workers: here, its path (the
        workers share this machine's disk)."""
        return path

    def start(self, *args, **kwargs) -> None:
        """Start the workers, which load their models in their initializer: called as soon as
        the crawler exists (pipeline/crawl/runner.py: the workers load while Scrapy builds
        the crawl and fetches the first feeds), else when the spider opens, else by the
        first page's task. A stop that comes meanwhile is held until the engine runs
        (pipeline/crawl/runner.py: Scrapy would lose it and the crawl never end)."""
        if self.workers > 1 and self._executor is None:
            context = multiprocessing.get_context("spawn")
            self._executor = ProcessPool(max_workers=self.workers, context=context, initializer=prepare_worker,
                                         initargs=self.warm_up)
            self._executor.schedule(os.getpid)  # a first task: pebble starts its workers on one

    async def run(self, function, *args, alone: bool = False):
        """Run a picklable function in a worker (or inline for a pool of one) and await it.
        `alone`: a call that may run long (a parser of fetched bodies); here every call is
        its own task anyway (the cluster's pool batches the others)."""
        if self.workers <= 1:
            return function(*args)
        self.start()
        future = self._executor.schedule(function, args=args, timeout=self.timeout)
        self._pending += 1
        self._hold_downloads()
        try:
            return await asyncio.wrap_future(future)
        except FutureTimeout:
            raise TaskTimeout(f"took longer than {self.timeout:g} s (PRODOPS_TASK_TIMEOUT); "
                              "stopped") from None
        except Exception as error:  # noqa: BLE001 - a stop is told apart from a failure here
            if self._stopping():
                raise DropItem(f"interrupted: the crawl was stopping ({type(error).__name__})") from None
            raise
        finally:
            self._pending -= 1
            self._release_downloads()

    def _stopping(self) -> bool:
        return self._crawler is not None and not getattr(self._crawler, "crawling", True)

    def close(self, *args, **kwargs) -> None:
        """Stop the workers."""
        if self._executor is not None:
            self._executor.close()
            self._executor.join()
            self._executor = None
