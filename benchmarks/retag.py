"""`prodops retag` throughput: documents/s over a corpus of N documents, in one run.

Builds a SQLite corpus of N documents (generated product-ops articles of 300-1,500 words, the
size of a typical blog post, plus generated pages of other fields), then times, side by side:
  (a) retag without labels (the tagger: phrases, semantic reading, content type, entities);
  (b) retag with 40 curator labels (the labelled documents tagged, the models fitted, every
      document adjusted);
  (c) the phrases-only tagger over the same texts, as a floor (no database, no semantic).
Run by hand:

    .venv/bin/python benchmarks/retag.py [--documents 100000]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.config.entities import load_entities
from pipeline.config.labels import Label
from pipeline.config.taxonomy import load_taxonomy
from pipeline.demo.generate import make_article
from pipeline.store.database import open_database
from pipeline.store.documents import document_id_for_url
from pipeline.store.labels import mirror_labels
from pipeline.store.retag import retag_corpus
from pipeline.understand.tagging import tag

OTHER_FIELDS = [
    "Sales operations redraws territories and quotas every January and cleans the CRM pipeline.",
    "The platform team moved every service to Kubernetes and cut failed deploys with canaries.",
    "People operations runs the review cycle: self-reviews, calibration and compensation changes.",
    "A project manager finds the critical path from task durations and their dependencies.",
]


def build(path: Path, documents: int) -> None:
    rng = random.Random(20261201)
    db = open_database(path)
    rows = []
    for index in range(documents):
        if index % 5 == 4:  # a fifth of the corpus is about other fields
            text = "\n".join(" ".join(rng.choice(OTHER_FIELDS) for _ in range(4)) for _ in range(rng.randint(3, 12)))
            title, description = f"Operations notes #{index}", "Notes from a neighbouring field."
        else:
            article = make_article(index, rng, 300, 1500)
            text, title, description = "\n".join(article["paragraphs"]), article["title"], article["summary"]
        url = f"https://example.org/{index}"
        rows.append({"id": document_id_for_url(db, url), "url": url, "title": title,
                     "description": description, "text": text, "first_seen": "2026-11-01T00:00:00Z"})
        if len(rows) == 5000:
            db["documents"].insert_all(rows)
            rows = []
    if rows:
        db["documents"].insert_all(rows)
    db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    options = parser.parse_args()
    taxonomy = load_taxonomy()
    entities = tuple(load_entities())
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "retag.db"
        started = time.perf_counter()
        build(path, options.documents)
        words = open_database(path).execute("SELECT avg(length(text) - length(replace(text, ' ', '')) + 1) "
                                            "FROM documents").fetchone()[0]
        print(f"{options.documents} documents, {words:.0f} words on average "
              f"(built in {time.perf_counter() - started:.0f} s)", flush=True)

        db = open_database(path)
        started = time.perf_counter()
        summary = retag_corpus(db, taxonomy, entities)
        a = options.documents / (time.perf_counter() - started)
        print(f"(a) retag, no labels          {a:8.0f} documents/s  ({summary.changed} changed)", flush=True)

        labels = [Label(f"https://example.org/{index}", index % 5 != 4, [], [], f"2026-11-{1 + index % 28:02d}")
                  for index in range(40)]
        mirror_labels(db, labels)
        started = time.perf_counter()
        summary = retag_corpus(db, taxonomy, entities)
        b = options.documents / (time.perf_counter() - started)
        print(f"(b) retag, {summary.labels} labels, learned   {b:8.0f} documents/s  ({summary.changed} changed)",
              flush=True)

        sample = db.execute("SELECT title, description, text FROM documents LIMIT 5000").fetchall()
        started = time.perf_counter()
        for row in sample:
            tag(taxonomy, *row, semantic=False)
        c = len(sample) / (time.perf_counter() - started)
        print(f"(c) phrases-only tagger       {c:8.0f} documents/s  (5,000 documents, no database)")
        print(f"a/c = {a / c:.2f}   b/a = {b / a:.2f}")


if __name__ == "__main__":
    main()
