"""`retag_corpus` (pipeline/store/retag.py) in this process: what a retag writes back to
stored documents, batch by batch, in order, with the curator's labels and without them —
the fast, in-process counterpart of the crawl-and-retag tests (which mutation testing
cannot see into: they run `prodops` in a subprocess)."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from pipeline.config.labels import Label
from pipeline.config.taxonomy import load_taxonomy
from pipeline.quality.search import store_labelled_pages
from pipeline.store import retag
from pipeline.store.database import open_database
from pipeline.store.labels import save_label


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy()


@pytest.fixture
def corpus(tmp_path, taxonomy):
    return store_labelled_pages(open_database(tmp_path / "c.db"), taxonomy)


def columns(db, *names):
    return {row[0]: row[1:] for row in db.execute(f"SELECT id, {', '.join(names)} FROM documents ORDER BY id")}


def test_a_retag_rewrites_what_changed_and_only_that(corpus, taxonomy, monkeypatch):
    monkeypatch.setattr(retag, "BATCH", 7)  # several batches: every one is read, in id order
    total = corpus["documents"].count
    first = retag.retag_corpus(corpus, taxonomy, workers=1)
    assert (first.seen, first.labels, first.learned) == (total, 0, False)
    before = columns(corpus, "tags", "relevance", "content_type", "why")
    [(doc_id, title)] = corpus.execute("SELECT id, title FROM documents ORDER BY id LIMIT 1 OFFSET 9").fetchall()
    corpus.execute("UPDATE documents SET tags = '[]', relevance = 0.0, content_type = 'book' WHERE id = ?", [doc_id])
    corpus.conn.commit()
    second = retag.retag_corpus(corpus, taxonomy, workers=1)
    assert (second.seen, second.changed) == (total, 1)
    assert columns(corpus, "tags", "relevance", "content_type", "why") == before
    assert retag.retag_corpus(corpus, taxonomy, workers=1).changed == 0  # nothing left to change
    why = json.loads(before[doc_id][3])
    assert why[0]["where"] == "type" and {"concept", "where"} <= set(why[-1])
    assert corpus["vectors"].count == total


def test_a_retag_through_an_executor_keeps_the_order_and_a_bounded_lead(corpus, taxonomy, monkeypatch):
    monkeypatch.setattr(retag, "BATCH", 5)
    direct = columns(corpus, "tags")
    submitted = []

    class Counting(ThreadPoolExecutor):
        def submit(self, function, *args):
            submitted.append(len(args[-1]))
            return super().submit(function, *args)

    with Counting(2) as executor:
        summary = retag.retag_corpus(corpus, taxonomy, executor=executor)
    assert summary.seen == corpus["documents"].count == sum(submitted) and set(submitted[:-1]) == {5}
    assert columns(corpus, "tags") == direct
    lead = list(retag._judged(None, taxonomy, (), iter([[], []]), ahead=1))
    assert lead == [([], []), ([], [])]


def test_a_retag_applies_the_curators_labels(corpus, taxonomy):
    rows = corpus.execute("SELECT id, url FROM documents ORDER BY id LIMIT 25").fetchall()
    for index, (doc_id, url) in enumerate(rows):
        save_label(corpus, Label(url, index % 2 == 0, ["voice-of-customer"] if index % 2 == 0 else [],
                                 labelled_at="2026-12-01T00:00:00Z"), doc_id)
    summary = retag.retag_corpus(corpus, taxonomy, workers=1)
    assert summary.labels == 25 and summary.learned is True
    tagged = columns(corpus, "tags", "relevance")
    for index, (doc_id, _) in enumerate(rows):
        tags, relevance = json.loads(tagged[doc_id][0]), tagged[doc_id][1]
        if index % 2 == 0:
            assert "voice-of-customer" in tags and relevance >= 0.5, (doc_id, tags, relevance)
        else:
            assert tags == [] and relevance < 0.5, (doc_id, tags, relevance)
    examples = retag.labelled_examples(corpus, taxonomy)
    assert [label.url for _, label in examples] == sorted(
        (url for _, url in rows), key=lambda url: next(d for d, u in rows if u == url))


def test_a_pool_of_workers_writes_what_this_process_writes_and_a_small_corpus_needs_none(
        tmp_path, corpus, taxonomy, monkeypatch):
    """Two spawned worker processes (a corpus of IN_PROCESS_UP_TO documents or more) tag as
    this process does; below that, the default tags here without starting any."""
    other = store_labelled_pages(open_database(tmp_path / "other.db"), taxonomy)
    for db in (corpus, other):
        db.execute("UPDATE documents SET tags = '[]', relevance = 0.0")
        db.conn.commit()
    pooled = retag.retag_corpus(corpus, taxonomy, workers=2)
    assert pooled.seen == corpus["documents"].count and pooled.changed > 0
    started = []
    monkeypatch.setattr(retag, "local_pool", lambda *args, **kwargs: started.append(args))
    here = retag.retag_corpus(other, taxonomy)  # the default, for a small corpus
    assert started == [] and here.seen == pooled.seen
    assert columns(corpus, "tags", "relevance", "content_type", "why") == columns(other, "tags", "relevance",
                                                                                  "content_type", "why")
