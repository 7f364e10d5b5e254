"""Datasette at size: search, home page and document page latency over 100,000 generated
documents.

Fills a database (through the project's own schema and migrations) with N documents that
look like the corpus (titles, descriptions, 300-word texts, tags, content types, sources,
years), starts `prodops serve` on 127.0.0.1, and measures p50/p95 of the search page
(/-/search, HTML) and of the JSON search (/-/search.json), for a word in every document and
a rare one, a six-word question and a query no document has a word of (found by meaning
alone: every document's vectors are stored, as the tag stage stores them). Targets (issue
23): HTML p95 <= 100 ms, JSON p95 <= 50 ms, the serving process <= 400 MB. For comparison it
also times Datasette's own table search (/prodops/documents?_search=), which counts and
facets every match. It also times the home page (/) and a document's page
(/-/documents/<id>), target p95 <= 100 ms (issue 15).

    .venv/bin/python benchmarks/serve.py [--documents 100000] [--requests 40] [--db PATH]

--db keeps the filled database at PATH (and reuses it when it exists).
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.config.taxonomy import load_taxonomy
from pipeline.demo.generate import SENTENCES
from pipeline.publish.datasette import database_name
from pipeline.store.database import open_database
from pipeline.store.vectors import save_vectors
from pipeline.understand.embeddings import embed, to_blob

TYPES = ["article"] * 6 + ["guide-playbook", "whitepaper-report", "template-toolkit", "podcast-episode"]
RARE_WORD = "zyxquorum"
QUERIES = (("a word in every document", "product"), ("a rare word", RARE_WORD),
           ("a six-word question", "how do teams run quarterly planning"),
           ("no word of it in any document", "scrutinising challengers"))


def fill(db_path: Path, count: int) -> None:
    rng = random.Random(11)
    concepts = [c.id for c in load_taxonomy().concepts]
    db = open_database(db_path)
    batch = []
    for index in range(count):
        text = " ".join(rng.choice(SENTENCES) for _ in range(15))
        if index % 5000 == 0:
            text += f" {RARE_WORD}"
        tags = sorted(rng.sample(concepts, rng.randint(0, 3)))
        year = rng.randint(2019, 2026)
        batch.append({
            "id": f"{index:016x}", "url": f"https://site{index % 300}.example/post/{index}",
            "title": f"{rng.choice(SENTENCES)[:80]} #{index}", "description": rng.choice(SENTENCES),
            "text": text, "word_count": len(text.split()), "source_id": f"source-{index % 300}",
            "language": "en", "published": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "year": year, "content_type": rng.choice(TYPES), "tags": json.dumps(tags),
            "relevance": round(rng.random(), 3), "first_seen": "2026-11-01T00:00:00Z",
            "cluster_id": f"{index:016x}",
        })
        if len(batch) == 5000:
            db["documents"].insert_all(batch)
            batch = []
    if batch:
        db["documents"].insert_all(batch)
    add_vectors(db)
    db.execute("ANALYZE")
    db.close()


def generated(kept: Path | None, scratch: str, documents: int) -> Path:
    """The generated database: `kept` when given (filled when it does not exist yet, and
    reused after), else a new one in `scratch`."""
    db_path = kept or Path(scratch) / "prodops.db"
    if not db_path.exists():
        started = time.perf_counter()
        fill(db_path, documents)
        print(f"filled {documents} documents in {time.perf_counter() - started:.0f} s "
              f"({db_path.stat().st_size / 2**20:.0f} MiB)", flush=True)
    return db_path


def add_vectors(db) -> None:
    """Every document's (head, page) vectors, as the tag stage would store them (the page's
    here from its head and its whole text, not passage by passage: the same cost to search)."""
    rows = db.execute("SELECT id, title, description, text FROM documents").fetchall()
    for start in range(0, len(rows), 2000):
        chunk = rows[start:start + 2000]
        heads = embed([f"{title}. {description}" for _, title, description, _ in chunk])
        bodies = embed([text for *_, text in chunk])
        pages = heads + bodies
        pages /= np.linalg.norm(pages, axis=1, keepdims=True)
        with db.atomic():
            for (doc_id, *_), head, page in zip(chunk, heads, pages):
                save_vectors(db, doc_id, (to_blob(head), to_blob(page)))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def timings(url: str, count: int) -> list[float]:
    urllib.request.urlopen(url).read()  # warm up
    result = []
    for _ in range(count):
        started = time.perf_counter()
        with urllib.request.urlopen(url) as response:
            response.read()
        result.append((time.perf_counter() - started) * 1000)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--db", type=Path, help="keep the database here (reused if it exists)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        db_path = generated(options.db, scratch, options.documents)
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "serve", "--db", str(db_path),
                                   "--port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        try:
            site = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/-/versions.json").read()
                    break
                except OSError:
                    time.sleep(0.2)
            results = {}
            table = f"/{database_name(db_path)}/documents"
            pages = (("HTML", "/-/search?q="), ("JSON", "/-/search.json?q="),
                     ("HTML", f"{table}?_search="), ("JSON", f"{table}.json?_search="))
            for label, path in (("home page", "/"), ("document page", f"/-/documents/{12345:016x}")):
                values = timings(f"{site}{path}", options.requests)
                p95 = statistics.quantiles(values, n=20)[18]
                results[("page", label)] = p95
                print(f"HTML {label + ' ' + path:<44} p50 {statistics.median(values):7.1f} ms   "
                      f"p95 {p95:7.1f} ms", flush=True)
            for kind, path in pages:
                ours = path.startswith("/-/")
                for what, query in QUERIES if ours else QUERIES[:2]:
                    values = timings(f"{site}{path}{urllib.parse.quote(query)}", options.requests if ours else 10)
                    p50 = statistics.median(values)
                    p95 = statistics.quantiles(values, n=20)[18]
                    if ours:
                        results[(kind, what)] = p95
                    print(f"{kind:<4} {path + query:<56} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms", flush=True)
            peak = int(Path(f"/proc/{server.pid}/status").read_text().split("VmHWM:")[1].split()[0]) / 1024
            print(f"the serving process's peak memory (VmHWM): {peak:.0f} MiB (target <= 400)")
        finally:
            server.terminate()
            server.wait(timeout=30)
    html = max(v for (kind, _), v in results.items() if kind == "HTML")
    js = max(v for (kind, _), v in results.items() if kind == "JSON")
    print(f"worst p95 of /-/search: HTML {html:.1f} ms (target <= 100), JSON {js:.1f} ms (target <= 50)")
    print(f"p95 of the home page {results[('page', 'home page')]:.1f} ms, of a document's page "
          f"{results[('page', 'document page')]:.1f} ms (target <= 100 each)")


if __name__ == "__main__":
    main()
