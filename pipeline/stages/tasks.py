"""What every worker pool shares, so that neither imports the other: `Pool`, the interface the
stages and spiders await (pipeline.stages.pool.WorkerPool on this machine,
pipeline.stages.cluster.ClusterPool on a Dask cluster; pipeline.stages.pool.pool_of picks
one), the errors of a task stopped, the back-pressure on the engine's downloads, and the
spider's close reason when a cluster is lost.

Backpressure: when fetching outpaces the workers (pages that answer 404 become feed-entry
documents at network speed), pages would pile up in memory waiting for a worker. Past
PENDING_PER_WORKER tasks a worker, a pool pauses the engine's new downloads, and resumes
them when half are done.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from pipeline.counters import DOWNLOADS_PAUSED

PENDING_PER_WORKER = 16  # tasks waiting or running per worker before downloads pause
CLUSTER_LOST = "cluster-lost"  # the spider's close reason when a Dask scheduler goes away


class Pool(Protocol):
    """The crawl's worker pool, as the stages and spiders use it; they never know which
    implementation runs their calls."""

    workers: int  # worker processes (or a cluster's worker threads): how much work may wait

    @property
    def behind(self) -> bool:
        """True while the workers are behind (downloads are paused for them)."""
        ...

    def ship(self, path: str) -> str:
        """The name under which the config file at `path` reaches the workers."""
        ...

    def start(self, *args: Any, **kwargs: Any) -> None:
        """Start the workers (or connect to them) ahead of the first call; a signal handler."""
        ...

    async def run(self, function: Callable[..., Any], *args: Any, alone: bool = False) -> Any:
        """`function(*args)` computed by a worker; `alone`: a call that may hang (a PDF's
        parser, on a hostile file), never sent together with others."""
        ...

    def close(self, *args: Any, **kwargs: Any) -> object:
        """Stop the workers (or disconnect); a signal handler, which may return an awaitable
        Scrapy waits for."""
        ...


# N818: its subclasses' names show in run errors ("processing failed: TaskTimeout: ..."),
# and a base named ...Error would have ruff ask for them to be renamed too.
class TaskStopped(Exception):  # noqa: N818
    """A task was stopped before it finished: past its time, or out of its memory."""


class TaskTimeout(TaskStopped):
    """A task ran past PRODOPS_TASK_TIMEOUT; its worker was stopped."""


class TaskOutOfMemory(TaskStopped):
    """A task needed more memory than a worker may have (PRODOPS_WORKER_MEMORY_MB), or its
    worker died under it."""


class Backpressure:
    """One pool's tasks in flight, and the engine's downloads paused while its workers are
    behind (each pool has its own)."""

    def __init__(self, crawler: Any = None):
        self.crawler = crawler  # the Scrapy crawler, when there is one (none: nothing to pause)
        self.pending = 0  # tasks sent and not yet answered
        self.paused = False  # whether this pool paused the engine

    @contextmanager
    def task(self, workers: int) -> Iterator[None]:
        """Count one task in flight while the block runs; pause downloads past
        PENDING_PER_WORKER tasks a worker of the `workers` the pool has now, and resume them
        at half."""
        self.pending += 1
        engine = getattr(self.crawler, "engine", None)
        if not self.paused and engine is not None and self.pending > workers * PENDING_PER_WORKER:
            engine.pause()
            self.paused = True
            stats = getattr(self.crawler, "stats", None)
            if stats is not None:
                stats.inc_value(DOWNLOADS_PAUSED)
        try:
            yield
        finally:
            self.pending -= 1
            if self.paused and self.pending <= workers * PENDING_PER_WORKER // 2:
                self.paused = False
                resume_downloads(self.crawler.engine)


def resume_downloads(engine: Any) -> None:
    """Unpause the engine and have it ask its scheduler for requests now.

    `engine.unpause()` (public) only clears a flag: the engine looks again when a download
    ends or at its next heartbeat (5 s), and while it was paused the downloads in flight
    have ended. Scrapy has no public "look now", so this is the project's one use of its
    internals: the engine slot's `nextcall`, as in Scrapy 2.19 (the oldest this project
    accepts: pyproject.toml). tests/test_pool.py fails on a release that moves it; until
    then a missing slot (the spider not open, or closed) leaves the heartbeat to it.
    """
    engine.unpause()
    nextcall = getattr(getattr(engine, "_slot", None), "nextcall", None)
    if nextcall is not None:
        nextcall.schedule()
