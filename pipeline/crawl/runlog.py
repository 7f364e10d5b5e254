"""A Scrapy extension that records each crawl in `runs` and each source's health.

It works the same whether the crawl was started by `prodops crawl` or by
`python -m scrapy crawl curator`.
"""

from __future__ import annotations

import logging
import sqlite3

from scrapy import signals

from pipeline import clock, counters
from pipeline.counters import DropReason
from pipeline.stages.drops import reason_of
from pipeline.stages.store import DISK_FULL
from pipeline.stages.tasks import CLUSTER_LOST
from pipeline.store import runs, validators
from pipeline.store.database import open_database
from pipeline.store.documents import record_sighting_of_url
from spiders.curator import CuratorSpider

logger = logging.getLogger(__name__)


class RunLog:
    """Open a `runs` row when the spider opens; fill in its counts when it closes, and save
    what the spider hands over in its `findings` (spiders.navigation.CrawlFindings)."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.db_path = crawler.settings.get("PRODOPS_DB")
        self.run_id: int | None = None
        self.summary: runs.RunSummary | None = None
        self.disk_full: sqlite3.OperationalError | None = None  # the run could not be recorded: no space
        settings = crawler.settings
        self.policy = runs.HealthPolicy(
            backoff_base=settings.getfloat("PRODOPS_BACKOFF_BASE"),
            backoff_max=settings.getfloat("PRODOPS_BACKOFF_MAX"),
            disable_after=settings.getint("PRODOPS_DISABLE_AFTER"),
        )

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(extension.item_error, signal=signals.item_error)
        crawler.signals.connect(extension.spider_error, signal=signals.spider_error)
        return extension

    def spider_opened(self, spider: CuratorSpider) -> None:
        db = open_database(self.db_path)
        try:
            self.run_id = runs.start_run(db, spider.sources, clock.now_iso())
        finally:
            db.close()
        logger.info("Run %s started with %d source(s)", self.run_id, len(spider.sources))

    def spider_closed(self, spider: CuratorSpider, reason: str) -> None:
        if self.run_id is None:
            return
        db = open_database(self.db_path)
        try:
            # Scrapy's reason for a stop by SIGTERM or Ctrl-C is "shutdown": the run was stopped.
            # A crawl whose Dask scheduler went away, or whose database's disk filled, was
            # interrupted: the next one finishes it.
            status = {"finished": "finished", "shutdown": "stopped",
                      CLUSTER_LOST: "interrupted", DISK_FULL: "interrupted"}.get(reason, reason)
            if status == "finished" and self.crawler.stats.get_value(counters.INTERRUPTION):
                # (the disk filled as the spider closed: the last pages were not stored, and the
                # feeds' validators must not say they were read)
                status = "interrupted"
            if reason == "finished":  # (a stopped run read only some of its sitemaps)
                spider.note_sitemaps_that_gave_nothing()
            stats = self.crawler.stats.get_stats()
            now = clock.now_iso()
            try:
                self.summary = runs.finish_run(db, self.run_id, spider.sources, stats, status, now, self.policy)
            except sqlite3.OperationalError as error:
                if getattr(error, "sqlite_errorname", "") != "SQLITE_FULL":
                    raise
                self.disk_full = error  # the run stays `running`; the next crawl marks it interrupted
                return
            findings = spider.findings
            for sighting in findings.extra_sightings:
                record_sighting_of_url(db, sighting.url, sighting.source_id, sighting.found_via, now,
                                       {"anchor": sighting.anchor, "section": sighting.section})
            if self.summary.status == "finished":  # (not "offline": nothing was read)
                with db.atomic():
                    for url, fields in findings.validators_to_save().items():
                        validators.save(db, url, now, **fields)
        finally:
            db.close()

    def item_dropped(self, item, response, exception, spider) -> None:
        reason = reason_of(exception)
        counters.count_dropped(self.crawler.stats, reason)
        if getattr(item, "found_via", None) == "url" and reason is DropReason.NO_CONTENT:
            # A `url` source is that one page: say on the source why it gave no document.
            counters.warn_source(self.crawler.stats, item.source_id, str(exception))

    def spider_error(self, failure, response, spider) -> None:
        # A spider callback raised on a response: a bug, counted on the source it served.
        source = response.request.cb_kwargs.get("source") if response.request else None
        counters.count_error(self.crawler.stats, getattr(source, "id", "?"), response.url,
                             f"reading the response failed: {type(failure.value).__name__}: {failure.value}")

    def item_error(self, item, response, spider, failure) -> None:
        # A stage raised: a bug or a storage failure. The run says so instead of hiding it.
        source_id = getattr(item, "source_id", "?")
        url = getattr(item, "url", "?")
        counters.count_error(self.crawler.stats, source_id, url,
                             f"processing failed: {type(failure.value).__name__}: {failure.value}")
