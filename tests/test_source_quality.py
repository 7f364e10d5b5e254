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
    assert verdict(Scorecard("fine", documents=3, relevant_share=1.0, copies_share=0.0), None, 0, None, now) == (9, "ok")
