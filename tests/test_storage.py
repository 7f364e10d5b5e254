"""The database: migrations, WAL, FTS, and saving documents without losing anything."""

import pytest
import sqlite_utils

from feeds.entries import EntryHints
from pipeline.items import Extraction, Page
from pipeline.store.database import DatabaseError, open_database
from pipeline.store.migrations import migrations
from pipeline.store.documents import (FROM_FEED, DocumentWrite, Fetched, content_hash, document_row,
                                      save_document)
from pipeline.store.upkeep import remake_signatures, signatures_to_remake


def row_for(text="Product ops is the operating system of a product team.", extracted=True, **hints):
    page = Page(
        url="https://blog.example/a", source_id="blog", found_via="feed",
        final_url="https://blog.example/a", status=200 if extracted else 404,
        canonical_url="https://blog.example/a", doc_id="0123456789abcdef",
        hints=EntryHints(title="A", summary="Short summary.", **hints),
        extraction=Extraction(text=text, extractor="trafilatura x") if extracted else None,
        fetch_error=None if extracted else "HTTP 404",
    )
    return document_row(page)


def test_migrations_are_idempotent_and_wal_is_on(tmp_path):
    path = tmp_path / "c.db"
    open_database(path).close()
    db = open_database(path)
    assert db.journal_mode == "wal"
    assert migrations.pending(db) == []
    assert {"documents", "sources", "sightings", "runs", "documents_fts"} <= set(db.table_names())


def test_not_a_database_is_refused_untouched(tmp_path):
    path = tmp_path / "c.db"
    path.write_bytes(b"hello, not sqlite")
    with pytest.raises(DatabaseError, match="is not a SQLite database"):
        open_database(path)
    assert path.read_bytes() == b"hello, not sqlite"


def test_new_unchanged_updated(tmp_path):
    db = open_database(tmp_path / "c.db")
    assert save_document(db, DocumentWrite(row_for(), "https://blog.example/a", "2026-11-01T00:00:00Z")) == "new"
    assert save_document(db, DocumentWrite(row_for(), "https://blog.example/a", "2026-11-02T00:00:00Z")) == "unchanged"
    stored = db["documents"].get("0123456789abcdef")
    assert (stored["first_seen"], stored["last_seen"]) == ("2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z")
    changed = DocumentWrite(row_for("A new text."), "https://blog.example/a", "2026-11-03T00:00:00Z")
    assert save_document(db, changed) == "updated"
    assert db["documents"].get("0123456789abcdef")["updated"] == "2026-11-03T00:00:00Z"
    assert db["documents"].count == 1
    assert db["sightings"].count == 1
    assert list(db["documents"].search("new"))[0]["id"] == "0123456789abcdef"


def test_a_feed_only_fallback_never_overwrites_extracted_text(tmp_path):
    db = open_database(tmp_path / "c.db")
    save_document(db, DocumentWrite(row_for(), "https://blog.example/a", "2026-11-01T00:00:00Z"))
    fallback = row_for(extracted=False)
    assert fallback["extracted_by"] == FROM_FEED
    assert save_document(db, DocumentWrite(fallback, "https://blog.example/a", "2026-11-02T00:00:00Z")) == "unchanged"
    stored = db["documents"].get("0123456789abcdef")
    assert stored["text"].startswith("Product ops is")
    assert stored["page_error"] == "HTTP 404"


# The tables save_document writes to, in its order, before it stores the page's validators.
WRITTEN_BEFORE_VALIDATORS = ("documents", "minhashes", "minhash_bands", "links", "sightings")


def test_a_failed_save_leaves_no_half_written_document(tmp_path):
    import sqlite3

    from pipeline.understand.signatures import signature

    db = open_database(tmp_path / "c.db")
    row = row_for()
    write = DocumentWrite(row, "https://blog.example/a", "2026-11-01T00:00:00Z",
                          fetched=Fetched({"etag": '"v1"'}, "body-hash", []), signature=signature(row["text"]),
                          links=[("https://other.example/cited", "cited")])
    # A real SQLite failure on the transaction's last write (the page's validators), so that
    # every other write of the save has happened when it strikes.
    db.execute("CREATE TRIGGER fail_validators BEFORE INSERT ON validators "
               "BEGIN SELECT RAISE(ABORT, 'injected failure'); END")
    with pytest.raises(sqlite3.IntegrityError, match="injected failure"):
        save_document(db, write)
    for table in (*WRITTEN_BEFORE_VALIDATORS, "validators"):
        assert db[table].count == 0, f"{table} kept a write of the failed save"
    # Another connection (a reader, the next crawl) sees nothing either, nor a lock.
    other = sqlite3.connect(tmp_path / "c.db", timeout=0)
    try:
        assert other.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
    finally:
        other.close()
    # The same save, the failure gone, writes to each of those tables: they were written.
    db.execute("DROP TRIGGER fail_validators")
    assert save_document(db, write) == "new"
    for table in (*WRITTEN_BEFORE_VALIDATORS, "validators"):
        assert db[table].count > 0, f"{table}: the save does not write it, so the test proves nothing of it"


def test_content_hash_ignores_whitespace_and_case():
    assert content_hash("Product  Ops\n") == content_hash("product ops")
    assert content_hash("product ops") != content_hash("product ops!")


def test_sightings_keep_every_url_a_document_was_found_at(tmp_path):
    db = open_database(tmp_path / "c.db")
    save_document(db, DocumentWrite(row_for(), "https://blog.example/a?utm_source=x", "2026-11-01T00:00:00Z"))
    save_document(db, DocumentWrite(row_for(), "https://blog.example/a/", "2026-11-01T00:00:00Z"))
    assert sorted(r["url"] for r in db["sightings"].rows) == [
        "https://blog.example/a/", "https://blog.example/a?utm_source=x",
    ]
    assert isinstance(db, sqlite_utils.Database)


def test_a_database_from_an_older_version_is_brought_forward_keeping_its_data(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    migrations.apply(db, stop_before="m002_incremental_crawling")  # the first release's schema
    db["documents"].insert({"id": "a", "url": "https://x.org/a", "title": "Kept", "text": "old text",
                            "published": "2025-03-01"})
    db.close()
    upgraded = open_database(path)
    assert migrations.pending(upgraded) == []
    row = upgraded["documents"].get("a")
    assert (row["title"], row["year"]) == ("Kept", 2025)  # m005 filled the new column
    assert {"validators", "clusters", "lists"} <= set(upgraded.table_names())
    assert [r["id"] for r in upgraded["documents"].search("old")] == ["a"]


def test_signatures_are_datasketch_2s_and_a_database_of_other_ones_gets_them_remade(tmp_path):
    import hashlib

    import numpy as np

    from pipeline.understand.signatures import band_keys, signature

    # Values datasketch 2.0.0 gave (MinHash(num_perm=96, seed=1), its default scheme) for this
    # text, recorded when it was replaced: signatures stored since must keep matching.
    text = ("Product operations teams keep the planning cadence honest, the roadmap in one place "
            "and the tools few.")
    sig = signature(text)
    assert sig.dtype == np.uint32 and len(sig) == 96
    assert sig[:8].tolist() == [288420637, 550860168, 177401001, 723079437, 277974455, 557548818, 205339422,
                                27210709]
    assert hashlib.sha256(sig.tobytes()).hexdigest()[:16] == "56449a988dcc6a45"

    path = tmp_path / "c.db"
    db = open_database(path)
    row = row_for(text=text)
    save_document(db, DocumentWrite(row, row["url"], "2026-11-01T00:00:00Z", signature=sig))
    assert db.execute("SELECT count(*) FROM minhash_bands").fetchone()[0] == 24
    db.close()
    # The migration, run again on signatures of this scheme, leaves nothing to do.
    assert with_signatures_of_another_scheme(path, foreign=False) == 1
    db = open_database(path)
    assert signatures_to_remake(db) == 0 and remake_signatures(db) == 0
    db.close()

    # As a database made with datasketch 1 ("legacy" scheme) has them: other values.
    assert with_signatures_of_another_scheme(path) == 1
    db = open_database(path)
    assert stored_signatures(db) == {row["id"]: (sig // 3).astype(np.uint32).tolist()}  # opening remakes none
    assert signatures_to_remake(db) == 1
    done: list[int] = []
    assert remake_signatures(db, done.append) == 1 and done == [1]
    assert stored_signatures(db) == {row["id"]: sig.tolist()}
    assert sorted(key for (key,) in db.execute("SELECT key FROM minhash_bands")) == sorted(band_keys(sig))
    assert db["documents"].get(row["id"])["text"] == text
    assert signatures_to_remake(db) == 0  # the task is done
    db.close()
    assert open_database(path).execute("SELECT count(*) FROM upkeep").fetchone()[0] == 0


def with_signatures_of_another_scheme(path, foreign: bool = True) -> int:
    """Give a database's signatures other values (as datasketch 1 made them), unless not
    `foreign`, and the migration that notices them to run again at the next open; return how
    many signatures of a stored text there are."""
    import numpy as np

    from pipeline.understand.signatures import band_keys

    db = sqlite_utils.Database(path)
    with db.atomic():
        if foreign:
            for document_id, stored in db.execute("SELECT document_id, signature FROM minhashes").fetchall():
                other = (np.frombuffer(stored, dtype=np.uint32) // 3).astype(np.uint32)
                db.execute("UPDATE minhashes SET signature = ? WHERE document_id = ?", [other.tobytes(), document_id])
                db.execute("DELETE FROM minhash_bands WHERE document_id = ?", [document_id])
                db.conn.executemany("INSERT INTO minhash_bands (band, key, document_id) VALUES (?, ?, ?)",
                                    [(band, key, document_id) for band, key in enumerate(band_keys(other))])
        db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm014_signatures_remade_if_of_another_scheme'")
    count = db.execute("SELECT count(*) FROM minhashes m JOIN documents d ON d.id = m.document_id "
                       "WHERE d.text != ''").fetchone()[0]
    db.close()
    return count


def stored_signatures(db) -> dict[str, list[int]]:
    """{document id: its stored signature}."""
    import numpy as np

    return {document_id: np.frombuffer(stored, dtype=np.uint32).tolist()
            for document_id, stored in db.execute("SELECT document_id, signature FROM minhashes")}


def test_opening_the_database_leaves_old_signatures_and_the_crawl_remakes_them_first(
        tmp_path, sample_corpus, shared_sample_web):
    from conftest import FAST, run_prodops, write_sources

    from pipeline.demo.sampleweb import sample_sources
    from pipeline.understand.signatures import signature

    count = with_signatures_of_another_scheme(sample_corpus)
    assert count > 10
    sources = write_sources(tmp_path / "sources.yaml", sample_sources(shared_sample_web.base_url))
    db = sqlite_utils.Database(sample_corpus)
    texts = dict(db.execute("SELECT m.document_id, d.text FROM minhashes m JOIN documents d ON d.id = m.document_id"))
    old = stored_signatures(db)
    db.close()

    # A command that reads no signature opens the database (and runs the migration): they stay.
    health = run_prodops("sources", "health", "--sources", str(sources), "--db", str(sample_corpus))
    assert health.returncode == 0, health.stderr
    assert "Remaking" not in health.stderr
    db = open_database(sample_corpus)
    assert stored_signatures(db) == old and signatures_to_remake(db) == count
    db.close()

    # The crawl compares new documents with them: it remakes them all first, and says so.
    crawled = run_prodops("crawl", "--sources", str(sources), "--db", str(sample_corpus), "--only", "oprhythm-atom",
                          "--allow-private-network", *FAST)
    assert crawled.returncode == 0, crawled.stdout + crawled.stderr
    assert f"Remaking {count} near-duplicate signatures (made by an older version) ... done\n" in crawled.stderr
    db = open_database(sample_corpus)
    assert stored_signatures(db) == {document_id: signature(texts[document_id]).tolist() for document_id in old}
    assert signatures_to_remake(db) == 0


def test_migrations_are_defined_in_the_order_they_run():
    from pipeline.store.migrations import migrations

    # sqlite-utils applies them in the order they were registered; their names say the order meant.
    names = [migration.name for migration in migrations._migrations]
    assert names == sorted(names) and len(set(name[:4] for name in names)) == len(names)
