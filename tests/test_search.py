"""Search by words and meaning (pipeline/publish/search.py) over the labelled pages of
data/eval/, stored as a crawl stores them: the site's pages, its JSON, `prodops search`,
related resources and the concept a query means."""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3

import pytest
import sqlite_utils
from conftest import run_prodops

from pipeline.config.taxonomy import load_taxonomy
from pipeline.publish.datasette import build_datasette
from pipeline.publish import terms
from pipeline.publish.indexes import vector_index
from pipeline.publish.search import MEANING_CANDIDATES, search
from pipeline.quality.search import store_labelled_pages
from pipeline.store.database import open_database
from pipeline.store.migrations import migrations
from pipeline.understand.embeddings import embed

COMPETITORS = "https://competitive-intel.example.com/lightweight-program"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    path = tmp_path_factory.mktemp("search") / "prodops.db"
    store_labelled_pages(open_database(path), load_taxonomy()).close()
    return path


def get(db_path, *paths):
    async def fetch():
        datasette = build_datasette(db_path)
        return [await datasette.client.get(path) for path in paths]

    return asyncio.run(fetch())


def test_a_paraphrase_with_no_word_in_common_is_found_by_meaning(tmp_path, corpus):
    # A corpus where no page has the query's words: only meaning can find the right one.
    small = tmp_path / "small.db"
    with sqlite3.connect(corpus) as source, sqlite3.connect(small) as copy:
        source.backup(copy)
    db = sqlite_utils.Database(small)
    [intelligence] = [row["id"] for row in db["documents"].rows if "Competitive Intelligence" in row["title"]]
    keep = [intelligence, *[row["id"] for row in db["documents"].rows if "Onboarding" in (row["title"] or "")][:3]]
    db.execute(f"DELETE FROM vectors WHERE document_id NOT IN ({', '.join('?' * len(keep))})", keep)
    db.execute(f"DELETE FROM documents WHERE id NOT IN ({', '.join('?' * len(keep))})", keep)
    db.conn.commit()
    query = "spying on opponents"
    assert search(db.conn, query, mode="words").count == 0  # no page has the words
    result = search(db.conn, query)
    assert result.rows[0]["id"] == intelligence and result.rows[0]["matched_by"] == "meaning"
    assert result.note.startswith("No document has all of these words")
    [page] = get(small, "/-/search?q=spying+on+opponents")
    assert "matched by meaning" in page.text and "No document has all of these words" in page.text


def test_each_result_says_how_it_matched_and_shows_its_best_passage(corpus):
    data, page = get(corpus, "/-/search.json?q=onboarding+new+product+managers",
                     "/-/search?q=onboarding+new+product+managers")
    rows = data.json()["rows"]
    assert rows and {row["matched_by"] for row in rows} <= {"words", "meaning", "words+meaning"}
    assert "onboard" in rows[0]["title"].lower() and rows[0]["matched_by"] == "words+meaning"
    assert "\x02" in rows[0]["snippet"]  # the words marked in the passage
    assert page.status_code == 200 and "<mark>" in page.text and "matched by words and meaning" in page.text


def test_every_match_is_ranked_not_only_those_with_all_words(corpus):
    result = search(sqlite3.connect(corpus), "product ops training course")
    assert result.count >= 20 and result.rows  # before: "No document matches", all words were required
    assert any("course" in (row["title"] or "").lower() or row["content_type"] == "course" for row in result.rows[:5])


def test_a_word_in_too_many_documents_to_score_still_matches_each_nearest_in_meaning_first(corpus, monkeypatch):
    conn = sqlite3.connect(corpus)
    by_words = {row["rowid"] for row in search(conn, "customer", mode="words", page_size=1000).rows}
    assert len(by_words) >= 10
    # Over the scoring budget, as "run" in 18,000 of 100,000 documents is: no bm25, yet every match.
    monkeypatch.setattr(terms, "SCORE_BUDGET", len(by_words) - 1)
    result = search(conn, "customer", page_size=1000)
    assert {row["rowid"] for row in result.rows if "words" in row["matched_by"]} == by_words
    index = vector_index(conn)
    nearness = dict(zip(index.rowids.tolist(), index.similarity(embed(["customer"])[0]).tolist()))
    only_words = [nearness[row["rowid"]] for row in result.rows  # (on topic: the others count half)
                  if row["matched_by"] == "words" and row["relevance"] >= 0.5]
    assert len(only_words) >= 5 and only_words == sorted(only_words, reverse=True)


def test_a_word_in_most_documents_ranks_by_meaning_and_still_counts_as_matched(corpus, monkeypatch):
    conn = sqlite3.connect(corpus)
    monkeypatch.setattr(terms, "COMMON_FLOOR", 1)
    monkeypatch.setattr(terms, "COMMON_SHARE", 0.01)  # "customer" is now in "most" documents
    result = search(conn, "customer")
    assert result.rows and result.count <= MEANING_CANDIDATES  # only the nearest by meaning are ranked
    holding = {rowid for (rowid,) in conn.execute("SELECT rowid FROM documents_fts WHERE documents_fts MATCH "
                                                  "'customer'")}
    assert {row["rowid"] for row in result.rows if "words" in row["matched_by"]} == holding & {
        row["rowid"] for row in result.rows}


def test_of_two_equal_matches_the_one_about_product_ops_comes_first(tmp_path):
    db = open_database(tmp_path / "prodops.db")
    text = "How we run the quarterly planning offsite: agenda, pre-reads and decisions. " * 5
    db["documents"].insert_all([  # the off-topic one is newer: without the rule it would come first
        {"id": "on", "url": "https://a.example/on", "title": "Planning offsite", "text": text, "relevance": 0.9},
        {"id": "off", "url": "https://b.example/off", "title": "Planning offsite", "text": text, "relevance": 0.1}])
    assert [row["id"] for row in search(db.conn, "planning offsite").rows] == ["on", "off"]
    assert [row["id"] for row in search(db.conn, "planning offsite", mode="words").rows] == ["on", "off"]


@pytest.mark.parametrize("query", ["", "x" * 5000, "roadmap AND OR NOT NEAR(", '"unbalanced quote', "*",
                                   "roadmap 🚀🎉", "road\x01map\x7f\x00", "NEAR(a b, 3)", "title:roadmap", "-", "^",
                                   "NOT", "+-", '-""', "-roadmap -onboarding", "roadmap NOT NOT"])
def test_odd_queries_get_results_or_a_line_never_an_error(corpus, query):
    from urllib.parse import quote

    html, data = get(corpus, f"/-/search?q={quote(query)}", f"/-/search.json?q={quote(query)}")
    assert html.status_code == data.status_code == 200
    assert isinstance(data.json()["rows"], list)
    cli = run_prodops("search", query, "--db", str(corpus))
    nothing = not query.strip()  # no words and no filter: a usage error, said in a line
    assert cli.returncode == (2 if nothing else 0) and "Traceback" not in cli.stderr, cli.stderr


def test_a_document_page_shows_related_resources_but_not_its_copies(corpus):
    db = sqlite_utils.Database(corpus)
    [target] = [row for row in db["documents"].rows if "Competitive Intelligence" in row["title"]]
    [first] = get(corpus, f"/-/documents/{target['id']}.json")
    related = first.json()["related"]
    assert 1 <= len(related) <= 5 and target["id"] not in {r["id"] for r in related}
    assert first.json()["document"]["title"] == target["title"]
    # The nearest one becomes a copy of it (the same near-duplicate cluster): no longer related.
    copy = related[0]["id"]
    db["clusters"].insert({"id": "c1", "canonical_id": target["id"], "size": 2}, alter=True, replace=True)
    db.execute("UPDATE documents SET cluster_id = 'c1' WHERE id IN (?, ?)", [target["id"], copy])
    db.conn.commit()
    try:
        again, page = get(corpus, f"/-/documents/{target['id']}.json", f"/-/documents/{target['id']}")
        assert copy not in {r["id"] for r in again.json()["related"]}
        assert "Related resources" in page.text
    finally:
        db.execute("UPDATE documents SET cluster_id = NULL WHERE id IN (?, ?)", [target["id"], copy])
        db.execute("DELETE FROM clusters WHERE id = 'c1'")
        db.conn.commit()


def test_a_query_that_means_a_concept_is_offered_it_as_a_filter(corpus):
    data, page = get(corpus, "/-/search.json?q=keeping+an+eye+on+competitors",
                     "/-/search?q=keeping+an+eye+on+competitors")
    assert data.json()["concept"] == "market-intelligence"
    assert "Filter: Market &amp; competitive intelligence" in page.text and "tags=market-intelligence" in page.text
    [plain] = get(corpus, "/-/search.json?q=sourdough+bread")
    assert plain.json()["concept"] is None


def test_search_from_the_command_line(corpus):
    printed = run_prodops("search", "onboarding new product managers", "--db", str(corpus), "--limit", "3")
    assert printed.returncode == 0 and printed.stdout.startswith("1. ") and "matched by" in printed.stdout
    assert printed.stdout.count("\n   http") == 3
    as_json = json.loads(run_prodops("search", "roadmap", "--db", str(corpus), "--json", "--type",
                                     "template-toolkit").stdout)
    assert as_json["rows"] and {row["content_type"] for row in as_json["rows"]} == {"template-toolkit"}
    tagged = json.loads(run_prodops("search", "roadmap", "--db", str(corpus), "--json", "--tag",
                                    "planning-roadmapping").stdout)
    assert all("planning-roadmapping" in row["tags"] for row in tagged["rows"])
    unknown = run_prodops("search", "roadmap", "--db", str(corpus), "--tag", "nope")
    assert unknown.returncode == 2 and "no such concept" in unknown.stderr
    nothing = run_prodops("search", "  ", "--db", str(corpus))
    assert nothing.returncode == 2 and "give words to search for" in nothing.stderr
    assert run_prodops("search", "--db", str(corpus)).stderr == nothing.stderr
    # Words without quotes are one query, as typed in a shell; with none, a filter browses.
    unquoted = run_prodops("search", "onboarding", "new", "product", "managers", "--db", str(corpus), "--limit", "3")
    assert unquoted.returncode == 0 and unquoted.stdout == printed.stdout
    browsed = json.loads(run_prodops("search", "--type", "template-toolkit", "--db", str(corpus), "--json").stdout)
    assert browsed["rows"] and {row["content_type"] for row in browsed["rows"]} == {"template-toolkit"}


@pytest.mark.parametrize("typed, terms, required, excluded, text", [
    ("okr template", ['"okr"', '"template"'], [], [], "okr template"),
    ("okr -template", ['"okr"'], [], ['"template"'], "okr"),
    ("okr NOT template", ['"okr"'], [], ['"template"'], "okr"),
    ('okr -"quoted phrase" -templ*', ['"okr"'], [], ['"quoted phrase"', '"templ"*'], "okr"),
    ("+okr roadmap", ['"okr"', '"roadmap"'], ['"okr"'], [], "okr roadmap"),
    ('"okr" "road map" planning', ['"okr"', '"road map"', '"planning"'], ['"okr"', '"road map"'], [],
     '"okr" "road map" planning'),
    ("cross-team dependencies", ['"cross"', '"team"', '"dependencies"'], [], [], "cross-team dependencies"),
    ("okr -cross-team", ['"okr"'], [], ['"cross team"'], "okr"),
    ("x - y", ['"x"', '"y"'], [], [], "x - y"),  # a dash alone is no sign
    ("-template", [], [], ['"template"'], ""),
    ("roadmap NOT", ['"roadmap"', '"NOT"'], [], [], "roadmap NOT"),  # nothing after NOT: a word
    ("how to plan -the", ['"plan"'], [], ['"the"'], "how to plan"),
])
def test_a_query_is_read_as_words_required_and_excluded(typed, terms, required, excluded, text):
    from pipeline.publish.query import parse_query

    query = parse_query(typed)
    assert (query.terms, query.required, query.excluded, query.text) == (terms, required, excluded, text)


def _holding(conn, word, rowids):
    marks = ", ".join("?" for _ in rowids)
    return {rowid for (rowid,) in conn.execute(f"SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? "
                                               f"AND rowid IN ({marks})", [f'"{word}"', *rowids])}


@pytest.mark.parametrize("mode", ["hybrid", "words", "meaning"])
def test_an_excluded_word_leaves_its_documents_out_of_words_meaning_and_counts(corpus, mode):
    conn = sqlite3.connect(corpus)
    before = search(conn, "roadmap", mode=mode, page_size=1000)
    rows = {row["rowid"]: row["matched_by"] for row in before.rows}
    with_customer = _holding(conn, "customer", list(rows))
    # "customer" is in pages found by words, and (hybrid, meaning) in pages found by meaning alone
    assert {"words" if mode == "words" else "meaning"} <= {rows[rowid] for rowid in with_customer}
    for typed in ("roadmap -customer", "roadmap NOT customer"):
        after = search(conn, typed, mode=mode, page_size=1000)
        assert after.rows and not _holding(conn, "customer", [row["rowid"] for row in after.rows])
        # the others stay, found as before (by meaning: the pages above the floor, as before)
        assert {row["rowid"]: row["matched_by"] for row in after.rows} == {
            rowid: how for rowid, how in rows.items() if rowid not in with_customer}
        assert after.total_matches == after.count == before.count - len(with_customer)
        assert sum(count for _, count in after.facets["content_type"]) == after.count
        assert not any("\x02custom" in row["snippet"].lower() for row in after.rows)  # never marked
        assert after.excluded == ["customer"]


def test_a_required_word_holds_for_words_and_meaning(corpus):
    conn = sqlite3.connect(corpus)
    plain, required = (search(conn, typed, page_size=1000) for typed in ("roadmap customer", "roadmap +customer"))
    kept = _holding(conn, "customer", [row["rowid"] for row in plain.rows])
    assert len(kept) < plain.count  # some matched only "roadmap" or only by meaning
    assert {row["rowid"] for row in required.rows} == kept
    assert {row["rowid"] for row in search(conn, 'roadmap "customer"', page_size=1000).rows} == kept


def test_excluded_words_alone_browse_every_document_without_them(corpus):
    conn = sqlite3.connect(corpus)
    documents = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    result = search(conn, "-customer", page_size=1000)
    assert result.rows and {row["matched_by"] for row in result.rows} == {"filters"}
    assert result.count == documents - conn.execute("SELECT count(*) FROM documents_fts WHERE documents_fts "
                                                    "MATCH 'customer'").fetchone()[0]
    assert not _holding(conn, "customer", [row["rowid"] for row in result.rows])


def test_the_site_and_its_json_leave_out_excluded_words_and_do_not_mark_them(corpus):
    data, page, whole = get(corpus, "/-/search.json?q=roadmap+-customer", "/-/search?q=roadmap+-customer",
                            "/-/search.json?q=roadmap+-%22customer+feedback%22")
    result = data.json()
    conn = sqlite3.connect(corpus)
    assert result["rows"] and not _holding(conn, "customer", [row["rowid"] for row in result["rows"]])
    assert result["excluded"] == ["customer"] and result["count"] == search(conn, "roadmap -customer").count
    assert "Leaving out documents with <strong>customer</strong>" in page.text
    assert "<mark>customer" not in page.text.lower()
    # A phrase left out: pages with "customer" elsewhere stay, the word not marked in them.
    rows = whole.json()["rows"]
    assert _holding(conn, "customer", [row["rowid"] for row in rows])
    assert not any("\x02customer" in row["snippet"].lower() for row in rows)


def test_no_document_with_all_the_words_is_said_only_when_none_has_them_as_the_search_reads_them(corpus):
    """A prefix is a prefix and a stop word is left out, as the search reads them: "road*"
    (7 documents matched by words) and "roadmap OR template" were told that no document had
    all their words."""
    conn = sqlite3.connect(corpus)
    assert conn.execute("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'road*'").fetchone()[0]
    both = conn.execute("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'roadmap template'").fetchone()
    assert both[0]  # a document has both words
    assert [search(conn, query).note for query in ("road*", "roadmap OR template", "roadmap template")] == [None] * 3


def test_the_summary_line_says_how_the_results_are_ordered(corpus):
    """Browsing (filters or excluded words alone) is by relevance, and a search by one way
    alone is ranked by it: each said "ranked by words and meaning"."""
    pages = get(corpus, "/-/search?q=roadmap", "/-/search?q=roadmap&mode=words", "/-/search?q=roadmap&mode=meaning",
                "/-/search?q=-customer", "/-/search?content_type=article")
    said = [page.text.split('class="search-summary">')[1].split(".")[0].split(", ")[-1] for page in pages]
    assert said == ["ranked by words and meaning", "ranked by words", "ranked by meaning", "most relevant first",
                    "most relevant first"], said


def test_the_pages_of_a_search_lead_both_ways_and_keep_its_mode(corpus):
    """A second page leads back, says where it is, and keeps `mode` (its links, and the
    facets', dropped it: the next page was ranked another way)."""
    first, second = get(corpus, "/-/search?q=product+ops+training+course&mode=words",
                        "/-/search?q=product+ops+training+course&mode=words&page=2")
    pages = -(-search(sqlite3.connect(corpus), "product ops training course", mode="words").count // 20)
    assert pages >= 2
    assert f"Page 1 of {pages}" in first.text and "Previous page" not in first.text
    assert 'href="/-/search?q=product+ops+training+course&amp;mode=words&amp;page=2" rel="next"' in first.text
    assert 'href="/-/search?q=product+ops+training+course&amp;mode=words" rel="prev">Previous page' in second.text
    assert f"Page 2 of {pages}" in second.text
    facet_links = re.findall(r'href="(/-/search\?[^"]*content_type=[^"]*)"', first.text)
    assert facet_links and all("mode=words" in link for link in facet_links)


def test_search_from_the_command_line_with_words_left_out(corpus):
    expected = json.loads(run_prodops("search", "roadmap NOT customer", "--db", str(corpus), "--json").stdout)
    dashed = run_prodops("search", "roadmap", "-customer", "--db", str(corpus), "--json", "--limit", "10")
    assert dashed.returncode == 0, dashed.stderr
    assert json.loads(dashed.stdout)["rows"] == expected["rows"]
    assert not _holding(sqlite3.connect(corpus), "customer", [row["rowid"] for row in expected["rows"]])
    # Options before and after the words; `--` still ends the options.
    after_dashes = run_prodops("search", "--db", str(corpus), "--json", "--", "roadmap", "-customer")
    assert json.loads(after_dashes.stdout)["rows"] == expected["rows"]
    typed = json.loads(run_prodops("search", "-customer", "roadmap", "--type", "article", "--db", str(corpus),
                                   "--json").stdout)
    assert typed["rows"] and {row["content_type"] for row in typed["rows"]} == {"article"}
    printed = run_prodops("search", "roadmap", "-customer", "--db", str(corpus))
    assert printed.stdout.startswith("1. ") and "Leaving out documents with customer" in printed.stderr
    mistyped = run_prodops("search", "roadmap", "--jsn", "--db", str(corpus))
    assert mistyped.returncode == 2 and "No such option '--jsn'" in mistyped.stderr


def test_an_empty_corpus_is_not_told_to_retag(tmp_path):
    db = sqlite_utils.Database(tmp_path / "empty.db")
    migrations.apply(db)
    assert search(db.conn, "roadmap").note is None


def test_a_database_without_vectors_searches_by_words_and_retag_gives_them(tmp_path, corpus):
    old = tmp_path / "old.db"
    with sqlite3.connect(corpus) as source, sqlite3.connect(old) as copy:
        source.backup(copy)
    db = sqlite_utils.Database(old)
    db.execute("DELETE FROM vectors")
    db.conn.commit()
    before = search(db.conn, "roadmap")
    assert "run `prodops retag` once" in before.note and {r["matched_by"] for r in before.rows} == {"words"}
    assert run_prodops("retag", "--db", str(old), "--lists", "").returncode == 0
    db = sqlite_utils.Database(old)
    assert db["vectors"].count == db["documents"].count
    assert any("meaning" in row["matched_by"] for row in search(db.conn, "roadmap").rows)


def test_a_crawl_keeps_its_pages_vectors_unless_told_not_to(tmp_path):
    from conftest import FAST, write_sources

    from pipeline.config.sources import Source
    from pipeline.demo.articles import ARTICLES
    from pipeline.demo.sampleweb import article_html
    from pipeline.demo.webserver import Route, StaticWeb

    web = StaticWeb({"/robots.txt": Route(b"", "text/plain"), "/a": Route(article_html(ARTICLES[0], "http://x").encode())})
    with web:
        sources = write_sources(tmp_path / "s.yaml", [Source("a", "A", "url", web.base_url + "/a")])
        for store, name in ((True, "on.db"), (False, "off.db")):
            done = run_prodops("crawl", "--sources", str(sources), "--db", str(tmp_path / name),
                               "--allow-private-network", *FAST, "-s", f"PRODOPS_STORE_VECTORS={store}")
            assert done.returncode == 0, done.stderr
    on, off = sqlite_utils.Database(tmp_path / "on.db"), sqlite_utils.Database(tmp_path / "off.db")
    assert on["documents"].count == off["documents"].count == 1
    [vectors] = on["vectors"].rows
    assert vectors["model"] == "wordllama l2_supercat 256" and len(vectors["page"]) == 2 * 256  # float16
    assert off["vectors"].count == 0


def test_a_snippet_does_not_repeat_the_title_its_text_opens_with():
    """Extractors keep a page's <h1> as its text's first line: the snippet starts after it, as
    the result's link already says it; a text that is its title alone keeps it."""
    from pipeline.publish.snippets import add_snippets

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE documents (text TEXT)")
    texts = ["Quarterly Planning Guide\nQuarterly planning starts with the teams' bids.", "Quarterly Planning Guide"]
    conn.executemany("INSERT INTO documents (rowid, text) VALUES (?, ?)", list(enumerate(texts, start=1)))
    rows = [{"rowid": 1, "title": "Quarterly  planning guide"}, {"rowid": 2, "title": "Quarterly Planning Guide"}]
    add_snippets(conn, "quarterly planning", rows, None)
    assert [row["snippet"].replace("\x02", "").replace("\x03", "") for row in rows] == [
        "Quarterly planning starts with the teams' bids.", "Quarterly Planning Guide"]
