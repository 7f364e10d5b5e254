"""The review queue's refit at size: how long `rescore_corpus` (pipeline/store/rescore.py)
takes to fit the models on the curator's labels and re-score 100,000 documents from their
stored tagger scores and vectors, beside what tagging them again (the work `prodops retag`
does per document, before any writing) costs on the same machine.

The corpus is benchmarks/serve.py's generated one (every document's vectors stored), copied
so the original stays as it was; its tagger scores are its relevances, and 40 documents are
labelled (half relevant). Three runs: the first fit (every score moves), the same labels
again (nothing to write), five labels more (the site's refit after five judgements).

    .venv/bin/python benchmarks/rescore.py [--documents 100000] [--db PATH]

--db reuses (or keeps) the generated database at PATH, as benchmarks/serve.py does.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.serve import generated
from pipeline.clock import now_iso
from pipeline.config.labels import Label
from pipeline.config.taxonomy import load_taxonomy
from pipeline.store.database import open_database
from pipeline.store.labels import save_label
from pipeline.store.rescore import rescore_corpus
from pipeline.store.retag import judge

SAMPLE = 300  # documents tagged again to price a retag


def label(db, rows) -> None:
    for index, (doc_id, url) in enumerate(rows):
        save_label(db, Label(url, index % 2 == 0, [], [], now_iso(), by="bench"), doc_id)


def timed(what: str, run) -> object:
    started = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - started
    print(f"{what:<52} {seconds:8.2f} s")
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="the generated database (made when absent)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = generated(args.db, tmp, args.documents)
        copy = Path(tmp) / "rescore.db"
        shutil.copy(source, copy)
        db = open_database(copy)
        taxonomy = load_taxonomy()
        with db.atomic():
            db.execute("UPDATE documents SET tagger_relevance = relevance, tagger_scores = coalesce(tag_scores, '{}')")
            db.execute("DELETE FROM labels")
        total = db.execute("SELECT count(*) FROM documents").fetchone()[0]
        rows = db.execute("SELECT id, url FROM documents").fetchall()
        picked = random.Random(5).sample(rows, 45)
        label(db, picked[:40])
        print(f"{total:,} documents, 40 labels")
        first, first_s = timed("refit + re-score, first fit", lambda: rescore_corpus(db, taxonomy))
        print(f"  {first.changed:,} documents changed, learned: {first.learned}")
        timed("the same labels again (nothing to write)", lambda: rescore_corpus(db, taxonomy))
        label(db, picked[40:])
        more, _ = timed("five labels more (the site's refit)", lambda: rescore_corpus(db, taxonomy))
        print(f"  {more.changed:,} documents changed")
        sample = [dict(zip(("id", "url", "title", "description", "text", "markup_types", "extracted_by",
                            "media_type", "page_count"), row))
                  for row in db.execute("SELECT id, url, title, description, text, markup_types, extracted_by, "
                                        f"media_type, page_count FROM documents LIMIT {SAMPLE}").fetchall()]
        db.close()
        judge(taxonomy, (), sample[:5])  # load the models once
        _, tagging_s = timed(f"tagging {SAMPLE} documents again, one core", lambda: judge(taxonomy, (), sample))
        per_document = tagging_s / SAMPLE
        print(f"a retag's tagging of {total:,} documents on 2 cores: ~{per_document * total / 2:,.0f} s "
              f"({per_document * 1000:.1f} ms a document a core)")
        print(f"refit + re-score / retag's tagging alone: 1 : {per_document * total / 2 / first_s:,.0f}")
        print(f"peak memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")


if __name__ == "__main__":
    main()
