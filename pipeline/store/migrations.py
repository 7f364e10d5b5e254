"""The corpus's schema, written as sqlite-utils migrations in the order they run
(pipeline.store.database applies them when it opens a database).

Migrations only ever add; each runs in its own transaction and is recorded in
`_sqlite_migrations`, so opening a database from an older version brings it forward and
opening a current one changes nothing. A migration stays quick, since every command opens
the database: work that may take minutes over a large corpus (remaking the near-duplicate
signatures of an older version) is left in the `upkeep` table for the commands whose
results depend on it, which do it first with a progress line (pipeline/store/upkeep.py).
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils import Migrations

migrations = Migrations("prodops")
FTS_COLUMNS = ["title", "description", "text", "author"]


def _table(db: sqlite_utils.Database, name: str, columns: dict, pk, indexes=()) -> None:
    """Create a table and its indexes (each a list of columns)."""
    db.table(name).create(columns, pk=pk)
    for index in indexes:
        db.table(name).create_index(index)


@migrations()
def m001_core_tables(db: sqlite_utils.Database) -> None:
    db.table("documents").create(
        {
            "id": str,  # 16 hex digits of SHA-256 of the canonical URL
            "url": str,  # canonical URL
            "title": str,
            "author": str,
            "published": str,  # ISO 8601 UTC
            "sitename": str,
            "language": str,
            "description": str,
            "text": str,
            "word_count": int,
            "content_hash": str,  # SHA-256 of the whitespace-normalized text
            "source_id": str,  # the source that first yielded it
            "found_via": str,  # feed | url | ...
            "fetched_url": str,  # URL of the response the text came from
            "http_status": int,
            "media_type": str,  # media type of the fetched body, e.g. text/html
            "extracted_by": str,  # "trafilatura x.y.z" or "feed" (the feed's own entry)
            "page_error": str,  # why the page itself could not be used (HTTP 404, no main text)
            "categories": str,  # JSON array (feed categories)
            "first_seen": str,
            "last_seen": str,
            "updated": str,  # when the content last changed
        },
        pk="id",
    )
    db.table("sources").create(
        {
            "id": str,
            "name": str,
            "kind": str,
            "url": str,
            "enabled": int,
            "settings": str,  # JSON
            "last_fetched": str,
            "last_ok": str,
            "last_status": str,  # "ok" or the last error
            "consecutive_errors": int,
            "documents": int,  # documents it yielded, all runs together
        },
        pk="id",
    )
    db.table("sightings").create(
        {
            "document_id": str,
            "source_id": str,
            "url": str,  # the URL it was found at, as found
            "found_via": str,
            "first_seen": str,
            "last_seen": str,
        },
        pk=("document_id", "source_id", "url"),
        foreign_keys=[("document_id", "documents", "id")],
    )
    db.table("runs").create(
        {
            "id": int,
            "started": str,
            "finished": str,
            "status": str,  # running | finished | <close reason>
            "sources": str,  # JSON array of source ids
            "pages_fetched": int,
            "documents_new": int,
            "documents_updated": int,
            "documents_unchanged": int,
            "dropped": str,  # JSON {reason: count}
            "errors": int,
            "error_messages": str,  # JSON array
        },
        pk="id",
    )
    db.table("documents").create_index(["last_seen"])
    db.table("documents").create_index(["source_id"])
    db.table("documents").create_index(["content_hash"])
    db.table("sightings").create_index(["source_id"])
    db.table("documents").enable_fts(FTS_COLUMNS, create_triggers=True, tokenize="porter")
    # sqlite-utils' update trigger re-indexes a row on any change; a recrawl touches
    # last_seen on every document, so re-index only when an indexed column changes.
    old = ", ".join(f"old.[{c}]" for c in FTS_COLUMNS)
    new = ", ".join(f"new.[{c}]" for c in FTS_COLUMNS)
    names = ", ".join(f"[{c}]" for c in FTS_COLUMNS)
    db.execute("DROP TRIGGER [documents_au]")
    db.execute(
        f"CREATE TRIGGER [documents_au] AFTER UPDATE OF {names} ON [documents] BEGIN "
        f"INSERT INTO [documents_fts] ([documents_fts], rowid, {names}) "
        f"VALUES('delete', old.rowid, {old}); "
        f"INSERT INTO [documents_fts] (rowid, {names}) VALUES (new.rowid, {new}); END"
    )


@migrations()
def m002_incremental_crawling(db: sqlite_utils.Database) -> None:
    db.table("validators").create(
        {
            "url": str,  # the URL as requested
            "etag": str,
            "last_modified": str,
            "body_hash": str,  # SHA-256 of the last body
            "document_id": str,  # the document it produced, if any
            "links": str,  # JSON: for a feed, sitemap or link page, the URLs it listed
            "links_kind": str,  # what those links are: "pages", "sitemaps" or "pdfs"
            "checked": str,
        },
        pk="url",
    )
    db.table("document_links").create(
        {"from_id": str, "to_id": str, "relation": str},  # relation: pdf | landing-page
        pk=("from_id", "to_id", "relation"),
    )
    db.table("documents").add_column("page_count", int)  # PDFs
    db.table("sightings").add_column("anchor", str)  # link text, when found on a link list
    db.table("sightings").add_column("section", str)  # the heading above that link
    sources = db.table("sources")
    sources.add_column("next_due", str)  # no crawl before this time (backoff after errors)
    sources.add_column("disabled_reason", str)  # set when the crawler disabled the source
    sources.add_column("last_warning", str)  # e.g. "malformed feed (bozo): ..."
    runs = db.table("runs")
    runs.add_column("pages_not_modified", int)
    runs.add_column("bytes_downloaded", int)


@migrations()
def m003_corpus_quality(db: sqlite_utils.Database) -> None:
    documents = db.table("documents")
    documents.add_column("content_type", str)  # article, whitepaper-report, guide-playbook, ...
    documents.add_column("gated", int)  # 1: the resource hides behind a lead form
    documents.add_column("too_short", int)  # 1: fewer words than a useful resource has
    documents.add_column("tags", str)  # JSON array of concept ids (Datasette facets on it)
    documents.add_column("tag_scores", str)  # JSON {concept id: 0..1}
    documents.add_column("relevance", float)  # 0..1, how much it is about product ops
    documents.add_column("why", str)  # JSON [{concept, phrase, where, count}]
    documents.add_column("cluster_id", str)  # near-duplicate cluster (its own id when alone)
    documents.create_index(["cluster_id"])
    documents.create_index(["content_type"])
    documents.create_index(["relevance"])
    db.table("clusters").create(
        {"id": str, "canonical_id": str, "size": int, "updated": str}, pk="id"
    )
    db.table("minhashes").create({"document_id": str, "signature": bytes}, pk="document_id")
    db.table("minhash_bands").create({"band": int, "key": int, "document_id": str})
    db.table("minhash_bands").create_index(["band", "key"])
    db.table("minhash_bands").create_index(["document_id"])


@migrations()
def m004_curated_lists(db: sqlite_utils.Database) -> None:
    db.table("lists").create({"slug": str, "title": str, "description": str, "rules": str}, pk="slug")
    db.table("list_items").create(
        {"list_slug": str, "position": int, "document_id": str, "note": str},
        pk=("list_slug", "position"),
    )


@migrations()
def m005_year(db: sqlite_utils.Database) -> None:
    db.table("documents").add_column("year", int)  # year published (first seen if unknown), for facets
    db.execute("UPDATE documents SET year = CAST(substr(coalesce(published, first_seen), 1, 4) AS INTEGER)")


@migrations()
def m006_labels(db: sqlite_utils.Database) -> None:
    # The curator's judgements (mirrors data/labels.yaml, plus lists' pins and exclusions).
    _table(db, "labels", {"url": str, "document_id": str, "relevant": int, "concepts": str, "not_concepts": str,
                          "labelled_at": str, "origin": str}, pk="url", indexes=[["document_id"]])


@migrations()
def m007_focused_following(db: sqlite_utils.Database) -> None:
    db.table("runs").add_column("links_not_followed", int)  # links of pages below the follow threshold


@migrations()
def m008_entities(db: sqlite_utils.Database) -> None:
    db.table("documents").add_column("entities", str)  # JSON array of entity names (data/entities.yaml)


@migrations()
def m009_link_checks(db: sqlite_utils.Database) -> None:
    # `prodops lists check`: the latest verdict on each curated link (pipeline/understand/linkrot.py).
    _table(db, "link_checks", {"url": str, "checked_at": str, "http_status": int, "final_url": str, "verdict": str,
                               "detail": str, "document_id": str}, pk="url", indexes=[["verdict"], ["document_id"]])


@migrations()
def m010_bodies(db: sqlite_utils.Database) -> None:
    # The latest fetched body of each document, zstd-compressed (pipeline/store/bodies.py).
    _table(db, "bodies", {"document_id": str, "url": str, "fetched_at": str, "media_type": str, "encoding": str,
                          "size": int, "body": bytes}, pk="document_id", indexes=[["fetched_at"]])


@migrations()
def m011_links(db: sqlite_utils.Database) -> None:
    # The links a document's main text cites (pipeline/understand/links.py); `host` without "www.".
    _table(db, "links", {"document_id": str, "url": str, "host": str, "anchor": str}, pk=("document_id", "url"),
           indexes=[["host"]])
    # How many links its main text gave when it was last read; NULL: read before links were
    # kept, so the next crawl fetches it in full once (pipeline.store.validators.read_before_links).
    db.table("documents").add_column("links_found", int)


@migrations()
def m012_source_hosts(db: sqlite_utils.Database) -> None:
    from pipeline.understand.links import host_of  # noqa: PLC0415 - the one rule for a host

    db.table("sources").add_column("host", str)  # the source URL's host, as `links.host` spells it
    for source_id, url in db.execute("SELECT id, url FROM sources").fetchall():
        db.execute("UPDATE sources SET host = ? WHERE id = ?", [host_of(url or ""), source_id])


@migrations()
def m013_source_quality(db: sqlite_utils.Database) -> None:
    # Per run and source: what extraction made of the pages read (pipeline/store/drift.py).
    _table(db, "source_runs", {"run_id": int, "source_id": str, "pages": int, "errors": int, "no_text": int,
                               "no_title": int, "no_date": int, "median_words": float, "alert": str},
           pk=("run_id", "source_id"), indexes=[["source_id", "run_id"]])
    db.table("sources").add_column("drift", str)  # the extraction drift alert while it lasts
    # Per-source scorecards (pipeline/store/scorecard.py), refreshed after each crawl.
    db.table("source_scorecards").create(
        {"source_id": str, "documents": int, "relevant_share": float, "copies_share": float,
         "copies_of": str, "failures": int, "median_words": float, "newest": str, "recent_errors": int,
         "drift": str, "verdict": str, "severity": int, "updated": str},
        pk="source_id",
    )


@migrations()
def m014_signatures_remade_if_of_another_scheme(db: sqlite_utils.Database) -> None:
    # Signatures are computed here since this version (pipeline/understand/signatures.py) as
    # datasketch 2 computed them. A database made with datasketch 1 (its "legacy" scheme) has
    # signatures no new document would ever match: a few are recomputed from their stored
    # texts, and if they differ, remaking them all is left to the commands that compare them
    # (pipeline/store/upkeep.py: minutes of work, not for every open_database). The clusters
    # found with the old ones stay.
    from pipeline.store import upkeep  # noqa: PLC0415 - numpy and the signatures, for this check only

    upkeep.create_table(db)
    if upkeep.signatures_of_another_scheme(db):
        upkeep.plan(db, upkeep.REMAKE_SIGNATURES, "signatures made by an older version (another MinHash scheme)")


@migrations()
def m015_vectors(db: sqlite_utils.Database) -> None:
    # The documents' vectors (pipeline/store/vectors.py): filled by the tag stage, and by
    # `prodops retag` for the documents stored before.
    db.execute("CREATE TABLE IF NOT EXISTS vectors (document_id TEXT PRIMARY KEY REFERENCES documents(id), "
               "model TEXT NOT NULL, head BLOB NOT NULL, page BLOB NOT NULL)")


@migrations()
def m016_markup_types(db: sqlite_utils.Database) -> None:
    # What each page declares it is (JSON array: pipeline/understand/markup.py), so that
    # `prodops retag` types documents without their HTML; documents stored before get it
    # from `prodops reextract` (their kept bodies).
    db.table("documents").add_column("markup_types", str)


@migrations()
def m017_tagger_scores(db: sqlite_utils.Database) -> None:
    # The tagger's own relevance and concept scores, before the curator's labels move them
    # (pipeline/store/rescore.py refits from them without tagging again); documents stored
    # before get them from `prodops retag`. And when each curator last opened the review
    # queue (pipeline/publish/review.py: what is new since the last visit).
    db.table("documents").add_column("tagger_relevance", float)
    db.table("documents").add_column("tagger_scores", str)
    db.execute("CREATE TABLE IF NOT EXISTS review_visits (curator TEXT PRIMARY KEY, previous TEXT, latest TEXT)")


@migrations()
def m018_pinned_list_items(db: sqlite_utils.Database) -> None:
    # Which of a list's items the editor pinned (in the file's order, which a curator may
    # change on the list's page) rather than its rules picked; filled when lists are published.
    db.table("list_items").add_column("pinned", int)


@migrations()
def m019_upkeep(db: sqlite_utils.Database) -> None:
    # Work a migration leaves for the command that needs it (pipeline/store/upkeep.py). m014
    # creates the table when it runs; this, for the databases that passed m014 before.
    from pipeline.store import upkeep  # noqa: PLC0415

    upkeep.create_table(db)


@migrations()
def m020_sightings_by_url(db: sqlite_utils.Database) -> None:
    # The one URL -> document lookup (pipeline.store.documents.document_id_for_url), made for
    # every page stored, read the whole table: the key begins with the document, not the URL.
    db.table("sightings").create_index(["url", "last_seen"], if_not_exists=True)


def known_migrations() -> set[str]:
    """The names of the migrations this version defines. (sqlite-utils' Migrations keeps
    them in `_migrations` and has no public way to list them.)"""
    return {migration.name for migration in migrations._migrations}
