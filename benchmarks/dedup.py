"""Near-duplicate clustering at scale: 10,000 and 100,000 generated documents in one run.

Each size runs in its own process (so peak memory is its own) through the real code:
MinHash signature, LSH band lookup in SQLite, cluster assignment, one transaction per
document as the store stage does. One document in ten is a lightly edited copy of an
earlier one. Prints documents/s per size, the time ratio (target: <= 12x for 10x the
documents), peak RSS, and the clusters found against the copies planted.

    .venv/bin/python benchmarks/dedup.py [--sizes 10000 100000] [--words 400]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RECENT = 500
SYLLABLES = ["pro", "duct", "op", "ra", "tion", "plan", "ning", "road", "map", "da", "ta", "in",
             "sight", "team", "tool", "stack", "met", "ric", "cus", "tom", "er", "feed", "back",
             "on", "board", "ing", "en", "able", "ment", "strat", "e", "gy", "a", "lign", "launch"]


def vocabulary(rng: random.Random, size: int = 30000) -> list[str]:
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4))))
    return sorted(words)


def documents(count: int, words_per_doc: int, seed: int = 7):
    """Yield (id, text, id of the original it copies, with ':self' for an original).

    Copies are made of the last RECENT originals only, so the generator's own memory stays
    small and the peak RSS measured is the clustering's."""
    rng = random.Random(seed)
    vocab = vocabulary(rng)
    recent: dict[int, list[str]] = {}
    originals = 0
    for index in range(count):
        if recent and rng.random() < 0.1:
            source = rng.choice(list(recent))
            words = list(recent[source])
            for position in rng.sample(range(len(words)), len(words) // 20):  # 5% of words edited
                words[position] = rng.choice(vocab)
            yield f"d{index}", " ".join(words), f"o{source}"
        else:
            recent[originals] = [rng.choice(vocab) for _ in range(words_per_doc)]
            recent.pop(originals - RECENT, None)
            yield f"d{index}", " ".join(recent[originals]), f"o{originals}:self"
            originals += 1


def run_size(count: int, words_per_doc: int) -> dict:
    from pipeline.store import clusters
    from pipeline.store.database import open_database
    from pipeline.understand import signatures

    with tempfile.TemporaryDirectory() as scratch:
        db = open_database(Path(scratch) / "bench.db")
        origin_of: dict[str, str] = {}
        started = time.perf_counter()
        for doc_id, text, origin in documents(count, words_per_doc):
            origin_of[doc_id] = origin.split(":")[0]
            with db.atomic():
                db["documents"].insert({"id": doc_id, "url": f"https://x.example/{doc_id}", "text": text,
                                        "word_count": words_per_doc, "first_seen": "2026-01-01T00:00:00Z"})
                clusters.assign_cluster(db, doc_id, None, signatures.signature(text), "2026-01-01T00:00:00Z")
        elapsed = time.perf_counter() - started
        clusters = dict(db.execute("SELECT id, cluster_id FROM documents").fetchall())
        by_origin: dict[str, set] = {}
        for doc_id, origin in origin_of.items():
            by_origin.setdefault(origin, set()).add(clusters[doc_id])
        split = sum(1 for ids in by_origin.values() if len(ids) > 1)  # copies not found
        by_cluster: dict[str, set] = {}
        for doc_id, cluster in clusters.items():
            by_cluster.setdefault(cluster, set()).add(origin_of[doc_id])
        merged = sum(1 for origins in by_cluster.values() if len(origins) > 1)  # false merges
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"documents": count, "seconds": elapsed, "per_second": count / elapsed,
            "peak_rss_mib": peak_mib, "originals_split": split, "clusters_merging_originals": merged,
            "planted_copies": count - len(by_origin)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--words", type=int, default=400)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        print(json.dumps(run_size(options.child, options.words)))
        return
    results = []
    for size in options.sizes:
        output = subprocess.run([sys.executable, __file__, "--child", str(size), "--words", str(options.words)],
                                capture_output=True, text=True, check=True).stdout
        result = json.loads(output.strip().splitlines()[-1])
        results.append(result)
        print(f"{size:>8} documents: {result['seconds']:8.1f} s  {result['per_second']:8.0f} docs/s  "
              f"peak RSS {result['peak_rss_mib']:6.0f} MiB  planted copies {result['planted_copies']}, "
              f"originals split {result['originals_split']}, clusters merging originals "
              f"{result['clusters_merging_originals']}", flush=True)
    if len(results) >= 2:
        small, large = results[0], results[-1]
        ratio = large["seconds"] / small["seconds"]
        print(f"time ratio for {large['documents'] / small['documents']:.0f}x the documents: "
              f"{ratio:.1f}x (target <= 12x)")


if __name__ == "__main__":
    main()
