"""What the store keeps of each fetch, on a real database: the validators for conditional
GET (pipeline/store/validators.py) and the compressed bodies kept for re-extraction under
their size limit (pipeline/store/bodies.py)."""

from __future__ import annotations

import os
import sqlite3

import pytest
import zstandard

from pipeline.store import validators
from pipeline.store.bodies import MIB, BodyStore, kept_bodies, stored_size
from pipeline.store.database import open_database
from pipeline.store.validators import Validators, body_hash, lookup, read_before_links, response_validators

URL = "https://blog.example/a"


@pytest.fixture
def db(tmp_path):
    """A new corpus database, migrations applied."""
    return open_database(tmp_path / "c.db")


def add_document(db, document_id: str, source_id: str = "blog", **values) -> None:
    """A minimal documents row (bodies join on it)."""
    db["documents"].insert({"id": document_id, "url": f"https://blog.example/{document_id}",
                            "source_id": source_id, **values})


def test_validators_are_saved_read_back_and_only_the_fields_given_change(db):
    assert lookup(db.conn, URL) is None
    validators.save(db, URL, "2026-11-01T00:00:00Z", **response_validators({"etag": '"v1"', "last-modified":
                                                                             "Sun, 01 Nov 2026 00:00:00 GMT"}),
                    body_hash="h1", document_id="d1", links=["https://blog.example/b"], links_kind="pages")
    assert lookup(db.conn, URL) == Validators(URL, '"v1"', "Sun, 01 Nov 2026 00:00:00 GMT", "h1", "d1",
                                              ("https://blog.example/b",), "pages")
    validators.save(db, URL, "2026-11-02T00:00:00Z", etag='"v2"')
    assert lookup(db.conn, URL) == Validators(URL, '"v2"', "Sun, 01 Nov 2026 00:00:00 GMT", "h1", "d1",
                                              ("https://blog.example/b",), "pages")
    assert db["validators"].get(URL)["checked"] == "2026-11-02T00:00:00Z"
    validators.save(db, URL, "2026-11-03T00:00:00Z", links=None)  # None clears, not "null" text
    assert db["validators"].get(URL)["links"] is None
    assert lookup(db.conn, URL).links == ()
    assert db["validators"].count == 1


def test_conditional_headers_carry_only_what_the_server_gave():
    both = Validators(URL, '"v1"', "Sun, 01 Nov 2026 00:00:00 GMT", None, None)
    assert both.request_headers() == {"If-None-Match": '"v1"', "If-Modified-Since": "Sun, 01 Nov 2026 00:00:00 GMT"}
    assert Validators(URL, '"v1"', None, None, None).request_headers() == {"If-None-Match": '"v1"'}
    assert Validators(URL, None, "", "h", "d").request_headers() == {}
    assert response_validators({}) == {"etag": None, "last_modified": None}
    assert body_hash(b"abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_an_older_database_without_the_tables_reads_as_nothing_known(tmp_path):
    conn = sqlite3.connect(tmp_path / "old.db")
    assert lookup(conn, URL) is None
    assert read_before_links(conn, "d1") is False


def test_only_pages_extracted_before_links_were_kept_are_read_in_full_again(db):
    add_document(db, "old", extracted_by="trafilatura 2.0.0", links_found=None)
    add_document(db, "counted", extracted_by="trafilatura 2.0.0", links_found=0)
    add_document(db, "feed-only", extracted_by="feed", links_found=None)
    add_document(db, "unknown", extracted_by=None, links_found=None)
    assert read_before_links(db.conn, "old") is True
    assert read_before_links(db.conn, "counted") is False
    assert read_before_links(db.conn, "feed-only") is False
    assert read_before_links(db.conn, "unknown") is False
    assert read_before_links(db.conn, "absent") is False


def test_a_kept_body_reads_back_compressed_with_where_and_when_it_came_from(db):
    add_document(db, "a")
    store = BodyStore(db, MIB)
    body = b"<html><body>" + b"<p>product operations</p>" * 200 + b"</body></html>"
    store.keep("a", "https://blog.example/a/", "2026-11-01T00:00:00Z", "text/html", "utf-8", body)
    row = db["bodies"].get("a")
    assert row["size"] == len(row["body"]) < len(body) / 5  # zstd on HTML
    assert zstandard.ZstdDecompressor().decompress(row["body"]) == body
    [[kept]] = list(kept_bodies(db))
    assert (kept.document_id, kept.url, kept.fetched_at, kept.media_type, kept.encoding, kept.body) == (
        "a", "https://blog.example/a/", "2026-11-01T00:00:00Z", "text/html", "utf-8", body)
    assert stored_size(db) == (1, row["size"])


def test_a_body_replaces_the_kept_one_unless_told_not_to(db):
    add_document(db, "a")
    store = BodyStore(db, MIB)
    store.keep("a", URL, "2026-11-01T00:00:00Z", "text/html", None, b"first")
    store.keep("a", URL, "2026-11-02T00:00:00Z", "text/html", None, b"second", replace=False)
    assert next(kept_bodies(db))[0].body == b"first"
    store.keep("a", URL, "2026-11-03T00:00:00Z", "application/pdf", None, b"third")
    [[kept]] = list(kept_bodies(db))
    assert (kept.body, kept.media_type, kept.fetched_at) == (b"third", "application/pdf", "2026-11-03T00:00:00Z")
    assert stored_size(db)[0] == 1


def test_zero_keeps_nothing_and_an_empty_body_is_not_kept(db):
    add_document(db, "a")
    assert not BodyStore(db, 0).enabled and not BodyStore(db, -5).enabled
    BodyStore(db, 0).keep("a", URL, "2026-11-01T00:00:00Z", "text/html", None, b"body")
    BodyStore(db, MIB).keep("a", URL, "2026-11-01T00:00:00Z", "text/html", None, b"")
    assert stored_size(db) == (0, 0)


def test_past_the_limit_the_oldest_bodies_go_first_and_the_total_stays_under_it(db):
    # Random bytes do not compress: each body's stored size is about its length.
    bodies = {f"d{i}": os.urandom(1000) for i in range(6)}
    for document_id in bodies:
        add_document(db, document_id)
    store = BodyStore(db, 3500)
    for day, (document_id, body) in enumerate(bodies.items(), start=1):
        store.keep(document_id, URL, f"2026-11-0{day}T00:00:00Z", "application/octet-stream", None, body)
        count, size = stored_size(db)
        assert size <= 3500, (document_id, size)
    assert count == 3
    assert [kept.document_id for batch in kept_bodies(db) for kept in batch] == ["d3", "d4", "d5"]
    # A second store on the same database reads the total it starts from.
    again = BodyStore(db, 3500)
    add_document(db, "d6")
    again.keep("d6", URL, "2026-11-09T00:00:00Z", "application/octet-stream", None, os.urandom(1000))
    assert [kept.document_id for batch in kept_bodies(db) for kept in batch] == ["d4", "d5", "d6"]


def test_a_body_bigger_than_the_limit_leaves_nothing_kept(db):
    add_document(db, "a")
    store = BodyStore(db, 100)
    store.keep("a", URL, "2026-11-01T00:00:00Z", "application/octet-stream", None, os.urandom(1000))
    assert stored_size(db) == (0, 0)
    add_document(db, "b")
    store.keep("b", URL, "2026-11-02T00:00:00Z", "text/plain", None, b"small")
    assert stored_size(db)[0] == 1


def test_kept_bodies_come_in_batches_filtered_by_source_and_date(db):
    store = BodyStore(db, MIB)
    for i in range(5):
        add_document(db, f"d{i}", source_id="a" if i % 2 == 0 else "b")
        store.keep(f"d{i}", URL, f"2026-11-0{i + 1}T00:00:00Z", "", None, f"body {i}".encode())
    batches = list(kept_bodies(db, batch=2))
    assert [[kept.document_id for kept in batch] for batch in batches] == [["d0", "d1"], ["d2", "d3"], ["d4"]]
    assert batches[0][0].media_type == "" and batches[0][0].encoding is None
    assert [k.document_id for b in kept_bodies(db, source_ids=("a",)) for k in b] == ["d0", "d2", "d4"]
    assert [k.document_id for b in kept_bodies(db, source_ids=("a", "b"), since="2026-11-03T00:00:00Z")
            for k in b] == ["d2", "d3", "d4"]
    assert [k.document_id for b in kept_bodies(db, since="2026-11-04T00:00:00Z") for k in b] == ["d3", "d4"]


def packed_size(body: bytes) -> int:
    """The stored size of a body: its zstd size at the store's level."""
    from pipeline.store.bodies import LEVEL

    return len(zstandard.ZstdCompressor(level=LEVEL).compress(body))


def test_a_total_exactly_at_the_limit_keeps_everything_and_replacing_counts_once(db):
    first, second = os.urandom(1000), os.urandom(1200)
    for document_id in ("a", "b"):
        add_document(db, document_id)
    store = BodyStore(db, packed_size(first) + packed_size(second))
    for _ in range(3):  # the same document's body replaced: its old size leaves the total
        store.keep("a", URL, "2026-11-01T00:00:00Z", "application/octet-stream", None, first)
    store.keep("b", URL, "2026-11-02T00:00:00Z", "application/octet-stream", None, second)
    assert stored_size(db) == (2, store.max_bytes)
    add_document(db, "c")
    store.keep("c", URL, "2026-11-03T00:00:00Z", "application/octet-stream", None, b"x")
    assert [k.document_id for batch in kept_bodies(db) for k in batch] == ["b", "c"]  # one byte over: a goes


def test_kept_bodies_come_64_at_a_time_by_default(db):
    store = BodyStore(db, MIB)
    for i in range(65):
        add_document(db, f"d{i:02}")
        store.keep(f"d{i:02}", URL, "2026-11-01T00:00:00Z", "text/plain", None, b"body")
    assert [len(batch) for batch in kept_bodies(db)] == [64, 1]
