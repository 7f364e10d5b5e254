"""What the crawl's Dask cluster runs on its workers (pipeline.stages.cluster): the stage
functions' calls, checked against the crawler's version and batched (checked_call,
run_batch), the worker plugin that ships the config files and loads the models before a
worker takes a task (PrepareWorker), and the questions asked of every worker (its version,
whether it runs a task).
"""

from __future__ import annotations

import asyncio
import functools
from importlib.metadata import version
from pathlib import Path

from distributed import WorkerPlugin

from pipeline.config.files import SHIPPED, shipped_name
from pipeline.understand.worker import warm_up

PACKAGE = "prodops-curator"


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
