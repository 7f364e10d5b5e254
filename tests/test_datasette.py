"""The published site, through Datasette's in-process client with our metadata, settings
and plugin: canned queries, facets, Atom feeds, the chart, read-only and SQL switch."""

import asyncio
import html
import re

import feedparser
import pytest
from conftest import FAST, run_prodops

from pipeline.config.lists import load_lists
from pipeline.publish.datasette import SETTINGS, build_datasette
from pipeline.publish.site import charts
from pipeline.store.database import open_database
from pipeline.store.lists import publish_lists


@pytest.fixture(scope="module")
def site_db(tmp_path_factory):
    from conftest import write_sources

    from pipeline.demo.sampleweb import sample_routes, sample_sources
    from pipeline.demo.webserver import StaticWeb

    folder = tmp_path_factory.mktemp("site")
    web = StaticWeb()
    web.routes.update(sample_routes(web.base_url))
    with web:
        sources = write_sources(folder / "s.yaml", sample_sources(web.base_url))
        result = run_prodops("crawl", "--sources", str(sources), "--db", str(folder / "prodops.db"),
                             "--allow-private-network", *FAST)
    assert result.returncode == 0, result.stderr
    db = open_database(folder / "prodops.db")
    publish_lists(db, load_lists())
    db.close()
    return folder / "prodops.db"


def get(db_path, *paths, allow_sql=False):
    """GET paths from the site `prodops serve` publishes (the same factory), in-process; SQL
    only with allow_sql, as `--sql`."""

    async def fetch():
        datasette = build_datasette(db_path, load_lists(), allow_sql=allow_sql)
        return [await datasette.client.get(path) for path in paths]

    return asyncio.run(fetch())


def test_canned_queries_and_facets(site_db):
    names = ["latest", "most_relevant", "whitepapers", "duplicates", "source_health", "crawl_runs",
             "list_prodops_reports", "list_prodops_onboarding"]
    responses = get(site_db, *[f"/prodops/{name}.json?_shape=array" for name in names],
                    "/prodops/by_concept.json?concept=voice-of-customer&_shape=array",
                    "/prodops/documents.json?_facet=content_type&_facet_array=tags&_facet=year")
    for response in responses:
        assert response.status_code == 200, response.text[:300]
    assert len(responses[6].json()) == 2  # the reports list: the landing page and its PDF
    facets = responses[-1].json()["facet_results"]
    assert {"content_type", "tags", "year"} <= set(facets)


def test_atom_feeds_and_chart(site_db):
    latest, listed, missing, chart = get(
        site_db, "/-/feeds/latest.atom", "/-/feeds/lists/prodops-reports.atom",
        "/-/feeds/lists/nope.atom", "/-/chart")
    for response in (latest, listed):
        assert response.status_code == 200
        parsed = feedparser.parse(response.text)
        assert not parsed.bozo and parsed.entries
    assert len(feedparser.parse(listed.text).entries) == 2
    assert missing.status_code == 404
    # Inside the site's layout, concepts by their labels, and no script from anywhere else
    # (the layout's one script, closing open menus, is a file of the site's own).
    assert chart.status_code == 200 and "Product operations — definition &amp; role" in chart.text
    assert ">prodops-definition<" not in chart.text
    assert re.findall(r"<script\b[^>]*>", chart.text) == ['<script src="/-/prodops-static/close-open-menus.js">']
    assert chart.text.count('<table class="chart">') == 2


def database_state(db_path) -> str:
    """A digest of everything in the database (schema and rows), to tell whether anything changed."""
    import hashlib
    import sqlite3

    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()
    finally:
        conn.close()


# Statements a visitor could try through `?sql=`: a write each, one hidden behind a SELECT.
WRITES_BY_SQL = ["delete from documents", "update documents set title = 'defaced'",
                 "insert into documents (id, url) values ('x', 'https://evil.example/')",
                 "drop table documents", "select 1; delete from documents",
                 "attach database ':memory:' as other"]


def test_published_read_only_and_sql_can_be_turned_off(site_db):
    [sql_on] = get(site_db, "/prodops.json?sql=select+count(*)+from+documents", allow_sql=True)
    sql_off, canned_off = get(site_db, "/prodops.json?sql=select+1", "/prodops/latest.json", allow_sql=False)
    assert sql_on.status_code == 200
    assert sql_off.status_code == 403
    assert canned_off.status_code == 200
    writes = get(site_db, "/-/plugins.json")[0].json()
    assert [plugin["name"] for plugin in writes] == ["prodops.py"]  # no write or raw-HTML plugin
    assert SETTINGS["allow_download"] is False

    # Read-only: every way Datasette 0.65 offers to write (SQL, with `--sql` or without, and a
    # POST to a canned query, the one write path it has: a writable canned query) is tried by
    # a visitor (the site has no sign-in), refused, and changes nothing. No cookie is sent, so
    # Datasette's CSRF check lets the POSTs through to the queries themselves.
    before = database_state(site_db)

    async def attempt_writes(allow_sql: bool):
        from urllib.parse import quote

        datasette = build_datasette(site_db, load_lists(), allow_sql=allow_sql)
        answers = {}
        for sql in WRITES_BY_SQL:
            answers[f"?sql={sql}"] = await datasette.client.get(f"/prodops.json?sql={quote(sql)}")
        queries = await datasette.get_canned_queries("prodops", None)
        assert {"latest", "cited_not_followed", "list_prodops_reports"} <= set(queries)
        a_document = (await datasette.get_database("prodops").execute("select id from documents limit 1")).first()[0]
        for name, query in queries.items():
            # Each parameter a real document's id or a defacing value, so a write would land.
            fields = {param: a_document if "id" in param else "defaced"
                      for param in re.findall(r"(?<!:):(\w+)", query["sql"])}
            answers[f"POST {name}"] = await datasette.client.post(
                f"/prodops/{name}", data={**fields, "_json": "1"}, headers={"accept": "application/json"})
        return answers

    for allow_sql in (True, False):
        for attempt, response in asyncio.run(attempt_writes(allow_sql)).items():
            assert response.status_code >= 400, (
                f"{attempt} (sql {allow_sql}): {response.status_code} {response.text[:200]}")
            assert '"ok": true' not in response.text, attempt
    assert database_state(site_db) == before


def test_datasette_csv_neutralizes_formulas(tmp_path):
    db = open_database(tmp_path / "prodops.db")
    db["documents"].insert({"id": "a", "url": "https://x.org/a", "title": '=HYPERLINK("http://evil","x")',
                            "description": "@SUM(A1)", "text": "plain"})
    db.close()
    [response] = get(tmp_path / "prodops.db", "/prodops/documents.csv?_col=title&_col=description")
    assert response.status_code == 200
    assert "'=HYPERLINK" in response.text and "'@SUM" in response.text
    lines = response.text.splitlines()
    assert not any(cell.startswith(("=", "@")) for line in lines for cell in line.split(","))


def test_search_page_ranks_facets_and_filters(site_db):
    page, data, filtered, nothing = get(
        site_db, "/-/search?q=onboarding", "/-/search.json?q=onboarding",
        "/-/search.json?q=onboarding&content_type=guide-playbook", "/-/search.json?q=%22unbalanced%00NEAR(")
    assert page.status_code == 200 and "<mark>" in page.text.lower()
    result = data.json()
    assert result["count"] == result["total_matches"] == len(result["rows"]) > 1
    # Ranked: the title match outranks documents that mention the word in passing.
    assert "onboarding" in result["rows"][0]["title"].lower()
    types = {item["value"]: item["count"] for item in result["facets"]["content_type"]}
    assert filtered.json()["count"] == types["guide-playbook"]
    assert {row["content_type"] for row in filtered.json()["rows"]} == {"guide-playbook"}
    assert nothing.status_code == 200 and nothing.json()["count"] == 0  # odd syntax, no error


def test_pages_escape_what_strangers_wrote(tmp_path):
    db = open_database(tmp_path / "prodops.db")
    db["documents"].insert({"id": "a", "url": "javascript:alert(1)", "title": "<script>alert(1)</script> evil",
                            "description": "x", "text": "evil <img src=x onerror=alert(2)> text"})
    db.close()
    page, page_plain, row, table = get(tmp_path / "prodops.db", "/-/search?q=evil%3Cb%3E",
                                       "/-/search?q=evil", "/prodops/documents/a", "/prodops/documents")
    for response in (page, page_plain, row, table):
        assert response.status_code == 200
        assert "<script>alert" not in response.text and "<img src=x" not in response.text
        assert 'href="javascript:' not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; evil" in page_plain.text


def test_search_ranks_and_facets_every_match(tmp_path):
    from pipeline.publish.search import search

    db = open_database(tmp_path / "prodops.db")
    db["documents"].insert_all({"id": f"{n:03d}", "url": f"https://x.org/{n}", "title": f"Post {n}",
                                "text": "roadmap " * (1 + n % 7) + "notes", "content_type": "article",
                                "tags": '["planning-roadmapping"]'} for n in range(60))
    result = search(db.conn, "roadmap")
    assert (result.total_matches, result.count) == (60, 60)
    assert len(result.rows) == 20 and result.has_next
    assert result.facets["tags"] == [("planning-roadmapping", 60)]
    assert {int(row["id"]) % 7 for row in result.rows[:8]} == {6}  # the most mentions first, old or new
    assert "no document has its vectors yet" in result.note  # a database from before: by words, and says so
    assert {row["matched_by"] for row in result.rows} == {"words"}


def test_search_results_show_a_cluster_once_with_a_link_to_its_copies(site_db):
    data, page = get(site_db, "/-/search.json?q=product", "/-/search?q=product")
    rows = data.json()["rows"]
    with_copies = [row for row in rows if row["copies"]]
    assert with_copies, "the sample web has a syndicated copy"
    titles = [row["title"] for row in rows]
    assert len(titles) == len(set(titles))  # the copy itself is not listed again
    assert f"also_published_at?id={with_copies[0]['id']}" in page.text
    [copies] = get(site_db, f"/prodops/also_published_at.json?id={with_copies[0]['id']}&_shape=array")
    assert len(copies.json()) == with_copies[0]["copies"]


def test_search_and_document_pages_show_the_reasons_for_each_tag(site_db):
    import sqlite3

    conn = sqlite3.connect(site_db)
    doc_id, title, tags = conn.execute(
        "SELECT id, title, tags FROM documents WHERE tags LIKE '%voice-of-customer%' LIMIT 1").fetchone()
    conn.close()
    word = title.split()[0]
    data, page, row = get(site_db, f"/-/search.json?q={word}", f"/-/search?q={word}", f"/prodops/documents/{doc_id}")
    found = next(r for r in data.json()["rows"] if r["id"] == doc_id)
    reasons = {reason["concept"]: reason for reason in found["reasons"]}
    assert set(reasons) == set(found["tags"])
    voc = reasons["voice-of-customer"]
    assert voc["label"] == "Customer insights, feedback & Voice of the Customer"
    assert "closest passage" in voc["why"] or "phrases" in voc["why"]
    assert "Why these tags" in page.text and "Customer insights, feedback &amp; Voice of the Customer" in page.text
    assert row.status_code == 200 and 'class="tag-reasons"' in row.text
    assert "&#34;where&#34;" not in row.text and '"where"' not in row.text  # no raw JSON


def test_the_sites_own_pages_answer_and_say_when_something_is_missing(site_db):
    home, document_missing, list_missing, markdown_missing, listed, not_an_id = get(
        site_db, "/", "/-/documents/ffffffffffffffff", "/-/lists/nope", "/-/exports/lists/nope.md",
        "/-/lists/prodops-reports", "/-/documents/nope.json")
    assert home.status_code == 200 and 'role="search"' in home.text
    assert document_missing.status_code == 404 and "No document ffffffffffffffff" in document_missing.text
    assert not_an_id.status_code == 404 and "No document nope" in not_an_id.text  # (was "Database not found")
    assert list_missing.status_code == 404 and "No curated list nope" in list_missing.text
    assert markdown_missing.status_code == 404
    assert listed.status_code == 200 and 'href="/-/exports/lists/prodops-reports.md"' in listed.text


def test_a_table_sorted_by_a_column_it_has_not_is_a_bad_request(site_db):
    """Datasette answers such a sort 500 (its message kept here); a reader's malformed
    request is a 400, as a bad `_size` is. A good sort is as before."""
    pages = get(site_db, "/prodops/documents?_sort=nope", "/prodops/documents.json?_sort_desc=nope",
                "/prodops/sources?_sort=nope", "/prodops/documents?_sort=title", "/prodops/documents?_size=-1")
    assert [page.status_code for page in pages] == [400, 400, 400, 200, 400]
    assert "Cannot sort table by nope" in pages[0].text
    assert pages[1].json()["error"] == "Cannot sort table by nope" and pages[1].json()["status"] == 400


def test_the_sites_own_pages_that_only_show_answer_other_methods_405(site_db):
    """A PUT, DELETE or PATCH on search, a document, a list, a feed or the charts was answered
    200 with the page; it is 405, as on a table's page. GET is as before."""
    paths = ["/-/search?q=roadmap", "/-/search.json?q=x", "/-/documents/ffffffffffffffff", "/-/lists/prodops-reports",
             "/-/exports/lists/prodops-reports.md", "/-/feeds/latest.atom", "/-/chart", "/-/databases.json"]

    async def run():
        datasette = build_datasette(site_db, load_lists())
        await datasette.invoke_startup()
        methods = ("PUT", "DELETE", "PATCH")
        return ([await datasette.client.request(method, path) for path in paths for method in methods],
                [await datasette.client.get(path) for path in paths])

    refused, read = asyncio.run(run())
    assert {answer.status_code for answer in refused} == {405} and all(
        answer.headers["allow"] == "GET, HEAD" for answer in refused)
    assert [answer.status_code for answer in read] == [200, 200, 404, 200, 200, 200, 200, 200]


def test_the_documents_table_folds_its_column_descriptions(site_db):
    [page] = get(site_db, "/prodops/documents")
    folded = page.text.split('<details class="column-help">', 1)
    assert len(folded) == 2 and "columns mean</summary>" in folded[1]
    assert "<dt>relevance</dt>" in folded[1].split("</details>", 1)[0]


def test_the_home_page_and_latest_feed_show_a_cluster_once(site_db):
    """The sample web syndicates an article to a second site: the home page's latest
    additions, its concept counts and the feed of the latest documents show it once (the
    canonical copy), as search does. Which documents are the latest depends on the order
    the crawl stored them in: the canonical copy is looked for where it is among them."""
    import sqlite3

    from pipeline.publish.site import LATEST
    from pipeline.understand.relevance import RELEVANT

    with sqlite3.connect(site_db) as conn:
        copy_id, copy_url, title = conn.execute(
            "SELECT d.id, d.url, d.title FROM documents d JOIN clusters c ON c.id = d.cluster_id "
            "WHERE c.canonical_id != d.id").fetchone()
        original_id, original_tags = conn.execute(
            "SELECT d.id, d.tags FROM documents d JOIN clusters c ON c.canonical_id = d.id "
            "WHERE c.id = (SELECT cluster_id FROM documents WHERE id = ?)", [copy_id]).fetchone()
        # The latest additions: the last stored of the on-topic documents, one of each cluster.
        latest_ids = {row[0] for row in conn.execute(
            "SELECT d.id FROM documents d LEFT JOIN clusters c ON c.id = d.cluster_id "
            "WHERE coalesce(d.relevance, 1) >= ? AND (c.id IS NULL OR c.canonical_id = d.id) "
            "ORDER BY d.rowid DESC LIMIT ?", [RELEVANT, LATEST])}
    home, feed, search = get(site_db, "/", "/-/feeds/latest.atom", "/-/search.json?q=&tags=prodops-definition")
    latest = home.text.split('id="latest-h"')[1].split("</section>")[0]
    assert latest.count(f">{title}</a>") == (original_id in latest_ids) and f"/-/documents/{copy_id}" not in latest
    assert copy_url not in {entry.link for entry in feedparser.parse(feed.text).entries}
    assert "prodops-definition" in original_tags
    concepts = home.text.split('id="concepts-h"')[1].split("</section>")[0]
    shown = re.search(r"tags=prodops-definition\">[^<]+</a> <span class=\"count\">([\d,]+)<", concepts)
    assert shown and int(shown.group(1)) == search.json()["total_matches"]
    with sqlite3.connect(site_db) as conn:
        charted = {series["key"]: series["total"] for series in charts(conn)["concepts"]}
    assert charted["prodops-definition"] == search.json()["total_matches"]
    # The count under the title is of those too, beside everything collected.
    with sqlite3.connect(site_db) as conn:
        total, on_topic = conn.execute(
            "SELECT count(*), sum(relevance >= 0.5 AND id NOT IN (SELECT d.id FROM documents d JOIN clusters c "
            "ON c.id = d.cluster_id WHERE c.canonical_id != d.id)) FROM documents").fetchone()
    lede = re.sub(r"\s+", " ", home.text.split('class="lede">')[1].split("</p>")[0])
    assert on_topic < total and lede.startswith(f"{on_topic} articles, guides, reports and templates about "
                                                f"product operations, of {total} documents collected from ")


def test_a_documents_page_shows_its_text_without_the_title_it_opens_with(site_db):
    """The sample web's articles keep their <h1> in their text, as trafilatura extracts it: the
    page's own heading says the title, its text starts with the first paragraph."""
    import sqlite3

    conn = sqlite3.connect(site_db)
    doc_id, title, text = conn.execute(
        "SELECT id, title, text FROM documents WHERE substr(text, 1, length(title) + 1) = title || char(10) "
        "LIMIT 1").fetchone()
    conn.close()
    [page] = get(site_db, f"/-/documents/{doc_id}")
    shown = re.search(r'<div class="document-text">\s*<p>(.*?)</p>', page.text, re.DOTALL)
    assert page.status_code == 200 and shown
    assert html.unescape(shown.group(1)).strip() == text.split("\n")[1].strip()
