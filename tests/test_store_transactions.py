"""Saving documents on a real database, rule by rule: what a new, an unchanged, an updated
and a feed-only save each write, the sightings, links and validators written in the same
transaction, and the exact-copy clusters (pipeline/store/documents.py, clusters.py).

test_storage.py shows a failed save leaves nothing half written; these pin what each
successful save leaves, so that a changed rule fails a test in milliseconds.
"""

from __future__ import annotations

import pytest

from feeds.entries import EntryHints
from pipeline.items import Extraction, Page
from pipeline.store.database import open_database
from pipeline.store.documents import (
    FROM_FEED,
    DocumentWrite,
    Fetched,
    document_id_for_url,
    document_row,
    link_documents,
    page_error,
    record_sighting_of_url,
    save_document,
    touch_document,
    touch_linked_files,
    year_of,
)
from pipeline.store.validators import lookup
from pipeline.understand.canonical import canonicalize_url, document_id

DAY1, DAY2, DAY3 = "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z", "2026-11-03T00:00:00Z"


@pytest.fixture
def db(tmp_path):
    """A new corpus database, migrations applied."""
    return open_database(tmp_path / "c.db")


def page(url="https://blog.example/a", text="Product ops keeps the roadmap honest.", extracted=True,
         source_id="blog", found_via="feed", hints=None, **extraction) -> Page:
    """A processed page as the stages hand it to the store."""
    canonical = canonicalize_url(url)
    return Page(
        url=url, source_id=source_id, found_via=found_via, final_url=url, status=200 if extracted else 404,
        content_type="text/html", canonical_url=canonical, doc_id=document_id(canonical),
        hints=hints if hints is not None else EntryHints(title="A", summary="Short summary."),
        extraction=Extraction(text=text, extractor="trafilatura 2", **extraction) if extracted else None,
        fetch_error=None if extracted else "HTTP 404",
    )


def stored(db, p: Page) -> dict:
    """The stored row of a page's document."""
    return db["documents"].get(p.doc_id)


def test_the_row_takes_the_feeds_values_first_and_the_pages_for_the_gaps():
    p = page(author="Page Author", published="2025-02-03", sitename="Blog", language="en",
             description="The page's own description.", page_count=None,
             hints=EntryHints(title="Feed Title", summary="Feed summary.", author="Feed Author",
                              categories=["ops\x01", "roadmaps"]))
    row = document_row(p)
    assert (row["title"], row["author"], row["published"], row["year"]) == ("Feed Title", "Feed Author",
                                                                            "2025-02-03", 2025)
    assert (row["sitename"], row["language"], row["description"]) == ("Blog", "en", "The page's own description.")
    assert (row["url"], row["id"], row["source_id"], row["found_via"]) == (p.canonical_url, p.doc_id, "blog", "feed")
    assert (row["fetched_url"], row["http_status"], row["media_type"], row["extracted_by"]) == (
        "https://blog.example/a", 200, "text/html", "trafilatura 2")
    assert row["categories"] == '["ops", "roadmaps"]'  # a control character cannot go into a feed
    assert (row["word_count"], row["page_error"]) == (6, None)
    untitled = document_row(page(title="The Page's Title", hints=EntryHints()))
    assert (untitled["title"], untitled["description"], untitled["author"]) == ("The Page's Title", None, None)
    anchored = document_row(page(hints=EntryHints(anchor="Link text")))
    assert anchored["title"] == "Link text"


def test_a_page_without_text_is_described_by_its_feed_entry_or_not_kept():
    fallback = document_row(page(extracted=False, hints=EntryHints(title="T", content="Entry content.",
                                                                   summary="Entry summary.")))
    assert (fallback["text"], fallback["extracted_by"], fallback["page_error"]) == ("Entry content.", FROM_FEED,
                                                                                    "HTTP 404")
    summary_only = document_row(page(extracted=False, hints=EntryHints(title="T", summary="Entry summary.")))
    assert summary_only["text"] == "Entry summary." and summary_only["description"] == "Entry summary."
    titled = document_row(page(extracted=False, hints=EntryHints(title="Only a title")))
    assert (titled["text"], titled["content_hash"], titled["word_count"]) == ("", None, 0)
    assert document_row(page(extracted=False, hints=EntryHints())) is None
    assert document_row(page(text="  \n ", hints=EntryHints())) is None
    assert document_row(page(text="\x00\x01", hints=EntryHints())) is None  # nothing left once XML-safe


def test_why_a_page_was_not_used():
    assert page_error(page()) is None
    assert page_error(page(extracted=False)) == "HTTP 404"
    unread = page()
    unread.extraction, unread.extraction_error = None, "PDF is encrypted"
    assert page_error(unread) == "PDF is encrypted"
    unread.extraction_error = None
    assert page_error(unread) == "no main text found in the page (text/html)"
    unread.content_type = ""
    assert page_error(unread) == "no main text found in the page (unknown type)"
    unread.status = 0
    assert page_error(unread) is None  # nothing fetched: the feed entry is all there was


def test_the_year_is_the_year_published_else_the_year_first_seen():
    assert year_of("2024-05-01") == 2024
    assert year_of(None, "2026-11-01T00:00:00Z") == 2026
    assert year_of("May 2024", "2026-11-01") == 2026
    assert year_of("", None) is None


def test_a_new_document_records_when_and_a_sighting_with_where_the_link_was(db):
    p = page(published="2024-05-01")
    context = {"anchor": "A great \x07post", "section": "Reading"}
    assert save_document(db, DocumentWrite(document_row(p), "https://blog.example/a?ref=x", DAY1,
                                           context=context)) == "new"
    row = stored(db, p)
    assert (row["first_seen"], row["last_seen"], row["updated"], row["year"]) == (DAY1, DAY1, DAY1, 2024)
    [sighting] = db["sightings"].rows
    assert (sighting["document_id"], sighting["source_id"], sighting["url"], sighting["found_via"],
            sighting["first_seen"], sighting["last_seen"], sighting["anchor"], sighting["section"]) == (
        p.doc_id, "blog", "https://blog.example/a?ref=x", "feed", DAY1, DAY1, "A great post", "Reading")
    undated = page("https://blog.example/b")
    save_document(db, DocumentWrite(document_row(undated), undated.url, DAY1))
    assert stored(db, undated)["year"] == 2026  # the year it was first seen


def test_seen_again_the_sighting_keeps_its_context_unless_a_new_one_is_given(db):
    p = page()
    save_document(db, DocumentWrite(document_row(p), p.url, DAY1, context={"anchor": "first", "section": None}))
    save_document(db, DocumentWrite(document_row(p), p.url, DAY2))
    save_document(db, DocumentWrite(document_row(p), p.url, DAY3, context={"anchor": None, "section": "Later"}))
    [sighting] = db["sightings"].rows
    assert (sighting["first_seen"], sighting["last_seen"], sighting["anchor"], sighting["section"]) == (
        DAY1, DAY3, "first", "Later")


def test_unchanged_moves_last_seen_and_the_fetch_facts_only(db):
    p = page()
    save_document(db, DocumentWrite(document_row(p), p.url, DAY1))
    again = document_row(p)
    again["fetched_url"], again["http_status"] = "https://blog.example/a?moved", 203
    assert save_document(db, DocumentWrite(again, p.url, DAY2)) == "unchanged"
    row = stored(db, p)
    assert (row["first_seen"], row["last_seen"], row["updated"]) == (DAY1, DAY2, DAY1)
    assert (row["fetched_url"], row["http_status"]) == ("https://blog.example/a?moved", 203)


def test_an_update_keeps_who_found_it_first_and_its_year_from_first_seen(db):
    first = page(published="2024-05-01", source_id="blog", found_via="feed")
    save_document(db, DocumentWrite(document_row(first), first.url, DAY1))
    later = page(text="A rewritten text.", source_id="aggregator", found_via="sitemap")
    assert save_document(db, DocumentWrite(document_row(later), later.url, "2027-01-05T00:00:00Z")) == "updated"
    row = stored(db, later)
    assert (row["source_id"], row["found_via"], row["text"]) == ("blog", "feed", "A rewritten text.")
    assert (row["first_seen"], row["last_seen"], row["updated"]) == (DAY1, "2027-01-05T00:00:00Z",
                                                                     "2027-01-05T00:00:00Z")
    assert row["year"] == 2026  # no date published any more: the year first seen, not the year now
    dated = page(text="Dated again.", published="2023-01-01")
    save_document(db, DocumentWrite(document_row(dated), dated.url, DAY3))
    assert stored(db, dated)["year"] == 2023


def test_a_change_in_any_content_field_is_an_update(db):
    p = page()
    # The stages (classify, tag) add these before a page is saved.
    base = {**document_row(p), "tags": "[]", "relevance": 0.5, "content_type": "article", "gated": 0}
    save_document(db, DocumentWrite(base, p.url, DAY1))
    for name, value in (("title", "New title"), ("author", "Someone"), ("relevance", 0.7), ("tags", '["x"]'),
                        ("content_type", "guide"), ("gated", 1), ("language", "fr"), ("categories", '["c"]')):
        assert save_document(db, DocumentWrite({**base, name: value}, p.url, DAY2)) == "updated", name
        assert stored(db, p)[name] == value
    # Back to base: the categories change back; then only word_count, not a content field, changes.
    assert save_document(db, DocumentWrite({**base, "word_count": 99}, p.url, DAY3)) == "updated"
    assert save_document(db, DocumentWrite({**base, "word_count": 98}, p.url, DAY3)) == "unchanged"


def test_a_feed_only_fallback_keeps_the_text_and_links_but_records_the_error(db):
    p = page()
    save_document(db, DocumentWrite(document_row(p), p.url, DAY1, links=[("https://cited.example/x", "x")]))
    fallback = page(extracted=False, hints=EntryHints(title="A", content="Only the entry."))
    assert save_document(db, DocumentWrite(document_row(fallback), p.url, DAY2, links=[])) == "unchanged"
    row = stored(db, p)
    assert (row["text"], row["page_error"], row["last_seen"]) == ("Product ops keeps the roadmap honest.",
                                                                  "HTTP 404", DAY2)
    assert [link["url"] for link in db["links"].rows] == ["https://cited.example/x"]
    assert row["links_found"] == 1


def test_links_are_replaced_on_a_new_read_and_left_when_not_given(db):
    p = page()
    save_document(db, DocumentWrite(document_row(p), p.url, DAY1,
                                    links=[("https://www.cited.example/x", "x"), ("https://other.example/y", "y")]))
    rows = sorted((link["url"], link["host"], link["anchor"]) for link in db["links"].rows)
    assert rows == [("https://other.example/y", "other.example", "y"),
                    ("https://www.cited.example/x", "cited.example", "x")]
    save_document(db, DocumentWrite(document_row(p), p.url, DAY2))  # links=None: not read this time
    assert db["links"].count == 2
    save_document(db, DocumentWrite(document_row(p), p.url, DAY3, links=[("https://third.example/z", "z")]))
    assert [link["url"] for link in db["links"].rows] == ["https://third.example/z"]
    assert stored(db, p)["links_found"] == 1


def test_validators_are_saved_with_the_document_and_its_pdf_links(db):
    p = page()
    headers = {"etag": '"v1"', "last-modified": "Sun, 01 Nov 2026 00:00:00 GMT"}
    save_document(db, DocumentWrite(document_row(p), p.url, DAY1,
                                    fetched=Fetched(headers, "hash1", ["https://blog.example/a.pdf"])))
    found = lookup(db.conn, p.url)
    assert (found.etag, found.last_modified, found.body_hash, found.document_id, found.links, found.links_kind) == (
        '"v1"', "Sun, 01 Nov 2026 00:00:00 GMT", "hash1", p.doc_id, ("https://blog.example/a.pdf",), "pdfs")
    save_document(db, DocumentWrite(document_row(p), p.url, DAY2, fetched=Fetched({}, "hash2", [])))
    found = lookup(db.conn, p.url)
    assert (found.etag, found.body_hash, found.links, found.links_kind) == (
        None, "hash2", ("https://blog.example/a.pdf",), "pdfs")  # no PDFs this time: the links are kept
    assert db["validators"].get(p.url)["checked"] == DAY2


def test_exact_copies_share_a_cluster_whose_canonical_copy_is_the_original(db):
    text = "The same article, republished word for word."
    original = page("https://blog.example/post", text=text, published="2026-01-02")
    copy = page("https://medium.com/@someone/post", text=text, published="2026-01-01")
    other = page("https://blog.example/other", text="Something else entirely.")
    for p in (original, copy, other):
        save_document(db, DocumentWrite(document_row(p), p.url, DAY1))
    assert stored(db, copy)["cluster_id"] == stored(db, original)["cluster_id"] == original.doc_id
    [cluster] = db["clusters"].rows
    assert (cluster["canonical_id"], cluster["size"]) == (original.doc_id, 2)  # an aggregator's copy never
    assert stored(db, other)["cluster_id"] == other.doc_id  # alone: its own cluster, no row
    save_document(db, DocumentWrite(document_row(copy), copy.url, DAY2))  # unchanged: its cluster is not recomputed
    assert db["clusters"].get(original.doc_id)["updated"] == DAY1
    # The copy rewritten: it leaves, and a cluster of one is no cluster.
    save_document(db, DocumentWrite(document_row(page(copy.url, text="Now a different text.")), copy.url, DAY2))
    assert db["clusters"].count == 0
    assert stored(db, copy)["cluster_id"] == copy.doc_id


def test_a_longer_copy_published_the_same_day_is_the_canonical_one(db):
    # The shorter copy has the smaller id, so that only the length can pick the longer one.
    short = page("https://b.example/post", text="Roadmaps in product operations, briefly.", published="2026-01-01")
    longer = page("https://a.example/post", text=short.extraction.text + " And more.", published="2026-01-01")
    assert short.doc_id < longer.doc_id
    for p in (short, longer):
        save_document(db, DocumentWrite({**document_row(p), "content_hash": "same"}, p.url, DAY1))
    assert [(c["canonical_id"], c["size"]) for c in db["clusters"].rows] == [(longer.doc_id, 2)]


def test_the_first_saved_copy_rewritten_leaves_its_cluster_too(db):
    text = "The same article, republished word for word."
    first, second = page("https://a.example/post", text=text), page("https://b.example/post", text=text)
    for p in (first, second):
        save_document(db, DocumentWrite(document_row(p), p.url, DAY1))
    save_document(db, DocumentWrite(document_row(page(first.url, text="Now a different text.")), first.url, DAY2))
    assert db["clusters"].count == 0


def test_an_unchanged_document_stored_without_a_cluster_gets_one(db):
    p = page()
    save_document(db, DocumentWrite(document_row(p), p.url, DAY1))
    db.execute("UPDATE documents SET cluster_id = NULL")  # as stored by a version before clusters
    assert save_document(db, DocumentWrite(document_row(p), p.url, DAY2)) == "unchanged"
    assert stored(db, p)["cluster_id"] == p.doc_id


def test_seeing_a_stored_document_again_without_saving_it(db):
    p = page()
    assert touch_document(db, p.doc_id, "blog", p.url, "feed", DAY1) is False
    save_document(db, DocumentWrite(document_row(p), p.url, DAY1))
    assert touch_document(db, p.doc_id, "list", "https://list.example/#a", "list", DAY2) is True
    assert stored(db, p)["last_seen"] == DAY2
    assert {(s["source_id"], s["url"]) for s in db["sightings"].rows} == {("blog", p.url),
                                                                         ("list", "https://list.example/#a")}
    seen = db["sightings"].get((p.doc_id, "list", "https://list.example/#a"))
    assert (seen["found_via"], seen["first_seen"], seen["last_seen"]) == ("list", DAY2, DAY2)
    assert record_sighting_of_url(db, "https://blog.example/a/?utm_source=x", "lists", "list", DAY3,
                                  context={"anchor": "Pinned", "section": None}) is True
    sighting = db["sightings"].get((p.doc_id, "lists", "https://blog.example/a/?utm_source=x"))
    assert (sighting["anchor"], sighting["last_seen"], sighting["found_via"]) == ("Pinned", DAY3, "list")
    assert record_sighting_of_url(db, "https://blog.example/not-stored", "lists", "list", DAY3) is False


def test_a_url_leads_to_the_document_it_was_last_seen_as(db):
    p = page("https://blog.example/final")
    save_document(db, DocumentWrite(document_row(p), "https://blog.example/old-path", DAY1))
    assert document_id_for_url(db, "https://blog.example/old-path") == p.doc_id  # a redirect, remembered
    assert document_id_for_url(db, "https://blog.example/else/") == document_id("https://blog.example/else")


def test_a_landing_page_and_its_pdf_are_linked_both_ways_and_seen_together(db):
    landing, pdf = page("https://blog.example/report"), page("https://blog.example/report.pdf")
    for p in (landing, pdf):
        save_document(db, DocumentWrite(document_row(p), p.url, DAY1))
    link_documents(db, landing.doc_id, pdf.doc_id)
    link_documents(db, landing.doc_id, pdf.doc_id)  # again: no duplicate
    assert sorted((r["from_id"], r["to_id"], r["relation"]) for r in db["document_links"].rows) == sorted([
        (landing.doc_id, pdf.doc_id, "pdf"), (pdf.doc_id, landing.doc_id, "landing-page")])
    assert touch_linked_files(db, landing.doc_id, DAY2) == [pdf.doc_id]
    assert stored(db, pdf)["last_seen"] == DAY2 and stored(db, landing)["last_seen"] == DAY1
    assert touch_linked_files(db, pdf.doc_id, DAY3) == []  # the landing page is not a file of the PDF


def test_near_copies_are_found_by_signature_and_a_bridge_joins_two_clusters(db):
    from pipeline.understand.signatures import signature

    words = ("Product operations keeps the roadmap honest, the planning cadence steady and the tools few; "
             "it owns the rituals that connect strategy to delivery and the data that says what shipped. ") * 3
    near = page("https://a.example/post", text=words + "First ending.")
    near_too = page("https://b.example/post", text=words + "Second ending.")
    for p in (near, near_too):
        save_document(db, DocumentWrite(document_row(p), p.url, DAY1, signature=signature(p.extraction.text)))
    assert stored(db, near)["cluster_id"] == stored(db, near_too)["cluster_id"] == near.doc_id
    assert db["minhashes"].count == 2 and db["minhash_bands"].count > 0
    # Two exact-copy pairs, then a document that is an exact copy of one and a near copy of the other.
    one = page("https://c.example/x", text="Alpha text, the same twice.")
    one_copy = page("https://d.example/x", text="Alpha text, the same twice.")
    for p in (one, one_copy):
        save_document(db, DocumentWrite(document_row(p), p.url, DAY1))
    bridge = page("https://e.example/x", text="Alpha text, the same twice.")
    bridge_row = document_row(bridge)
    save_document(db, DocumentWrite(bridge_row, bridge.url, DAY2, signature=signature(near.extraction.text)))
    clusters = {stored(db, p)["cluster_id"] for p in (near, near_too, one, one_copy, bridge)}
    assert len(clusters) == 1
    [cluster] = db["clusters"].rows
    assert (cluster["id"], cluster["size"], cluster["updated"]) == (min(clusters), 5, DAY2)
    assert db["clusters"].count == 1  # the merged cluster's row is gone


def test_the_canonical_copy_is_the_earliest_by_date_published_else_first_seen(db):
    text = "Identical words in three places."
    undated = page("https://a.example/x", text=text)
    dated = page("https://b.example/x", text=text, published="2026-10-31")
    save_document(db, DocumentWrite(document_row(undated), undated.url, "2026-10-01T00:00:00Z"))
    save_document(db, DocumentWrite(document_row(dated), dated.url, DAY1))
    assert db["clusters"].get(undated.doc_id)["canonical_id"] == undated.doc_id  # seen 2026-10-01, before
    earlier = page("https://c.example/x", text=text, published="2026-09-01")
    save_document(db, DocumentWrite(document_row(earlier), earlier.url, DAY2))
    assert db["clusters"].get(undated.doc_id)["canonical_id"] == earlier.doc_id


def test_a_near_copy_is_one_whose_signature_agrees_on_half_the_positions_or_more(db):
    import numpy as np

    from pipeline.store.clusters import similar_documents
    from pipeline.understand.signatures import SIMILARITY, band_keys

    assert SIMILARITY == 0.5
    sig = np.arange(96, dtype=np.uint32)
    half, less = sig.copy(), sig.copy()
    half[48:] += 1000  # agrees on 48 of 96 positions: exactly SIMILARITY
    less[47:] += 1000  # on 47
    for doc, other in (("half", half), ("less", less)):
        db.execute("INSERT INTO minhashes (document_id, signature) VALUES (?, ?)", [doc, other.tobytes()])
        db.conn.executemany("INSERT INTO minhash_bands (band, key, document_id) VALUES (?, ?, ?)",
                            [(band, key, doc) for band, key in enumerate(band_keys(other))])
    assert similar_documents(db, sig, band_keys(sig), exclude=set()) == {"half"}
    assert similar_documents(db, sig, band_keys(sig), exclude={"half"}) == set()


def test_the_copies_a_cluster_s_namesake_leaves_stay_together(db):
    text = "The same article, republished word for word, three times."
    copies = [page(f"https://{host}.example/post", text=text) for host in ("a", "b", "c")]
    for p in copies:
        save_document(db, DocumentWrite(document_row(p), p.url, DAY1))
    namesake = copies[0]  # the first saved: the cluster is named after it
    assert {stored(db, p)["cluster_id"] for p in copies} == {namesake.doc_id}
    save_document(db, DocumentWrite(document_row(page(namesake.url, text="Now a different text.")), namesake.url, DAY2))
    rest = sorted(p.doc_id for p in copies if p is not namesake)
    assert [(c["id"], c["size"]) for c in db["clusters"].rows] == [(rest[0], 2)]
    assert {stored(db, p)["cluster_id"] for p in copies if p is not namesake} == {rest[0]}
