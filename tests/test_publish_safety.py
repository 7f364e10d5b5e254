"""What `prodops serve` lets a stranger do, and what the published XML carries:

- arbitrary SQL is off unless `--sql` is given; with it, a query that would allocate a
  gigabyte fails at once and the served process stays its size (measured on a real process);
- characters XML 1.0 forbids are dropped when a document is stored, and every XML writer
  (the site's Atom feeds, `export --format atom|opml`) escapes and cleans every value;
- every response carries a strict Content-Security-Policy and the other security headers,
  the database's path is not shown, and the Markdown export is served as Markdown;
- a table's or a canned query's page answers a POST 405, whoever sends it, and writes nothing.
"""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ElementTree
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlite_utils
import yaml
from conftest import FAST, ROOT, free_port, high_water_mib, run_prodops, write_sources

from pipeline.config.lists import load_lists
from pipeline.config.sources import Source
from pipeline.demo.webserver import Route, StaticWeb
from pipeline.publish.datasette import build_datasette
from pipeline.publish.export import to_atom
from pipeline.store.database import open_database
from pipeline.store.lists import publish_lists

ATOM = "{http://www.w3.org/2005/Atom}"
BOMB = "select length(randomblob(900000000))"  # ~860 MiB in one allocation


@pytest.fixture(scope="module")
def small_site(tmp_path_factory) -> Path:
    """A database with one document and the project's curated lists published."""
    folder = tmp_path_factory.mktemp("safety")
    db = open_database(folder / "prodops.db")
    db["documents"].insert({"id": "a1", "url": "https://example.org/a", "title": "Onboarding playbook",
                            "description": "How to onboard", "text": "Onboarding in thirty days.",
                            "content_type": "guide-playbook", "tags": '["enablement-training"]',
                            "relevance": 0.9, "published": "2024-05-01T00:00:00Z"})
    publish_lists(db, load_lists())
    db.close()
    return folder / "prodops.db"


def get(db_path, *paths, lists=None, **options):
    """GET paths from the site the one factory builds, in-process."""

    async def fetch():
        datasette = build_datasette(db_path, load_lists() if lists is None else lists, **options)
        return [await datasette.client.get(path) for path in paths]

    return asyncio.run(fetch())


@contextmanager
def served(db_path: Path, *options: str):
    """`prodops serve` in its own process on a free port: (base URL, pid, stderr file)."""
    port = free_port()
    stderr = db_path.parent / f"serve-{port}.err"
    with stderr.open("w") as errors:
        server = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "serve", "--db", str(db_path),
                                   "--port", str(port), *options], cwd=ROOT, stdout=subprocess.DEVNULL,
                                  stderr=errors)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=2).read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"prodops serve did not start: {stderr.read_text()}")
                time.sleep(0.2)  # polling for the server, bounded by the deadline
        yield base, server.pid, stderr
    finally:
        server.terminate()
        server.wait(timeout=30)


def fetch(url: str) -> tuple[int, str]:
    """(status, body) of a GET, errors included."""
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def sql_url(base: str, sql: str, fmt: str = ".json") -> str:
    return f"{base}/prodops{fmt}?sql={urllib.parse.quote(sql)}"


# A. Arbitrary SQL is opt-in, and bounded when on.

def test_the_factory_serves_no_arbitrary_sql_unless_asked(small_site):
    html, data, where, canned, table, search, home = get(
        small_site, "/prodops?sql=select+1", "/prodops.json?sql=select+1",
        "/prodops/documents.json?_where=1%3D1", "/prodops/latest.json", "/prodops/documents.json",
        "/-/search.json?q=onboarding", "/")
    assert html.status_code == data.status_code == 403
    assert where.status_code in (400, 403)  # a table's _where= is SQL too
    for response in (canned, table, search, home):
        assert response.status_code == 200, response.text[:300]
    assert search.json()["count"] == 1
    [allowed] = get(small_site, "/prodops.json?sql=select+41%2B1+as+n&_shape=array", allow_sql=True)
    assert allowed.json() == [{"n": 42}]


def test_serve_refuses_sql_without_the_flag_and_says_no_sql_is_no_longer_needed(small_site):
    with served(small_site, "--no-sql") as (base, pid, stderr):
        for fmt in (".json", ""):
            assert fetch(sql_url(base, BOMB, fmt))[0] == 403
        for path in ("/prodops/latest.json", "/prodops/documents.json", "/-/search?q=onboarding", "/",
                     "/-/documents/a1"):
            assert fetch(base + path)[0] == 200, path
    note = stderr.read_text()
    assert "--no-sql" in note and "--sql" in note


def test_sql_and_no_sql_together_are_refused(small_site):
    result = run_prodops("serve", "--db", str(small_site), "--sql", "--no-sql")
    assert result.returncode == 2 and "--sql and --no-sql contradict" in result.stderr


def test_serve_with_sql_stops_queries_that_would_take_the_memory(small_site):
    with served(small_site, "--sql") as (base, pid, _):
        status, body = fetch(sql_url(base, "select count(*) as n from documents"))
        assert status == 200 and json.loads(body)["rows"] == [[1]]
        before = high_water_mib(pid)
        started = time.monotonic()
        status, body = fetch(sql_url(base, BOMB))
        took = time.monotonic() - started
        assert status == 400 and "too big" in json.loads(body)["error"]
        assert took < 2, took  # refused at once, not after allocating (5.6 s and 858 MiB before)
        # Many values each under the cap: 1,000 rows of 1 MB, then 40 columns of 30 MB.
        many_rows = ("with recursive c(x) as (select 1 union all select x + 1 from c limit 1000) "
                     "select zeroblob(1000000) from c")
        status, body = fetch(sql_url(base, many_rows))
        assert status == 400 and "MiB" in json.loads(body)["error"]
        wide_row = "select " + ", ".join(["zeroblob(30000000)"] * 40)
        assert fetch(sql_url(base, wide_row))[0] >= 400
        grown = high_water_mib(pid) - before
        assert grown < 200, f"the server grew by {grown:.0f} MiB"  # +858 MiB for the first one before
        # and it still answers
        assert fetch(base + "/prodops/latest.json")[0] == 200


# B. Feeds that stay well-formed.

DIRTY_TITLE = "Control\x01 chars\x1b: a < b & c\ufffe"
CLEAN_TITLE = "Control chars: a < b & c"


def parse_xml(text: str, what: str) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(text.encode("utf-8"))
    except ElementTree.ParseError as error:
        raise AssertionError(f"{what} is not well-formed XML: {error}") from None


def test_control_characters_are_dropped_when_stored_and_every_feed_parses(tmp_path):
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Dirty\x02 feed", "items": [{
        "id": "1", "url": "PLACEHOLDER/gone", "title": DIRTY_TITLE,
        "summary": "A summary\x07 with a bell\x00", "content_text": "Text\x1f of the\x08 entry \udc80 here.",
        "authors": [{"name": "Ann\x0c Author"}], "date_published": "2024-05-01T10:00:00Z"}]}
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain")})  # /gone answers 404: the entry is kept
    with web:
        feed["items"][0]["url"] = f"{web.base_url}/gone"
        web.routes["/feed.json"] = Route(json.dumps(feed).encode(), "application/feed+json")
        name = "Dirty \x01source <&>"
        sources = write_sources(tmp_path / "s.yaml", [Source("dirty", name, "feed", f"{web.base_url}/feed.json")])
        result = run_prodops("crawl", "--sources", str(sources), "--db", str(tmp_path / "prodops.db"),
                             "--allow-private-network", *FAST)
    assert result.returncode == 0, result.stderr
    [row] = sqlite_utils.Database(tmp_path / "prodops.db")["documents"].rows
    assert row["title"] == CLEAN_TITLE
    assert row["description"] == "A summary with a bell"
    assert row["text"] == "Text of the entry  here."
    assert row["author"] == "Ann Author"

    lists = tmp_path / "lists.yaml"
    lists.write_text(yaml.safe_dump({"lists": [{
        "slug": "dirty", "title": "A list\x01 <of> & things", "description": "d\x02",
        "pinned": [{"url": row["url"], "note": "Note\x03 & <b>"}]}]}), encoding="utf-8")
    curated = load_lists(lists)
    db = open_database(tmp_path / "prodops.db")
    publish_lists(db, curated)
    db["documents"].update(row["id"], {"relevance": 0.9})  # the latest feed shows documents on topic
    db.close()
    slugs = [c.slug for c in curated]
    responses = get(tmp_path / "prodops.db", "/-/feeds/latest.atom",
                    *[f"/-/feeds/lists/{slug}.atom" for slug in slugs], lists=curated)
    exported = run_prodops("export", "--format", "atom", "--list", "dirty", "--lists", str(lists),
                           "--db", str(tmp_path / "prodops.db"))
    assert exported.returncode == 0, exported.stderr
    feeds = {"latest.atom": responses[0].text, "export --format atom": exported.stdout,
             **{f"lists/{slug}.atom": response.text for slug, response in zip(slugs, responses[1:])}}
    for what, text in feeds.items():
        root = parse_xml(text, what)
        titles = [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]
        assert titles == [CLEAN_TITLE], what
    assert parse_xml(feeds["lists/dirty.atom"], "list").findtext(f"{ATOM}title") == "A list <of> & things"

    opml = run_prodops("export", "--format", "opml", "--sources", str(sources))
    assert opml.returncode == 0, opml.stderr
    [outline] = parse_xml(opml.stdout, "export --format opml").iter("outline")
    assert outline.get("text") == "Dirty source <&>"


def test_the_atom_writer_escapes_and_cleans_every_value():
    hostile = "x\x01<y>&\"'\ud800]]>"
    rows = [{"id": "a", "url": 'https://example.org/a?b=1&c="2"', "title": hostile, "sitename": hostile,
             "published": "2024-05-01T00:00:00<bad>&", "content_type": "guide", "tags": json.dumps([hostile]),
             "tag_scores": "{}", "description": hostile, "note": hostile}]
    root = parse_xml(to_atom(hostile, hostile, rows), "to_atom")
    [entry] = root.iter(f"{ATOM}entry")
    clean = "x<y>&\"']]>"
    assert root.findtext(f"{ATOM}title") == root.findtext(f"{ATOM}id") == clean
    assert entry.findtext(f"{ATOM}title") == clean
    assert entry.findtext(f"{ATOM}updated") == "2024-05-01T00:00:00<bad>&"
    assert entry.find(f"{ATOM}category").get("term") == clean
    assert entry.find(f"{ATOM}link").get("href") == 'https://example.org/a?b=1&c="2"'


# C. Headers, the database's path, the Markdown export.

def test_every_response_carries_the_security_headers(small_site):
    paths = ["/", "/prodops/documents", "/-/documents/a1", "/-/search?q=onboarding", "/prodops/documents.json",
             "/-/feeds/latest.atom", "/-/lists/prodops-onboarding", "/prodops/latest", "/nope"]
    for path, response in zip(paths, get(small_site, *paths)):
        headers = response.headers
        policy = headers.get("content-security-policy", "")
        assert "frame-ancestors 'none'" in policy, path
        assert re.search(r"script-src 'self'(;|$)", policy), (path, policy)
        assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        assert "default-src 'none'" in policy
        assert headers.get("x-content-type-options") == "nosniff", path
        assert headers.get("x-frame-options") == "DENY", path
        assert headers.get("referrer-policy") == "strict-origin-when-cross-origin", path


def test_the_sites_pages_carry_no_inline_script(small_site):
    paths = ["/", "/prodops", "/prodops/documents", "/prodops/documents/a1", "/-/documents/a1",
             "/-/search?q=onboarding", "/prodops/latest", "/-/lists/prodops-onboarding", "/-/chart"]
    for path, response in zip(paths, get(small_site, *paths)):
        assert response.status_code == 200, path
        inline = [tag for tag in re.findall(r"<script\b[^>]*>", response.text) if "src=" not in tag]
        assert not inline, (path, inline)
        assert not re.search(r"\son[a-z]+=", response.text), path  # no inline event handlers


def test_the_databases_path_is_not_shown(small_site):
    folder = str(small_site.parent)
    paths = ["/-/databases.json", "/-/databases", "/-/threads.json", "/-/threads", "/-/metadata.json",
             "/-/settings.json", "/-/plugins.json", "/-/plugins", "/-/versions.json", "/-/actor.json",
             "/prodops.json", "/prodops", "/.json", "/prodops/nope", "/prodops.json?sql=select+1"]
    for allow_sql in (False, True):
        for path, response in zip(paths, get(small_site, *paths, allow_sql=allow_sql)):
            assert folder not in response.text and "/work/" not in response.text, path
    [databases] = get(small_site, "/-/databases.json")
    assert [db["name"] for db in databases.json()] == ["prodops"]
    [plugins] = get(small_site, "/-/plugins.json?all=1")  # names and versions, not our hooks
    assert plugins.json() == [{"name": "prodops.py", "version": None}]


def test_sql_reads_no_file_path_and_everything_else_as_before(small_site):
    """With --sql, `select * from pragma_database_list` read the database's path on the
    server: no form of it does now, and the SQL, search and pages the site answers still do."""
    folder = str(small_site.parent)
    hidden = ["select * from pragma_database_list", "select file from pragma_database_list()",
              "select * from main.PRAGMA_DATABASE_LIST", "select count(*) from pragma_database_list",
              "with d as (select * from pragma_database_list) select substr(file, 1, 5) from d",
              "select 1 where exists (select 1 from pragma_database_list where file like '/%')"]
    shown = {"select title from documents": [["Onboarding playbook"]],
             "select name from pragma_table_info('documents') where name = 'title'": [["title"]],
             "select rowid from documents_fts where documents_fts match 'onboarding'": [[1]],
             "select count(*) from pragma_function_list where name = 'bm25'": [[1]]}
    paths = [sql_url("", sql) for sql in [*hidden, *shown]]
    pages = ["/prodops", "/prodops/documents.json?_facet=content_type&_search=onboarding",
             "/-/search.json?q=onboarding", "/prodops/latest.json", "/-/documents/a1"]
    refused = get(small_site, *paths[:len(hidden)], allow_sql=True)
    for sql, response in zip(hidden, refused):
        # ("not authorized" where SQLite names no column: count(*))
        assert response.status_code == 400, sql
        assert re.fullmatch(r"access to pragma_database_list\.\w+ is prohibited|not authorized",
                            response.json()["error"], re.IGNORECASE), sql  # (SQLite says the name as written)
        assert folder not in response.text, sql
    answered = get(small_site, *paths[len(hidden):], *pages, allow_sql=True)
    for (sql, rows), response in zip(shown.items(), answered):
        assert response.status_code == 200 and response.json()["rows"] == rows, (sql, response.text[:300])
    for path, response in zip(pages, answered[len(shown):]):
        assert response.status_code == 200, (path, response.text[:300])
    faceted, search = answered[len(shown) + 1].json(), answered[len(shown) + 2].json()
    assert faceted["rows"] and faceted["facet_results"]["content_type"]["results"][0]["value"] == "guide-playbook"
    assert search["count"] == 1


def test_the_markdown_export_is_served_as_markdown(small_site):
    [markdown] = get(small_site, "/-/exports/lists/prodops-onboarding.md")
    assert markdown.status_code == 200 and markdown.text.startswith("# ProdOps onboarding")
    assert markdown.headers["content-type"] == "text/markdown; charset=utf-8"


# D. Datasette's pages are read-only.

async def site_and_login_form(db_path: Path):
    """The site started, and its sign-in page's CSRF token and cookie: (app, token, cookies)."""
    datasette = build_datasette(db_path, load_lists())
    await datasette.invoke_startup()
    page = await datasette.client.get("/-/login")
    token = re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)
    return datasette, token, {"ds_csrftoken": page.cookies["ds_csrftoken"]}


def test_a_post_to_a_canned_query_or_a_table_is_refused_405_and_writes_nothing(small_site, tmp_path):
    """Datasette's table route runs a POST only for a writable canned query, and the site has
    none: a POST to any canned query (or table) raised inside Datasette and answered 500, from
    a visitor, with a CSRF token, or from a signed-in curator."""
    import hashlib
    import shutil

    from pipeline.publish.curators import add_curator

    db_path = Path(shutil.copy(small_site, tmp_path / "prodops.db"))
    add_curator(db_path, "maya", "correct horse battery")
    paths = ["/prodops/latest", "/prodops/latest.json", "/prodops/cited_not_followed",
             "/prodops/list_prodops_onboarding", "/prodops/documents", "/prodops/documents.json"]

    def digest():
        return hashlib.sha256(db_path.read_bytes()).hexdigest()

    async def run():
        datasette, token, csrf = await site_and_login_form(db_path)
        signed_in = await datasette.client.post("/-/login", cookies=csrf, data={
            "username": "maya", "password": "correct horse battery", "csrftoken": token})
        curator = {**csrf, "ds_actor": signed_in.cookies["ds_actor"]}
        before, answers = digest(), {}
        for path in paths:
            answers[(path, "visitor")] = await datasette.client.post(path, data={"sql": "delete from documents"})
            answers[(path, "json")] = await datasette.client.post(path, json={"sql": "delete from documents"})
            answers[(path, "token")] = await datasette.client.post(path, data={"csrftoken": token}, cookies=csrf)
            answers[(path, "curator")] = await datasette.client.post(path, data={"csrftoken": token}, cookies=curator)
        reads = [await datasette.client.get(path) for path in paths]
        return before, answers, reads

    before, answers, reads = asyncio.run(run())
    assert {key: answer.status_code for key, answer in answers.items()} == {key: 405 for key in answers}
    assert all(answer.headers["allow"] == "GET, HEAD" and answer.text == "Method not allowed"
               and answer.headers["content-security-policy"] for answer in answers.values())
    assert digest() == before and sqlite3.connect(db_path).execute("SELECT count(*) FROM documents").fetchone() == (1,)
    assert [read.status_code for read in reads] == [200] * len(paths)  # reading them is as before


def test_a_form_sent_as_multipart_is_refused_415_on_every_path_and_writes_nothing(small_site, tmp_path):
    """asgi-csrf parses a multipart body with python-multipart's FormParser(FileClass=...),
    which today's python-multipart refuses: anyone holding the sign-in page's CSRF cookie got
    a 500 and a traceback, on any path. The site's forms are url-encoded, its API JSON."""
    import hashlib
    import shutil

    from pipeline.publish.curators import add_curator

    db_path = Path(shutil.copy(small_site, tmp_path / "prodops.db"))
    add_curator(db_path, "maya", "correct horse battery")
    paths = ["/-/login", "/-/logout", "/", "/-/search", "/-/documents/x/judge", "/-/lists/prodops-onboarding/items"]

    async def run():
        datasette, token, csrf = await site_and_login_form(db_path)
        before = hashlib.sha256(db_path.read_bytes()).hexdigest()
        answers = [await datasette.client.post(path, cookies=csrf, data={"csrftoken": token, "username": "maya"},
                                               files={"x": ("x.txt", b"1")}) for path in paths]
        return before, answers

    before, answers = asyncio.run(run())
    assert [answer.status_code for answer in answers] == [415] * len(paths), [answer.text for answer in answers]
    assert all("url-encoded" in answer.text and answer.headers["content-security-policy"] for answer in answers)
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before


def test_a_port_in_use_is_said_in_one_line_before_anything_is_done(tmp_path):
    import socket

    db = tmp_path / "c.db"
    open_database(db).close()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        results = [subprocess.run([sys.executable, "-m", "pipeline.cli", *args, "--port", port], cwd=ROOT,
                                  capture_output=True, text=True, timeout=120)
                   for args in (("serve", "--db", str(db)), ("demo", "--db", str(tmp_path / "demo.db")))]
    for result in results:
        assert result.returncode == 2 and f"cannot serve on 127.0.0.1:{port}" in result.stderr, result.stderr
        assert "--port" in result.stderr and "Traceback" not in result.stderr
    assert "Sample web running" not in results[1].stderr and not (tmp_path / "demo.db").exists()  # no crawl


def test_the_site_serves_on_the_socket_it_bound(tmp_path):
    db = tmp_path / "c.db"
    open_database(db).close()
    with served(db) as (base, _, stderr):
        assert fetch(base + "/")[0] == 200 and f"at {base}/" in stderr.read_text()
        # (uvicorn gives the raw path the 405 guard reads, as the in-process client does)
        post = urllib.request.Request(base + "/c/latest", data=b"", method="POST")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(post, timeout=60)
        assert refused.value.code == 405 and refused.value.headers["Allow"] == "GET, HEAD"
