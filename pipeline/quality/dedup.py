"""Dedup quality: pair precision and recall of the duplicate clusters, on the sample
articles' copies. Each article is also published as copies with other boilerplate (a
syndication template) and light edits, extracted and clustered by the real code; pairs in
one cluster are scored against pairs of copies of one article, and the original publisher
must be each cluster's canonical document."""

from __future__ import annotations

import tempfile
from itertools import combinations
from pathlib import Path

from pipeline.demo.articles import ARTICLES, GUIDES
from pipeline.demo.sampleweb import article_html, syndicated_html
from pipeline.quality.figures import TARGETS, Figure
from pipeline.store.clusters import assign_cluster
from pipeline.store.database import open_database
from pipeline.store.documents import content_hash
from pipeline.understand.extraction import extract_html
from pipeline.understand.signatures import signature


def dedup_figures() -> list[Figure]:
    """Dedup pair precision and recall on the sample articles and their copies, and whether
    each cluster's canonical document is the original."""
    documents = []  # (id, original slug, url, text)
    for article in ARTICLES + GUIDES:
        versions = {
            "original": article_html(article, "https://blog.example"),
            "syndicated": syndicated_html(article),
            "edited": syndicated_html(article, edited=True),
        }
        for name, html in versions.items():
            host = "blog.example" if name == "original" else "medium.com"
            url = f"https://{host}/{name}/{article['slug']}"
            extraction = extract_html(html, url)
            assert extraction is not None, url  # the sample web's articles all have main text
            documents.append((f"{article['slug']}:{name}", article["slug"], url, extraction.text))
    with tempfile.TemporaryDirectory() as scratch:
        db = open_database(Path(scratch) / "eval.db")
        for doc_id, _, url, text in documents:
            db.table("documents").insert({"id": doc_id, "url": url, "text": text, "word_count": len(text.split()),
                                    "content_hash": content_hash(text), "first_seen": "2026-01-01T00:00:00Z"})
            with db.atomic():
                assign_cluster(db, doc_id, content_hash(text), signature(text), "2026-01-01T00:00:00Z")
        cluster = {row["id"]: row["cluster_id"] for row in db["documents"].rows}
        canonical_ok = all(
            row["canonical_id"].endswith(":original") for row in db["clusters"].rows
        )
        db.close()
    predicted = {frozenset((a, b)) for a, b in combinations(cluster, 2) if cluster[a] == cluster[b]}
    truth = {frozenset((a[0], b[0])) for a, b in combinations(documents, 2) if a[1] == b[1]}
    hits = len(predicted & truth)
    precision = hits / len(predicted) if predicted else 1.0
    recall = hits / len(truth) if truth else 1.0
    note = f"{len(documents)} documents, {len(truth)} true pairs"
    return [
        Figure("dedup precision", precision, TARGETS["dedup precision"], note),
        Figure("dedup recall", recall, TARGETS["dedup recall"], note),
        Figure("canonical is the original", float(canonical_ok), TARGETS["canonical is the original"],
               "original publisher over aggregator"),
    ]
