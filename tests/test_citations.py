"""Outbound links of the main text, and `prodops sources suggest` (cited but not followed)."""

from __future__ import annotations

import asyncio
import gzip
import json

import sqlite_utils
import yaml
from scrapy.http import HtmlResponse
from conftest import FAST, run_prodops, write_sources

from pipeline.config.lists import load_lists
from pipeline.config.sources import load_sources
from pipeline.demo.articles import ARTICLES
from pipeline.demo.sampleweb import page_html, rss_feed, sample_routes, sample_sources
from pipeline.demo.webserver import Route, StaticWeb
from pipeline.publish.datasette import build_datasette
from pipeline.understand.extraction import extract_html
from pipeline.understand.links import host_of
from spiders.links import listed_links


def cited_site() -> StaticWeb:
    """A site the sample web's articles cite, with a feed it declares, that no source follows."""
    web = StaticWeb()
    home = page_html("Roadmap Notes", "<h1>Roadmap Notes</h1><p>Notes on roadmaps.</p>").replace(
        "/feed.xml", f"{web.base_url}/rss/")
    entries = [{"slug": "one", "title": "One", "author": "A", "date": "2026-10-01T08:00:00Z",
                "summary": "First post."}]
    web.routes.update({"/": Route(home.encode()), "/robots.txt": Route(b"", "text/plain"),
                       "/rss/": Route(rss_feed(web.base_url, entries).encode(), "application/rss+xml")})
    return web


def test_only_the_main_texts_links_are_kept():
    # The share box repeats an anchor text of the content, so only its container keeps its
    # link out. The links are read after extraction from the tree trafilatura was given: were
    # that tree pruned by the extraction (the share box's container unwrapped or stripped of
    # its class), the share link would count as the content's.
    html = page_html("A post", """<article><h1>A post</h1>
<p>Product operations teams often start with <a href="https://cited.example/guide">a tooling audit</a>
and then move on to planning, as <a href="/blog/other/">our earlier post</a> explains in some detail.
Teams that skip the audit tend to <a href="javascript:void(0)">repeat it</a> a year later.</p>
<div class="share-buttons"><a href="https://twitter.com/share?text=audit">a tooling audit</a>
<a href="https://twitter.com/share">Share on Twitter</a></div>
</article>""")
    extraction = extract_html(html, "https://blog.example/post/")
    assert "a tooling audit" in extraction.text
    assert extraction.links == [("https://cited.example/guide", "a tooling audit"),
                                ("https://blog.example/blog/other/", "our earlier post")]
    assert host_of("https://www.Example.org:443/x") == "example.org"
    assert host_of("http://127.0.0.1:8001/x") == "127.0.0.1:8001"


def test_a_layout_wrapper_named_for_its_sidebar_is_the_content_not_the_chrome():
    """A wrapper whose class names a word of the chrome but that holds most of the page's
    words is its layout: Vox's review of 2017's films had all its text in "l-sidebar-fixed",
    an ACLU post in "panel-two-col-sidebar-right-mix", and their links (107 and 23 in the
    text) were neither cited nor listed by a links source; a links source listed the
    author's two links and the home page, outside the wrapper. A box of related posts
    inside it is still chrome, as are the blog's header, menu and footer."""
    paragraph = "<p>" + "The year's films were judged on craft and on nerve, scene by scene. " * 8 + "</p>"
    html = page_html("Films", f"""<p class="byline">By <a href="https://films.example/authors/a">Ann Lee</a></p>
<div class="l-sidebar-fixed l-segment"><h1>The best films of the year</h1>{paragraph}
<p>First came <a href="https://films.example/last-jedi">The Last Jedi</a>, which split its
audience, then <a href="https://films.example/lady-bird">Lady Bird</a>, which did not.</p>
{paragraph}<div class="related-posts"><a href="https://films.example/older">Last year's list</a></div></div>""")
    extraction = extract_html(html, "https://films.example/best/")
    assert extraction.links == [("https://films.example/authors/a", "Ann Lee"),
                                ("https://films.example/last-jedi", "The Last Jedi"),
                                ("https://films.example/lady-bird", "Lady Bird")]
    response = HtmlResponse(url="https://films.example/best/", body=html.encode(), encoding="utf-8")
    assert [url.removeprefix("https://films.example") for url, _, _ in listed_links(response, None)] == [
        "/authors/a", "/last-jedi", "/lady-bird"]


def test_cited_sites_are_suggested_checked_and_added(tmp_path):
    cited = cited_site()
    web = StaticWeb()
    web.routes.update(sample_routes(web.base_url, cited={"https://www.productboard.com": cited.base_url}))
    db_path = tmp_path / "c.db"
    sources_path = write_sources(tmp_path / "sources.yaml", sample_sources(web.base_url))
    with web, cited:
        crawled = run_prodops("crawl", "--sources", str(sources_path), "--db", str(db_path),
                              "--allow-private-network", *FAST)
        assert crawled.returncode == 0, crawled.stderr
        db = sqlite_utils.Database(db_path)
        hosts = {row["host"]: row["n"] for row in db.query(
            "SELECT host, count(DISTINCT document_id) AS n FROM links GROUP BY host")}
        cited_host = host_of(cited.base_url)
        assert hosts[cited_host] == 4 and hosts["reforge.com"] == 3 and hosts["svpg.com"] == 2, hosts
        assert host_of(web.base_url) not in hosts  # its navigation and related posts are not cited

        shown = run_prodops("sources", "suggest", "--db", str(db_path), "--sources", str(sources_path))
        assert shown.returncode == 0, shown.stderr
        lines = [line for line in shown.stdout.splitlines() if not line.startswith(" ")]
        assert [line.split()[0] for line in lines] == [cited_host, "reforge.com"], shown.stdout
        citing = {ARTICLES[i]["title"] for i in (0, 2, 3, 4)}  # the articles citing productboard.com
        examples = [line.split("cited by: ", 1)[1] for line in shown.stdout.splitlines() if "cited by: " in line]
        assert len(examples) == 6 and len(set(examples[:3]) & citing) == 3, examples
        listed = [json.loads(line) for line in run_prodops(
            "sources", "suggest", "--json", "--min-citations", "2", "--db", str(db_path),
            "--sources", str(sources_path)).stdout.splitlines()]
        assert [item["host"] for item in listed] == [cited_host, "reforge.com", "svpg.com"]
        assert set(listed[0]) == {"host", "citations", "score", "examples", "feed"}
        assert listed[0]["citations"] == 4 and listed[0]["feed"] is None and len(listed[0]["examples"]) == 3

        # --add: the top site's feed found by discovery (through the crawler) and appended.
        added = run_prodops("sources", "suggest", "--add", "--limit", "1", "--db", str(db_path),
                            "--sources", str(sources_path), "--allow-private-network", *FAST[:4])
        assert added.returncode == 0, added.stderr
        assert f"feed: {cited.base_url}/rss/" in added.stdout and "Added 1 source(s)" in added.stdout
    text = sources_path.read_text()
    assert "# suggested " in text and "cited by 4 relevant document(s)" in text
    [new] = [s for s in load_sources(sources_path) if s.url == f"{cited.base_url}/rss/"]
    assert new.kind == "feed"
    assert yaml.safe_load(text)["sources"][-1]["url"] == new.url
    again = run_prodops("sources", "suggest", "--db", str(db_path), "--sources", str(sources_path))
    assert cited_host not in again.stdout  # a source now

    async def fetch():
        datasette = build_datasette(db_path, load_lists())
        return (await datasette.client.get("/c/cited_not_followed.json?_shape=array")).json()

    rows = asyncio.run(fetch())  # the database's sources do not include the new one until a crawl
    assert [row["host"] for row in rows] == [cited_host, "reforge.com"]
    assert rows[0]["citations"] == 4 and rows[0]["examples"].count(" | ") == 2


def test_documents_stored_before_links_were_kept_get_them_on_the_next_fetch(tmp_path, sample_web,
                                                                          sample_sources_file):
    db_path = tmp_path / "c.db"
    crawl = ["crawl", "--sources", str(sample_sources_file), "--db", str(db_path), "--allow-private-network", *FAST]
    assert run_prodops(*crawl).returncode == 0
    db = sqlite_utils.Database(db_path)
    before = {row["document_id"]: row["n"] for row in db.query(
        "SELECT document_id, count(*) AS n FROM links GROUP BY document_id")}
    assert before
    # As a database from before links were kept: no links, no bodies, links_found unknown.
    with db.conn:
        db.execute("DELETE FROM links")
        db.execute("DELETE FROM bodies")
        db.execute("UPDATE documents SET links_found = NULL")
    # The next fetch of each page (its feed changed, so its pages are asked for again) reads it
    # in full, not conditionally, and finds its links.
    for feed in ("/feed.xml", "/atom.xml"):
        route = sample_web.routes[feed]
        sample_web.routes[feed] = Route(route.body + b"\n<!-- changed -->\n", route.content_type)
    sitemap = sample_web.routes["/sitemaps/guides.xml.gz"]
    sample_web.routes["/sitemaps/guides.xml.gz"] = Route(gzip.compress(gzip.decompress(sitemap.body), mtime=1),
                                                        sitemap.content_type)
    unchanged = run_prodops(*crawl)
    assert unchanged.returncode == 0, unchanged.stderr
    after = {row["document_id"]: row["n"] for row in db.query(
        "SELECT document_id, count(*) AS n FROM links GROUP BY document_id")}
    urls = dict(db.execute("SELECT id, url FROM documents").fetchall())
    assert after == before, {urls[i] for i in set(before) - set(after)}
    assert "0 new, 0 updated" in unchanged.stdout
    # Read once in full: the crawl after that is conditional again.
    third = run_prodops(*crawl)
    assert int(third.stdout.split(" not modified")[0].rsplit("(", 1)[1]) > int(
        unchanged.stdout.split(" not modified")[0].rsplit("(", 1)[1])
