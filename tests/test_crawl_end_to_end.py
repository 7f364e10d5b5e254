"""A real crawl of the sample web through the CLI, Scrapy, the stages and SQLite."""

from __future__ import annotations

import asyncio
import json

import sqlite_utils
from conftest import FAST, POOLED, run_prodops

from pipeline.demo.articles import ARTICLES, GUIDES, REPORT_TEXT
from pipeline.demo.sampleweb import (
    EMPTY,
    MISSING,
    REPORT,
    REPORT_PDF,
    article_html,
    article_path,
    sample_sources,
)
from pipeline.demo.webserver import Route
from pipeline.publish.datasette import build_datasette


def crawl(sources_file, db_path, *extra, pooled=False):
    result = run_prodops(
        "crawl", "--sources", str(sources_file), "--db", str(db_path),
        "--allow-private-network", *(POOLED if pooled else FAST), *extra,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_crawl_stores_every_article_once_and_recrawl_adds_nothing(sample_web, sample_sources_file, tmp_path):
    db_path = tmp_path / "prodops.db"
    first = crawl(sample_sources_file, db_path, pooled=True)  # extraction in worker processes
    db = sqlite_utils.Database(db_path)

    # Every article of every source, once, with its extracted text: both feeds, the url
    # page, the sitemap, the site crawl, the link list, and the PDF its report links to.
    rows = {row["url"]: row for row in db["documents"].rows}
    # + the 404 entry, the empty page, the PDF and the syndicated copy
    assert len(rows) == len(ARTICLES) + 2 + len(GUIDES) + 2
    for article in [*ARTICLES[:5], *GUIDES]:
        row = rows[sample_web.base_url + article_path(article).rstrip("/")]
        assert row["extracted_by"].startswith("trafilatura")
        assert article["paragraphs"][1][:60] in row["text"]
        assert row["title"] == article["title"]
        assert row["language"] == "en"
    assert "15 new" in first.stdout
    assert "Dropped: no-content 1." in first.stdout  # the library's hub page has no main text
    kinds = {(row["source_id"], row["found_via"]) for row in db["sightings"].rows}
    assert {found_via for _, found_via in kinds} == {"feed", "url", "sitemap", "site", "links", "pdf-link"}
    assert {source for source, _ in kinds} == {s.id for s in sample_sources(sample_web.base_url)}

    # The whitepaper PDF: extracted with its metadata, linked to its landing page both ways.
    pdf = rows[sample_web.base_url + REPORT_PDF]
    assert pdf["extracted_by"].startswith("pypdf") and pdf["page_count"] == 1
    assert pdf["title"] == REPORT_TEXT[0]
    assert REPORT_TEXT[2] in pdf["text"]
    landing = rows[sample_web.base_url + article_path(REPORT).rstrip("/")]
    links = {(r["from_id"], r["to_id"], r["relation"]) for r in db["document_links"].rows}
    assert links == {(landing["id"], pdf["id"], "pdf"), (pdf["id"], landing["id"], "landing-page")}

    # The link list keeps anchor text and section; a guide both the sitemap and the toolkit
    # list has a sighting from each.
    glossary = rows[sample_web.base_url + article_path(GUIDES[0]).rstrip("/")]
    sightings = {r["source_id"]: r for r in db["sightings"].rows_where("document_id = ?", [glossary["id"]])}
    assert set(sightings) == {"oprhythm-sitemap", "oprhythm-toolkit"}
    assert (sightings["oprhythm-toolkit"]["anchor"], sightings["oprhythm-toolkit"]["section"]) == (
        "The glossary", "Onboarding")

    # The 404 entry keeps what the feed said; the error is counted in runs.
    missing = rows[sample_web.base_url + article_path(MISSING).rstrip("/")]
    assert missing["title"] == MISSING["title"]
    assert missing["text"] == MISSING["summary"]
    assert missing["published"] == MISSING["date"]
    assert missing["page_error"] == "HTTP 404"
    run = db["runs"].get(1)
    assert run["status"] == "finished"
    assert run["errors"] == 1
    assert "HTTP 404" in json.loads(run["error_messages"])[0]
    assert run["documents_new"] == 15

    # The empty boilerplate page is kept from its feed entry, marked as such.
    empty = rows[sample_web.base_url + article_path(EMPTY).rstrip("/")]
    assert empty["extracted_by"] == "feed"
    assert empty["text"] == EMPTY["summary"]
    assert empty["page_error"].startswith("no main text")

    counts = {table: db[table].count for table in ("documents", "sightings", "sources")}
    before = {row["id"]: row for row in db["documents"].rows}
    fetched_once = list(sample_web.requests)
    second = crawl(sample_sources_file, db_path)
    assert {table: db[table].count for table in counts} == counts
    assert "0 new, 0 updated, 15 unchanged" in second.stdout
    assert db["runs"].get(2)["documents_unchanged"] == 15
    assert db["runs"].count == 2
    # Conditional GET: the feeds, sitemaps, link list and pages answered 304; only the
    # robots.txt and the hub page (no document, so no validators) came in full.
    again = sample_web.requests[len(fetched_once):]
    full = [path for path in again if path in ("/robots.txt", "/library/")]
    assert sorted(set(full)) == ["/library/", "/robots.txt"]
    assert db["runs"].get(2)["pages_not_modified"] == len(again) - len(full)
    assert db["runs"].get(2)["bytes_downloaded"] < db["runs"].get(1)["bytes_downloaded"] / 5
    for row in db["documents"].rows:
        changed = {k for k, v in row.items() if before[row["id"]][k] != v}
        assert changed <= {"last_seen"}
        assert row["last_seen"] >= before[row["id"]]["last_seen"]

    # Full-text search finds an article by a word from its body.
    hits = list(db["documents"].search("archaeology"))
    assert [hit["title"] for hit in hits] == [ARTICLES[1]["title"]]

    # Source health is mirrored.
    health = {row["id"]: row for row in db["sources"].rows}
    assert health["oprhythm-rss"]["last_status"] == "ok"
    assert health["oprhythm-rss"]["consecutive_errors"] == 0


def test_datasette_answers_the_latest_query(sample_corpus):
    db_path = sample_corpus  # the sample web crawled once a session (conftest)

    async def query():
        datasette = build_datasette(db_path)
        latest = await datasette.client.get("/prodops/latest.json?_shape=array")
        search = await datasette.client.get("/prodops/documents.json?_search=onboarding&_shape=array")
        original = sqlite_utils.Database(db_path).execute(
            "select id from documents where url like '%/blog/what-product-ops-actually-does'").fetchone()[0]
        copies = await datasette.client.get(f"/prodops/also_published_at.json?id={original}&_shape=array")
        return latest, search, copies

    latest, search, copies = asyncio.run(query())
    assert latest.status_code == 200
    titles = [row["title"] for row in latest.json()]
    assert titles[0] == EMPTY["title"]  # newest publication date first
    assert len(titles) == 15
    assert search.status_code == 200
    assert ARTICLES[1]["title"] in [row["title"] for row in search.json()]
    # The syndicated copy of the first article is in its cluster, and not the canonical one.
    [copy] = copies.json()
    assert "/syndication/" in copy["url"] and copy["canonical"] == 0


def test_private_network_is_refused_without_the_flag(sample_sources_file, tmp_path):
    db_path = tmp_path / "prodops.db"
    result = run_prodops("crawl", "--sources", str(sample_sources_file), "--db", str(db_path), *FAST)
    assert result.returncode == 0, result.stderr
    db = sqlite_utils.Database(db_path)
    assert db["documents"].count == 0
    run = db["runs"].get(1)
    assert run["errors"] == 6
    assert "--allow-private-network" in run["error_messages"]
    # Refused by the network guard: the user's setting, so no source is failing or backed off.
    health = db["sources"].get("oprhythm-rss")
    assert (health["consecutive_errors"] or 0) == 0 and health["next_due"] is None
    assert "--allow-private-network" in health["last_status"]


def test_only_crawls_the_named_source(sample_sources_file, tmp_path):
    db_path = tmp_path / "prodops.db"
    crawl(sample_sources_file, db_path, "--only", "oprhythm-atom")
    db = sqlite_utils.Database(db_path)
    assert {row["source_id"] for row in db["documents"].rows} == {"oprhythm-atom"}
    assert db["documents"].count == 3  # two guides and a syndicated copy


def test_a_changed_page_is_updated_and_the_rest_reported_unchanged(sample_web, sample_sources_file, tmp_path):
    db_path = tmp_path / "prodops.db"
    crawl(sample_sources_file, db_path)
    # The publisher edits one article; its feed changes with it.
    article = dict(ARTICLES[0], paragraphs=[*ARTICLES[0]["paragraphs"], "A postscript on tooling budgets."])
    sample_web.routes[article_path(article)] = Route(article_html(article, sample_web.base_url).encode())
    feed = sample_web.routes["/feed.xml"]
    sample_web.routes["/feed.xml"] = Route(feed.body.replace(b"</channel>", b"<!-- edited --></channel>"),
                                           feed.content_type)
    second = crawl(sample_sources_file, db_path)
    assert "0 new, 1 updated, 14 unchanged" in second.stdout
    db = sqlite_utils.Database(db_path)
    assert [row["title"] for row in db["documents"].search("postscript")] == [article["title"]]
    # The other RSS pages were asked for again, conditionally, and answered 304.
    asked_again = sample_web.requests[-40:]
    for other in (ARTICLES[1], ARTICLES[2], EMPTY):
        assert article_path(other) in asked_again
