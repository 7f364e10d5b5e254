"""Entities: the tools, frameworks and methods a document names (data/entities.yaml), stored
in `entities`, faceted and filtered on the site, refreshed by `prodops retag`."""

from __future__ import annotations

import json

import sqlite_utils
from conftest import crawl_page, run_prodops
from test_datasette import get

from pipeline.config.entities import load_entities
from pipeline.understand.entities import find_entities

PAGE = """<html><head><title>How we prioritise with RICE in Productboard</title></head><body><article>
<h1>How we prioritise with RICE in Productboard</h1>
<p>Every idea lands in Productboard, where we score it with RICE before planning. The winners move to
Jira for delivery, and we check each quarter's OKRs against what shipped.</p>
<p>We tried the Kano model once; it took too long. Linear growth in requests means the notion of a single
backlog owner matters: slack in the plan is deliberate, and nobody is on Slack all day.</p>
<p>Our research team runs Jobs to be Done interviews and files them in Dovetail for everyone to read.</p>
</article></body></html>"""


def test_entities_match_whole_names_with_the_taxonomys_case_rules():
    entities = tuple(load_entities())
    assert len(entities) >= 60
    found = find_entities(entities, "RICE and OKRs", "", "Jira, the Kano model, linear growth, an aha moment, "
                          "a notion, slack time, ice cream and rice pudding")
    assert found == ["Jira", "Kano model", "OKR", "RICE"]  # common words are not tools


def test_a_crawl_stores_entities_the_site_facets_and_filters_them_and_retag_refreshes_them(tmp_path):
    _, row = crawl_page(tmp_path, PAGE, "prodops.db")
    assert json.loads(row["entities"]) == ["Dovetail", "Jira", "Jobs to be Done", "Kano model", "OKR",
                                           "Productboard", "RICE", "Slack"]

    search, filtered, none, table = get(
        tmp_path / "prodops.db", "/-/search.json?q=backlog", "/-/search.json?q=backlog&entities=RICE",
        "/-/search.json?q=backlog&entities=Miro", "/prodops/documents.json?_facet_array=entities")
    facet = {item["value"]: item["count"] for item in search.json()["facets"]["entities"]}
    assert facet["RICE"] == 1 and facet["Jira"] == 1
    assert filtered.json()["count"] == 1 and none.json()["count"] == 0
    assert {f["value"] for f in table.json()["facet_results"]["entities"]["results"]} >= {"RICE", "Jira"}

    entities = tmp_path / "entities.yaml"
    entities.write_text("entities:\n  - {name: Backlog, kind: method, aliases: [backlog owner]}\n")
    retag = run_prodops("retag", "--db", str(tmp_path / "prodops.db"), "--entities", str(entities),
                        "--labels", str(tmp_path / "none.yaml"), "--lists", "")
    assert retag.returncode == 0, retag.stderr
    [row] = sqlite_utils.Database(tmp_path / "prodops.db")["documents"].rows
    assert json.loads(row["entities"]) == ["Backlog"]


def test_a_bad_entities_file_is_reported_like_a_bad_taxonomy(tmp_path):
    bad = tmp_path / "entities.yaml"
    cases = [
        ("entities:\n  - {name: Jira, kind: gadget}\n", "entity #1 (Jira): field 'kind'"),
        ("entities:\n  - {kind: tool}\n", "entity #1: expected a mapping with a 'name'"),
        ("entities:\n  - {name: Jira, kind: tool, aliases: Jira Software}\n", "field 'aliases'"),
        ("entities:\n  - {name: Jira, kind: tool}\n  - {name: jira, kind: tool}\n", "a second entry"),
        ("entities: nope\n", "expected a mapping with an 'entities' list"),
    ]
    for text, message in cases:
        bad.write_text(text)
        result = run_prodops("retag", "--db", str(tmp_path / "prodops.db"), "--entities", str(bad))
        assert result.returncode == 2, (text, result.stdout, result.stderr)
        assert message in result.stderr and str(bad) in result.stderr and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
