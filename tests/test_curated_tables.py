"""The curator's tables on a real database, without a crawl: curated lists resolved and
published (pipeline/store/lists.py), labels mirrored (labels.py), link verdicts
(link_checks.py) and the cited hosts suggested as sources (citations.py)."""

from __future__ import annotations

import json

import pytest

from pipeline.config.labels import Label
from pipeline.config.lists import CuratedList
from pipeline.store.citations import suggest_hosts
from pipeline.store.database import open_database
from pipeline.store.documents import save_links
from pipeline.store.labels import document_labels, mirror_labels, save_label, stored_document_id
from pipeline.store.link_checks import checks_for, describe, save_checks
from pipeline.store.lists import publish_lists, resolve
from pipeline.understand.canonical import canonicalize_url, document_id


@pytest.fixture
def db(tmp_path):
    """A new corpus database, migrations applied."""
    return open_database(tmp_path / "c.db")


def url_of(name: str) -> str:
    """The URL of a named test page."""
    return f"https://blog.example/{name}"


def add(db, name: str, relevance: float = 0.9, tags=(), content_type="article", published=None,
        first_seen="2026-01-01T00:00:00Z", cluster_id=None, title=None, source_id="blog") -> str:
    """Store a document as the crawler would key it: its id from its canonical URL."""
    doc_id = document_id(canonicalize_url(url_of(name)))
    db["documents"].insert({"id": doc_id, "url": url_of(name), "title": title or name.title(),
                            "relevance": relevance, "tags": json.dumps(list(tags)), "content_type": content_type,
                            "published": published, "first_seen": first_seen, "cluster_id": cluster_id,
                            "source_id": source_id})
    return doc_id


def titles(items) -> list[str]:
    """The titles of resolved list items, in order."""
    return [item["title"] for item in items]


def test_pins_come_first_in_order_then_the_rules_most_relevant_first(db):
    add(db, "low", 0.6, tags=["roadmaps"])
    add(db, "high", 0.95, tags=["roadmaps"])
    add(db, "pinned", 0.1)
    add(db, "other-topic", 0.99, tags=["hiring"])
    add(db, "third-topic", 0.98, tags=["pricing"])
    assert titles(resolve(db, CuratedList("l", "L", rules={"concepts": ["hiring", "roadmaps"]}))) == [
        "Other-Topic", "High", "Low"]
    curated = CuratedList("l", "L", rules={"concepts": ["roadmaps"]},
                          pinned=[{"url": url_of("pinned"), "note": "start here"},
                                  {"url": url_of("pinned") + "/", "note": "the same page again"},
                                  {"url": url_of("missing"), "note": "not stored"}])
    items = resolve(db, curated)
    assert titles(items) == ["Pinned", "High", "Low"]
    assert [item["note"] for item in items] == ["start here", "", ""]
    assert all(item["link_check"] is None for item in items)


def test_each_rule_narrows_the_list(db):
    add(db, "guide", 0.9, content_type="guide", published="2026-05-01")
    add(db, "old-guide", 0.9, content_type="guide", published="2020-01-01")
    add(db, "weak-guide", 0.4, content_type="guide", published="2026-06-01")
    add(db, "article", 0.9, content_type="article", published="2026-05-02")
    add(db, "undated", 0.8, content_type="guide", first_seen="2026-07-01T00:00:00Z")
    assert titles(resolve(db, CuratedList("l", "L", rules={"types": ["guide"]}))) == [
        "Guide", "Old-Guide", "Undated", "Weak-Guide"]
    assert titles(resolve(db, CuratedList("l", "L", rules={"types": ["guide"], "min_relevance": 0.5}))) == [
        "Guide", "Old-Guide", "Undated"]
    assert titles(resolve(db, CuratedList("l", "L", rules={"min_relevance": 0.9}))) == [
        "Article", "Guide", "Old-Guide"]  # equal relevance: the newest first; 0.9 itself is in
    assert titles(resolve(db, CuratedList("l", "L", rules={"since": "2026-01-01", "types": ["guide"]}))) == [
        "Guide", "Undated", "Weak-Guide"]
    assert titles(resolve(db, CuratedList("l", "L", rules={"types": ["guide"], "limit": 2}))) == ["Guide", "Old-Guide"]
    assert resolve(db, CuratedList("l", "L")) == []  # no rules, no pins: nothing


def test_excluded_urls_and_copies_are_left_out_and_pins_outlast_the_limit(db):
    original = add(db, "original", 0.7, cluster_id="c1")
    add(db, "copy", 0.9, cluster_id="c1")
    db["clusters"].insert({"id": "c1", "canonical_id": original, "size": 2, "updated": "x"}, pk="id")
    add(db, "unwanted", 0.95)
    add(db, "a", 0.5)
    add(db, "b", 0.4)
    curated = CuratedList("l", "L", rules={"min_relevance": 0.0, "limit": 2},
                          excluded=[url_of("unwanted"), url_of("never-stored")])
    assert titles(resolve(db, curated)) == ["Original", "A"]
    pinned = CuratedList("l", "L", rules={"limit": 1},
                         pinned=[{"url": url_of("b"), "note": ""}, {"url": url_of("a"), "note": ""},
                                 {"url": url_of("unwanted"), "note": "excluded wins"}],
                         excluded=[url_of("unwanted")])
    assert titles(resolve(db, pinned)) == ["B", "A"]  # every pin kept, the rules add none


def test_a_list_item_carries_its_links_latest_check(db):
    add(db, "gone")
    save_checks(db, [{"url": url_of("gone"), "checked_at": "2026-12-01T10:00:00Z", "verdict": "gone",
                      "http_status": 404, "detail": "HTTP 404", "ignored": "not a column"}])
    [item] = resolve(db, CuratedList("l", "L", pinned=[{"url": url_of("gone"), "note": ""}]))
    assert item["link_check"]["verdict"] == "gone" and item["link_check"]["http_status"] == 404
    assert describe(item["link_check"]) == "link gone: HTTP 404 (checked 2026-12-01)"


def test_link_verdicts_are_replaced_and_described_only_when_not_ok(db):
    save_checks(db, [{"url": "u1", "checked_at": "2026-12-01T00:00:00Z", "verdict": "gone", "detail": "x"}])
    save_checks(db, [{"url": "u1", "checked_at": "2026-12-02T00:00:00Z", "verdict": "ok"},
                     {"url": "u2", "checked_at": "2026-12-03T00:00:00Z", "verdict": "moved"}])
    found = checks_for(db, ["u1", "u2", "u3"])
    assert set(found) == {"u1", "u2"} and found["u1"]["verdict"] == "ok" and found["u1"]["detail"] is None
    assert describe(found["u1"]) == "" and describe(None) == ""
    assert describe(found["u2"]) == "link moved (checked 2026-12-03)"
    many = [f"https://x.example/{i}" for i in range(1200)]  # past SQLite's bound-parameter limit
    save_checks(db, [{"url": url, "checked_at": "t", "verdict": "ok"} for url in many])
    assert len(checks_for(db, many)) == 1200


def test_publishing_lists_mirrors_them_and_their_items_in_order(db):
    add(db, "one", 0.9, tags=["roadmaps"])
    add(db, "two", 0.8, tags=["roadmaps"])
    publish_lists(db, [CuratedList("road", "Roadmaps", "Plans", rules={"min_relevance": 0, "concepts": ["roadmaps"]}),
                       CuratedList("empty", "Empty")])
    assert [(row["slug"], row["title"], row["description"], row["rules"]) for row in db["lists"].rows] == [
        ("road", "Roadmaps", "Plans", '{"concepts": ["roadmaps"], "min_relevance": 0}'), ("empty", "Empty", "", "{}")]
    assert [(row["list_slug"], row["position"], row["note"]) for row in db["list_items"].rows] == [
        ("road", 1, ""), ("road", 2, "")]
    publish_lists(db, [])  # a list removed from the file goes from the tables
    assert db["lists"].count == 0 and db["list_items"].count == 0


def test_labels_are_mirrored_with_the_lists_pins_and_exclusions_the_curators_own_winning(db):
    kept = add(db, "kept")
    add(db, "dropped")
    lists = [CuratedList("l", "L", pinned=[{"url": url_of("kept"), "note": ""}],
                         excluded=[url_of("dropped"), url_of("future")])]
    labels = [Label(url_of("dropped"), True, ["roadmaps"], ["hiring"], "2026-11-02T00:00:00Z")]
    assert mirror_labels(db, labels, lists) == 3
    rows = {row["url"]: row for row in db["labels"].rows}
    assert (rows[url_of("kept")]["relevant"], rows[url_of("kept")]["origin"]) == (1, "list-pin")
    assert rows[url_of("kept")]["document_id"] == kept
    assert (rows[url_of("future")]["relevant"], rows[url_of("future")]["document_id"],
            rows[url_of("future")]["origin"]) == (0, None, "list-excluded")
    dropped = rows[url_of("dropped")]
    assert (dropped["relevant"], dropped["origin"], json.loads(dropped["concepts"]),
            json.loads(dropped["not_concepts"])) == (1, "curator", ["roadmaps"], ["hiring"])
    assert mirror_labels(db, []) == 0 and db["labels"].count == 0


def test_document_labels_are_those_of_stored_documents_the_last_labelled_winning(db):
    doc = add(db, "page")
    save_label(db, Label(url_of("page"), False, labelled_at="2026-11-01T00:00:00Z"), doc)
    save_label(db, Label(url_of("page") + "?utm_source=x", None, ["roadmaps"], labelled_at="2026-11-02T00:00:00Z"), doc)
    save_label(db, Label(url_of("elsewhere"), True, labelled_at="2026-11-03T00:00:00Z"), "not-stored")
    mirror = {row["url"]: row["document_id"] for row in db["labels"].rows}
    assert mirror[url_of("page")] == doc
    found = document_labels(db)
    assert found[doc] == Label(url_of("page") + "?utm_source=x", None, ["roadmaps"], [], "2026-11-02T00:00:00Z",
                               "curator")
    assert found["not-stored"].relevant is True
    assert stored_document_id(db, url_of("page")) == doc
    assert stored_document_id(db, url_of("absent")) is None


def cite(db, citing: str, relevance: float, *urls: str) -> None:
    """Store a document that cites these URLs from its main text."""
    doc = add(db, citing, relevance, title=citing)
    save_links(db, doc, [(url, "anchor") for url in urls])


def test_hosts_cited_by_enough_relevant_documents_are_suggested_best_first(db):
    for i in range(3):
        cite(db, f"r{i}", 0.9, "https://cited.example/a", "https://cited.example/b", "http://www.plain.example/x")
    cite(db, "r3", 0.5, "https://cited.example/c")
    cite(db, "off-topic", 0.49, "https://noise.example/1", "https://noise.example/2", "https://noise.example/3")
    cite(db, "n2", 0.2, "https://noise.example/4")
    cite(db, "n3", 0.2, "https://noise.example/5")
    db["sources"].insert({"id": "followed", "host": "followed.example"}, pk="id")
    for i in range(3):
        cite(db, f"f{i}", 0.9, "https://followed.example/p")
    found = suggest_hosts(db)
    assert [(s.host, s.citations, s.score, s.scheme) for s in found] == [
        ("cited.example", 4, 3.2, "https"), ("plain.example", 3, 2.7, "http")]
    assert found[0].examples == ["r0", "r1", "r2"]  # the most relevant first, three at most
    assert found[0].as_json() == {"host": "cited.example", "citations": 4, "score": 3.2,
                                  "examples": ["r0", "r1", "r2"], "feed": None}
    assert [s.host for s in suggest_hosts(db, exclude={"cited.example"})] == ["plain.example"]
    assert [s.host for s in suggest_hosts(db, limit=1)] == ["cited.example"]
    assert [s.host for s in suggest_hosts(db, min_citations=4)] == ["cited.example"]


def test_suggestions_are_twenty_at_most_and_excluded_hosts_do_not_take_a_place(db):
    cite(db, "wide", 0.9, *[f"https://host{i:02}.example/a" for i in range(25)])
    found = suggest_hosts(db, min_citations=1)
    assert len(found) == 20
    assert [s.host for s in suggest_hosts(db, exclude={"host00.example"}, limit=1, min_citations=1)] == [
        "host01.example"]


def test_a_suggestion_takes_its_scheme_and_untitled_examples_by_their_url(db):
    doc = add(db, "untitled", 0.9)
    db.execute("UPDATE documents SET title = NULL WHERE id = ?", [doc])
    save_links(db, doc, [("http://ported.example:8080/a", "a")])
    [found] = suggest_hosts(db, min_citations=1)
    assert (found.host, found.scheme, found.examples) == ("ported.example:8080", "http", [url_of("untitled")])


CONCEPTS = {"roadmaps", "hiring"}


@pytest.mark.parametrize("judgement, message", [
    ({"relevant": None}, "say what you judge: relevant or not, and/or concepts it is or is not about"),
    ({"relevant": True, "concepts": ["pricing"]}, "no concept 'pricing' in the taxonomy; one of: hiring, roadmaps"),
    ({"relevant": None, "not_concepts": ["pricing"]}, "no concept 'pricing' in the taxonomy"),
    ({"relevant": None, "concepts": ["roadmaps"], "not_concepts": ["roadmaps"]},
     "concept 'roadmaps' given as about and as not about"),
])
def test_a_judgement_that_cannot_be_recorded_writes_nothing(db, tmp_path, judgement, message):
    from pipeline.store.labels import JudgementError, record_label

    add(db, "page")
    labels_file = tmp_path / "labels.yaml"
    with pytest.raises(JudgementError) as raised:
        record_label(db, labels_file, CONCEPTS, url_of("page"), **judgement)
    assert str(raised.value).startswith(message)
    assert not labels_file.exists() and db["labels"].count == 0


def test_a_judgement_of_a_document_not_stored_is_refused(db, tmp_path):
    from pipeline.store.labels import JudgementError, record_label

    with pytest.raises(JudgementError, match=r"no stored document for https://blog.example/absent; crawl it first"):
        record_label(db, tmp_path / "labels.yaml", CONCEPTS, url_of("absent"), True)
    assert db["labels"].count == 0 and not (tmp_path / "labels.yaml").exists()


def test_a_judgement_is_recorded_in_the_file_and_the_table_with_who_judged(db, tmp_path):
    from pipeline.config.labels import load_labels
    from pipeline.store.labels import record_label

    doc = add(db, "page")
    labels_file = tmp_path / "labels.yaml"
    entry = record_label(db, labels_file, CONCEPTS, url_of("page"), False, concepts=["hiring", "hiring"],
                         not_concepts=["roadmaps"], by="ana")
    assert (entry.url, entry.relevant, entry.concepts, entry.not_concepts, entry.by) == (
        url_of("page"), False, ["hiring"], ["roadmaps"], "ana")
    assert entry.labelled_at
    row = db["labels"].get(url_of("page"))
    assert (row["document_id"], row["relevant"], json.loads(row["concepts"]), json.loads(row["not_concepts"])) == (
        doc, 0, ["hiring"], ["roadmaps"])
    [saved] = load_labels(labels_file, CONCEPTS)
    assert (saved.url, saved.relevant, saved.concepts, saved.not_concepts) == (url_of("page"), False, ["hiring"],
                                                                               ["roadmaps"])
    record_label(db, labels_file, CONCEPTS, url_of("page"), True)  # judged again: the file keeps both
    assert labels_file.read_text().count(url_of("page")) == 2
    assert [label.relevant for label in load_labels(labels_file, CONCEPTS)] == [True]  # the latest counts
    assert db["labels"].get(url_of("page"))["relevant"] == 1
