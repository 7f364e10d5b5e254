"""The process pool that CPU-bound stages share (extraction, classification, tagging,
signatures) and that parses every fetched body (feeds, sitemaps, HTML pages, PDFs), one per
crawl, so the crawler's own process stays free to fetch and store — and never parses bytes a
stranger wrote.

PRODOPS_EXTRACT_WORKERS sets its size (0 = one process per core, at least one). Stages and
spiders get the crawl's pool with `pool_of(crawler)` — this local one, or the Dask cluster's
(pipeline/stages/cluster.py) — and await `pool.run(function, *args)` (the
pipeline.stages.tasks.Pool protocol): Scrapy goes on downloading meanwhile.

Parsers of fetched bytes are bounded in two ways, on every path (the crawl, `reextract`,
`lists check`, `sources discover`), a machine of one core included:
- time: a task that runs longer than PRODOPS_TASK_TIMEOUT seconds (a pathological page or
  PDF: pypdf and lxml have had infinite-loop bugs) has its worker stopped and replaced, and
  raises TaskTimeout. pebble's pool does that (the stdlib's cannot stop one worker).
- memory: each worker's address space is capped at PRODOPS_WORKER_MEMORY_MB (RLIMIT_AS, set
  once its models are loaded), so a decompression bomb (a 1.4 MB PDF of twenty 70 MB Flate
  streams) fails its own task with TaskOutOfMemory, and the crawl goes on within the bound.
PRODOPS_INLINE_STAGES runs everything in the crawler's process instead, without either
bound: for debugging, and for tests on the sample web; never for the open web.

A stop (SIGTERM from `timeout`, cron or systemd, which signal every process of the crawl; or
Ctrl-C) is the crawler's to handle: workers ignore both signals and finish the pages in
flight, which Scrapy lets through before it closes the spider. Should a worker die anyway
while the crawl is stopping, its page is dropped as `interrupted` (the next crawl fetches
it again), not counted as an error of its source.

Backpressure (pipeline.stages.tasks.Backpressure): past PENDING_PER_WORKER tasks a worker,
the pool pauses the engine's new downloads, and resumes them when half are done.
"""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import astuple
from typing import Any, Callable

from pebble import ProcessExpired, ProcessPool
from scrapy import signals

from pipeline.counters import DropReason
from pipeline.stages.drops import Dropped
from pipeline.stages.reading import ReadAhead
from pipeline.stages.tasks import Backpressure, Pool, TaskOutOfMemory, TaskTimeout
from pipeline.understand.worker import WorkerLog, local_pool

ATTRIBUTE = "prodops_worker_pool"  # where the crawler keeps its pool


MAX_WORKERS_PER_CORE = 4  # past it, workers only wait for the cores and each holds its models (~80 MB)


def worker_count(setting: int) -> int:
    """Resolve the PRODOPS_EXTRACT_WORKERS setting to a number of processes: 0 is one per
    core this process may run on (its CPU affinity: taskset, a container's cpuset); more
    than MAX_WORKERS_PER_CORE a core is that many (a typo's 100000 would start 100000
    processes and exhaust the memory)."""
    cores = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
    available = max(1, len(cores))
    if setting > 0:
        return min(setting, MAX_WORKERS_PER_CORE * available)
    return available


def pool_of(crawler, warm_up: bool = True) -> Pool:
    """The crawler's pool, created on first use and shut down when the spider closes: on the
    Dask cluster at PRODOPS_CLUSTER when it is set (pipeline/stages/cluster.py), else a
    local WorkerPool. The one place the choice is made; the stages do not know which runs
    them. `warm_up` False: the workers load no models (a spider that only parses, as
    discovery)."""
    pool: Pool | None = getattr(crawler, ATTRIBUTE, None)
    if pool is None:
        settings = crawler.settings
        address = settings.get("PRODOPS_CLUSTER")
        if address:
            # Only with --cluster: distributed takes a second to import, and no worker needs it.
            from pipeline.stages.cluster import ClusterPool  # noqa: PLC0415

            pool = ClusterPool(address, settings.getfloat("PRODOPS_TASK_TIMEOUT"), crawler,
                               settings.getbool("PRODOPS_CLUSTER_INSECURE"))
        else:
            loads = astuple(ReadAhead.of(settings)) if warm_up else None  # what the pages' tasks will load
            pool = WorkerPool.from_settings(settings, crawler, loads)
        setattr(crawler, ATTRIBUTE, pool)
        # The workers start (and load their models) while the first feeds are fetched.
        crawler.signals.connect(pool.start, signal=signals.spider_opened)
        crawler.signals.connect(pool.close, signal=signals.spider_closed)
    return pool


class WorkerPool:
    """A lazily started process pool (its workers forked from a fork server that has loaded the
    models, pipeline.understand.worker.worker_context: the crawler runs threads a fork of it
    would copy)."""

    def __init__(self, workers: int, timeout: float | None = None, crawler=None, warm_up: tuple | None = (),
                 memory_mb: int = 0, inline: bool = False, log: WorkerLog | None = None):
        self.workers = max(1, workers)
        self.warm_up = warm_up  # what each worker loads at start (pipeline.understand.worker.warm_up); None: nothing
        self.timeout = timeout if timeout and timeout > 0 else None
        self.memory_mb = memory_mb  # each worker's address space (0: unbounded)
        self.inline = inline  # PRODOPS_INLINE_STAGES: no processes, no bounds
        self.log = log  # where the workers' log records go (None: stderr, warnings and worse)
        self._crawler = crawler  # to tell a stop from a failure
        self._backpressure = Backpressure(crawler)  # downloads paused while the workers are behind
        self._executor: ProcessPool | None = None

    @property
    def behind(self) -> bool:
        """True while the workers are behind (downloads are paused for them)."""
        return self._backpressure.paused

    @classmethod
    def from_settings(cls, settings, crawler=None, warm_up: tuple | None = ()) -> WorkerPool:
        """A local pool as the settings say (PRODOPS_EXTRACT_WORKERS, PRODOPS_TASK_TIMEOUT,
        PRODOPS_WORKER_MEMORY_MB, PRODOPS_INLINE_STAGES): the one place they are read. The
        workers log where Scrapy does, into LOG_FILE, when the crawl has one."""
        log = (WorkerLog(settings["LOG_FILE"], settings["LOG_LEVEL"], settings["LOG_FORMAT"],
                         settings["LOG_DATEFORMAT"])
               if settings.get("LOG_FILE") and settings.getbool("LOG_ENABLED") else None)
        return cls(worker_count(settings.getint("PRODOPS_EXTRACT_WORKERS")), settings.getfloat("PRODOPS_TASK_TIMEOUT"),
                   crawler, warm_up, settings.getint("PRODOPS_WORKER_MEMORY_MB"),
                   settings.getbool("PRODOPS_INLINE_STAGES"), log)

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
        if not self.inline and self._executor is None:
            self._executor = local_pool(self.workers, self.memory_mb, self.warm_up, self.log)

    async def run(self, function: Callable[..., Any], *args: Any, alone: bool = False) -> Any:
        """Run a picklable function in a worker (or inline, PRODOPS_INLINE_STAGES) and await
        it. `alone`: a call that may hang (a PDF's parser); here every call is its own task
        anyway (the cluster's pool batches the others)."""
        if self.inline:
            return function(*args)
        self.start()
        assert self._executor is not None  # start() made it
        future = self._executor.schedule(function, args=args, timeout=self.timeout)
        try:
            with self._backpressure.task(self.workers):
                return await asyncio.wrap_future(future)
        except FutureTimeout:
            raise TaskTimeout(f"took longer than {self.timeout:g} s (PRODOPS_TASK_TIMEOUT); "
                              "stopped") from None
        except MemoryError:
            raise TaskOutOfMemory(f"needed more memory than a worker may use ({self.memory_mb} MiB, "
                                  "PRODOPS_WORKER_MEMORY_MB); stopped") from None
        except Exception as error:
            if self._stopping():
                raise Dropped(DropReason.INTERRUPTED, f"the crawl was stopping ({type(error).__name__})") from None
            if isinstance(error, ProcessExpired):  # a parser's C code may abort where Python raises MemoryError
                raise TaskOutOfMemory(f"its worker died ({error}); stopped") from None
            raise

    def _stopping(self) -> bool:
        return self._crawler is not None and not getattr(self._crawler, "crawling", True)

    def close(self, *args, **kwargs) -> None:
        """Stop the workers."""
        if self._executor is not None:
            self._executor.close()
            self._executor.join()
            self._executor = None
