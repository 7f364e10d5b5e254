"""Fetched bodies kept (zstd, bounded) and `prodops reextract` over them, fetching nothing."""

from __future__ import annotations

from datetime import timedelta

import sqlite_utils
import zstandard
from conftest import FAST, run_bounded, run_prodops, write_sources
from hostile_web import pdf_bomb

from pipeline import clock
from pipeline.config.sources import Source
from pipeline.demo.pdfmaker import make_pdf
from pipeline.demo.webserver import Route, StaticWeb

INLINE = ["-s", "PRODOPS_INLINE_STAGES=True"]


def crawl(sources_file, db_path, *settings):
    result = run_prodops("crawl", "--sources", str(sources_file), "--db", str(db_path),
                         "--allow-private-network", *FAST, *settings)
    assert result.returncode == 0, result.stdout + result.stderr
    return sqlite_utils.Database(db_path)


def documents(db) -> dict[str, dict]:
    return {row["id"]: row for row in db["documents"].rows}


def test_bodies_are_kept_and_reextract_reports_what_a_changed_setting_changes(
        tmp_path, sample_web, sample_sources_file, monkeypatch):
    db = crawl(sample_sources_file, tmp_path / "c.db")
    bodies = list(db["bodies"].rows)
    assert len(bodies) >= 12
    served = {sample_web.base_url + path: route.body for path, route in sample_web.routes.items()}
    for body in bodies:  # each is the bytes served, compressed
        assert zstandard.ZstdDecompressor().decompress(body["body"]) == served[body["url"]]
        assert body["size"] == len(body["body"]) < len(served[body["url"]])
    before = documents(db)
    requests = len(sample_web.requests)

    same = run_prodops("reextract", "--db", str(tmp_path / "c.db"), *INLINE)
    assert same.returncode == 0, same.stderr
    assert "documents  changed" in same.stdout and f"Re-extracted {len(bodies)} document(s)" in same.stdout
    again = documents(sqlite_utils.Database(tmp_path / "c.db"))
    moved = {(i, k) for i in before for k in before[i] if before[i][k] != again[i][k]}
    assert not moved, sorted(moved)  # same versions: nothing moves

    # A minute later (the clock pinned: a fast machine re-extracts within the crawl's second,
    # and `updated` has whole seconds).
    later_now = clock.utcnow() + timedelta(minutes=1)
    monkeypatch.setattr(clock, "utcnow", lambda: later_now)
    recall = run_prodops("reextract", "--db", str(tmp_path / "c.db"), *INLINE,
                         "-s", "PRODOPS_EXTRACTION_FAVOUR=recall")
    assert recall.returncode == 0, recall.stderr
    after = documents(sqlite_utils.Database(tmp_path / "c.db"))
    changed = [i for i in before if after[i]["content_hash"] != before[i]["content_hash"]]
    assert changed, "recall keeps text that precision dropped on the sample web"
    for doc_id in changed:
        assert after[doc_id]["updated"] > before[doc_id]["updated"]
        assert after[doc_id]["extracted_by"].startswith("trafilatura ")
        assert (after[doc_id]["url"], after[doc_id]["first_seen"], after[doc_id]["last_seen"]) == (
            before[doc_id]["url"], before[doc_id]["first_seen"], before[doc_id]["last_seen"])
    by_source = by_source_of(recall.stdout)
    changed_sources = {before[i]["source_id"] for i in changed}
    for source_id, (count, n_changed, added, removed, no_text) in by_source.items():
        assert (int(n_changed) > 0) == (source_id in changed_sources), recall.stdout
    assert sum(int(v[2]) for v in by_source.values()) > 0  # words added
    assert len(sample_web.requests) == requests  # nothing fetched

    # Back to the crawl's setting: a page whose main text precision finds no more keeps the
    # text it has (nothing stored is lost), and is counted under "no text".
    [soon] = [i for i in changed if "coming-soon" in before[i]["url"]]  # a feed entry's page
    assert before[soon]["extracted_by"] == "feed" and after[soon]["word_count"] > before[soon]["word_count"]
    back = run_prodops("reextract", "--db", str(tmp_path / "c.db"), *INLINE)
    final = documents(sqlite_utils.Database(tmp_path / "c.db"))
    assert final[soon]["text"] == after[soon]["text"]
    assert int(by_source_of(back.stdout)[before[soon]["source_id"]][4]) >= 1

    one = run_prodops("reextract", "--db", str(tmp_path / "c.db"), *INLINE, "--source", "oprhythm-atom")
    assert list(by_source_of(one.stdout)) == ["oprhythm-atom"]
    later = run_prodops("reextract", "--db", str(tmp_path / "c.db"), *INLINE, "--since", "2999-01-01")
    assert "Re-extracted 0 document(s)" in later.stdout
    unknown = run_prodops("reextract", "--db", str(tmp_path / "c.db"), "--source", "nope")
    assert unknown.returncode == 2 and "no source 'nope'" in unknown.stderr
    bad = run_prodops("reextract", "--db", str(tmp_path / "c.db"), "--since", "last week")
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr
    setting = run_prodops("reextract", "--db", str(tmp_path / "c.db"), "-s", "PRODOPS_EXTRACTION_FAVOUR=most")
    assert setting.returncode == 2 and "PRODOPS_EXTRACTION_FAVOUR" in setting.stderr


def by_source_of(output: str) -> dict[str, list[str]]:
    return {line.split()[0]: line.split()[1:] for line in output.splitlines()[1:]
            if line and not line.startswith("Re-extracted")}


def test_bodies_stay_under_their_size_limit_and_zero_keeps_none(tmp_path, sample_web, sample_sources_file):
    limit = 8 * 1024
    db = crawl(sample_sources_file, tmp_path / "small.db", "-s", f"PRODOPS_BODIES_MAX_MB={limit / 1048576}")
    kept = list(db.query("SELECT fetched_at, size FROM bodies"))
    assert kept and sum(row["size"] for row in kept) <= limit
    assert len(kept) < db["documents"].count  # the oldest were dropped

    db = crawl(sample_sources_file, tmp_path / "none.db", "-s", "PRODOPS_BODIES_MAX_MB=0")
    assert db["bodies"].count == 0
    nothing = run_prodops("reextract", "--db", str(tmp_path / "none.db"))
    assert nothing.returncode == 0 and "nothing to re-extract" in nothing.stdout


def test_a_kept_body_that_is_a_pdf_bomb_is_read_within_the_memory_cap(tmp_path):
    """Kept bodies are what sites sent, read again: in bounded workers, as in a crawl. A kept
    PDF that inflates to twenty 70 MB streams (minutes and 1.4 GB in this process before)
    leaves its document as it was, and no process passes the cap."""
    cap = 640
    report = make_pdf(["Product ops report", "Teams grew again this year."], title="Report")
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain"), "/report.pdf": Route(report, "application/pdf")})
    with web:
        db = crawl(write_sources(tmp_path / "s.yaml", [Source("r", "R", "url", web.base_url + "/report.pdf")]),
                   tmp_path / "c.db")
    [before] = db["documents"].rows
    # The body kept is the site's: here, what a hostile one could have sent.
    db["bodies"].update(before["id"], {"body": zstandard.ZstdCompressor().compress(pdf_bomb())})
    again, peaks = run_bounded("reextract", "--db", str(tmp_path / "c.db"), "-s", f"PRODOPS_WORKER_MEMORY_MB={cap}")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Re-extracted 1 document(s)" in again.stdout
    [after] = sqlite_utils.Database(tmp_path / "c.db")["documents"].rows
    assert after["text"] == before["text"] and after["content_hash"] == before["content_hash"]
    assert max(peaks.values()) < cap and peaks["crawler"] < 400, peaks


def test_reextraction_builds_the_crawls_pooled_stages_whole_from_its_settings(tmp_path):
    from pipeline.crawl.reextract import Reextraction
    from pipeline.crawl.runner import crawl_settings

    work = Reextraction(crawl_settings(tmp_path / "c.db", {"PRODOPS_SEMANTIC": "False"}))
    try:
        stages = (work.extract, *work.later)
        assert [type(stage).__name__ for stage in stages] == ["ExtractStage", "ClassifyStage", "TagStage", "DedupStage"]
        assert work.later[1].semantic is False and work.extract.ahead.semantic is False
        assert all(stage.pool is work.pool for stage in stages)
    finally:
        work.close()
