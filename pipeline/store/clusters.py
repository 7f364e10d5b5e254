"""Exact and near-duplicate clusters, in time that grows linearly with the corpus.

Each document's MinHash signature (pipeline.understand.signatures) is cut into bands;
documents sharing a band are candidates (locality-sensitive hashing, looked up in an indexed
table, never all pairs), and a candidate whose signatures agree on at least SIMILARITY of
the positions (an estimate of the Jaccard similarity of the shingles) is a copy. Documents
with the same content hash are copies outright. Copies form a cluster; every copy is kept,
with its `cluster_id`.

The canonical copy of a cluster is, by policy: an original publisher over an aggregator
(Medium, LinkedIn, ...), then the earliest published, then the longest.
"""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

import numpy as np
import sqlite_utils

from pipeline.understand.signatures import SIMILARITY, band_keys

AGGREGATORS = (
    "medium.com", "linkedin.com", "substack.com", "dev.to", "hashnode.dev", "hackernoon.com",
    "flipboard.com", "feedly.com", "news.ycombinator.com", "reddit.com", "scribd.com",
    "slideshare.net", "muckrack.com",
)


def similar_documents(db: sqlite_utils.Database, sig: np.ndarray, keys: list[int], exclude: set[str]) -> set[str]:
    """Ids of the stored documents that share a band with `sig` and are similar enough.

    One statement whatever the number of candidates (their signatures, for the documents
    in any of the bands) and one vectorized comparison: this runs in the crawler's own
    process for every new document, where each statement counts."""
    matches = " OR ".join("(band = ? AND key = ?)" for _ in keys)
    rows = [(candidate, stored) for candidate, stored in db.execute(
        "SELECT document_id, signature FROM minhashes WHERE document_id IN "
        f"(SELECT document_id FROM minhash_bands WHERE {matches})",
        [value for band, key in enumerate(keys) for value in (band, key)]) if candidate not in exclude]
    if not rows:
        return set()
    signatures = np.frombuffer(b"".join(stored for _, stored in rows), dtype=np.uint32).reshape(len(rows), -1)
    agreement = (signatures == sig).mean(axis=1)
    return {candidate for (candidate, _), value in zip(rows, agreement) if value >= SIMILARITY}


@functools.lru_cache(maxsize=4096)
def is_aggregator(url: str) -> bool:
    """True for a URL on a site that republishes others' writing (AGGREGATORS). Cached: a
    cluster's members are ranked again each time one joins."""
    host = (urlsplit(url).hostname or "").lower()
    return any(host == name or host.endswith("." + name) for name in AGGREGATORS)


def canonical_order(member: dict) -> tuple:
    """Sort key of the canonical policy: original publisher, earliest, longest."""
    return (is_aggregator(member["url"] or ""), member["published"] or member["first_seen"] or "9999",
            -(member["word_count"] or 0), member["id"])


def assign_cluster(
    db: sqlite_utils.Database, doc_id: str, content_hash: str | None, sig: np.ndarray | None, now: str
) -> str:
    """Index a saved document's signature and put it in its cluster; return the cluster id.

    Call inside the document's transaction, after the document row is written.
    """
    old_cluster = (db.execute("SELECT cluster_id FROM documents WHERE id = ?", [doc_id]).fetchone() or [None])[0]
    copies: set[str] = set()
    if content_hash:
        copies |= {row[0] for row in db.execute(
            "SELECT id FROM documents WHERE content_hash = ? AND id != ?", [content_hash, doc_id])}
    db.execute("DELETE FROM minhash_bands WHERE document_id = ?", [doc_id])
    if sig is not None:
        keys = band_keys(sig)
        copies |= similar_documents(db, sig, keys, exclude=copies | {doc_id})
        db.execute("INSERT OR REPLACE INTO minhashes (document_id, signature) VALUES (?, ?)",
                   [doc_id, sig.tobytes()])
        db.conn.executemany("INSERT INTO minhash_bands (band, key, document_id) VALUES (?, ?, ?)",
                       [(band, key, doc_id) for band, key in enumerate(keys)])
    clusters = {row[0] for row in db.execute(
        f"SELECT DISTINCT cluster_id FROM documents WHERE id IN ({','.join('?' * len(copies))})",
        list(copies))} if copies else set()
    clusters.discard(None)
    target = min(clusters | ({old_cluster} if old_cluster in clusters else set())) if clusters else doc_id
    if not clusters:
        # No copy any more. If it was the namesake of a cluster (ids are its first member's),
        # the copies it leaves keep a cluster of their own, named after one of them.
        others = [row[0] for row in db.execute("SELECT id FROM documents WHERE cluster_id = ? AND id != ?",
                                               [doc_id, doc_id])]
        if others:
            db.execute("UPDATE documents SET cluster_id = ? WHERE cluster_id = ? AND id != ?",
                       [min(others), doc_id, doc_id])
            refresh_cluster(db, min(others), now)
    for other in clusters - {target}:  # this document joins clusters together
        db.execute("UPDATE documents SET cluster_id = ? WHERE cluster_id = ?", [target, other])
        db.execute("DELETE FROM clusters WHERE id = ?", [other])
    db.execute("UPDATE documents SET cluster_id = ? WHERE id = ?", [target, doc_id])
    refresh_cluster(db, target, now)
    if old_cluster and old_cluster != target:
        refresh_cluster(db, old_cluster, now)
    return target


def refresh_cluster(db: sqlite_utils.Database, cluster_id: str, now: str) -> None:
    """Recompute a cluster's size and canonical copy (clusters of one have no row)."""
    members = [dict(zip(("id", "url", "published", "first_seen", "word_count"), row)) for row in db.execute(
        "SELECT id, url, published, first_seen, word_count FROM documents WHERE cluster_id = ?", [cluster_id])]
    if len(members) < 2:
        db.execute("DELETE FROM clusters WHERE id = ?", [cluster_id])
        return
    canonical = min(members, key=canonical_order)
    db.execute(
        "INSERT INTO clusters (id, canonical_id, size, updated) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET canonical_id = excluded.canonical_id, size = excluded.size, "
        "updated = excluded.updated",
        [cluster_id, canonical["id"], len(members), now],
    )
