"""Politeness: Retry-After honoured on 429/503."""

from datetime import datetime, timezone

import sqlite_utils
from conftest import FAST, run_prodops, write_sources

from pipeline import clock
from pipeline.config.sources import Source
from pipeline.demo.webserver import Route, StaticWeb
from spiders.retry_after import retry_after_seconds

PAGE = (b"<html><head><title>Playbook</title></head><body><article><h1>Playbook</h1>"
        + b"<p>Product operations runs the planning cadence and owns the tooling.</p>" * 20
        + b"</article></body></html>")


def test_retry_after_parses_seconds_and_dates(monkeypatch):
    monkeypatch.setattr(clock, "utcnow", lambda: datetime(2026, 11, 25, 12, 0, 0, tzinfo=timezone.utc))
    assert retry_after_seconds("3") == 3.0
    assert retry_after_seconds("Wed, 25 Nov 2026 12:00:30 GMT") == 30.0
    assert retry_after_seconds("Wed, 25 Nov 2026 11:00:00 GMT") == 0.0
    assert retry_after_seconds("soon") is None


def test_429_with_retry_after_3_is_retried_no_sooner_than_3_seconds(tmp_path):
    web = StaticWeb({
        "/robots.txt": Route(b"", "text/plain"),
        "/page": Route(b"slow down", "text/plain", status=429, headers={"Retry-After": "3"},
                       then=Route(PAGE)),
    })
    with web:
        sources = write_sources(tmp_path / "s.yaml", [Source("p", "P", "url", web.base_url + "/page")])
        result = run_prodops("crawl", "--sources", str(sources), "--db", str(tmp_path / "c.db"),
                             "--allow-private-network", *FAST)
    assert result.returncode == 0, result.stderr
    asked = [t for path, t in zip(web.requests, web.times) if path == "/page"]
    assert len(asked) == 2
    assert asked[1] - asked[0] >= 3.0
    assert sqlite_utils.Database(tmp_path / "c.db")["documents"].count == 1


def test_a_retry_after_beyond_the_maximum_is_an_error_not_a_wait(tmp_path):
    web = StaticWeb({
        "/robots.txt": Route(b"", "text/plain"),
        "/page": Route(b"busy", "text/plain", status=503, headers={"Retry-After": "3600"}),
    })
    with web:
        sources = write_sources(tmp_path / "s.yaml", [Source("p", "P", "url", web.base_url + "/page")])
        result = run_prodops("crawl", "--sources", str(sources), "--db", str(tmp_path / "c.db"),
                             "--allow-private-network", *FAST)
    assert result.returncode == 0, result.stderr
    assert web.requests.count("/page") == 1
    assert "HTTP 503" in result.stdout


def test_robots_crawl_delay_spaces_the_requests(tmp_path):
    routes = {"/robots.txt": Route(b"User-agent: *\nCrawl-delay: 1\n", "text/plain")}
    routes.update({f"/p{i}": Route(PAGE.replace(b"Playbook", f"Playbook {i}".encode())) for i in range(3)})
    with StaticWeb(routes) as web:
        sources = write_sources(
            tmp_path / "s.yaml", [Source(f"p{i}", "P", "url", f"{web.base_url}/p{i}") for i in range(3)]
        )
        result = run_prodops("crawl", "--sources", str(sources), "--db", str(tmp_path / "c.db"),
                             "--allow-private-network", *FAST, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8")
    assert result.returncode == 0, result.stderr
    times = sorted(t for path, t in zip(web.requests, web.times) if path.startswith("/p"))
    assert len(times) == 3
    assert all(later - earlier >= 0.95 for earlier, later in zip(times, times[1:]))


def test_a_site_whose_robots_txt_answers_a_server_error_is_not_crawled_that_run(tmp_path):
    """RFC 9309: while robots.txt is unreachable (5xx), assume complete disallow. Scrapy read
    the error page as a robots.txt without rules, so everything was allowed. The feed and
    the page are not asked for, each source says why; once robots.txt answers, they are."""
    feed = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>Playbook</title>'
            b"<link>/page</link></item></channel></rss>")
    web = StaticWeb({
        "/robots.txt": Route(b"<h1>Internal Server Error</h1>", status=500),
        "/page": Route(PAGE),
        "/feed": Route(feed, "application/rss+xml"),
    })
    with web:
        sources = write_sources(tmp_path / "s.yaml", [Source("p", "P", "url", web.base_url + "/page"),
                                                      Source("f", "F", "feed", web.base_url + "/feed")])
        crawl = ("crawl", "--sources", str(sources), "--db", str(tmp_path / "c.db"), "--allow-private-network", *FAST)
        first = run_prodops(*crawl)
        asked_first = list(web.requests)
        web.routes["/robots.txt"] = Route(b"", "text/plain")
        second = run_prodops(*crawl, "--only", "p", "--only", "f")  # (backing off since the first)
    assert first.returncode == 0, first.stderr
    assert "/robots.txt" in asked_first and "/page" not in asked_first and "/feed" not in asked_first
    db = sqlite_utils.Database(tmp_path / "c.db")
    assert second.returncode == 0, second.stderr
    assert db["documents"].count == 1 and "/page" in web.requests
    first_errors = db.execute("SELECT error_messages FROM runs WHERE id = 1").fetchone()[0]
    assert first_errors.count("robots.txt answered HTTP 500") == 2, first_errors  # the page's source and the feed's
