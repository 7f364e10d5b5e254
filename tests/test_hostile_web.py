"""One crawl of every route of the hostile web (tests/hostile_web.py) beside a good source:
each test below states one route's expected outcome — a bounded wait, an error recorded on
the source, an item skipped with a reason — and that the other sources were not affected.

The crawl runs once for the module, in a subprocess whose peak RSS, and its workers', is
measured (bombs and 50 MB bodies included). Download timeout 3 s and retries 1, so hangs
cost ~6 s.
"""

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import FAST, ROOT, watch_peaks, write_sources
from hostile_web import SECRET, HostileWeb, local_feed_path

from pipeline.config.sources import Source

pytestmark = pytest.mark.long  # run early: conftest.pytest_collection_modifyitems

# Two worker processes, as a crawl has by default on this machine: the crawler process then
# holds no embedding model, and the peak below is the largest of the crawler and its workers.
# Eight requests at a time to this one host (two by default, polite to a real site): at two,
# the hanging routes held both slots for their timeouts while the rest waited (the crawl
# 18 -> 8 s; the peaks the same, 279 MiB, with more bombs and big bodies in flight at once).
SETTINGS = ["-s", "DOWNLOAD_TIMEOUT=3", "-s", "RETRY_TIMES=1", "-s", "PRODOPS_INLINE_STAGES=False",
            "-s", "PRODOPS_EXTRACT_WORKERS=2", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]
MAX_SECONDS = 300  # the hanging routes hold their connections for 600 s
URL_ROUTES = ["good", "slow-body", "hang-before-headers", "hang-after-headers", "reset", "truncated",
              "malformed/length-word", "malformed/two-lengths", "malformed/status", "malformed/not-gzip",
              "status/302-nowhere",
              "status/500", "status/503", "status/429", "gone", "loop", "chain/3", "chain/15",
              "gzip-bomb", "brotli-bomb", "big-plain", "big-chunked", "charset/lying",
              "charset/lying-legacy", "charset/unknown"]
FEED_ROUTES = ["feed/html-instead", "feed/billion-laughs", "feed/xxe", "feed/10000", "feed/guids",
               "feed/changing-guids", "feed/bad-links", "feed/local-path", "feed/dev-zero", "feed/cookies"]


def source_id(route: str) -> str:
    return route.replace("/", "-")


def crawl(sources, db, *extra) -> tuple[int, float, dict[str, float]]:
    """Run `prodops crawl` in a subprocess: (exit status, seconds, the peak RSS in MiB of the
    crawler and of each of its children, as conftest.watch_peaks names them)."""
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "crawl", "--sources", str(sources), "--db", str(db),
         "--allow-private-network", *FAST, *SETTINGS, *extra],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    watchdog = threading.Timer(MAX_SECONDS, process.kill)  # a hang must not hang the suite
    watchdog.start()
    peaks = watch_peaks(process)
    _, status, _ = os.wait4(process.pid, 0)
    watchdog.cancel()
    process.stderr.close()
    seconds = time.monotonic() - started
    assert seconds < MAX_SECONDS, "the crawl did not end by itself"
    return os.waitstatus_to_exitcode(status), seconds, dict(peaks)


# Every test here reads the one hostile crawl of this fixture: the module's tests run on one
# pytest worker (`--dist loadfile`, the Makefile), so the crawl runs once.
@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    secret = folder / "secret.txt"
    secret.write_text(SECRET)
    Path(local_feed_path(str(secret))).write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{SECRET}</title><item><title>{SECRET}</title>'
        '<link>http://127.0.0.1:9/entry/local</link></item></channel></rss>')
    with HostileWeb(str(secret)) as web:
        base = web.base_url
        sources = [Source(source_id(r), r, "url", f"{base}/{r}") for r in URL_ROUTES]
        sources += [Source(source_id(r), r, "feed", f"{base}/{r}") for r in FEED_ROUTES]
        sources += [Source("links-bad-links", "links", "links", f"{base}/links/bad-links"),
                    Source("sitemap-bad-links", "sitemap", "sitemap", f"{base}/sitemap/bad-links.xml"),
                    Source("sitemap-endless", "endless", "sitemap", f"{base}/sitemap/endless/0.xml"),
                    Source("sitemap-index-of-missing", "missing", "sitemap", f"{base}/sitemap/index-of-missing.xml")]
        sources_file = write_sources(folder / "sources.yaml", sources)
        db = folder / "hostile.db"
        status, seconds, peaks = crawl(sources_file, db)
        with sqlite3.connect(db) as conn:
            conn.row_factory = sqlite3.Row
            before = {row["url"]: dict(row) for row in conn.execute("SELECT * FROM documents")}
        # A second run of the feed whose GUIDs change on every fetch.
        second = crawl(sources_file, db, "--only", "feed-changing-guids")[0]
        conn = sqlite3.connect(db)
        conn.row_factory = sqlite3.Row
        yield {"status": status, "seconds": seconds, "peaks": peaks, "base": base,
               "conn": conn, "before": before, "second_status": second, "requests": list(web.requests),
               "sent_cookies": list(web.sent_cookies)}
        conn.close()


def source(hostile, route: str) -> dict:
    return dict(hostile["conn"].execute("SELECT * FROM sources WHERE id = ?", [source_id(route)]).fetchone())


def documents_of(hostile, route: str) -> list[dict]:
    rows = hostile["conn"].execute("SELECT * FROM documents WHERE source_id = ?", [source_id(route)])
    return [dict(row) for row in rows]


def failed(hostile, route: str, *words: str) -> str:
    """Assert the source's URL failed, with an error recorded on the source (its
    last_status) and in the run, that names one of `words`; return the message."""
    row = source(hostile, route)
    message = row["last_status"]
    assert message != "ok" and row["consecutive_errors"] == 1 and not documents_of(hostile, route), row
    assert any(word.lower() in message.lower() for word in words), message
    run = hostile["conn"].execute("SELECT error_messages FROM runs WHERE id = 1").fetchone()[0]
    assert any(m.startswith(source_id(route) + ":") for m in json.loads(run))
    return message


def test_the_run_finishes_and_keeps_the_good_source(hostile):
    assert hostile["status"] == 0
    assert source(hostile, "good")["last_status"] == "ok"
    assert [d["title"] for d in documents_of(hostile, "good")] == ["A good article"]
    assert hostile["conn"].execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_no_process_of_the_run_grows_past_400_mib(hostile):
    """The bombs and 50 MB bodies are cut off before they are held: neither the crawler nor
    either of its two workers peaks past 400 MiB. A bound that could not be measured is
    skipped with the reason, never passed."""
    peaks = hostile["peaks"]
    if "crawler" not in peaks:
        pytest.skip("the crawler's peak RSS could not be read (no VmHWM in /proc/PID/status here)")
    workers = [name for name in peaks if name != "crawler"]
    if len(workers) < 2:
        pytest.skip(f"the worker processes were not seen (/proc/PID/task/*/children unreadable?): {peaks}")
    assert max(peaks.values()) < 400, f"peak RSS in MiB: {peaks}"


@pytest.mark.parametrize("route", ["slow-body", "hang-before-headers", "hang-after-headers"])
def test_hangs_and_slow_bodies_time_out(hostile, route):
    failed(hostile, route, "timeout", "timed out", "took longer")


def test_a_reset_connection_is_an_error(hostile):
    failed(hostile, "reset", "connection", "reset", "lost")


def test_a_truncated_body_is_an_error_not_half_a_document(hostile):
    failed(hostile, "truncated", "dataloss", "partial", "lost", "truncat")


@pytest.mark.parametrize("route, said", [
    ("malformed/length-word", "not valid HTTP: a Content-Length that is not a number: b'abc'"),
    ("malformed/two-lengths", "not valid HTTP: Invalid response: conflicting Content-Length headers"),
    ("malformed/status", "not valid HTTP: non-integer status code: 'HTTP/1.1 abc OK'"),
    ("malformed/not-gzip", "could not be decompressed as its Content-Encoding says"),
    ("status/302-nowhere", "HTTP 302 without a Location header")])
def test_an_answer_that_is_not_http_is_an_error_in_words(hostile, route, said):
    """Not Twisted's "[<twisted.python.failure.Failure builtins.ValueError: …>]"."""
    message = failed(hostile, route, said)
    assert "Failure" not in message and "<" not in message, message


@pytest.mark.parametrize("route", ["status/500", "status/503", "status/429"])
def test_server_errors_are_retried_then_recorded(hostile, route):
    failed(hostile, route, route.rsplit("/", 1)[1])
    assert hostile["requests"].count(f"/{route}") == 2  # the first try and one retry


def test_gone_disables_the_source(hostile):
    row = source(hostile, "gone")
    assert "410" in row["disabled_reason"]  # the next crawls skip it (`sources enable` undoes it)


def test_redirect_loops_and_long_chains_stop(hostile):
    failed(hostile, "loop", "redirect")
    failed(hostile, "chain/15", "redirect")
    assert hostile["requests"].count("/loop") <= 12
    [document] = documents_of(hostile, "chain/3")  # a short chain is followed
    assert document["fetched_url"].endswith("/chain/0")


@pytest.mark.parametrize("route", ["gzip-bomb", "brotli-bomb", "big-plain", "big-chunked"])
def test_bombs_and_huge_bodies_are_cut_off(hostile, route):
    failed(hostile, route, "size", "cancelled", "exceed", "maxsize")


@pytest.mark.parametrize("route", ["charset/lying", "charset/lying-legacy", "charset/unknown"])
def test_lying_and_unknown_charsets_still_give_readable_text(hostile, route):
    [document] = documents_of(hostile, route)
    assert document["title"].startswith("Café culture"), document["title"]
    assert "Ã" not in document["text"] and "\ufffd" not in document["text"]


def test_html_where_a_feed_should_be_is_an_error_that_names_the_real_feed(hostile):
    message = failed(hostile, "feed/html-instead", "not a feed")
    assert f"{hostile['base']}/feed/good" in message


@pytest.mark.parametrize("route", ["feed/local-path", "feed/dev-zero"])
def test_a_feed_body_naming_a_local_path_is_not_a_feed(hostile, route):
    failed(hostile, route, "not a feed")
    assert not hostile["conn"].execute("SELECT 1 FROM documents WHERE title LIKE ? OR url LIKE ?",
                                       [f"%{SECRET}%", "%/entry/local"]).fetchall()


@pytest.mark.parametrize("route", ["feed/billion-laughs", "feed/xxe"])
def test_entity_attacks_in_feeds_expand_nothing(hostile, route):
    for row in hostile["conn"].execute("SELECT title, text, description FROM documents"):
        assert SECRET not in " ".join(filter(None, row))
        assert "lollollol" not in (row[0] or "")
    assert source(hostile, route)["last_status"] in ("ok", "error")


def test_a_feed_of_ten_thousand_entries_takes_its_limit_and_says_so(hostile):
    row = source(hostile, "feed/10000")
    assert row["last_status"] == "ok"
    assert len(documents_of(hostile, "feed/10000")) == 100  # PRODOPS_FEED_MAX_ENTRIES
    assert "10000 entries" in (row["last_warning"] or ""), row


def test_duplicate_and_missing_guids_give_one_document_per_link(hostile):
    urls = sorted(d["url"].rsplit("/", 1)[1] for d in documents_of(hostile, "feed/guids"))
    assert urls == ["dup-a", "dup-b", "no-guid"]


def test_changing_guids_add_no_duplicates_on_the_next_run(hostile):
    assert hostile["second_status"] == 0
    urls = [d["url"] for d in documents_of(hostile, "feed/changing-guids")]
    assert len(urls) == len(set(urls)) == 2
    assert set(urls) == {u for u, d in hostile["before"].items() if d["source_id"] == "feed-changing-guids"}


@pytest.mark.parametrize("route", ["feed/bad-links", "links/bad-links", "sitemap/bad-links.xml"])
def test_javascript_data_and_file_links_are_skipped_with_a_reason(hostile, route):
    sid = {"links/bad-links": "links-bad-links",
           "sitemap/bad-links.xml": "sitemap-bad-links"}.get(route, source_id(route))
    row = dict(hostile["conn"].execute("SELECT * FROM sources WHERE id = ?", [sid]).fetchone())
    assert row["last_status"] == "ok", row
    urls = [r[0] for r in hostile["conn"].execute("SELECT url FROM documents WHERE source_id = ?", [sid])]
    assert len(urls) == 1 and urls[0].startswith(hostile["base"] + "/entry/")
    if route != "links/bad-links":  # a link page's javascript: anchors are menus, not items
        assert "not an http(s) link" in (row["last_warning"] or ""), row
    dropped = json.loads(hostile["conn"].execute("SELECT dropped FROM runs WHERE id = 1").fetchone()[0] or "{}")
    assert dropped.get("not-web-link", 0) >= 2 * 3 - 1  # feed: 3, sitemap: 2 (one is a scheme-less javascript)
    assert not any("secret" in path for path in hostile["requests"])


def test_a_sitemap_index_whose_sitemaps_all_fail_is_a_failing_source(hostile):
    message = failed(hostile, "sitemap/index-of-missing", "404")
    assert "/sitemap/missing-" in message
    assert {"/sitemap/missing-1.xml", "/sitemap/missing-2.xml"} <= set(hostile["requests"])


def test_cookies_a_site_sets_are_never_kept_or_sent_back(hostile):
    """The crawl is stateless, as search engines' are: a site's cookies cost memory without end
    and every later request their size, and public pages need none."""
    assert source(hostile, "feed/cookies")["last_status"] == "ok"
    assert len(documents_of(hostile, "feed/cookies")) == 3
    assert any(path.startswith("/entry/after-cookies-") for path in hostile["requests"])
    assert hostile["sent_cookies"] == []


def test_an_endless_chain_of_sitemap_indexes_stops_at_the_limit(hostile):
    row = dict(hostile["conn"].execute("SELECT * FROM sources WHERE id = 'sitemap-endless'").fetchone())
    assert row["last_status"] == "ok" and "max_sitemaps (50)" in (row["last_warning"] or ""), row
    fetched = [path for path in hostile["requests"] if path.startswith("/sitemap/endless/")]
    assert len(fetched) == 51  # the source's own sitemap and 50 children
