"""Each stage on its own, with real items, a real worker pool and a real SQLite file."""

import asyncio
import re

import pytest
import sqlite_utils
from scrapy.exceptions import DropItem
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from feeds.entries import EntryHints
from pipeline import counters
from pipeline.demo.articles import ARTICLES
from pipeline.demo.sampleweb import article_html
from pipeline.items import Page
from pipeline.stages.canonicalize import CanonicalizeStage
from pipeline.stages.classify import ClassifyStage
from pipeline.stages.extract import ExtractStage
from pipeline.stages.pool import WorkerPool, worker_count
from pipeline.stages.store import StoreStage

BASE = "http://blog.example"


def fetched_page(article=ARTICLES[0], **changes) -> Page:
    url = f"{BASE}/blog/{article['slug']}/?utm_source=feed"
    page = Page(
        url=url, source_id="blog", found_via="feed", final_url=url, status=200,
        body=article_html(article, BASE).encode(), encoding="utf-8", content_type="text/html",
        hints=EntryHints(title=article["title"], summary=article["summary"], published=article["date"]),
    )
    for name, value in changes.items():
        setattr(page, name, value)
    return page


def test_canonicalize_sets_url_and_id():
    page = CanonicalizeStage().process_item(fetched_page())
    assert page.canonical_url == f"{BASE}/blog/{ARTICLES[0]['slug']}"
    assert len(page.doc_id) == 16


def test_canonicalize_uses_the_found_url_when_the_fetch_failed():
    page = fetched_page(final_url="", status=404, fetch_error="HTTP 404")
    assert CanonicalizeStage().process_item(page).canonical_url.endswith(ARTICLES[0]["slug"])


@pytest.mark.parametrize("workers, inline", [(1, True), (1, False), (2, False)])
def test_extract_inline_and_in_a_process_pool(workers, inline):
    stage = ExtractStage(WorkerPool(workers, inline=inline))
    pages = [CanonicalizeStage().process_item(fetched_page(article)) for article in ARTICLES[:3]]

    async def run():
        return await asyncio.gather(*(stage.process_item(page) for page in pages))

    try:
        done = asyncio.run(run())
    finally:
        stage.pool.close()
    for page, article in zip(done, ARTICLES):
        assert article["paragraphs"][0] in page.extraction.text


def test_extract_leaves_failed_and_non_html_pages_alone():
    stage = ExtractStage(WorkerPool(1, inline=True))
    failed = fetched_page(status=404, fetch_error="HTTP 404")
    binary = fetched_page(content_type="image/png")
    assert asyncio.run(stage.process_item(failed)).extraction is None
    assert asyncio.run(stage.process_item(binary)).extraction is None


def test_worker_count_defaults_to_the_cores():
    import os

    cores = len(os.sched_getaffinity(0))
    assert worker_count(3) == min(3, 4 * cores)
    assert worker_count(0) == cores
    assert worker_count(100000) == 4 * cores  # a typo does not start a hundred thousand processes


def through_classify(page):
    from pipeline.config.taxonomy import DEFAULT_TAXONOMY

    return asyncio.run(ClassifyStage(WorkerPool(1, inline=True), str(DEFAULT_TAXONOMY)).process_item(page))


def empty_page() -> Page:
    """A page that answered 200 with no body: nothing to extract, nothing to store."""
    return CanonicalizeStage().process_item(fetched_page(hints=None, body=b"", status=200, final_url=f"{BASE}/x"))


def test_classify_drops_a_page_without_main_text():
    page = empty_page()
    asyncio.run(ExtractStage(WorkerPool(1, inline=True)).process_item(page))
    with pytest.raises(DropItem, match=f"^no-content: no main text or title in {re.escape(page.url)}$"):
        through_classify(page)


def test_store_counts_new_then_unchanged_and_drops_empty_pages(tmp_path):
    page = CanonicalizeStage().process_item(fetched_page())
    asyncio.run(ExtractStage(WorkerPool(1, inline=True)).process_item(page))
    through_classify(page)
    outcomes = []
    for run in range(2):  # two runs: a stage instance lives for one crawl
        stats = _stats()
        stage = StoreStage(str(tmp_path / "prodops.db"), stats)
        stage.open_spider()
        try:
            stage.process_item(page)
            stage.process_item(page)  # the same document twice in a run counts once
            # An empty page that reaches the store with no document (no stage before it
            # made one) is the store's to drop, not to save as an empty row.
            empty = empty_page()
            with pytest.raises(DropItem, match=f"^unclassified: {re.escape(empty.url)} reached the store"):
                stage.process_item(empty)
        finally:
            stage.close_spider()
        outcomes.append({outcome: stats.get_value(counters.DOCUMENTS.format(outcome=outcome))
                         for outcome in ("new", "unchanged")})
    assert outcomes == [{"new": 1, "unchanged": None}, {"new": None, "unchanged": 1}]
    stored = sqlite_utils.Database(tmp_path / "prodops.db")
    assert [row["url"] for row in stored["documents"].rows] == [page.canonical_url]


def test_pages_are_committed_in_batches_and_a_failed_page_leaves_the_others(tmp_path, monkeypatch):
    from pipeline.stages import store

    pages = []
    for article in ARTICLES[:3]:
        page = CanonicalizeStage().process_item(fetched_page(article))
        asyncio.run(ExtractStage(WorkerPool(1, inline=True)).process_item(page))
        pages.append(through_classify(page))
    stage = StoreStage(str(tmp_path / "prodops.db"), _stats(), bodies_max_mb=10)
    stage.open_spider()
    reader = sqlite_utils.Database(tmp_path / "prodops.db")
    try:
        stage.process_item(pages[0])
        broken = pages[1]
        broken.vectors = (b"one vector, not two",)  # the page's last write fails: its savepoint goes back
        with pytest.raises(ValueError, match="not enough values"):
            stage.process_item(broken)
        stage.process_item(pages[2])
        assert reader["documents"].count == 0  # not committed yet: one transaction, one WAL write
        stage.commit()
        assert {row["id"] for row in reader["documents"].rows} == {pages[0].doc_id, pages[2].doc_id}
        # A batch older than COMMIT_EVERY commits with its next page.
        monkeypatch.setattr(store, "COMMIT_EVERY", 0.0)
        broken.vectors = None
        stage.process_item(broken)
        assert reader["documents"].count == 3
    finally:
        stage.close_spider()
    assert [row[0] for row in reader.execute("SELECT count(*) FROM bodies")] == [3]


def _stats():
    return MemoryStatsCollector(get_crawler())


class CountingPool(WorkerPool):
    """A real inline pool that counts the calls the stages send it."""

    def __init__(self):
        super().__init__(1)
        self.calls: list[str] = []

    async def run(self, function, *args, alone=False):
        self.calls.append(function.__name__)
        return await super().run(function, *args, alone=alone)


def through_the_pooled_stages(page, pool, ahead):
    from pipeline.config.entities import DEFAULT_ENTITIES
    from pipeline.config.taxonomy import DEFAULT_TAXONOMY
    from pipeline.stages.dedup import DedupStage
    from pipeline.stages.reading import StageCall
    from pipeline.stages.tag import TagStage

    tag = TagStage(pool, str(DEFAULT_TAXONOMY), str(DEFAULT_ENTITIES))

    async def run():
        await ExtractStage(pool, ahead=ahead).process_item(page)
        if StageCall.CLASSIFY in page.ahead:
            page.ahead[StageCall.CLASSIFY] = (("a stale", "argument"), {"content_type": "wrong"})
        for stage in (ClassifyStage(pool, str(DEFAULT_TAXONOMY)), tag, DedupStage(pool)):
            await stage.process_item(page)
        return page

    return asyncio.run(run())


def test_the_later_stages_calls_read_ahead_in_the_extraction_task_give_the_same_row():
    from pipeline.config.entities import DEFAULT_ENTITIES
    from pipeline.config.taxonomy import DEFAULT_TAXONOMY
    from pipeline.stages.reading import ReadAhead

    plain_pool, ahead_pool = CountingPool(), CountingPool()
    plain = through_the_pooled_stages(CanonicalizeStage().process_item(fetched_page()), plain_pool, None)
    ahead = through_the_pooled_stages(CanonicalizeStage().process_item(fetched_page()), ahead_pool,
                                      ReadAhead(str(DEFAULT_TAXONOMY), str(DEFAULT_ENTITIES), True))
    assert plain_pool.calls == ["read_html", "classify_text", "describe", "signature"]
    # The tag and signature calls came with the extraction; the classification read ahead
    # was made stale above (other arguments), so it ran again rather than be trusted.
    assert ahead_pool.calls == ["read_html", "classify_text"]
    assert ahead.document == plain.document and ahead.document["tags"]
    assert ahead.document["content_type"] != "wrong"
    assert (ahead.signature == plain.signature).all()
    assert ahead.ahead == {}  # each result read ahead is taken once


@pytest.mark.parametrize("hints", [EntryHints(), EntryHints(title="The feed's title", author="A. Feed",
                                                              published="2026-01-02", categories=["Ops"])])
def test_the_row_the_extraction_task_builds_is_the_one_the_crawler_would_build(hints):
    from pipeline.store.documents import document_row

    page = CanonicalizeStage().process_item(fetched_page(hints=hints))
    asyncio.run(ExtractStage(CountingPool()).process_item(page))
    assert page.extraction is not None and page.document is not None
    assert page.document == document_row(page)  # the crawler no longer builds it: the worker did


def test_the_calls_read_ahead_follow_the_stage_order_written_once():
    import pipeline
    from pipeline.stages.base import PooledStage, pooled_stages
    from pipeline.stages.reading import _BUILDERS, READ_AHEAD_ORDER, StageCall

    names = [f"{stage.__module__}.{stage.__qualname__}" for stage in pooled_stages()]
    assert names == [name for name in pipeline.STAGES if name in names]
    assert [name.rsplit(".", 1)[1] for name in names] == ["ExtractStage", "ClassifyStage", "TagStage", "DedupStage"]
    assert all(issubclass(stage, PooledStage) for stage in pooled_stages())
    # Each call read ahead is a later pooled stage's, taken in pipeline.STAGES's order.
    assert [call.value for call in READ_AHEAD_ORDER] == names[1:]
    assert set(_BUILDERS) == set(StageCall)


def test_a_stage_is_built_whole_from_the_settings():
    from scrapy.settings import Settings

    from pipeline.config.entities import DEFAULT_ENTITIES
    from pipeline.config.taxonomy import DEFAULT_TAXONOMY
    from pipeline.stages.tag import TagStage

    settings = Settings({"PRODOPS_TAXONOMY": str(DEFAULT_TAXONOMY), "PRODOPS_ENTITIES": str(DEFAULT_ENTITIES),
                         "PRODOPS_SEMANTIC": "False", "PRODOPS_EXTRACTION_FAVOUR": "recall"})
    pool = WorkerPool(1, inline=True)
    tag = TagStage.of(settings, pool)
    assert (tag.taxonomy_path, tag.entities_path, tag.semantic) == (str(DEFAULT_TAXONOMY), str(DEFAULT_ENTITIES), False)
    extract = ExtractStage.of(settings, pool)
    assert extract.favour == "recall" and extract.ahead is not None and extract.ahead.semantic is False
