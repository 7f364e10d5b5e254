"""The worker pools' shared contract (pipeline/stages/tasks.py): back-pressure counted per pool,
and downloads resumed at once through a real Scrapy engine (the one use of its internals)."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT

from pipeline.stages.tasks import PENDING_PER_WORKER, Backpressure


class Engine:
    """Stands for Scrapy's engine where only its pause() and unpause() are at stake."""

    def __init__(self):
        self.calls: list[str] = []

    def pause(self):
        self.calls.append("pause")

    def unpause(self):
        self.calls.append("unpause")


class Crawler:
    def __init__(self, engine):
        self.engine = engine


def test_each_pool_counts_its_own_tasks_and_pauses_past_its_workers_share():
    engine = Engine()
    one, other = Backpressure(Crawler(engine)), Backpressure(Crawler(engine))
    tasks = [one.task(2) for _ in range(2 * PENDING_PER_WORKER + 1)]
    for task in tasks[:-1]:
        task.__enter__()
    assert not one.paused and engine.calls == []
    tasks[-1].__enter__()
    assert one.paused and engine.calls == ["pause"]
    assert (other.pending, other.paused) == (0, False)  # no state shared between pools
    while one.pending > PENDING_PER_WORKER + 1:
        tasks.pop().__exit__(None, None, None)
    assert one.paused and engine.calls == ["pause"]
    tasks.pop().__exit__(None, None, None)  # half done: downloads resume
    assert not one.paused and engine.calls == ["pause", "unpause"]


# A real crawl whose engine the pool pauses while a page is being handled, and resumes while
# that page's handling goes on (as when one of a feed's many items gets its worker's answer).
# Scrapy's heartbeat, which would look for requests again within 5 s, is put off for an hour,
# and the engine only looks again once a page's handling ends: the second request is fetched
# meanwhile only if the pool's resume_downloads asks the engine to look now.
RESUMED = """
import asyncio

from scrapy import Request, Spider
from scrapy.core.engine import ExecutionEngine
from scrapy.crawler import CrawlerProcess

from pipeline.stages.tasks import PENDING_PER_WORKER, Backpressure

looked_while_paused, second_fetched = asyncio.Event(), asyncio.Event()
look = ExecutionEngine._start_scheduled_requests


def watched_look(engine):
    if engine.paused:
        looked_while_paused.set()
    return look(engine)


# Scrapy's internals, named here only to make the test strict: renamed, it fails below.
assert isinstance(ExecutionEngine._SLOT_HEARTBEAT_INTERVAL, float)
ExecutionEngine._SLOT_HEARTBEAT_INTERVAL = 3600.0
ExecutionEngine._start_scheduled_requests = watched_look


class Held(Spider):
    name = "held"
    outcome = []

    async def start(self):
        yield Request("data:,first", callback=self.parse_first)

    async def parse_first(self, response):
        pressure = Backpressure(self.crawler)
        tasks = [pressure.task(1) for _ in range(PENDING_PER_WORKER + 1)]
        for task in tasks:
            task.__enter__()  # the workers are behind: downloads pause
        yield Request("data:,second", callback=self.parse_second)
        await asyncio.wait_for(looked_while_paused.wait(), 20)
        for task in tasks:
            task.__exit__(None, None, None)  # the workers caught up
        try:
            await asyncio.wait_for(second_fetched.wait(), 20)
        except TimeoutError:
            self.outcome.append("the second request waited")

    def parse_second(self, response):
        self.outcome.append(response.text)
        second_fetched.set()


process = CrawlerProcess({"LOG_LEVEL": "ERROR", "TELNETCONSOLE_ENABLED": False})
crawler = process.create_crawler(Held)
process.crawl(crawler)
process.start()
print(Held.outcome, crawler.stats.get_value("finish_reason"))
"""


def test_downloads_paused_for_the_workers_resume_as_soon_as_they_catch_up():
    result = subprocess.run([sys.executable, "-c", RESUMED], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "['second'] finished", result.stdout + result.stderr
