"""Collecting edge cases through a real crawl: feed quirks, PDFs that cannot be read, and
one failing source next to good ones."""

import re

import pytest
import sqlite_utils
from conftest import FAST, POOLED, run_bounded, run_prodops, write_sources
from hostile_web import pdf_bomb

from pipeline.config.sources import Source
from pipeline.demo.articles import ARTICLES
from pipeline.demo.pdfmaker import make_pdf
from pipeline.demo.sampleweb import article_html, page_html
from pipeline.demo.webserver import Route, StaticWeb

pytestmark = pytest.mark.long  # run early: conftest.pytest_collection_modifyitems


def rss(base, items):
    entries = "".join(
        f"<item><title>{title}</title><link>{base}{path}</link>"
        + (f"<guid>{guid}</guid>" if guid else "") + "</item>"
        for title, path, guid in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{entries}</channel></rss>'.encode()


def crawl(web, tmp_path, sources, *extra):
    sources_file = write_sources(tmp_path / "s.yaml", sources)
    db_path = tmp_path / "c.db"
    result = run_prodops("crawl", "--sources", str(sources_file), "--db", str(db_path),
                         "--allow-private-network", *FAST, *extra)
    assert result.returncode == 0, result.stderr
    return sqlite_utils.Database(db_path), result


def POOL_OF(workers: int) -> list[str]:  # noqa: N802 - reads as the settings it stands for
    """Settings for a crawl whose stages run in a pool of `workers` processes (FAST runs them inline)."""
    return ["-s", "PRODOPS_INLINE_STAGES=False", "-s", f"PRODOPS_EXTRACT_WORKERS={workers}"]


def article_routes(count):
    return {f"/a{i}": Route(article_html(ARTICLES[i], "http://x").encode()) for i in range(count)}


def test_duplicate_missing_and_changing_guids_give_no_duplicate_documents(tmp_path):
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain"), **article_routes(3)})
    with web:
        web.routes["/feed"] = Route(rss(web.base_url, [
            ("One", "/a0", "g1"), ("One again", "/a0", "g1"),  # a duplicate entry
            ("Two", "/a1", None),  # no GUID: keyed by its link
            ("Three", "/a2?utm_source=rss", "g3"),
        ]), "application/rss+xml")
        source = Source("f", "F", "feed", web.base_url + "/feed")
        db, _ = crawl(web, tmp_path, [source])
        # The publisher regenerates its GUIDs; the same links must not become new documents.
        web.routes["/feed"] = Route(rss(web.base_url, [
            ("One", "/a0", "new-g1"), ("Two", "/a1", "new-g2"), ("Three", "/a2", "new-g3"),
        ]), "application/rss+xml")
        db, second = crawl(web, tmp_path, [source])
    assert db["documents"].count == 3
    assert "0 new" in second.stdout


def test_max_entries_and_a_malformed_feed_that_still_has_entries(tmp_path):
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain"), **article_routes(3)})
    with web:
        body = rss(web.base_url, [("A & B", "/a0", None), ("Two", "/a1", None), ("Three", "/a2", None)])
        web.routes["/feed"] = Route(body, "application/rss+xml")  # the raw '&' makes it bozo
        source = Source("f", "F", "feed", web.base_url + "/feed", settings={"max_entries": 2})
        db, _ = crawl(web, tmp_path, [source])
    assert db["documents"].count == 2
    assert db["sources"].get("f")["last_warning"].startswith("malformed feed")
    assert db["sources"].get("f")["last_status"] == "ok"


def test_broken_and_encrypted_pdfs_are_recorded_and_do_not_stop_the_crawl(tmp_path):
    good_pdf = make_pdf(["Product ops report", "Teams grew again this year."], title="Report")
    web = StaticWeb({
        "/robots.txt": Route(b"", "text/plain"),
        "/good.pdf": Route(good_pdf, "application/pdf"),
        "/broken.pdf": Route(b"%PDF-1.4\n1 0 obj<<>>\n%%garbage", "application/pdf"),
        # Served as octet-stream: recognised by its %PDF magic bytes.
        "/sniffed": Route(good_pdf.replace(b"Report", b"Sniffd"), "application/octet-stream"),
    })
    with web:
        base = web.base_url
        items = [("Good", "/good.pdf", None), ("Broken", "/broken.pdf", None), ("Sniffed", "/sniffed", None)]
        web.routes["/feed"] = Route(rss(base, items), "application/rss+xml")
        db, result = crawl(web, tmp_path, [Source("f", "F", "feed", base + "/feed")])
    rows = {row["title"]: row for row in db["documents"].rows}
    assert rows["Good"]["extracted_by"].startswith("pypdf")
    assert "Teams grew again" in rows["Good"]["text"]
    assert rows["Sniffed"]["extracted_by"].startswith("pypdf")
    assert rows["Broken"]["extracted_by"] == "feed"
    assert rows["Broken"]["page_error"].startswith("unreadable PDF")


def test_one_failing_source_does_not_stop_the_others(tmp_path):
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain"), **article_routes(1),
                     "/html-not-feed": Route(b"<!DOCTYPE html><html><body>Hi</body></html>")})
    with web:
        db, result = crawl(web, tmp_path, [
            Source("bad", "Bad", "feed", web.base_url + "/html-not-feed"),
            Source("dead", "Dead", "feed", "http://127.0.0.1:9/feed"),  # nothing listens there
            Source("good", "Good", "url", web.base_url + "/a0"),
        ])
    assert db["documents"].count == 1
    health = {row["id"]: row["last_status"] for row in db["sources"].rows}
    assert health["good"] == "ok"
    assert "is an HTML page, not a feed" in health["bad"]
    assert health["bad"].count("/html-not-feed") == 1  # the parser's message names it: not said twice
    assert "Connection" in health["dead"] or "refused" in health["dead"].lower()
    assert "2 error(s)" in result.stdout


def sitemap(base, pages):
    urls = "".join(f"<url><loc>{base}{path}</loc><lastmod>{lastmod}</lastmod></url>" for path, lastmod in pages)
    return (f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{urls}</urlset>").encode()


def test_an_atom_feeds_own_author_names_only_the_entries_whose_page_names_none(tmp_path):
    """An Atom feed that names its author once, for the feed (a team's blog), gives it to its
    entries without one (RFC 4287) only where their pages name no one: a page's byline is the
    writer's; a page without one, and an entry whose page cannot be fetched, take the feed's."""
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain"), **article_routes(1)})
    with web:
        base = web.base_url
        web.routes["/plain"] = Route(page_html("Plain", "<article><h1>Plain</h1><p>" + " ".join(
            ARTICLES[1]["paragraphs"]) + "</p></article>").encode())
        entries = "".join(f'<entry><title>{title}</title><link href="{base}{path}"/><id>{path}</id>'
                          f"<summary>{ARTICLES[1]['summary']}</summary></entry>"
                          for title, path in (("One", "/a0"), ("Plain", "/plain"), ("Gone", "/gone")))
        web.routes["/feed"] = Route((f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>'
                                     f"<author><name>The Harbour Team</name></author>{entries}</feed>").encode(),
                                    "application/atom+xml")
        db, _ = crawl(web, tmp_path, [Source("f", "F", "feed", base + "/feed")])
    authors = {row["url"].removeprefix(base): row["author"] for row in db["documents"].rows}
    assert authors == {"/a0": ARTICLES[0]["author"], "/plain": "The Harbour Team", "/gone": "The Harbour Team"}


def test_sitemap_pages_older_than_the_last_crawl_are_not_fetched_again(tmp_path):
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain"), **article_routes(3)})
    with web:
        base = web.base_url
        web.routes["/sitemap.xml"] = Route(sitemap(base, [("/a0", "2020-01-01"), ("/a1", "2020-01-02")]),
                                           "application/xml")
        source = Source("sm", "SM", "sitemap", base + "/sitemap.xml", settings={"allow": ["/a"]})
        db, _ = crawl(web, tmp_path, [source])
        assert db["documents"].count == 2
        # The sitemap changes: a new page appears; the old ones keep their old lastmod.
        web.routes["/sitemap.xml"] = Route(
            sitemap(base, [("/a0", "2020-01-01"), ("/a1", "2020-01-02"), ("/a2", "2099-01-01")]),
            "application/xml")
        before = len(web.requests)
        db, second = crawl(web, tmp_path, [source])
    asked = web.requests[before:]
    assert "/a2" in asked and "/a0" not in asked and "/a1" not in asked
    assert db["documents"].count == 3
    assert "1 new, 0 updated, 2 unchanged" in second.stdout


def test_a_page_whose_sitemap_dates_it_by_the_day_alone_is_fetched_again_when_changed_that_day(tmp_path):
    """A lastmod of a day alone ("2026-12-06", as the crawler-commons and trafilatura sitemaps
    write it) may mean its last second, anywhere: a page changed later the day of a crawl is
    fetched again. It was read as that day's first second, taken as unchanged since the crawl,
    and its edit never fetched (until its lastmod named a later day)."""
    import datetime

    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain"), **article_routes(2)})
    with web:
        base = web.base_url
        web.routes["/sitemap.xml"] = Route(sitemap(base, [("/a0", today)]), "application/xml")
        source = Source("sm", "SM", "sitemap", base + "/sitemap.xml")
        crawl(web, tmp_path, [source])
        web.routes["/a0"] = web.routes["/a1"]  # edited later that day; the sitemap still says today
        web.routes["/sitemap.xml"] = Route(sitemap(base, [("/a0", f" {today} ")]), "application/xml")
        before = len(web.requests)
        db, second = crawl(web, tmp_path, [source])
    assert "/a0" in web.requests[before:]
    assert "0 new, 1 updated" in second.stdout
    assert next(db["documents"].rows)["title"] == ARTICLES[1]["title"]


def test_sitemaps_listed_among_a_sitemaps_pages_are_read_each_crawl(tmp_path):
    """A <urlset> that lists its site's other sitemaps among its pages (<sitemap> beside <url>,
    as some CMS plugins write it): each entry is what its element says, so the nested
    sitemap's pages are stored and it is not fetched as a page. Such a file is read whole on
    every crawl: a 304 could not say which of the links it listed were sitemaps, so the
    nested sitemap is asked for again on the second crawl and its new page found."""
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain"), **article_routes(4)})
    with web:
        base = web.base_url
        web.routes["/sitemap.xml"] = Route(
            ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             f"<url><loc>{base}/a0</loc></url><sitemap><loc>{base}/more.xml</loc></sitemap>"
             f"<url><loc>{base}/a1</loc></url></urlset>").encode(), "application/xml")
        web.routes["/more.xml"] = Route(sitemap(base, [("/a2", "2020-01-01")]), "application/xml")
        source = Source("sm", "SM", "sitemap", base + "/sitemap.xml")
        db, first = crawl(web, tmp_path, [source])
        assert sorted(row["url"].removeprefix(base) for row in db["documents"].rows) == ["/a0", "/a1", "/a2"]
        web.routes["/more.xml"] = Route(sitemap(base, [("/a2", "2020-01-01"), ("/a3", "2099-01-01")]),
                                        "application/xml")
        db, second = crawl(web, tmp_path, [source])
    assert db["documents"].count == 4
    assert "/more.xml" not in {row["url"].removeprefix(base) for row in db["documents"].rows}
    assert "1 new" in second.stdout


def test_a_source_that_gives_nothing_to_fetch_says_why(tmp_path):
    """A sitemap index's sitemaps, and a page of links, whose pages all fall outside the
    source's allow rules, and a feed of no entries: each source stays ok, and its warning
    says why nothing came. One of the index's sitemaps giving pages is enough to say nothing."""
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain"), **article_routes(2)})
    with web:
        base = web.base_url
        index = ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                 f"<sitemap><loc>{base}/posts.xml</loc></sitemap><sitemap><loc>{base}/tags.xml</loc></sitemap>"
                 "</sitemapindex>").encode()
        web.routes["/index.xml"] = Route(index, "application/xml")
        web.routes["/posts.xml"] = Route(sitemap(base, [("/a0", "2020-01-01")]), "application/xml")
        web.routes["/tags.xml"] = Route(sitemap(base, [("/tag/x", "2020-01-01")]), "application/xml")
        web.routes["/links"] = Route(page_html("Links", f'<ul><li><a href="{base}/a1">One</a></li></ul>').encode())
        web.routes["/feed"] = Route(rss(base, []), "application/rss+xml")
        db, _ = crawl(web, tmp_path, [
            Source("blog", "B", "sitemap", base + "/index.xml", settings={"allow": ["/posts/"]}),
            Source("posts", "P", "sitemap", base + "/index.xml", settings={"allow": ["/a"]}),
            Source("picks", "L", "links", base + "/links", settings={"allow": ["/reading/"]}),
            Source("quiet", "Q", "feed", base + "/feed"),
        ])
    sources = {row["id"]: row for row in db["sources"].rows}
    assert all(row["last_status"] == "ok" for row in sources.values()), sources
    assert sources["blog"]["last_warning"] == "no page of the 2 its sitemaps list passes its allow/deny rules"
    assert sources["posts"]["last_warning"] is None
    assert re.fullmatch(r"no link of the \d+ the page lists passes the source's allow/deny rules",
                        sources["picks"]["last_warning"])
    assert sources["quiet"]["last_warning"] == "the feed lists no entries"
    health = run_prodops("sources", "health", "--sources", str(tmp_path / "s.yaml"), "--db", str(tmp_path / "c.db"))
    assert "warning: no page of the 2 its sitemaps list passes its allow/deny rules" in health.stdout
    assert "warning: the feed lists no entries" in health.stdout
    assert db["documents"].count == 1


def test_a_link_list_without_a_selector_follows_its_content_not_the_sites_chrome(tmp_path):
    """A curated list on a page with a blog's chrome (a cookie banner, a header, a menu, a box
    of related posts and a footer, each with links: pipeline.demo.sampleweb.page_html): the
    list's links are followed, the chrome's are not, so nothing but the two picks is asked
    for. A page whose only links are in its menu still gives them."""
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain"), **article_routes(6)})
    with web:
        base = web.base_url
        picks = f'<h1>Picks</h1><ul><li><a href="{base}/a4">Four</a></li><li><a href="{base}/a5">Five</a></li></ul>'
        web.routes["/picks"] = Route(page_html("Picks", picks).encode())
        web.routes["/menu"] = Route(f'<html><body><nav><a href="{base}/a0">Zero</a></nav></body></html>'.encode())
        db, _ = crawl(web, tmp_path, [Source("picks", "L", "links", base + "/picks"),
                                      Source("menu", "M", "links", base + "/menu")])
    stored = sorted(row["url"].removeprefix(base) for row in db["documents"].rows)
    assert stored == ["/a0", "/a4", "/a5"]
    assert not {"/", "/blog", "/blog/", "/terms/", "/feed.xml", "/a1", "/a2", "/a3"} & set(web.requests)


def test_site_crawl_respects_depth_and_page_limits(tmp_path):
    """Two chains of pages, each page linking to the next, so /d/N and /p/N are N links from
    the start: with max_depth 3 the articles /d/0 to /d/3 are stored and /d/4 is never asked
    for; with max_pages 2 (and depth to spare) the hubs stop after /p/1."""
    articles = {f"/d/{i}": Route(article_html(ARTICLES[i], "http://x", extra_html=(
        f'<p>Read on: <a href="/d/{i + 1}">the next article</a>.</p>' if i < 4 else "")).encode())
        for i in range(5)}
    hubs = {f"/p/{i}": Route(page_html("Hub", f'<h1>Hub</h1><a href="/p/{i + 1}">next</a>').encode())
            for i in range(4)}
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain"), **articles, **hubs})
    with web:
        db, _ = crawl(web, tmp_path, [
            Source("deep", "D", "site", web.base_url + "/d/0", settings={"allow": ["/d/"], "max_depth": 3}),
            Source("paged", "P", "site", web.base_url + "/p/0",
                   settings={"allow": ["/p/"], "max_depth": 10, "max_pages": 2})])
    assert sorted(p for p in web.requests if p.startswith("/d/")) == ["/d/0", "/d/1", "/d/2", "/d/3"]
    assert sorted(row["url"].removeprefix(web.base_url) for row in db["documents"].rows) == [
        "/d/0", "/d/1", "/d/2", "/d/3"]
    assert sorted(p for p in web.requests if p.startswith("/p/")) == ["/p/0", "/p/1"]


def test_a_pdf_where_a_page_or_a_link_list_is_expected(tmp_path):
    """A `url` source that is a PDF is stored as one; a `links` source that is a PDF is an
    error on that source; neither makes a callback fail (spider errors would be counted)."""
    pdf = make_pdf(["Product ops report", "Teams grew again this year."], title="Report")
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain"), "/report.pdf": Route(pdf, "application/pdf"),
                     "/list.pdf": Route(pdf, "application/pdf")})
    with web:
        base = web.base_url
        db, result = crawl(web, tmp_path, [Source("u", "U", "url", base + "/report.pdf"),
                                           Source("l", "L", "links", base + "/list.pdf")])
    assert [row["title"] for row in db["documents"].rows] == ["Report"]
    [run] = db["runs"].rows
    assert run["errors"] == 1, run["error_messages"]
    assert "not an HTML page" in run["error_messages"]


def test_a_page_that_takes_too_long_to_extract_is_stopped_and_the_crawl_goes_on(tmp_path):
    """A 7 MB page keeps trafilatura busy for seconds; with PRODOPS_TASK_TIMEOUT=2 its worker
    is stopped and replaced, the source says why, and the good page beside it is stored."""
    paragraph = "<p>" + "Product operations keeps the planning cadence honest. " * 8 + "</p>"
    huge = ("<html><body><article>" + paragraph * 20000 + "</article></body></html>").encode()
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain"), "/huge": Route(huge), **article_routes(1)})
    with web:
        base = web.base_url
        db, result = crawl(web, tmp_path, [Source("huge", "H", "url", base + "/huge"),
                                           Source("good", "G", "url", base + "/a0")],
                           *POOL_OF(2), "-s", "PRODOPS_TASK_TIMEOUT=2")
    assert [row["source_id"] for row in db["documents"].rows] == ["good"]
    warning = db["sources"].get("huge")["last_warning"]
    assert "took longer than 2 s" in warning, warning


def test_a_pdf_bomb_on_a_one_core_machine_fails_alone_within_the_memory_cap(tmp_path):
    """A 1.4 MB PDF that inflates to twenty 70 MB streams (152 s and 1.4 GB in pypdf, unbounded),
    crawled as a machine of one core crawls (the default pool: one worker process, pinned
    here to one CPU): it fails with a reason that names the memory cap, no process of the
    crawl grows past the cap, and the good page beside it is stored."""
    cap = 640
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain"), "/bomb.pdf": Route(pdf_bomb(), "application/pdf"),
                     **article_routes(1)})
    with web:
        sources = write_sources(tmp_path / "s.yaml", [Source("bomb", "B", "url", web.base_url + "/bomb.pdf"),
                                                      Source("good", "G", "url", web.base_url + "/a0")])
        crawl, peaks = run_bounded("crawl", "--sources", str(sources), "--db", str(tmp_path / "c.db"),
                                   "--allow-private-network", *POOLED, "-s", f"PRODOPS_WORKER_MEMORY_MB={cap}",
                                   one_core=True)
    assert crawl.returncode == 0, crawl.stderr
    assert max(peaks.values()) < cap and peaks["crawler"] < 400, peaks  # the crawler parsed nothing
    db = sqlite_utils.Database(tmp_path / "c.db")
    assert [row["source_id"] for row in db["documents"].rows] == ["good"]
    warning = db["sources"].get("bomb")["last_warning"]
    assert f"needed more memory than a worker may use ({cap} MiB, PRODOPS_WORKER_MEMORY_MB)" in warning, warning


def test_a_pdf_missed_last_time_is_fetched_though_its_landing_page_is_unchanged(tmp_path):
    """The landing page was stored but its PDF was not (here: a 404; in life, a crawl killed
    in between). Next time the page answers 304, and the PDF is still asked for, from the
    links saved with the page."""
    pdf = make_pdf(["Product ops report", "Teams grew again this year."], title="Report")
    landing = article_html(ARTICLES[0], "http://x", extra_html='<p><a href="/report.pdf">The report (PDF)</a></p>')
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain"), "/landing": Route(landing.encode()),
                     "/report.pdf": Route(b"gone for now", status=404, then=Route(pdf, "application/pdf"))})
    with web:
        sources = [Source("u", "U", "url", web.base_url + "/landing")]
        first, _ = crawl(web, tmp_path, sources)
        assert [row["title"] for row in first["documents"].rows] == [ARTICLES[0]["title"]]
        second, _ = crawl(web, tmp_path, sources)
    assert web.requests.count("/landing") == 2 and web.requests.count("/report.pdf") == 2
    assert sorted(row["title"] for row in second["documents"].rows) == sorted([ARTICLES[0]["title"], "Report"])
    assert second["runs"].get(2)["pages_not_modified"] >= 1  # the landing page: 304


def test_an_entry_page_that_failed_for_a_while_is_asked_again_though_its_feed_is_unchanged(tmp_path):
    """An entry's page answered 503 (after its retries): the feed's text was kept. Next time,
    though the feed is unchanged, it is read in full, and the page, whose failure has passed,
    is asked for again and stored. A page gone (404) alone does not make the feed read again."""
    feed = rss("", [("Zero", "/a0", "g0"), ("Gone", "/gone", "g1")]).replace(b"<link>/", b"<link>http://x/")
    page = Route(article_html(ARTICLES[0], "http://x").encode())
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain"),
                     "/a0": Route(b"busy", "text/plain", status=503, then=page),
                     "/gone": Route(b"not here", "text/plain", status=404)})
    with web:
        web.routes["/feed"] = Route(feed.replace(b"http://x", web.base_url.encode()), "application/rss+xml")
        sources = [Source("f", "F", "feed", web.base_url + "/feed")]
        first, _ = crawl(web, tmp_path, sources, "-s", "RETRY_TIMES=0")
        assert {row["page_error"] for row in first["documents"].rows} == {"HTTP 503", "HTTP 404"}
        second, _ = crawl(web, tmp_path, sources, "-s", "RETRY_TIMES=0")
        asked_by_then = list(web.requests)
        third, _ = crawl(web, tmp_path, sources, "-s", "RETRY_TIMES=0")
    assert asked_by_then.count("/a0") == 2
    rows = {row["url"].rsplit("/", 1)[1]: row for row in second["documents"].rows}
    assert rows["a0"]["page_error"] is None and rows["a0"]["extracted_by"].startswith("trafilatura")
    assert rows["gone"]["page_error"] == "HTTP 404"
    assert web.requests[len(asked_by_then):] == ["/robots.txt", "/feed"]  # a 304: its pages are not asked
    assert third["runs"].get(3)["pages_not_modified"] >= 1


def test_a_sitemap_page_that_did_not_answer_is_asked_again_though_its_sitemap_is_unchanged(tmp_path):
    """A sitemap's page answered 503 (after its retries): with no feed entry to keep, nothing
    of it was stored. Next time, though the sitemap is unchanged, it is read in full and the
    page, whose failure has passed, is asked for and stored; the page stored before is not
    asked again (its lastmod is older than the last crawl). Once nothing failed, the
    sitemap's 304 asks for no page. It was replayed as unchanged, never stored, until the
    sitemap itself changed."""
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain"), **article_routes(2)})
    with web:
        web.routes["/a0"] = Route(b"busy", "text/plain", status=503, then=web.routes["/a0"])
        web.routes["/sitemap.xml"] = Route(sitemap(web.base_url, [("/a0", "2020-01-01"), ("/a1", "2020-01-01")]),
                                           "application/xml")
        sources = [Source("sm", "SM", "sitemap", web.base_url + "/sitemap.xml")]
        first, _ = crawl(web, tmp_path, sources, "-s", "RETRY_TIMES=0")
        assert [row["url"].rsplit("/", 1)[1] for row in first["documents"].rows] == ["a1"]
        asked_first = len(web.requests)
        second, _ = crawl(web, tmp_path, sources, "-s", "RETRY_TIMES=0")
        asked_second = len(web.requests)
        crawl(web, tmp_path, sources, "-s", "RETRY_TIMES=0")
    assert web.requests[asked_first:asked_second] == ["/robots.txt", "/sitemap.xml", "/a0"]
    assert sorted(row["url"].rsplit("/", 1)[1] for row in second["documents"].rows) == ["a0", "a1"]
    assert web.requests[asked_second:] == ["/robots.txt", "/sitemap.xml"]  # a 304: its pages are not asked


TAX_LAW = """<html><head><title>Changes to the corporate tax filing calendar</title></head><body><article>
<h1>Changes to the corporate tax filing calendar</h1>
<p>From next April, companies with a turnover above the threshold must file their corporation tax return
within nine months of the end of the accounting period, and pay any tax due in quarterly instalments.</p>
<p>Penalties for late filing rise with the delay: a fixed amount at one day, more at three months, and a
share of the unpaid tax at six months. Groups may ask for a single filing date for all their members.</p>
<p>The guidance and the forms for each case are in the documents below.</p>
<p><a href="/forms/a.pdf">Form A</a> <a href="/forms/b.pdf">Form B</a> <a href="/forms/c.pdf">Form C</a></p>
</article></body></html>"""


def test_pdfs_are_followed_only_from_relevant_pages(tmp_path):
    pdf = make_pdf(["Product ops report", "Teams grew again this year."], title="Report")
    relevant = article_html(ARTICLES[0], "http://x", extra_html='<p><a href="/report.pdf">The report (PDF)</a></p>')
    routes = {"/robots.txt": Route(b"", "text/plain"), "/landing": Route(relevant.encode()),
              "/report.pdf": Route(pdf, "application/pdf"), "/tax": Route(TAX_LAW.encode()),
              **{f"/forms/{name}.pdf": Route(pdf, "application/pdf") for name in "abc"}}
    web = StaticWeb(routes)
    with web:
        sources = [Source("u", "U", "url", web.base_url + "/landing"), Source("t", "T", "url", web.base_url + "/tax")]
        db, result = crawl(web, tmp_path, sources)
    assert web.requests.count("/report.pdf") == 1
    assert not [path for path in web.requests if path.startswith("/forms/")]  # not asked for at all
    tax = next(row for row in db["documents"].rows if row["url"].endswith("/tax"))
    assert tax["relevance"] < 0.3
    assert "Not followed: 3 link(s) of 1 page(s)" in result.stdout
    assert db["runs"].get(1)["links_not_followed"] == 3

    # With the threshold at 0, every page leads on.
    (tmp_path / "all").mkdir()
    web = StaticWeb(routes)
    with web:
        sources = [Source("t", "T", "url", web.base_url + "/tax")]
        _, result = crawl(web, tmp_path / "all", sources, "-s", "PRODOPS_FOLLOW_MIN_RELEVANCE=0")
    assert sorted(path for path in web.requests if path.startswith("/forms/")) == ["/forms/a.pdf", "/forms/b.pdf",
                                                                                 "/forms/c.pdf"]


def test_a_site_crawl_follows_links_of_relevant_pages_only(tmp_path):
    start = '<html><body><h1>Home</h1><a href="/tax">Tax</a> <a href="/good">Good</a></body></html>'
    tax = TAX_LAW.replace("</article>", '<p><a href="/deep-tax">More on tax</a></p></article>')
    good = article_html(ARTICLES[1], "http://x", extra_html='<p><a href="/deep-good">More</a></p>')
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain"), "/": Route(start.encode()),
                     "/tax": Route(tax.encode()), "/good": Route(good.encode()),
                     "/deep-tax": Route(article_html(ARTICLES[2], "http://x").encode()),
                     "/deep-good": Route(article_html(ARTICLES[3], "http://x").encode())})
    with web:
        _, result = crawl(web, tmp_path, [Source("s", "S", "site", web.base_url + "/")])
    assert "/deep-good" in web.requests and "/tax" in web.requests
    assert "/deep-tax" not in web.requests
    assert "Not followed: 1 link(s) of 1 page(s)" in result.stdout


def test_a_site_source_whose_start_page_is_a_feed_says_to_make_it_a_feed_source(tmp_path):
    """It ended `ok` with nothing stored and nothing said."""
    from pipeline.demo.sampleweb import RSS_ARTICLES, rss_feed

    web = StaticWeb({"/robots.txt": Route(b"", "text/plain")})
    web.routes["/feed.xml"] = Route(rss_feed(web.base_url, RSS_ARTICLES).encode(), "application/rss+xml")
    with web:
        db, result = crawl(web, tmp_path, [Source("s", "S", "site", web.base_url + "/feed.xml")])
    source = next(db["sources"].rows_where("id = ?", ["s"]))
    assert "its start page is a feed (RSS or Atom), not a web page" in (source["last_warning"] or ""), source
    assert "kind: feed" in result.stdout


def parts_feed(base, parts, described=True):
    """An RSS feed whose entries link to parts of one page, /awesome/#name (a trailing slash
    the canonical URL drops), each described or not, and one entry linking to a post's #more."""
    items = "".join(f"<item><title>{name}</title><link>{base}/awesome/#{name}</link>"
                    + (f"<description>{text}</description>" if described else "") + "</item>"
                    for name, text in parts.items())
    items += f"<item><title>One</title><link>{base}/a0#more</link><description>A post.</description></item>"
    return Route(f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>'.encode(),
                 "application/rss+xml")


PARTS = {"restic": "Restic is the backup tool for small servers: incremental snapshots, encrypted.",
         "grug": "The grug brained developer: a fun guide on keeping complexity down in software.",
         "cssbed": "CSS Bed is a collection of classless CSS themes to try on a small static site."}


def test_entries_that_link_to_parts_of_one_page_are_each_a_document(tmp_path):
    """A link blog's feed whose entries link to parts of one page ("/awesome/#restic"), each
    told in its own words: a document each, under its URL with the fragment, which leads to
    it (as a curated list or a label names it), and the page (which holds them all) is not
    fetched; an entry linking to a post's "#more" is the post. Unchanged next time, they are
    all unchanged, none new, none lost."""
    from pipeline.store.documents import document_id_for_url

    page = Route(page_html("Awesome", "<ul><li>everything at once</li></ul>" * 20).encode())
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain"), **article_routes(1), "/awesome": page, "/awesome/": page})
    with web:
        web.routes["/feed"] = parts_feed(web.base_url, PARTS)
        source = Source("f", "F", "feed", web.base_url + "/feed")
        db, _ = crawl(web, tmp_path, [source])
        stored = {row["url"]: row for row in db.query("SELECT id, url, title, text FROM documents")}
        assert set(stored) == {f"{web.base_url}/awesome#{name}" for name in PARTS} | {f"{web.base_url}/a0"}
        assert all(stored[f"{web.base_url}/awesome#{name}"]["text"] == text for name, text in PARTS.items())
        assert all(document_id_for_url(db, url) == row["id"] for url, row in stored.items())
        assert not {"/awesome", "/awesome/"} & set(web.requests)
        db, second = crawl(web, tmp_path, [source])
    assert db["documents"].count == 4
    assert "0 new, 0 updated, 4 unchanged" in second.stdout, second.stdout


def test_parts_of_a_page_fetched_before_are_found_unchanged_as_themselves(tmp_path):
    """A feed whose entries linked to parts of one page without text of their own (so the
    page was fetched, and its document is what the links led to), then with it: the parts
    become documents, and the next run finds each of them unchanged, not the page."""
    page = Route(page_html("Awesome", "<ul><li>everything at once</li></ul>" * 20).encode())
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain"), **article_routes(1), "/awesome": page, "/awesome/": page})
    with web:
        source = Source("f", "F", "feed", web.base_url + "/feed")
        web.routes["/feed"] = parts_feed(web.base_url, PARTS, described=False)
        crawl(web, tmp_path, [source])
        web.routes["/feed"] = parts_feed(web.base_url, PARTS)
        _, second = crawl(web, tmp_path, [source])
        db, third = crawl(web, tmp_path, [source])
    assert "/awesome/" in web.requests and "3 new" in second.stdout, second.stdout
    assert "0 new, 0 updated, 4 unchanged" in third.stdout, third.stdout
