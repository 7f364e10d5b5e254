"""The stages' work on a Dask distributed cluster (`--cluster ADDRESS`, PRODOPS_CLUSTER): the
other implementation of the pool the stages await (pipeline.stages.tasks.Pool;
pipeline/stages/pool.py has the local one, and pool_of, which picks).

One crawler process fetches and one writes SQLite, as without a cluster; only the pure stage
functions (extraction, classification, tagging, signatures) run on the cluster's workers
(`dask scheduler`; `dask worker ADDRESS` on any number of machines, each with this project
installed). What it takes care of:

- **Same version everywhere.** On connecting, every worker is asked which prodops-curator it
  has installed; a different version refuses the crawl with one line naming the worker
  (ClusterError). A worker that joins later checks it itself: each task carries the
  crawler's version and refuses to run on another (WrongVersion), which stops the crawl
  with the same line; the run is marked interrupted.
- **Config sent with the work.** The taxonomy and entities files are read here and shipped
  to every worker (a Dask worker plugin fills pipeline.config.files.SHIPPED), under a name
  that carries a digest of their text; workers never read their own disk for them, and a
  changed file is a new name (no stale cache in a long-lived worker).
- **Faults.** A worker that dies has its tasks run elsewhere by Dask (a page is still stored
  once: storing happens here); one that dies while the pool connects (asking versions,
  shipping files, loading models) is left out, not counted against the crawl. A task past
  PRODOPS_TASK_TIMEOUT on a worker (the time it waits for one does not count) is cancelled,
  its worker restarted (Dask's nanny; it loads its models before it takes a task), and
  TaskTimeout raised as with the local pool. A scheduler lost mid-run ends the crawl
  cleanly: the spider is closed with the reason `cluster-lost` at once (calls made after
  the loss are not sent: Dask would hold them until it gave up reconnecting), the run is
  recorded as interrupted, and the next crawl fetches what this one did not store. Dask's
  own log lines (its reconnect attempts and their tracebacks) go to the crawl's log file
  with Scrapy's, not to the terminal.
- **Waiting for the scheduler.** How long to try to reach it is Dask's own setting,
  `distributed.comm.timeouts.connect` (its config files or DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT),
  CONNECT_TIMEOUT when not set: long enough for a scheduler started just before the crawl,
  short enough that a wrong address is said soon.
- **Batches.** The Dask client costs the crawler about a millisecond of CPU per task; the
  calls made within BATCH_WINDOW travel as one task (run_batch), each caller still getting
  its own result or exception — an HTML page's reading (extraction and the stages read
  ahead) among them: batched, the crawler's own CPU a page fell from 5.5-6.0 to 3.3-4.2 ms
  (benchmarks/scale.py). A PDF's (`alone`: the parser that may hang on a hostile file)
  travels alone. A batch that fails as a whole — past its time (one page too slow holds
  the others of its batch, at most MAX_BATCH read within BATCH_WINDOW of it, until then),
  or its worker lost — is sent again call by call, so only the page at fault is said to be.
- **Trust.** A scheduler runs whatever code it is sent, and the crawler unpickles what its
  workers answer: trust runs both ways. `check_address` refuses, before any connection, a
  cluster off this machine that is not reached over mutual TLS (tls:// with this client's
  certificate), unless the user passes --cluster-insecure (warned on every run).

Models load once per worker process (the stage functions cache them, as in local workers),
and every worker loads them before it takes a task (PrepareWorker), so no page's task pays
for it.

Here is the pool; the address is checked and the cluster reached in
pipeline.stages.cluster_connect, and what its workers run is in pipeline.stages.cluster_tasks.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Callable

from distributed import Client
from distributed.client import FutureCancelledError

from pipeline import counters
from pipeline.config.files import SHIPPED
from pipeline.counters import DropReason
from pipeline.stages.cluster_connect import ClusterError, check_address, check_versions, client_defaults
from pipeline.stages.cluster_tasks import (
    PrepareWorker, WrongVersion, answers, checked_call, installed_version, is_running, run_batch, ship)
from pipeline.stages.drops import Dropped
from pipeline.stages.tasks import CLUSTER_LOST, Backpressure, TaskTimeout

logger = logging.getLogger(__name__)

WAIT_LIMIT = 10  # PRODOPS_TASK_TIMEOUTs a task may take in all, waiting for a worker or run by one
# Tasks the stages ask for within BATCH_WINDOW seconds travel as one Dask task (at most
# MAX_BATCH): the Dask client costs the crawler about 1.3 ms of CPU a task, four tasks a page.
BATCH_WINDOW = 0.005
MAX_BATCH = 16


def dask_logs_to_the_crawl_log() -> None:
    """Let Dask's loggers write where the crawl's log goes. On import, distributed gives the
    loggers its config names (distributed, tornado, ...) one handler of its own, on stderr,
    and stops them propagating: a lost scheduler then printed a traceback per reconnect
    attempt on the terminal the progress line and summary are for. Without that handler they
    propagate to the root logger, Scrapy's: the run's log file (the terminal with
    --verbose), at the levels Dask set."""
    theirs = set(logging.getLogger("distributed").handlers)
    loggers = [found for found in list(logging.root.manager.loggerDict.values()) if isinstance(found, logging.Logger)]
    for candidate in loggers:
        held = theirs & set(candidate.handlers)
        for handler in held:
            candidate.removeHandler(handler)
        if held:
            candidate.propagate = True


class ClusterPool:
    """The crawl's pool on a Dask cluster (the pipeline.stages.tasks.Pool protocol, as
    pipeline.stages.pool.WorkerPool)."""

    def __init__(self, address: str, timeout: float | None = None, crawler=None, insecure: bool = False):
        self.address = address
        self.insecure = insecure  # PRODOPS_CLUSTER_INSECURE: trusted without mutual TLS (see check_address)
        self.timeout = timeout if timeout and timeout > 0 else None
        self._crawler = crawler
        self._client: Client | None = None
        self._connecting: asyncio.Future | None = None
        self._queue: list[tuple] = []  # (function, args, the asyncio future awaiting it)
        self._flush_at: asyncio.TimerHandle | None = None
        self._sending: set[asyncio.Task] = set()
        self.tasks_sent = 0  # Dask tasks, batches counted once
        self._backpressure = Backpressure(crawler)  # downloads paused while the workers are behind
        self.workers = 1  # updated on connecting: the cluster's worker threads
        self.lost = False
        if crawler is not None:
            dask_logs_to_the_crawl_log()

    @property
    def behind(self) -> bool:
        """True while the workers are behind (downloads are paused for them)."""
        return self._backpressure.paused

    def ship(self, path: str) -> str:
        """The name under which the config file at `path` reaches the workers (sent to them
        when the pool connects)."""
        return ship(path)

    def start(self, *args, **kwargs) -> None:
        """Connect now (workers are asked their version and warmed up while the crawler
        fetches the first feeds) rather than when the first page needs a worker."""
        if self._connecting is None:
            task = asyncio.ensure_future(self._connected())
            task.add_done_callback(lambda done: done.cancelled() or done.exception())  # seen in run()

    async def _connected(self):
        if self._client is not None:
            return self._client
        if self._connecting is None:
            self._connecting = asyncio.ensure_future(self._connect())
        try:
            return await asyncio.shield(self._connecting)
        except (OSError, TimeoutError, ClusterError) as error:
            # Every page waits on this one connection: its failure ends the crawl (interrupted;
            # the next crawl does the work) instead of failing each page with it.
            self._lose(error)
            raise Dropped(DropReason.INTERRUPTED, "the Dask cluster could not be used") from None

    async def _connect(self):
        check_address(self.address, self.insecure)  # the CLI checked it; a setting given another way is too
        client_defaults()
        client = await Client(self.address, asynchronous=True, set_as_default=False)
        try:
            check_versions(answers(await client.run(installed_version, on_error="return")))
            await self._prepare_workers(client)  # config files shipped, models loaded: before any page is timed
        except BaseException:
            await client.close()
            raise
        info = client.scheduler_info()
        self.workers = max(1, sum(w.get("nthreads", 1) for w in info.get("workers", {}).values()))
        self._client = client
        logger.info("Stages run on the Dask cluster at %s (%d worker threads)", self.address, self.workers)
        return client

    @staticmethod
    async def _prepare_workers(client, attempts: int = 3) -> None:
        """Register the plugin that prepares each worker (PrepareWorker). The scheduler keeps
        it for workers that join later, then sends it to the current ones; a worker dying
        meanwhile fails that send, so it is tried again (a worker that already has it just
        runs its setup again: the files refreshed, the models already loaded)."""
        for attempt in range(attempts):
            try:
                await client.register_plugin(PrepareWorker(SHIPPED), name=PrepareWorker.name)
                return
            except OSError:
                if attempt == attempts - 1:
                    raise

    async def run(self, function: Callable[..., Any], *args: Any, alone: bool = False) -> Any:
        """Run a picklable function on a worker and await its result. Calls made within
        BATCH_WINDOW travel together (run_batch); each caller gets its own result or error.
        A call `alone` (one that may hang: a PDF's parser) is never batched: a file stuck in
        its parser must not hold other pages' calls with it."""
        if self.lost:
            raise Dropped(DropReason.INTERRUPTED, "the Dask scheduler was lost")
        await self._connected()
        loop = asyncio.get_running_loop()
        waiter = loop.create_future()
        with self._backpressure.task(self.workers):
            if alone:
                self._spawn(self._send([(function, args, waiter)]))
            else:
                self._queue.append((function, args, waiter))
                if self._flush_at is None:
                    self._flush_at = loop.call_later(BATCH_WINDOW, self._flush)
            return await waiter

    def _flush(self) -> None:
        self._flush_at = None
        calls, self._queue = self._queue, []
        for start in range(0, len(calls), MAX_BATCH):
            self._spawn(self._send(calls[start:start + MAX_BATCH]))

    def _spawn(self, coroutine) -> None:
        task = asyncio.ensure_future(coroutine)
        self._sending.add(task)  # held until done (the loop keeps only weak references)
        task.add_done_callback(self._sending.discard)

    async def _send(self, calls: list[tuple]) -> None:
        """Send a batch and settle each caller's future. A batch past PRODOPS_TASK_TIMEOUT,
        or failed as a whole (its worker lost, a result that could not travel back), is sent
        again call by call, one after the other, so that only the page at fault is said to
        be: sent together, the others could wait behind it on one worker and be timed out
        with it. That page waits twice the limit or more, and the others of its batch for it."""
        version = installed_version()
        try:
            if len(calls) == 1:
                function, args, _ = calls[0]
                results = [(True, await self._call(checked_call, version, function, *args))]
            else:
                results = await self._call(run_batch, version, [(function, args) for function, args, _ in calls])
        except Exception as error:  # noqa: BLE001 - every caller is told, each for itself
            if len(calls) > 1:  # past its time, or failed as a whole: each call again alone
                for call in calls:
                    await self._send([call])
                return
            results = [(False, error)]  # a TaskTimeout from _call says the limit in words
        except asyncio.CancelledError:
            for *_, waiter in calls:
                if not waiter.done():
                    waiter.set_exception(Dropped(DropReason.INTERRUPTED, "the crawl was stopping"))
            raise
        for (*_, waiter), (ok, value) in zip(calls, results):
            if waiter.done():  # a caller cancelled meanwhile has no use for it
                continue
            if ok:
                waiter.set_result(value)
            else:
                waiter.set_exception(value)

    async def _call(self, function, *args):
        """Submit one Dask task and await it: its time limit, and the cluster's failures in words."""
        client = self._client
        if self.lost or client is None or client.status != "running":
            # The scheduler is gone (the client is reconnecting, or closed): a task submitted
            # now would wait until Dask gave up reconnecting, holding the crawl's end.
            self._lose(ConnectionError("the client lost its connection to the scheduler"))
            raise Dropped(DropReason.INTERRUPTED, "the Dask scheduler was lost")
        future = client.submit(function, *args, pure=False)
        self.tasks_sent += 1
        try:
            return await self._within_time(future) if self.timeout else await future
        except asyncio.TimeoutError:
            await self._stop_stuck(future)
            raise TaskTimeout(f"took longer than {self.timeout:g} s (PRODOPS_TASK_TIMEOUT); stopped") from None
        except WrongVersion as error:
            self._lose(error)
            raise Dropped(DropReason.INTERRUPTED, str(error)) from None
        except (OSError, asyncio.CancelledError, FutureCancelledError) as error:
            # The scheduler went away: its futures are cancelled ("scheduler-connection-lost",
            # then "unknown" once the client gave up reconnecting), or the comm closed.
            if self.lost or client.status != "running" or "connection" in str(error):
                self._lose(error)
                raise Dropped(DropReason.INTERRUPTED, "the Dask scheduler was lost") from None
            raise

    async def _within_time(self, future):
        """Await a task; raise asyncio.TimeoutError once a worker has run it for
        PRODOPS_TASK_TIMEOUT, counted from the first of the checks (every quarter of it) that
        sees a worker running it: a task is never stopped before it has run that long, and
        is stopped within a quarter more. The time a task waits for a worker does not count,
        as with the local pool (which times a task from its start): behind two stuck pages on
        two workers, a small page is not stuck. Past WAIT_LIMIT timeouts in all, it is timed
        out wherever it is."""
        assert self._client is not None and self.timeout  # _call checked both
        loop = asyncio.get_running_loop()
        result = asyncio.ensure_future(self._result(future))
        started = loop.time()
        try:
            held_since = None
            while loop.time() - started < WAIT_LIMIT * self.timeout:
                done, _ = await asyncio.wait({result}, timeout=self.timeout / 4)
                if done:
                    return result.result()
                if not await self._running(future.key):
                    held_since = None
                elif held_since is None:
                    held_since = loop.time()
                elif loop.time() - held_since >= self.timeout:
                    break
            raise asyncio.TimeoutError
        finally:
            result.cancel()  # a no-op once it is done

    async def _running(self, key) -> bool:
        """Whether a worker is running the task now (the scheduler's `processing` also lists
        the tasks a worker holds queued behind the one it runs)."""
        client = self._client
        assert client is not None
        holders = [worker for worker, keys in (await client.processing()).items() if key in keys]
        if not holders:
            return False
        answers = await client.run(is_running, key, workers=holders, on_error="return")
        return any(answer is True for answer in answers.values())

    @staticmethod
    async def _result(future):
        return await future

    async def _stop_stuck(self, future) -> None:
        """Cancel a task past its time and restart the worker running it (Dask cannot stop
        one thread), so the page does not keep a worker busy for ever (the new one prepares
        itself, PrepareWorker, before it takes a task)."""
        client = self._client
        assert client is not None  # the task was sent on it
        try:
            processing = await client.processing()
            stuck = [worker for worker, keys in processing.items() if future.key in keys]
            await future.cancel()
            if stuck:
                await client.restart_workers(stuck, timeout=60, raise_for_error=False)
        except Exception:
            logger.warning("Could not restart the worker of a task past its time", exc_info=True)

    def _lose(self, error) -> None:
        """Stop the crawl, cleanly: the cluster is gone or cannot be used."""
        if self.lost:
            return
        self.lost = True
        logger.error("The Dask cluster at %s cannot be used (%s); stopping the crawl", self.address, error)
        if self._crawler is not None:
            self._crawler.stats.set_value(counters.INTERRUPTION, f"the Dask cluster at {self.address} cannot be "
                                                                 f"used ({type(error).__name__}: {error})")
        if self._crawler is not None and getattr(self._crawler, "engine", None) is not None:
            self._spawn(self._crawler.engine.close_spider_async(reason=CLUSTER_LOST))

    async def aclose(self) -> None:
        """Disconnect from the cluster, awaited (close() wraps it for Scrapy)."""
        if self._client is not None:
            client, self._client = self._client, None
            await client.close()

    def close(self, *args, **kwargs) -> asyncio.Future | None:
        """Disconnect from the cluster (the workers stay up for the next crawl): a signal
        handler; Scrapy awaits the future it returns when the spider closes. Nothing to await
        when not connected (a crawl that never opened calls it after the reactor stopped)."""
        if self._client is not None:
            return asyncio.ensure_future(self.aclose())
        return None
