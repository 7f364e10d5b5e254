"""`prodops eval`: the corpus-quality figures, measured on fixtures written for this project,
each beside its target.

- extraction F1: token 4-gram overlap between the extracted text and the known text of the
  sample web's pages (in two page templates), for our extractor and for bare
  trafilatura.extract; ours must be no lower.
- dedup pair precision and recall: the sample articles, each also published as copies with
  other boilerplate (a syndication template) and light edits, extracted and clustered by
  the real code; pairs in one cluster against pairs of copies of one article.
- tag micro precision, recall and F1, and content-type accuracy, on data/eval/labelled.yaml.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import trafilatura
import yaml

from pipeline.config.files import PROJECT_DATA
from pipeline.config.taxonomy import Taxonomy, load_taxonomy
from pipeline.demo.articles import ARTICLES, GUIDES
from pipeline.demo.sampleweb import article_html, syndicated_html
from pipeline.store.clusters import assign_cluster
from pipeline.store.database import open_database
from pipeline.store.documents import content_hash
from pipeline.understand.classify import TypeIndex, content_type
from pipeline.understand.extraction import extract_html
from pipeline.understand.signatures import signature
from pipeline.understand.tagging import tag

LABELLED = PROJECT_DATA / "eval" / "labelled.yaml"
TARGETS = {
    "dedup precision": 0.98,
    "dedup recall": 0.95,
    "tag micro-F1": 0.80,
    "content-type accuracy": 0.90,
}


@dataclass
class Figure:
    name: str
    value: float
    target: float | None  # None: reported, no target of its own
    note: str = ""

    @property
    def met(self) -> bool:
        return self.target is None or self.value >= self.target


def ngram_f1(predicted: str, expected: str, n: int = 4) -> float:
    """F1 of the token n-gram multisets of two texts (the article-extraction benchmarks' score)."""
    def grams(text: str) -> Counter:
        tokens = text.lower().split()
        return Counter(tuple(tokens[i:i + n]) for i in range(max(len(tokens) - n + 1, 0)))

    got, want = grams(predicted or ""), grams(expected)
    overlap = sum((got & want).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(got.values()), overlap / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def extraction_figures() -> list[Figure]:
    ours, bare = [], []
    for article in ARTICLES + GUIDES:
        expected = " ".join(article["paragraphs"])
        for html in (article_html(article, "https://blog.example"), syndicated_html(article)):
            url = f"https://blog.example/{article['slug']}/"
            extraction = extract_html(html, url)
            ours.append(ngram_f1(extraction.text if extraction else "", expected))
            bare.append(ngram_f1(trafilatura.extract(html, url=url, with_metadata=True) or "", expected))
    bare_f1 = sum(bare) / len(bare)
    return [
        Figure("extraction F1 (ours)", sum(ours) / len(ours), bare_f1, f"{len(ours)} pages, 2 templates"),
        Figure("extraction F1 (bare trafilatura)", bare_f1, None),
    ]


def dedup_figures() -> list[Figure]:
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
            documents.append((f"{article['slug']}:{name}", article["slug"], url, extraction.text))
    with tempfile.TemporaryDirectory() as scratch:
        db = open_database(Path(scratch) / "eval.db")
        for doc_id, _, url, text in documents:
            db["documents"].insert({"id": doc_id, "url": url, "text": text, "word_count": len(text.split()),
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
        Figure("canonical is the original", float(canonical_ok), 1.0, "original publisher over aggregator"),
    ]


def labelled_figures(taxonomy: Taxonomy, labelled: Path = LABELLED) -> list[Figure]:
    items = yaml.safe_load(labelled.read_text(encoding="utf-8"))["items"]
    types = TypeIndex(taxonomy)
    true_positive = predicted_total = expected_total = correct_types = 0
    for item in items:
        predicted = set(tag(taxonomy, item["title"], item.get("description"), item["text"]).tags)
        expected = set(item["tags"])
        true_positive += len(predicted & expected)
        predicted_total += len(predicted)
        expected_total += len(expected)
        kind = content_type(types, item["url"], item["title"], item["text"], item["url"].endswith(".pdf"))
        correct_types += kind == item["type"]
    precision = true_positive / predicted_total if predicted_total else 0.0
    recall = true_positive / expected_total if expected_total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    note = f"{len(items)} labelled items"
    return [
        Figure("tag micro-precision", precision, None, note),
        Figure("tag micro-recall", recall, None, note),
        Figure("tag micro-F1", f1, TARGETS["tag micro-F1"], note),
        Figure("content-type accuracy", correct_types / len(items), TARGETS["content-type accuracy"], note),
    ]


def evaluate(taxonomy: Taxonomy | None = None) -> list[Figure]:
    """Every figure, measured now."""
    taxonomy = taxonomy or load_taxonomy()
    return extraction_figures() + dedup_figures() + labelled_figures(taxonomy)


def format_figures(figures: list[Figure]) -> str:
    lines = [f"{'figure':<36} {'value':>7} {'target':>8}  {'':4} note"]
    for figure in figures:
        target = "" if figure.target is None else f">= {figure.target:.2f}"
        verdict = "" if figure.target is None else ("ok" if figure.met else "LOW")
        lines.append(f"{figure.name:<36} {figure.value:>7.3f} {target:>8}  {verdict:<4} {figure.note}")
    return "\n".join(lines)
