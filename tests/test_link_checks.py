"""`prodops lists check`: a curated list's links served, broken in each way, and judged."""

from __future__ import annotations

import asyncio
import json
from html import escape

import sqlite_utils
import yaml
from conftest import FAST, crawl_into, run_bounded, run_prodops, write_sources
from hostile_web import pdf_bomb

from pipeline.config.lists import load_lists
from pipeline.config.sources import Source
from pipeline.demo.articles import ARTICLES, GUIDES
from pipeline.demo.pdfmaker import make_pdf
from pipeline.demo.sampleweb import page_html
from pipeline.demo.webserver import Route, StaticWeb
from pipeline.publish.datasette import build_datasette
from pipeline.understand.linkrot import is_home_page, judge_answer, same_page, says_missing, similarity

PAGES = {  # path -> the article first served there
    "/p/unchanged": ARTICLES[0], "/p/edited": ARTICLES[1], "/p/moved": ARTICLES[2],
    "/p/deleted": ARTICLES[3], "/p/to-home": ARTICLES[4], "/p/soft": ARTICLES[5],
    "/p/rewritten": GUIDES[0], "/p/failing": GUIDES[1],
}
EXPECTED = {"/p/unchanged": "ok", "/p/edited": "ok", "/p/moved": "moved", "/p/deleted": "gone",
            "/p/to-home": "gone", "/p/soft": "soft-404", "/p/rewritten": "changed", "/p/failing": "error"}


def article_page(article: dict, edit: str = "") -> bytes:
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in article["paragraphs"])
    body = f"<article><h1>{escape(article['title'])}</h1>{paragraphs}{edit}</article>"
    return page_html(article["title"], body).encode()


def break_links(web: StaticWeb) -> None:
    """Each item rots in its own way (the unchanged one answers 304 to its ETag)."""
    home = page_html("Operating Rhythm", "<h1>Welcome</h1><p>" + "Essays on product operations. " * 30
                     + "</p>", canonical=f"{web.base_url}/").encode()
    web.routes.update({
        "/": Route(home),
        "/p/edited": Route(article_page(ARTICLES[1], "<p>Updated in December with a correction.</p>")),
        "/p/moved": Route(b"", status=301, headers={"Location": "/2026/moved-here"}),
        "/2026/moved-here": Route(article_page(ARTICLES[2])),
        "/p/to-home": Route(b"", status=301, headers={"Location": "/"}),
        "/p/soft": Route(page_html("Page not found", "<h1>Sorry, we couldn't find that page</h1>"
                                   "<p>It may have been moved or deleted. Try the search box or go "
                                   "back to the home page to find what you are looking for.</p>").encode()),
        "/p/rewritten": Route(article_page(GUIDES[3])),
        "/p/failing": Route(b"busy", status=503),
    })
    del web.routes["/p/deleted"]


def test_each_kind_of_rot_gets_its_verdict_and_is_marked_everywhere(tmp_path):
    routes = {path: Route(article_page(article)) for path, article in PAGES.items()}
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain"), **routes})
    db_path, lists_path = tmp_path / "c.db", tmp_path / "lists.yaml"
    with web:
        sources = [Source(path.rsplit("/", 1)[1], path, "url", web.base_url + path) for path in PAGES]
        crawl_into(write_sources(tmp_path / "s.yaml", sources), db_path)
        urls = {path: web.base_url + path for path in PAGES}
        lists_path.write_text(yaml.safe_dump({"lists": [{
            "slug": "reading", "title": "Reading list", "description": "", "rules": {},
            "pinned": [{"url": url, "note": ""} for url in urls.values()], "excluded": []}]}))
        checked = run_prodops("lists", "check", "--db", str(db_path), "--lists", str(lists_path),
                              "--allow-private-network", *FAST[:4])
        assert checked.returncode == 0, checked.stdout + checked.stderr  # all ok at first
        assert "reading: 8 link(s) checked: 8 ok" in checked.stdout

        break_links(web)
        checked = run_prodops("lists", "check", "reading", "--db", str(db_path), "--lists", str(lists_path),
                              "--allow-private-network", *FAST[:4])
    assert checked.returncode == 1, checked.stdout + checked.stderr
    rows = {row["url"]: row for row in sqlite_utils.Database(db_path)["link_checks"].rows}
    verdicts = {path: rows[url]["verdict"] for path, url in urls.items()}
    assert verdicts == EXPECTED, {p: rows[u]["detail"] for p, u in urls.items()}
    assert rows[urls["/p/unchanged"]]["http_status"] == 304
    assert rows[urls["/p/moved"]]["final_url"] == f"{web.base_url}/2026/moved-here"
    assert rows[urls["/p/deleted"]]["detail"] == "HTTP 404"
    assert "home page" in rows[urls["/p/to-home"]]["detail"]
    assert rows[urls["/p/failing"]]["detail"] == "HTTP 503"
    assert "2 ok, 1 moved, 2 gone, 1 soft-404, 1 changed, 1 error" in checked.stdout

    # Marked wherever the list is shown: `lists show`, the exports, the list's Datasette query.
    shown = run_prodops("lists", "show", "reading", "--db", str(db_path), "--lists", str(lists_path)).stdout
    assert "[link gone: HTTP 404 (checked" in shown and shown.count("[link ") == 6
    exported = {fmt: run_prodops("export", "--list", "reading", "--format", fmt, "--db", str(db_path),
                                 "--lists", str(lists_path)).stdout for fmt in ("md", "html", "json")}
    assert exported["md"].count("⚠ link") == 6 and "⚠ link moved: moved to" in exported["md"]
    assert exported["html"].count('class="rot"') == 6
    items = {item["url"]: item for item in json.loads(exported["json"])["items"]}
    assert items[urls["/p/soft"]]["link_check"]["verdict"] == "soft-404"
    assert items[urls["/p/edited"]]["link_check"]["verdict"] == "ok"

    async def fetch(path):
        datasette = build_datasette(db_path, load_lists(lists_path))
        return (await datasette.client.get(path)).json()

    run_prodops("lists", "show", "reading", "--db", str(db_path), "--lists", str(lists_path))  # publishes
    listed = asyncio.run(fetch("/c/list_reading.json?_shape=array"))
    assert {row["url"]: row["link"] for row in listed} == {urls[p]: v for p, v in EXPECTED.items()}
    rotten = asyncio.run(fetch("/c/rotten_links.json?_shape=array"))
    assert sorted(row["verdict"] for row in rotten) == sorted(v for v in EXPECTED.values() if v != "ok")
    assert {row["list_slug"] for row in rotten} == {"reading"}


def test_a_page_served_with_its_trailing_slash_is_checked_at_the_published_url_and_found_ok(tmp_path):
    """The document's URL is canonical (no trailing slash), and lists and exports link to it: the
    check asks for that link, as a reader's click would, and a server that redirects /page to
    /page/ (as most do; the sample web did not, and every item of the demo's lists was "gone"
    the day it was crawled) answers the page: ok, not moved."""
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain"), "/guides/onboarding/": Route(article_page(GUIDES[0]))})
    db_path, lists_path = tmp_path / "c.db", tmp_path / "lists.yaml"
    with web:
        sources = [Source("guide", "Guide", "url", web.base_url + "/guides/onboarding/")]
        crawl_into(write_sources(tmp_path / "s.yaml", sources), db_path)
        [url] = [row["url"] for row in sqlite_utils.Database(db_path)["documents"].rows]
        assert url == web.base_url + "/guides/onboarding"  # (canonical: no trailing slash)
        lists_path.write_text(yaml.safe_dump({"lists": [{
            "slug": "reading", "title": "Reading list", "description": "", "rules": {"limit": 5},
            "pinned": [], "excluded": []}]}))
        checked = run_prodops("lists", "check", "--db", str(db_path), "--lists", str(lists_path),
                              "--allow-private-network", *FAST[:4])
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "reading: 1 link(s) checked: 1 ok" in checked.stdout
    [row] = sqlite_utils.Database(db_path)["link_checks"].rows
    assert (row["url"], row["verdict"], row["final_url"]) == (url, "ok", url + "/")


def test_a_check_that_cannot_connect_says_why_and_an_unknown_list_is_refused(tmp_path):
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain"), "/p/a": Route(article_page(ARTICLES[0]))})
    db_path, lists_path = tmp_path / "c.db", tmp_path / "lists.yaml"
    with web:
        crawl_into(write_sources(tmp_path / "s.yaml", [Source("a", "A", "url", web.base_url + "/p/a")]), db_path)
        lists_path.write_text(yaml.safe_dump({"lists": [{
            "slug": "one", "title": "One", "description": "", "rules": {},
            "pinned": [{"url": web.base_url + "/p/a", "note": ""}], "excluded": []}]}))
    # The server is gone now: connection refused.
    checked = run_prodops("lists", "check", "--db", str(db_path), "--lists", str(lists_path),
                          "--allow-private-network", *FAST[:4])
    assert checked.returncode == 1
    [row] = sqlite_utils.Database(db_path)["link_checks"].rows
    assert row["verdict"] == "error" and "refused" in row["detail"], row
    # Without --allow-private-network the guard refuses the loopback address, and says so.
    checked = run_prodops("lists", "check", "one", "--db", str(db_path), "--lists", str(lists_path))
    [row] = sqlite_utils.Database(db_path)["link_checks"].rows
    assert row["verdict"] == "error" and "--allow-private-network" in row["detail"], row
    unknown = run_prodops("lists", "check", "nope", "--db", str(db_path), "--lists", str(lists_path))
    assert unknown.returncode == 2 and "no list 'nope'" in unknown.stderr
    missing = run_prodops("lists", "check", "--db", str(tmp_path / "none.db"), "--lists", str(lists_path))
    assert missing.returncode == 2 and "no database at" in missing.stderr and not (tmp_path / "none.db").exists()


def test_verdict_rules_on_their_own():
    assert is_home_page("https://x.org/") and is_home_page("https://x.org/index.html")
    assert not is_home_page("https://x.org/blog/")
    assert same_page("http://www.x.org/a/", "https://x.org/a") and not same_page("https://x.org/a", "https://x.org/b")
    assert says_missing("404 - Page Not Found | Site", "") and not says_missing("Finding product-market fit", "")
    article = " ".join(ARTICLES[0]["paragraphs"])
    # An article that mentions "not found" in passing is not an error page.
    assert not says_missing("Search", article + " The file was not found, said the PM.")
    assert similarity(article, article + " One more sentence at the end.") > 0.9
    assert judge_answer("https://x.org/a", "https://x.org/a", 200, "T", article, None,
                        " ".join(ARTICLES[1]["paragraphs"])).verdict == "changed"
    assert judge_answer("https://x.org/a", "https://x.org/a", 200, "T", article,
                        "https://x.org/", article).verdict == "soft-404"


def test_a_pdf_bomb_in_a_list_fails_its_own_link_within_the_memory_cap(tmp_path):
    """The check reads each answer in a bounded worker, as a crawl does: a 1.4 MB PDF that
    pypdf inflates to twenty 70 MB streams (minutes and 1.4 GB in the checking process
    before) is an `error` that names the cap, and the other link is judged as ever."""
    cap = 640
    report = make_pdf(["Product ops report", "Teams grew again this year."], title="Report")
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain"), "/p/a": Route(article_page(ARTICLES[0])),
                     # A report when it was curated; a bomb when it is checked.
                     "/bomb.pdf": Route(report, "application/pdf", then=Route(pdf_bomb(), "application/pdf"))})
    db_path, lists_path = tmp_path / "c.db", tmp_path / "lists.yaml"
    with web:
        crawl_into(write_sources(tmp_path / "s.yaml", [Source("a", "A", "url", web.base_url + "/p/a"),
                                                       Source("b", "B", "url", web.base_url + "/bomb.pdf")]), db_path)
        urls = [web.base_url + "/p/a", web.base_url + "/bomb.pdf"]
        lists_path.write_text(yaml.safe_dump({"lists": [{
            "slug": "one", "title": "One", "description": "", "rules": {},
            "pinned": [{"url": url, "note": ""} for url in urls], "excluded": []}]}))
        check, peaks = run_bounded("lists", "check", "--db", str(db_path), "--lists", str(lists_path),
                                   "--allow-private-network", *FAST[:4], "-s", f"PRODOPS_WORKER_MEMORY_MB={cap}")
    assert check.returncode == 1, check.stdout + check.stderr  # a link in error
    rows = {row["url"]: row for row in sqlite_utils.Database(db_path)["link_checks"].rows}
    assert rows[urls[0]]["verdict"] == "ok", rows[urls[0]]
    bomb = rows[urls[1]]
    assert bomb["verdict"] == "error" and f"needed more memory than a worker may use ({cap} MiB" in bomb["detail"], bomb
    assert max(peaks.values()) < cap and peaks["crawler"] < 400, peaks  # the checking process parsed nothing
