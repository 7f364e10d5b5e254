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
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import logging
import socket
from importlib.metadata import version
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

import dask.config
from distributed import Client, WorkerPlugin
from distributed.client import FutureCancelledError
from distributed.comm import parse_address, parse_host_port

from pipeline import counters
from pipeline.config.files import SHIPPED, shipped_name
from pipeline.counters import DropReason
from pipeline.stages.drops import Dropped
from pipeline.stages.tasks import CLUSTER_LOST, Backpressure, TaskTimeout
from pipeline.understand.worker import warm_up

logger = logging.getLogger(__name__)

PACKAGE = "prodops-curator"
CONNECT_TIMEOUT = "10s"  # to reach the scheduler before giving up, unless Dask's config says otherwise
WAIT_LIMIT = 10  # PRODOPS_TASK_TIMEOUTs a task may take in all, waiting for a worker or run by one
# Tasks the stages ask for within BATCH_WINDOW seconds travel as one Dask task (at most
# MAX_BATCH): the Dask client costs the crawler about 1.3 ms of CPU a task, four tasks a page.
BATCH_WINDOW = 0.005
MAX_BATCH = 16


class ClusterError(Exception):
    """The cluster cannot be used: unreachable, or its workers run another version."""


@functools.cache
def installed_version() -> str:
    """This machine's prodops-curator version (asked of every worker)."""
    return version(PACKAGE)


# N818: pickled by name between a worker and a crawler of different versions, the very case
# it reports: a rename would break that message between an old and a new install.
class WrongVersion(Exception):  # noqa: N818
    """A task reached a worker that runs another prodops-curator version."""


def is_running(key, dask_worker=None) -> bool:
    """On a worker (client.run): whether it is running the task `key` now."""
    return any(task.key == key for task in dask_worker.state.executing)


def checked_call(expected: str, function, *args):
    """Run a stage function on a worker, after checking that the worker runs the crawler's
    version (`expected`): a worker that joined the cluster mid-crawl was never asked."""
    theirs = installed_version()
    if theirs != expected:
        from distributed import get_worker  # noqa: PLC0415

        raise WrongVersion(f"worker {get_worker().address} runs {PACKAGE} {theirs}, this crawler {expected}: "
                           "install the same version on every machine of the cluster")
    return function(*args)


def run_batch(expected: str, calls: list[tuple]) -> list[tuple[bool, object]]:
    """Run, on a worker, the calls of a batch ((function, args) each, as the crawler's stages
    asked for them within a few milliseconds); return (True, result) or (False, the
    exception) for each, so one page's failure stays that page's."""
    results = []
    for function, args in calls:
        try:
            results.append((True, checked_call(expected, function, *args)))
        except WrongVersion:
            raise  # the worker, not the page: the whole batch says so
        except Exception as error:  # noqa: BLE001 - handed back to the page it belongs to
            results.append((False, error))
    return results


def answers(replies: dict) -> dict:
    """The replies of `client.run(..., on_error="return")` from the workers that answered
    (one that died meanwhile replied with an exception, and no longer counts)."""
    return {worker: reply for worker, reply in replies.items() if not isinstance(reply, BaseException)}


def check_address(address: str, insecure: bool = False) -> str | None:
    """Decide, before any connection, whether the cluster at `address` may be trusted; raise
    ClusterError (in words) when it may not; return a warning to print, or None.

    The crawler unpickles what the workers answer, so a worker can run code on the crawler as
    surely as the crawler runs code on the workers: whoever can join the scheduler must be
    someone the user chose. On loopback that is this machine's users (any scheme). Anywhere
    else the address must be `tls://` with this client's certificate, key and CA configured
    (Dask's mutual TLS: the scheduler then admits only holders of a certificate of that CA);
    `insecure` (--cluster-insecure) accepts a plain address anyway, with a warning. A name
    is loopback only if it resolves to loopback addresses alone: one that does not resolve
    is refused like any other remote name, without a connection being tried."""
    _check_syntax(address)
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    if _is_loopback(parts.hostname):
        return None
    if parts.scheme == "tls":
        missing = _missing_client_tls()
        if not missing:
            return None
        if not insecure:
            raise ClusterError(f"--cluster {address}: mutual TLS needs this client's {' and '.join(missing)}: set "
                               f"{', '.join(TLS_VARIABLES[m] for m in missing)} "
                               "(see docs/scale.md, \"When one machine is not enough\"), "
                               "or pass --cluster-insecure to trust the cluster without them")
    elif not insecure:
        raise ClusterError(f"--cluster {address}: a cluster that is not on this machine must be reached over tls:// "
                           "with client certificates (its workers can run code on this crawler, and anyone who "
                           "reaches a plain scheduler can join as a worker); see docs/scale.md, \"When one machine "
                           "is not enough\", or pass --cluster-insecure to trust it anyway")
    return (f"warning: --cluster-insecure: trusting the Dask cluster at {address} without mutual TLS: anyone who "
            "can reach its scheduler can run code on its workers and on this crawler.")


def _check_syntax(address: str) -> None:
    """A malformed address is said as such (a Client half-made from it hangs at exit)."""
    try:
        parse_host_port(parse_address(address)[1])
    except ValueError as error:
        raise ClusterError(f"--cluster {address!r}: {error}; give an address such as tls://host:8786") from None


# The Dask settings a client's side of mutual TLS needs, and the variables that set them.
TLS_SETTINGS = {"CA file": "distributed.comm.tls.ca-file", "certificate": "distributed.comm.tls.client.cert",
                "key": "distributed.comm.tls.client.key"}
TLS_VARIABLES = {"CA file": "DASK_DISTRIBUTED__COMM__TLS__CA_FILE",
                 "certificate": "DASK_DISTRIBUTED__COMM__TLS__CLIENT__CERT",
                 "key": "DASK_DISTRIBUTED__COMM__TLS__CLIENT__KEY"}


def _missing_client_tls() -> list[str]:
    return [what for what, setting in TLS_SETTINGS.items() if not dask.config.get(setting, None)]


def _is_loopback(host: str | None) -> bool:
    if not host:
        return False
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        addresses = {str(info[4][0]) for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)}
    except OSError:
        return False  # cannot tell: refused as a remote name would be
    return bool(addresses) and all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses)


def ship(path: str) -> str:
    """The name under which the config file at `path` travels to the workers."""
    text = Path(path).read_text(encoding="utf-8")
    name = shipped_name(path, text)
    SHIPPED[name] = text
    return name


class PrepareWorker(WorkerPlugin):
    """Dask worker plugin, set up on each worker before it takes a task, those that join or
    are restarted later included (the scheduler keeps it and a worker runs its setup before
    it listens for work): puts the crawler's config files into the worker's SHIPPED and
    loads what the stages load on first use (warm_up), so no page's task pays for it against
    PRODOPS_TASK_TIMEOUT — a worker restarted for a stuck page came back cold, and the small
    page sent to it next could be timed out while it loaded its models."""

    name = "prodops-worker"

    def __init__(self, files: dict[str, str]):
        self.files = dict(files)

    async def setup(self, worker=None) -> None:
        SHIPPED.update(self.files)
        # In a thread: the worker's event loop goes on answering the scheduler meanwhile.
        await asyncio.get_running_loop().run_in_executor(None, warm_up)


@functools.cache
def client_defaults() -> None:
    """Add CONNECT_TIMEOUT to Dask's defaults, as a library adds its own: a value the user
    set (config file or environment) still wins, Dask's own default (30 s) does not. Called
    before a client connects, so a worker that imports this module keeps Dask's."""
    dask.config.update_defaults({"distributed": {"comm": {"timeouts": {"connect": CONNECT_TIMEOUT}}}})


def connect_and_check(address: str) -> dict[str, str]:
    """Connect once (synchronously) to check the cluster before a crawl writes anything:
    return {worker: version}; raise ClusterError in words when it cannot be used."""
    client, versions = _checked_client(address)
    client.close()
    return versions


def _checked_client(address: str) -> tuple[Client, dict[str, str]]:
    """A client of the cluster whose workers run this version, and {worker: version}; raise
    ClusterError in words (the client closed) when it cannot be used."""
    _check_syntax(address)
    client_defaults()
    try:
        client = Client(address, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {error}; start it "
                           "(`dask scheduler`) or give another --cluster address") from None
    try:
        versions = answers(client.run(installed_version, on_error="return"))
        _check_versions(versions)
    except BaseException:
        client.close()
        raise
    return client, versions


def executor(address: str) -> Client:
    """A checked client of the cluster for batch work (`prodops retag --cluster`): its
    `submit` and futures' `result()` are what retag's pool needs. Close it when done."""
    return _checked_client(address)[0]


def _check_versions(versions: dict[str, str]) -> None:
    mine = installed_version()
    if not versions:
        raise ClusterError("the Dask scheduler has no workers; start some with `dask worker ADDRESS`")
    for worker, theirs in sorted(versions.items()):
        if theirs != mine:
            raise ClusterError(f"worker {worker} runs {PACKAGE} {theirs}, this crawler {mine}: install the "
                               "same version on every machine of the cluster")


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
            _check_versions(answers(await client.run(installed_version, on_error="return")))
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
