"""The URL -> document lookup the store makes for every page (`document_id_for_url`), with
and without the index on `sightings(url, last_seen)` (migration m020), side by side in one
run, on databases of 10,000 and 200,000 sightings made with the real schema.

    .venv/bin/python benchmarks/url_lookup.py [--sizes 10000 200000] [--lookups 500]
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

from pipeline.store.database import open_database
from pipeline.store.documents import document_id_for_url

INDEX = "idx_sightings_url_last_seen"


def fill(db, size: int) -> None:
    """`size` sightings of `size` documents found in a feed, as a crawl leaves them."""
    rows = ((f"d{n:07d}", "feed-a", f"https://blog.example/{n}/post", "feed", "2026-12-01", "2026-12-06")
            for n in range(size))
    with db.atomic():
        db.conn.executemany("INSERT INTO sightings (document_id, source_id, url, found_via, first_seen, last_seen) "
                            "VALUES (?, ?, ?, ?, ?, ?)", rows)


def per_lookup_ms(db, urls: list[str]) -> float:
    """Milliseconds a lookup, over `urls` (half of them stored, half not: a new page)."""
    started = time.perf_counter()
    for url in urls:
        document_id_for_url(db, url)
    return (time.perf_counter() - started) / len(urls) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 200_000])
    parser.add_argument("--lookups", type=int, default=500)
    args = parser.parse_args()
    rng = random.Random(7)
    print(f"{'sightings':>10} {'without index':>15} {'with index':>12} {'ratio':>8}")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            db = open_database(Path(folder) / "lookup.db")
            fill(db, size)
            urls = [f"https://blog.example/{rng.randrange(size * 2)}/post" for _ in range(args.lookups)]
            with_index = per_lookup_ms(db, urls)
            db.execute(f"DROP INDEX {INDEX}")
            without = per_lookup_ms(db, urls)
            db.execute(f"CREATE INDEX {INDEX} ON sightings (url, last_seen)")
            indexed = min(with_index, per_lookup_ms(db, urls))  # the index back: no warm-up artefact
            print(f"{size:>10,} {without:>12.3f} ms {indexed:>9.4f} ms {without / indexed:>7.0f}x")
            db.close()


if __name__ == "__main__":
    main()
