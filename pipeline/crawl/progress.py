"""Progress lines while a crawl runs, from the crawler's own counters."""

from __future__ import annotations

import time
from typing import Any, Callable, TextIO

from scrapy import signals

from pipeline import counters


class Progress:
    """Print the running counts: in place on a terminal, a line now and then otherwise (a
    log file or cron's mail: the first after `interval`, so a short crawl's log holds its
    summary alone, not a line of counts made stale by it)."""

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic):
        self.stream = stream
        self.clock = clock
        self.interactive = stream.isatty()
        self.interval = 0.5 if self.interactive else 30.0
        self._last = 0.0
        self._crawler: Any = None  # the Scrapy crawler, once watched

    def watch(self, crawler) -> None:
        """Connect to a crawler's signals before it starts."""
        self._crawler = crawler  # its stats exist only once the crawl starts
        if not self.interactive:
            self._last = self.clock()
        for signal in (signals.item_scraped, signals.item_dropped, signals.response_received):
            crawler.signals.connect(self.tick, signal=signal)

    def tick(self, *args, **kwargs) -> None:
        now = self.clock()
        if now - self._last < self.interval:
            return
        self._last = now
        self.stream.write(("\r" if self.interactive else "") + self.line())
        if not self.interactive:
            self.stream.write("\n")
        self.stream.flush()

    def line(self) -> str:
        stats: dict[str, Any] = self._crawler.stats.get_stats() if self._crawler else {}
        document = lambda outcome: stats.get(counters.DOCUMENTS.format(outcome=outcome), 0)  # noqa: E731
        dropped = sum(counters.dropped_by_reason(stats).values())
        return (
            f"fetched {stats.get(counters.PAGES, 0)} · new {document('new')} · "
            f"updated {document('updated')} · unchanged {document('unchanged')} · "
            f"dropped {dropped} · errors {stats.get(counters.ERRORS, 0)}"
        )

    def finish(self) -> None:
        """End an in-place progress line with the final counts."""
        if self.interactive and self._crawler is not None:
            self.stream.write("\r" + self.line() + "\n")
            self.stream.flush()
