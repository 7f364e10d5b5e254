"""Sources that watch their own quality: extraction drift alerts and per-source scorecards."""

from __future__ import annotations

import asyncio
import json
from html import escape

import sqlite_utils
from conftest import FAST, run_prodops, write_sources

from pipeline.config.lists import load_lists
from pipeline.config.sources import Source
from pipeline.demo.articles import ARTICLES
from pipeline.demo.sampleweb import page_html, rss_feed
from pipeline.demo.webserver import Route, StaticWeb
from pipeline.publish.datasette import build_datasette
from pipeline.store.drift import ExtractionFigures, drift_alert
from pipeline.store.scorecard import Scorecard, verdict

KITCHEN = [  # an off-topic blog someone subscribed to by mistake
    ("Sourdough starter in a week", "Feed the starter twice a day with equal weights of flour and water. "
     "Keep the jar somewhere warm, and discard half before each feeding. After five days it should double "
     "within six hours; that is when it is ready to raise a loaf."),
    ("Braising short ribs", "Brown the ribs well on every side, then soften onions, carrots and celery in the "
     "fat. Add wine, stock and thyme, cover, and leave it in a low oven for three hours until the meat "
     "falls from the bone."),
    ("A weeknight tomato sauce", "Warm olive oil with sliced garlic, add a tin of whole tomatoes and crush them "
     "with a spoon. Simmer for twenty minutes with a pinch of salt and a knob of butter, then toss with pasta."),
    ("Pickling cucumbers", "Pack small cucumbers into a jar with dill, garlic and mustard seed. Pour over a hot "
     "brine of vinegar, water, salt and sugar, seal, and wait a week before tasting."),
    ("Roasting a chicken", "Dry the skin overnight in the fridge, salt it generously and roast it hot. Rest the "
     "bird for fifteen minutes before carving so the juices settle back into the meat."),
]


def post(slug: str, title: str, paragraphs: list[str], spa: bool = False) -> bytes:
    """An article page; `spa`: the template a site moved to, which renders the text in the
    browser from a JSON blob (nothing for an extractor to read)."""
    if spa:
        data = json.dumps({"title": title, "body": paragraphs}).replace("</", "<\\/")
        body = f'<div id="app"></div><script>window.__DATA__ = {data};</script>'
    else:
        body = (f"<article><h1>{escape(title)}</h1><p class=\"byline\"><time datetime=\"2026-10-01\">"
                f"1 October 2026</time></p>{''.join(f'<p>{escape(p)}</p>' for p in paragraphs)}</article>")
    return page_html(title, body).encode()


def site(spa: bool = False) -> dict[str, Route]:
    routes = {"/robots.txt": Route(b"", "text/plain")}
    ops = [dict(a, slug=f"ops-{i}") for i, a in enumerate(ARTICLES[:5])]
    kitchen = [{"slug": f"kitchen-{i}", "title": title, "author": "Sam", "date": f"2026-10-0{i + 1}T08:00:00Z",
                "summary": text[:80], "paragraphs": [text, text.replace(".", ";", 1)]}
               for i, (title, text) in enumerate(KITCHEN)]
    for article in ops:
        routes[f"/blog/{article['slug']}/"] = Route(post(article["slug"], article["title"], article["paragraphs"], spa))
    for article in kitchen:
        routes[f"/blog/{article['slug']}/"] = Route(post(article["slug"], article["title"], article["paragraphs"]))
    return routes, ops, kitchen


def test_a_template_change_raises_a_drift_alert_and_an_unchanged_recrawl_none(tmp_path):
    web = StaticWeb()
    routes, ops, kitchen = site()
    web.routes.update(routes)
    web.routes["/ops.xml"] = Route(rss_feed(web.base_url, ops).encode(), "application/rss+xml")
    web.routes["/kitchen.xml"] = Route(rss_feed(web.base_url, kitchen).encode(), "application/rss+xml")
    db_path = tmp_path / "c.db"
    sources = write_sources(tmp_path / "s.yaml", [Source("ops", "Ops", "feed", f"{web.base_url}/ops.xml"),
                                                  Source("kitchen", "Kitchen", "feed", f"{web.base_url}/kitchen.xml")])

    def crawl():
        result = run_prodops("crawl", "--sources", str(sources), "--db", str(db_path), "--allow-private-network", *FAST)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    with web:
        first = crawl()
        second = crawl()  # nothing changed: every page answers 304, nothing to compare
        # The ops blog moves to a client-side template, and posts again (its feed changes).
        web.routes.update(site(spa=True)[0])
        new = dict(ARTICLES[5], slug="ops-5")
        web.routes["/blog/ops-5/"] = Route(post("ops-5", new["title"], new["paragraphs"], spa=True))
        web.routes["/ops.xml"] = Route(rss_feed(web.base_url, [*ops, new]).encode(), "application/rss+xml")
        third = crawl()
    assert "drift" not in first.lower() and "drift" not in second.lower()
    assert "Extraction drift: ops: pages without main text rose from 0% to 100%" in third, third
    assert "kitchen" not in third.split("Extraction drift", 1)[1].split("\n")[0]
    db = sqlite_utils.Database(db_path)
    runs = list(db.query("SELECT run_id, source_id, pages, no_text, alert FROM source_runs ORDER BY run_id"))
    assert sorted((r["source_id"], r["pages"], r["no_text"]) for r in runs if r["run_id"] == 1) == [
        ("kitchen", 5, 0), ("ops", 5, 0)]
    assert sorted((r["source_id"], r["pages"], r["no_text"]) for r in runs if r["run_id"] == 3) == [("ops", 6, 6)]
    assert not [r for r in runs if r["run_id"] == 2]  # an unchanged recrawl read nothing
    assert db["sources"].get("ops")["drift"].startswith("pages without main text rose from 0% to 100%")
    assert db["sources"].get("kitchen")["drift"] is None

    health = run_prodops("sources", "health", "--sources", str(sources), "--db", str(db_path))
    assert health.returncode == 0, health.stderr
    lines = health.stdout.splitlines()
    ops_at = next(i for i, line in enumerate(lines) if line.startswith("ops "))
    kitchen_at = next(i for i, line in enumerate(lines) if line.startswith("kitchen "))
    assert ops_at < kitchen_at  # worst first
    assert "extraction drift: pages without main text rose" in health.stdout
    assert "mostly off-topic (0% relevant)" in health.stdout

    async def fetch():
        datasette = build_datasette(db_path, load_lists())
        return (await datasette.client.get("/c/source_scorecard.json?_shape=array")).json()

    cards = asyncio.run(fetch())
    assert [card["source_id"] for card in cards] == ["ops", "kitchen"]
    assert cards[0]["verdict"].startswith("extraction drift:") and cards[0]["documents"] == 6
    assert cards[1]["verdict"] == "mostly off-topic (0% relevant)" and cards[1]["relevant_share"] == 0


def test_a_feed_kept_without_its_pages_by_choice_is_not_without_main_text(tmp_path):
    """A feed source with fetch_pages: false keeps its entries as the feed gives them, by
    choice: its scorecard does not call it "mostly without main text" (every such source of
    real feeds was, full posts included). A feed whose pages answer 404 still is."""
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain")})  # no article pages: every one is a 404
    articles = [dict(a, slug=f"ops-{i}") for i, a in enumerate(ARTICLES[:5])]
    web.routes["/feed.xml"] = Route(rss_feed(web.base_url, articles).encode(), "application/rss+xml")
    web.routes["/other.xml"] = Route(rss_feed(web.base_url + "/other", articles).encode(), "application/rss+xml")
    db_path = tmp_path / "c.db"
    sources = write_sources(tmp_path / "s.yaml", [
        Source("entries", "Entries", "feed", f"{web.base_url}/feed.xml", settings={"fetch_pages": False}),
        Source("gone", "Gone", "feed", f"{web.base_url}/other.xml")])
    with web:
        result = run_prodops("crawl", "--sources", str(sources), "--db", str(db_path), "--allow-private-network", *FAST)
    assert result.returncode == 0, result.stdout + result.stderr
    cards = {row["source_id"]: row for row in sqlite_utils.Database(db_path)["source_scorecards"].rows}
    assert (cards["entries"]["documents"], cards["entries"]["failures"]) == (5, 0)
    assert "without main text" not in cards["entries"]["verdict"], cards["entries"]["verdict"]
    assert "mostly without main text (5 of 5)" in cards["gone"]["verdict"], cards["gone"]["verdict"]


def test_drift_rules_and_verdicts_on_their_own():
    usual = [ExtractionFigures(10, 0, 0, 1, 900.0), ExtractionFigures(12, 1, 0, 0, 1000.0)]
    assert drift_alert(usual, ExtractionFigures(10, 1, 0, 1, 950.0), "2026-11-01") is None
    assert drift_alert(usual, ExtractionFigures(10, 0, 0, 0, 250.0), "2026-11-01") == (
        "median words fell from 950 to 250 (compared with the runs up to 2026-11-01)")
    assert drift_alert(usual, ExtractionFigures(2, 2, 2, 2, None), "2026-11-01") is None  # too few pages
    now = "2026-12-01T00:00:00Z"
    copies = Scorecard("aggregator", documents=10, relevant_share=0.9, copies_share=0.6, copies_of="original")
    assert verdict(copies, None, 0, None, now) == (4, "half copies of original")
    stale = Scorecard("old", documents=10, relevant_share=0.9, copies_share=0.0, newest="2026-05-01T00:00:00Z")
    assert verdict(stale, None, 0, None, now) == (6, "stale for 214 days")
    assert verdict(Scorecard("broken"), "410 Gone on 2026-11-02", 0, None, now)[0] == 0
    assert verdict(Scorecard("fine", documents=3, relevant_share=1.0, copies_share=0.0), None, 0, None,
                   now) == (9, "ok")


def test_every_verdict_at_its_edges():
    now = "2026-12-01T00:00:00Z"

    def card(**values):
        return Scorecard("s", **{"documents": 10, "relevant_share": 0.9, "copies_share": 0.0, **values})

    assert verdict(card(), None, 2, "HTTP 500", now) == (1, "failing 2 time(s) in a row: HTTP 500")
    assert verdict(card(), "gone", 2, "HTTP 410", now) == (0, "disabled: gone")  # disabled says it all
    assert verdict(card(drift="fewer words"), None, 0, None, now) == (2, "extraction drift: fewer words")
    assert verdict(card(relevant_share=0.29), None, 0, None, now) == (3, "mostly off-topic (29% relevant)")
    assert verdict(card(relevant_share=0.3), None, 0, None, now) == (9, "ok")
    assert verdict(card(documents=4, relevant_share=0.0, copies_share=1.0), None, 0, None, now) == (9, "ok")
    assert verdict(card(documents=5, relevant_share=0.0), None, 0, None, now)[0] == 3
    assert verdict(card(copies_share=0.5, copies_of="x"), None, 0, None, now) == (4, "half copies of x")
    assert verdict(card(copies_share=0.49, copies_of="x"), None, 0, None, now) == (9, "ok")
    assert verdict(card(copies_share=0.9, copies_of="x"), None, 0, None, now) == (4, "mostly copies of x")
    assert verdict(card(copies_share=0.89, copies_of="x"), None, 0, None, now) == (4, "half copies of x")
    assert verdict(card(failures=5), None, 0, None, now) == (5, "mostly without main text (5 of 10)")
    assert verdict(card(failures=4), None, 0, None, now) == (9, "ok")
    assert verdict(card(newest="2026-06-04T00:00:00Z"), None, 0, None, now) == (9, "ok")  # 180 days
    assert verdict(card(newest="2026-06-03T00:00:00Z"), None, 0, None, now) == (6, "stale for 181 days")
    assert verdict(card(newest="2026-06-03"), None, 0, None, now) == (6, "stale for 181 days")  # a bare date
    assert verdict(card(newest="not a date"), None, 0, None, now) == (9, "ok")
    assert verdict(card(newest="2026-06-03T00:00:00Z"), None, 0, None, "2026-12-01") == (6, "stale for 181 days")
    assert verdict(card(documents=5, copies_share=0.5, copies_of="x"), None, 0, None, now) == (4, "half copies of x")
    assert verdict(Scorecard("new"), None, 0, None, now) == (7, "no documents yet")
    assert verdict(Scorecard("new"), None, 1, "refused", now) == (1, "failing 1 time(s) in a row: refused")
    several = verdict(card(relevant_share=0.1, failures=9, drift="d"), None, 3, "e", now)
    assert several == (1, "failing 3 time(s) in a row: e; extraction drift: d; mostly off-topic (10% relevant); "
                          "mostly without main text (9 of 10)")


def test_drift_compares_shares_with_the_usual_ones_and_needs_enough_pages():
    usual = [ExtractionFigures(10, 1, 0, 0, 800.0), ExtractionFigures(10, 0, 0, 0, 900.0),
             ExtractionFigures(10, 1, 1, 0, None)]
    since = "2026-11-01T12:00:00Z"
    assert drift_alert(usual, ExtractionFigures(10, 5, 0, 0, 800.0), since) == (
        "pages without main text rose from 10% to 50% (compared with the runs up to 2026-11-01)")
    assert drift_alert(usual, ExtractionFigures(10, 3, 0, 0, 800.0), since) is None  # rose by 0.2 only
    assert drift_alert(usual, ExtractionFigures(10, 0, 3, 0, 800.0), since).startswith(
        "pages without a title rose from 0% to 30%")  # a rise of RISE exactly is one
    twice = [ExtractionFigures(10, 4, 0, 0, 800.0)]
    assert drift_alert(twice, ExtractionFigures(10, 8, 0, 0, 800.0), since).startswith(
        "pages without main text rose from 40% to 80%")  # twice the usual share exactly
    assert drift_alert([ExtractionFigures(10, 5, 0, 0, 800.0)], ExtractionFigures(10, 9, 0, 0, 800.0), since) is None
    assert drift_alert(usual, ExtractionFigures(10, 0, 4, 3, 800.0), since) == (
        "pages without a title rose from 0% to 40%; pages without a date rose from 0% to 30% "
        "(compared with the runs up to 2026-11-01)")
    words = [ExtractionFigures(10, 0, 0, 0, 300.0)]
    assert drift_alert(words, ExtractionFigures(10, 0, 0, 0, 101.0), since) is None  # above a third
    assert drift_alert(words, ExtractionFigures(10, 0, 0, 0, 100.0), since) == (
        "median words fell from 300 to 100 (compared with the runs up to 2026-11-01)")  # a third exactly
    assert drift_alert(usual, ExtractionFigures(10, 0, 0, 0, 283.0), since).startswith(
        "median words fell from 850 to 283")  # the usual words: the median of the runs that had some
    assert drift_alert(usual, ExtractionFigures(3, 0, 0, 0, None), since).startswith(
        "median words fell from 850 to 0")  # pages with text and no words
    assert drift_alert(usual, ExtractionFigures(3, 3, 0, 0, None), since) == (
        "pages without main text rose from 10% to 100% (compared with the runs up to 2026-11-01)")
    assert drift_alert([], ExtractionFigures(10, 10, 10, 10, None), since) is None
    assert ExtractionFigures(0, 0, 0, 0, None).share("no_text") == 0.0


def test_figures_are_recorded_per_run_and_an_alert_lasts_until_a_healthy_run(tmp_path):
    from pipeline import counters
    from pipeline.store.database import open_database
    from pipeline.store.drift import figures_of, record_figures

    db = open_database(tmp_path / "c.db")
    db["sources"].insert({"id": "s"}, pk="id")

    def run(started, extracted, no_text, words, errors=0):
        run_id = db["runs"].insert({"started": started, "status": "finished"}).last_pk
        stat = lambda what: counters.SOURCE.format(source_id="s", what=what)  # noqa: E731
        stats = {stat("extracted"): extracted, stat("no_text"): no_text, stat("no_title"): 0,
                 stat("no_date"): 0, stat("words"): words, stat("errors"): errors}
        return run_id, record_figures(db, run_id, ["s"], stats, started)

    assert figures_of({}, "s") == ExtractionFigures(0, 0, 0, 0, None)  # a counter not kept is 0
    stat = lambda what: counters.SOURCE.format(source_id="s", what=what)  # noqa: E731
    assert figures_of({stat("extracted"): 5, stat("no_text"): 1, stat("no_title"): 2, stat("no_date"): 3,
                       stat("words"): [10, 30]}, "s") == ExtractionFigures(5, 1, 2, 3, 20)
    first, alerts = run("2026-11-01T00:00:00Z", 4, 0, [900, 1000, 1100])
    assert alerts == {} and db["sources"].get("s")["drift"] is None
    row = db["source_runs"].get((first, "s"))
    assert (row["pages"], row["errors"], row["no_text"], row["median_words"], row["alert"]) == (4, 0, 0, 1000, None)
    second, _ = run("2026-11-02T00:00:00Z", 2, 2, [], errors=1)  # too few pages to judge: kept, not compared
    assert db["source_runs"].count == 2
    assert (db["source_runs"].get((second, "s"))["errors"], db["source_runs"].get((second, "s"))["alert"]) == (1, None)
    db["runs"].insert({"started": "2026-11-02T12:00:00Z", "status": "finished"})
    record_figures(db, 99, ["s"], {}, "2026-11-02T12:00:00Z")  # nothing read, no error: no row
    assert db["source_runs"].count == 2
    _, alerts = run("2026-11-03T00:00:00Z", 4, 4, [])
    assert alerts == {"s": "pages without main text rose from 0% to 100% (compared with the runs up to 2026-11-01)"}
    assert db["sources"].get("s")["drift"] == alerts["s"]
    _, alerts = run("2026-11-04T00:00:00Z", 0, 0, [])  # nothing read: the alert stays, no row
    assert alerts == {} and db["sources"].get("s")["drift"] and db["source_runs"].count == 3
    _, alerts = run("2026-11-05T00:00:00Z", 3, 0, [950, 1000, 1050])  # compared with run 1, not the alert
    assert alerts == {} and db["sources"].get("s")["drift"] is None


def test_scorecards_from_the_tables_worst_first(tmp_path):
    from pipeline.store.database import open_database
    from pipeline.store.scorecard import refresh_scorecards

    db = open_database(tmp_path / "c.db")
    now = "2026-12-01T00:00:00Z"
    db["sources"].insert_all([{"id": "orig"}, {"id": "agg", "consecutive_errors": 2, "last_status": "HTTP 503"},
                              {"id": "quiet"}, {"id": "dead", "disabled_reason": "410 Gone"}], pk="id")
    docs = [("o1", "orig", 0.9, 1000, None, "2026-11-20"), ("o2", "orig", 0.8, 2000, None, "2026-11-25"),
            ("o3", "orig", 0.2, 500, "HTTP 404", None), ("a1", "agg", 0.9, 990, None, None),
            ("a2", "agg", None, 0, None, None), ("x1", "unknown", 0.9, 10, None, None)]
    db["documents"].insert_all([{"id": i, "source_id": s, "relevance": r, "word_count": w, "page_error": e,
                                 "published": p, "extracted_by": "trafilatura"} for i, s, r, w, e, p in docs], pk="id")
    db["clusters"].insert({"id": "c", "canonical_id": "o1", "size": 2, "updated": now}, pk="id")
    db.execute("UPDATE documents SET cluster_id = 'c' WHERE id IN ('o1', 'a1')")
    db["source_runs"].insert_all([{"run_id": n, "source_id": "agg", "errors": 1} for n in range(1, 8)]
                                 + [{"run_id": 1, "source_id": "gone-source", "errors": 9},
                                    {"run_id": 1, "source_id": "orig", "errors": None}], pk=("run_id", "source_id"))
    cards = {card.source_id: card for card in refresh_scorecards(db, now)}
    assert list(cards) == ["dead", "agg", "quiet", "orig", "unknown"]
    orig, agg = cards["orig"], cards["agg"]
    assert (orig.documents, orig.relevant_share, orig.copies_share, orig.copies_of, orig.failures,
            orig.median_words, orig.newest, orig.recent_errors, orig.verdict) == (
        3, 2 / 3, 0.0, None, 1, 1000, "2026-11-25", 0, "ok")
    assert (agg.documents, agg.relevant_share, agg.copies_share, agg.copies_of, agg.median_words,
            agg.recent_errors, agg.severity) == (2, 0.5, 0.5, "orig", 990, 5, 1)
    assert agg.verdict == "failing 2 time(s) in a row: HTTP 503"
    assert (cards["quiet"].documents, cards["quiet"].verdict) == (0, "no documents yet")
    assert cards["dead"].verdict == "disabled: 410 Gone"
    assert cards["unknown"].documents == 1  # documents of a source no longer configured still count
    stored = {row["source_id"]: row for row in db["source_scorecards"].rows}
    assert set(stored) == set(cards) and stored["agg"]["updated"] == now and stored["agg"]["copies_of"] == "orig"
    db.execute("DELETE FROM sources WHERE id = 'dead'")
    refresh_scorecards(db, now)
    assert "dead" not in {row["source_id"] for row in db["source_scorecards"].rows}


def test_among_equal_verdicts_the_least_relevant_source_comes_first(tmp_path):
    from pipeline.store.database import open_database
    from pipeline.store.scorecard import scorecards

    db = open_database(tmp_path / "c.db")
    db["sources"].insert_all([{"id": "a-strong"}, {"id": "b-weak"}], pk="id")
    db["documents"].insert_all([{"id": f"{source}{i}", "source_id": source, "relevance": relevance,
                                 "extracted_by": "trafilatura"}
                                for source, relevance in (("a-strong", 0.9), ("b-weak", 0.6)) for i in range(2)])
    db.execute("UPDATE documents SET relevance = 0.1 WHERE id = 'b-weak0'")
    assert [(card.source_id, card.relevant_share, card.verdict) for card in scorecards(db, "2026-12-01T00:00:00Z")] == [
        ("b-weak", 0.5, "ok"), ("a-strong", 1.0, "ok")]
