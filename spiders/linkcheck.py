"""The `linkcheck` spider: re-requests the items of curated lists and judges each link.

It goes through the crawler like every other fetch: robots.txt, crawl delays, the network
guard, conditional GET with the stored validators (a 304 is `ok` without a body). Each
answer's text is extracted in a bounded worker process, as a crawl's pages are
(pipeline/stages/pool.py; one that loads no models): the bytes are the site's, and a PDF
bomb must fail its own link, not the check. The verdict rules are in
pipeline/understand/linkrot.py; the results (``self.results``, URL → row of `link_checks`)
are saved by the caller, also when the check was interrupted.
"""

from __future__ import annotations

import scrapy
from scrapy.exceptions import DropItem
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from pipeline.clock import now_iso
from pipeline.stages.pool import pool_of
from pipeline.stages.tasks import TaskStopped
from pipeline.understand.linkrot import Verdict, judge_answer, judge_status, judge_unchanged, read_answer
from pipeline.understand.pdf import is_pdf
from spiders import robots
from spiders.responses import declared_charset, describe_failure, failed_request, is_not_modified, media_type

HTML_TYPES = {"text/html", "application/xhtml+xml", ""}


class LinkCheckSpider(scrapy.Spider):
    """Spider argument: ``links``, a dict of URL → the text stored when it was curated."""

    name = "linkcheck"
    # A check stores nothing through the stages and records no crawl run.
    custom_settings = {"ITEM_PIPELINES": {}, "EXTENSIONS": {"scrapy.extensions.telnet.TelnetConsole": None}}

    def __init__(self, *args, links: dict[str, str | None] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.links = dict(links or {})
        self.results: dict[str, dict] = {}

    async def start(self):
        for url in self.links:
            yield scrapy.Request(url, callback=self.judge, errback=self.failed, cb_kwargs={"url": url},
                                 meta={"conditional": True}, dont_filter=True)

    async def judge(self, response, url: str):
        if is_not_modified(response):
            self._record(url, response.status, response.url, judge_unchanged(url, response.url))
            return
        kind = media_type(response)
        if not is_pdf(kind, response.body) and kind not in HTML_TYPES:
            self._record(url, response.status, response.url, Verdict("ok", f"HTTP {response.status} ({kind})"))
            return
        try:
            extraction = await pool_of(self.crawler, warm_up=False).run(
                read_answer, response.body, response.url, kind, declared_charset(response), alone=True)
        except TaskStopped as error:
            self._record(url, response.status, response.url, Verdict("error", f"reading the answer {error}"))
            return
        except DropItem:
            return  # the check is stopping: this link keeps its last verdict
        verdict = judge_answer(
            url, response.url, response.status,
            title=extraction.title if extraction else None,
            text=extraction.text if extraction else None,
            declared_canonical=extraction.canonical_url if extraction else None,
            curated_text=self.links.get(url),
        )
        self._record(url, response.status, response.url, verdict)

    def failed(self, failure: Failure):
        # (Scrapy sets `request` on an errback's Failure: Twisted's type does not have it.)
        url = failure.request.cb_kwargs["url"]  # type: ignore[attr-defined]
        if failure.check(HttpError):
            response = failure.value.response
            self._record(url, response.status, response.url, judge_status(response.status, url, response.url))
        elif robots.is_refusal(failure):
            self._record(url, None, None, Verdict("error", robots.refusal(self.crawler.stats, failed_request(failure))))
        else:
            self._record(url, None, None, Verdict("error", describe_failure(failure)))

    def _record(self, url: str, status: int | None, final_url: str | None, verdict: Verdict) -> None:
        self.results[url] = {"url": url, "checked_at": now_iso(), "http_status": status,
                             "final_url": final_url, "verdict": verdict.verdict, "detail": verdict.detail}
