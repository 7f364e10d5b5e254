"""Search quality on the labelled pages, stored as a crawl stores them. The queries of
data/eval/queries.yaml (written from situations, each with the labelled pages a curator
would want, graded 2 or 1) searched by words only, by meaning only and by both: hit@5,
MRR@10 and nDCG@10 per split."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

from pipeline.config.files import PROJECT_DATA, parse_yaml
from pipeline.config.taxonomy import Taxonomy
from pipeline.publish.search import search
from pipeline.quality.figures import TARGETS, Figure
from pipeline.quality.labelled_sets import LABELLED, LOOKALIKES, SITUATIONS
from pipeline.store.database import open_database
from pipeline.store.vectors import save_vectors
from pipeline.understand.canonical import document_id
from pipeline.understand.tagging import columns_of, stored_vectors, tag

QUERIES = PROJECT_DATA / "eval" / "queries.yaml"


def store_labelled_pages(db, taxonomy: Taxonomy):
    """Store every labelled page of data/eval/ as a crawl stores it (tagged, typed as
    labelled, its vectors kept); return the database."""
    for path in (LABELLED, SITUATIONS, LOOKALIKES):
        for item in parse_yaml(path.read_text(encoding="utf-8"))["items"]:
            doc_id = document_id(item["url"])
            if db["documents"].count_where("id = ?", [doc_id]):
                continue
            result = tag(taxonomy, item["title"], item.get("description"), item["text"])
            db["documents"].insert({"id": doc_id, "url": item["url"], "title": item["title"],
                                    "description": item.get("description"), "text": item["text"],
                                    "content_type": item["type"], "first_seen": "2026-01-01T00:00:00Z",
                                    **columns_of(result)})
            vectors = stored_vectors(result)
            assert vectors is not None  # tagged with the semantic reading
            save_vectors(db, doc_id, vectors)
    return db


def search_figures(taxonomy: Taxonomy) -> list[Figure]:
    """Search quality on data/eval/queries.yaml (queries written from situations, each with
    the labelled pages a curator would want, graded 2 or 1): the labelled pages are stored
    as a crawl stores them (tagged, their vectors kept), then each query is searched by words
    only, by meaning only and by both; hit@5 (a wanted page in the first five), MRR@10 and
    nDCG@10 per split."""
    if not QUERIES.exists():
        return []
    queries = parse_yaml(QUERIES.read_text(encoding="utf-8"))["queries"]
    with tempfile.TemporaryDirectory() as scratch:
        db = store_labelled_pages(open_database(Path(scratch) / "search.db"), taxonomy)
        figures = []
        for split in ("tune", "held-out"):
            chosen = [q for q in queries if q.get("split") == split]
            for mode in ("words", "meaning", "hybrid"):
                found = [[row["url"] for row in search(db.conn, q["query"], mode=mode, page_size=10).rows]
                         for q in chosen]
                figures += _search_figures(f"search, {split}, {mode}", chosen, found)
        db.close()
    return figures


def _search_figures(name: str, queries: list[dict], found: list[list[str]]) -> list[Figure]:
    hits, reciprocal, gains = [], [], []
    for query, urls in zip(queries, found):
        grades = {wanted["url"]: wanted.get("grade", 1) for wanted in query["relevant"]}
        hits.append(any(url in grades for url in urls[:5]))
        reciprocal.append(next((1 / rank for rank, url in enumerate(urls[:10], 1) if url in grades), 0.0))
        dcg = sum(grades.get(url, 0) / math.log2(rank + 1) for rank, url in enumerate(urls[:10], 1))
        ideal = sum(grade / math.log2(rank + 1)
                    for rank, grade in enumerate(sorted(grades.values(), reverse=True)[:10], 1))
        gains.append(dcg / ideal if ideal else 0.0)
    note = f"{len(queries)} queries"
    return [Figure(f"{name}: hit@5", sum(hits) / len(hits), TARGETS.get(f"{name}: hit@5"), note),
            Figure(f"{name}: MRR@10", sum(reciprocal) / len(reciprocal), TARGETS.get(f"{name}: MRR@10")),
            Figure(f"{name}: nDCG@10", sum(gains) / len(gains), None)]
