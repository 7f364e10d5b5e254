"""Paths through a real crawl that nothing else walks: a site crawl's depth and deny rules, a
page's declared canonical URL (and the guard against a home-page canonical), Last-Modified
alone, robots.txt, a redirect to a private address, a kind of source the spider cannot start,
a source backing off, the progress line, and the demo end to end."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest
import sqlite_utils
from conftest import FAST, ROOT, run_prodops, write_sources
from scrapy import Request
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from pipeline.config.sources import KIND_OPTIONS, Source
from pipeline.demo.articles import ARTICLES
from pipeline.demo.sampleweb import article_html, page_html
from pipeline.demo.webserver import Route, StaticWeb
from spiders.curator import CuratorSpider
from spiders.middlewares import NetworkGuardMiddleware, RefusedRequest

ROBOTS = {"/robots.txt": Route(b"", "text/plain")}


def crawl(tmp_path, sources, name="c.db", *extra):
    sources_file = write_sources(tmp_path / f"{name}.yaml", sources)
    db_path = tmp_path / name
    result = run_prodops("crawl", "--sources", str(sources_file), "--db", str(db_path),
                         "--allow-private-network", *FAST, *extra)
    assert result.returncode == 0, result.stdout + result.stderr
    return sqlite_utils.Database(db_path), result


def stored_paths(db, base):
    return sorted(row["url"].removeprefix(base) for row in db["documents"].rows)


def article(index: int, head: str = "") -> bytes:
    html = article_html(ARTICLES[index], "http://x")
    return html.replace("<head>", f"<head>{head}", 1).encode()


def hub(*paths: str) -> bytes:
    links = "".join(f'<li><a href="{path}">{path}</a></li>' for path in paths)
    return page_html("Hub", f"<h1>Hub</h1><ul>{links}</ul>").encode()


def test_a_site_crawls_max_depth_and_deny_change_what_is_stored(tmp_path):
    # A chain of hubs four links deep with an article hanging off each, /s/aN being N links
    # from the start page: max_depth 3 must cut the site between /s/a3 and /s/a4, and the
    # denied article sits at depth 1, where only the deny rule can keep it out.
    web = StaticWeb({**ROBOTS,
                     "/s/": Route(hub("/s/a1", "/s/private/p1", "/s/h1/")),
                     "/s/h1/": Route(hub("/s/a2", "/s/h2/")),
                     "/s/h2/": Route(hub("/s/a3", "/s/h3/")),
                     "/s/h3/": Route(hub("/s/a4")),
                     **{f"/s/a{depth}": Route(article(depth)) for depth in (1, 2, 3, 4)},
                     "/s/private/p1": Route(article(5))})
    with web:
        base = web.base_url
        db, _ = crawl(tmp_path, [Source("site", "S", "site", f"{base}/s/",
                                        settings={"max_depth": 3, "deny": ["/private/"]})])
    assert stored_paths(db, base) == ["/s/a1", "/s/a2", "/s/a3"]
    assert "/s/h3/" in web.requests  # depth 3 is read, but its links lead no further
    assert "/s/a4" not in web.requests and "/s/private/p1" not in web.requests


def test_a_declared_canonical_on_the_same_site_is_adopted_but_not_one_pointing_home(tmp_path):
    web = StaticWeb(ROBOTS)
    with web:
        base = web.base_url
        web.routes.update({
            "/post": Route(article(0, f'<link rel="canonical" href="{base}/posts/product-ops">')),
            "/og": Route(article(1, f'<meta property="og:url" content="{base}/posts/by-og">')),
            "/deep/article": Route(article(2, f'<link rel="canonical" href="{base}/">')),
            "/elsewhere": Route(article(3, '<link rel="canonical" href="https://other.example/copy">')),
        })
        sources = [Source(f"u{i}", "U", "url", f"{base}{path}")
                   for i, path in enumerate(["/post", "/og", "/deep/article", "/elsewhere"])]
        db, _ = crawl(tmp_path, sources)
    assert stored_paths(db, base) == ["/deep/article", "/elsewhere", "/posts/by-og", "/posts/product-ops"]
    sighted = {row["url"].removeprefix(base) for row in db["sightings"].rows}
    assert {"/post", "/og"} <= sighted  # where it was found is kept


def test_last_modified_alone_gives_a_conditional_get_and_a_304(tmp_path):
    stamp = "Tue, 01 Dec 2026 08:00:00 GMT"
    web = StaticWeb({**ROBOTS, "/page": Route(article(0), headers={"Last-Modified": stamp}, etag=False)})
    with web:
        source = Source("page", "P", "url", f"{web.base_url}/page")
        db, _ = crawl(tmp_path, [source])
        sent = web.bytes_sent
        db, second = crawl(tmp_path, [source])
        assert web.bytes_sent == sent  # the second answer had no body
    assert db["validators"].get(f"{web.base_url}/page")["last_modified"] == stamp
    run = list(db["runs"].rows)[-1]
    assert run["pages_not_modified"] == 1 and run["documents_unchanged"] == 1


def test_a_url_robots_txt_disallows_is_not_fetched_and_the_source_says_why(tmp_path):
    web = StaticWeb({"/robots.txt": Route(b"User-agent: *\nDisallow: /private/\n", "text/plain"),
                     "/private/page": Route(article(0)), "/open": Route(article(1))})
    with web:
        db, result = crawl(tmp_path, [Source("private", "P", "url", f"{web.base_url}/private/page"),
                                      Source("open", "O", "url", f"{web.base_url}/open")])
    assert "/private/page" not in web.requests and "/open" in web.requests
    assert "robots.txt disallows it" in (db["sources"].get("private")["last_status"] or "")
    assert db["sources"].get("open")["last_status"] == "ok"


def test_a_redirect_to_a_private_address_is_refused():
    # Scrapy's own redirect middleware builds the next hop; the guard checks every hop.
    crawler = get_crawler(settings_dict={"PRODOPS_ALLOW_PRIVATE_NETWORK": False})
    first = Request("http://93.184.216.34/feed")
    response = HtmlResponse(first.url, status=302, headers={"Location": "http://127.0.0.1:8080/admin"},
                            request=first)
    hop = RedirectMiddleware.from_crawler(crawler).process_response(first, response)
    assert isinstance(hop, Request) and hop.url == "http://127.0.0.1:8080/admin"
    guard = NetworkGuardMiddleware.from_crawler(crawler)
    import asyncio

    with pytest.raises(RefusedRequest, match="non-public"):
        asyncio.run(guard.process_request(hop))


def test_every_kind_of_source_has_a_start_and_an_unknown_kind_is_refused_before_the_crawl(tmp_path):
    assert set(CuratorSpider().starts) == set(KIND_OPTIONS)
    crawler = get_crawler(CuratorSpider, {"PRODOPS_DB": str(tmp_path / "c.db")})
    gopher = Source("old", "Old", "gopher", "http://127.0.0.1/")
    with pytest.raises(ValueError, match="cannot crawl source 'old' of kind 'gopher'"):
        CuratorSpider.from_crawler(crawler, sources=[Source("a", "A", "url", "http://127.0.0.1/a"), gopher])


def test_a_source_backing_off_is_skipped_unless_named(tmp_path):
    web = StaticWeb({**ROBOTS, "/a": Route(article(0)), "/b": Route(article(1))})
    with web:
        sources = [Source("a", "A", "url", f"{web.base_url}/a"), Source("b", "B", "url", f"{web.base_url}/b")]
        db, _ = crawl(tmp_path, sources)
        later = (datetime.now(timezone.utc) + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
        db["sources"].update("b", {"next_due": later, "consecutive_errors": 1})
        web.requests.clear()
        _, skipped = crawl(tmp_path, sources)
        assert "/b" not in web.requests and "/a" in web.requests
        assert f"Skipping b: backing off after errors until {later}" in skipped.stderr
        web.requests.clear()
        crawl(tmp_path, sources, "c.db", "--only", "b")
        assert "/b" in web.requests
        db["sources"].update("a", {"next_due": later, "consecutive_errors": 1})
        db["sources"].update("b", {"next_due": later, "consecutive_errors": 1})
        web.requests.clear()
        _, none_due = crawl(tmp_path, sources)  # nothing due is no error: exit 0, said
        assert web.requests == [] and "Nothing to crawl now: every source is skipped" in none_due.stderr


def test_a_crawl_with_no_source_to_crawl_makes_no_database_and_every_stops_at_once(tmp_path):
    sources = tmp_path / "s.yaml"
    sources.write_text("sources:\n  - {id: x, kind: feed, url: 'http://127.0.0.1:9/feed', enabled: false}\n")
    for every in ((), ("--every", "1s")):
        result = run_prodops("crawl", "--sources", str(sources), "--db", str(tmp_path / "c.db"), *every,
                             timeout=60)
        assert result.returncode == 2 and "no enabled sources to crawl" in result.stderr, result.stderr
        assert sorted(path.name for path in tmp_path.iterdir()) == ["s.yaml"]  # no database, no lock


def test_the_database_file_alone_holds_what_a_crawl_wrote(tmp_path):
    """The crawl moves its WAL into the file as it exits: a copy of the file alone (a backup,
    an upload to the server) misses nothing. It held none of a first crawl's documents."""
    web = StaticWeb({**ROBOTS, "/a": Route(article(0)), "/b": Route(article(1))})
    with web:
        crawl(tmp_path, [Source("a", "A", "url", f"{web.base_url}/a"), Source("b", "B", "url", f"{web.base_url}/b")])
    wal = tmp_path / "c.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0
    copy = tmp_path / "copy" / "c.db"
    copy.parent.mkdir()
    copy.write_bytes((tmp_path / "c.db").read_bytes())
    assert sqlite_utils.Database(copy)["documents"].count == 2


def test_the_progress_line_is_live_on_a_terminal(tmp_path):
    web = StaticWeb({**ROBOTS, **{f"/a{i}": Route(article(i)) for i in range(3)}})
    with web:
        sources = write_sources(tmp_path / "s.yaml", [Source(f"a{i}", "A", "url", f"{web.base_url}/a{i}")
                                                     for i in range(3)])
        controller, terminal = os.openpty()  # stderr is a terminal, as for a person at it
        process = subprocess.Popen(
            [sys.executable, "-m", "pipeline.cli", "crawl", "--sources", str(sources), "--db",
             str(tmp_path / "c.db"), "--allow-private-network", *FAST],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=terminal, text=True)
        os.close(terminal)
        shown = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the crawl closed its end
                break
            if not chunk:
                break
            shown += chunk
        process.wait(timeout=120)
        os.close(controller)
    text = shown.decode()
    assert "\rfetched " in text and "new 3" in text  # rewritten in place, ending with the totals
    assert "errors 0" in text


def test_the_demo_crawls_the_sample_web_end_to_end(tmp_path):
    result = run_prodops("demo", "--db", str(tmp_path / "demo.db"), "--no-serve", timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Sample web running at http://127.0.0.1:" in result.stderr
    # The sample feed lists one page that answers 404 on purpose (stored from its entry).
    assert "finished" in result.stdout and " 1 error(s)" in result.stdout and "HTTP 404" in result.stdout
    with sqlite3.connect(tmp_path / "demo.db") as conn:
        documents = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        types = {row[0] for row in conn.execute("SELECT DISTINCT content_type FROM documents")}
        via = {row[0] for row in conn.execute("SELECT DISTINCT found_via FROM sightings")}
    assert documents >= 10
    assert "whitepaper-report" in types
    assert {"feed", "sitemap", "site", "links", "url", "pdf-link"} <= via
