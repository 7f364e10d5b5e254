"""Incremental recrawl: a first crawl and a second crawl of an unchanged sample web.

Generates N pages (default 1000, 2-5k words each) listed in one RSS feed, served on
127.0.0.1 by a server that sends ETags and answers If-None-Match with 304, like most real
servers. Runs `prodops crawl` twice on one database and prints, for each crawl, the time,
the body bytes the server sent and the run's counts, then the ratios. Targets (issue 3):
the second crawl downloads >= 90% fewer bytes and takes <= 20% of the first's time.
A third crawl, after one new entry is added to the feed, shows the other path: the feed
is read again and every page is asked for with If-None-Match (1000 requests, 304s).

    .venv/bin/python benchmarks/recrawl.py [--pages 1000]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlite_utils

from pipeline.demo.generate import generated_web
from pipeline.demo.webserver import StaticWeb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    options = parser.parse_args()
    web = StaticWeb()
    articles, routes = generated_web(web.base_url, options.pages + 1)
    new_article = articles.pop()  # published before the third crawl
    web.routes.update(generated_web(web.base_url, options.pages)[1])
    changed_feed = routes["/feed.xml"]
    with web, tempfile.TemporaryDirectory() as scratch:
        sources = Path(scratch) / "sources.yaml"
        sources.write_text(
            "sources:\n  - id: bench\n    kind: feed\n"
            f"    url: {web.base_url}/feed.xml\n    settings: {{max_entries: {options.pages + 1}}}\n"
        )
        db_path = Path(scratch) / "bench.db"
        command = [
            sys.executable, "-m", "pipeline.cli", "crawl", "--sources", str(sources),
            "--db", str(db_path), "--allow-private-network",
            "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0",
            "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
        ]
        figures = []
        for label in ("first crawl", "second crawl (unchanged web)", "third crawl (1 new entry)"):
            if label.startswith("third"):
                web.routes["/feed.xml"] = changed_feed
                web.routes[f"/blog/{new_article['slug']}/"] = routes[f"/blog/{new_article['slug']}/"]
            sent_before, started = web.bytes_sent, time.perf_counter()
            result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
            elapsed = time.perf_counter() - started
            sent = web.bytes_sent - sent_before
            figures.append((elapsed, sent))
            print(f"{label:<30} {elapsed:7.1f} s  {sent / 2**20:8.2f} MiB sent  "
                  f"{result.stdout.strip().splitlines()[0] if result.stdout else result.stderr[-500:]}")
        runs = list(sqlite_utils.Database(db_path)["runs"].rows)
        print(f"documents: {sqlite_utils.Database(db_path)['documents'].count}; "
              f"runs: {[(r['documents_new'], r['documents_unchanged']) for r in runs]} (new, unchanged)")
    (first_time, first_bytes), (second_time, second_bytes), (third_time, third_bytes) = figures
    saved = 1 - second_bytes / first_bytes
    print(f"bytes: second/first = {second_bytes / first_bytes:.4f} ({saved:.1%} fewer; target >= 90%)")
    print(f"time:  second/first = {second_time / first_time:.3f} (target <= 0.20)")
    print(f"third crawl (feed changed): bytes third/first = {third_bytes / first_bytes:.4f}, "
          f"time third/first = {third_time / first_time:.3f}")


if __name__ == "__main__":
    main()

