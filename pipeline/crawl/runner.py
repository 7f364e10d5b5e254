"""Running one crawl of the configured sources through Scrapy, in this process."""

from __future__ import annotations

import gc
import logging
import signal
from pathlib import Path
from typing import Callable

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.reactor import install_reactor, is_reactor_installed
from twisted.python.failure import Failure

from pipeline.config.files import ConfigError
from pipeline.config.sources import Source
from pipeline.crawl.runlog import RunLog
from pipeline.stages.pool import WorkerPool, pool_of
from pipeline.store.runs import RunSummary
from spiders.curator import CuratorSpider
from spiders.discover import DiscoverSpider, Proposal
from spiders.linkcheck import LinkCheckSpider

logger = logging.getLogger(__name__)


class CrawlError(Exception):
    """The crawl could not run at all (its run was never recorded)."""


def crawl_settings(
    db_path: str | Path, overrides: dict[str, str] | None = None, allow_private_network: bool = False
) -> Settings:
    """The project's Scrapy settings with the CLI's choices applied on top."""
    settings = Settings()
    settings.setmodule("spiders.settings", priority="project")
    settings.set("PRODOPS_DB", str(db_path), priority="cmdline")
    settings.set("PRODOPS_ALLOW_PRIVATE_NETWORK", allow_private_network, priority="cmdline")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


def run_crawl(
    sources: list[Source], settings: Settings, watch: Callable[[object], None] | None = None
) -> RunSummary:
    """Crawl `sources` into the database named by PRODOPS_DB and return the run's summary.

    `watch`, if given, is called with the crawler before it starts (to connect progress
    reporting to its signals). The Twisted reactor runs once per process, so this is
    called once per process too.
    """
    crawler, stop_asked = _run(CuratorSpider, settings, watch, start_pool=True, sources=sources)
    runlog = next((m for m in crawler.extensions.middlewares if isinstance(m, RunLog)), None)
    if runlog is not None and runlog.disk_full is not None:
        raise runlog.disk_full  # the CLI says it in a line (pipeline.cli.common.DiskFull)
    if runlog is None or runlog.summary is None:
        reasons = "; ".join(getattr(crawler, "failed_to_start", ())) or "Scrapy's log says why"
        raise CrawlError(f"the crawl did not start: {reasons} (check the -s settings and the files given)")
    runlog.summary.stop_asked = stop_asked
    return runlog.summary


def discover_sources(url: str | list[str], settings: Settings) -> tuple[list[Proposal], dict[str, str]]:
    """Find the feeds and sitemaps a site offers (fetched through Scrapy, and checked); given
    several sites' pages, each proposal's `site` says which it was found for. Also: why each
    site's page could not be fetched, by site."""
    crawler, _ = _run(DiscoverSpider, settings, None, urls=[url] if isinstance(url, str) else url)
    return crawler.spider.proposals, crawler.spider.failures


def check_links(links: dict[str, str | None], settings: Settings) -> tuple[dict[str, dict], bool]:
    """Re-request curated links (URL → the text curated) and judge each; return the
    `link_checks` rows by URL and whether a stop was asked for (then some are missing)."""
    crawler, stop_asked = _run(LinkCheckSpider, settings, None, links=links)
    return crawler.spider.results, stop_asked


def _run(spider_class, settings: Settings, watch, start_pool: bool = False, **spider_arguments):
    """Run one spider to the end in this process; return its crawler and whether a stop
    (SIGTERM, SIGINT) was asked for meanwhile.

    The first stop closes the crawl gracefully (the pages in flight are finished); a second
    one ends it at once. Our handlers rather than Scrapy's, so that the caller learns of a
    stop that came while the crawl was ending anyway, and so that none is left installed
    to swallow a stop after the crawl."""
    asked: list[int] = []  # the stops asked for
    handed: list[int] = []  # those handed to the reactor

    def stop(signum, frame) -> None:
        asked.append(signum)
        if is_reactor_installed():
            hand_over()

    def hand_over() -> None:
        # The reactor installed below: imported only now (at the top, it would install the default).
        from twisted.internet import reactor  # noqa: PLC0415

        while len(handed) < len(asked):  # (a stop may come while this runs)
            handed.append(asked[len(handed)])
            # (Twisted types the installed reactor as the module, not as an IReactorCore)
            reactor.callFromThread(stop_gracefully if len(handed) == 1 else reactor.stop)  # type: ignore[misc]

    def stop_gracefully() -> None:
        from twisted.internet import reactor  # noqa: PLC0415 - Scrapy's, as in stop()

        # (Scrapy sets `engine` as the crawl starts, after `crawling`; read before, it raises.
        # A crawl that failed to start is not crawling.)
        if crawler.crawling and not crawler.engine.running:
            # A stop while the spider is still opening (its spider_opened handlers running:
            # the worker pool starting) would be lost: Scrapy marks the crawler stopped but
            # has no running engine to stop, and the crawl, once it has run, never ends
            # (the engine waits for a stop that was skipped). Ask again when it runs.
            reactor.callLater(0.05, stop_gracefully)  # type: ignore[arg-type]  # as in stop()
            return
        process.stop()

    # From here a stop is noted, and handed to the reactor, which runs it when it starts: one
    # that comes while the crawl is made or the workers start is a stop like any other.
    previous = {number: signal.signal(number, stop) for number in (signal.SIGTERM, signal.SIGINT)}
    pool = None
    try:
        process = CrawlerProcess(settings)
        crawler = process.create_crawler(spider_class)
        # The reactor Scrapy would install when the crawl starts, installed now (as Scrapy does
        # it: a second install is a no-op), so that a stop that comes before it runs has one.
        install_reactor(crawler.settings["TWISTED_REACTOR"], crawler.settings["ASYNCIO_EVENT_LOOP"])
        hand_over()  # the stops that came before it
        pool = pool_of(crawler) if start_pool else None
        if isinstance(pool, WorkerPool):
            # The local workers start now and load their models while Scrapy builds the crawl
            # (half a second) and fetches the first feeds: ready when the first pages arrive.
            pool.start()
        if watch is not None:
            watch(crawler)
        # A failure to start (a stage's from_crawler refusing a malformed taxonomy) fails this
        # Deferred and nothing else. Left unhandled, Twisted would log it only when the Deferred
        # is garbage collected, which the gc.freeze below puts off past the run: the user saw
        # "the crawl did not start" with no reason anywhere.
        failed_to_start: list[Failure] = []
        process.crawl(crawler, **spider_arguments).addErrback(failed_to_start.append)
        # What is loaded by now (Scrapy, the settings, the spider, the stages) lives as long as the
        # process: kept out of the garbage collector's full scans, which otherwise stall the
        # reactor (and the workers waiting on it) for up to ~0.1 s each in a long crawl.
        gc.freeze()
        process.start(install_signal_handlers=False)
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if pool is not None:
            pool.close()  # closed with the spider already, unless it never opened
    for failure in failed_to_start:
        if isinstance(failure.value, ConfigError):
            raise failure.value  # a file the user can fix: the CLI says so in one line (exit 2)
        logger.error("the crawl failed: %s", failure.getTraceback())
    # What stopped it, in a line, for the caller to say (the traceback is in the log).
    setattr(crawler, "failed_to_start", [f"{type(failure.value).__name__}: {failure.getErrorMessage()}"
                                         for failure in failed_to_start])
    return crawler, bool(asked)
