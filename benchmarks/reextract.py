"""Kept bodies and `prodops reextract`: their size, their cost to a crawl, and the re-extraction
rate, side by side in one run.

Generates the sample web of N article pages (2-5k words, in the sample web's boilerplate)
listed in one RSS feed, serves it on 127.0.0.1, and measures:
  (a) `prodops crawl` keeping bodies (the default) and (b) with PRODOPS_BODIES_MAX_MB=0,
      interleaved a b a b, best of two each (machine noise falls on both);
  the size of `bodies` after (a): rows, compressed MiB, the HTML's MiB, the ratio;
  (c) `prodops reextract` over those bodies, nothing fetched, the same settings: documents/s;
  (d) the same with PRODOPS_EXTRACTION_FAVOUR=recall (every text re-decided).
It prints pages/s for each and the ratios a/b and c/a. Run by hand:

    .venv/bin/python benchmarks/reextract.py [--pages 1000]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawl import timed  # benchmarks/crawl.py, beside this file

from pipeline.demo.generate import generated_web
from pipeline.demo.webserver import StaticWeb

FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
        "-s", "ROBOTSTXT_OBEY=False"]


def timed_command(label: str, count: int, command: list[str]) -> float:
    """Run a command and time it (benchmarks/crawl.py's `timed`); say if it failed."""
    results: list[subprocess.CompletedProcess] = []
    rate = timed(label, count, lambda: results.append(subprocess.run(command, cwd=ROOT, capture_output=True,
                                                                     text=True)))
    if results[0].returncode != 0:
        print(results[0].stdout[-1500:], results[0].stderr[-1500:])
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    options = parser.parse_args()
    web = StaticWeb()
    articles, routes = generated_web(web.base_url, options.pages)
    web.routes.update(routes)
    html_bytes = sum(len(route.body) for path, route in routes.items() if path.startswith("/blog/"))
    print(f"{options.pages} pages, {html_bytes / options.pages / 1024:.0f} KB of HTML a page, "
          f"{os.cpu_count()} cores")
    with web, tempfile.TemporaryDirectory() as scratch:
        sources = Path(scratch) / "sources.yaml"
        sources.write_text("sources:\n  - id: bench\n    kind: feed\n"
                           f"    url: {web.base_url}/feed.xml\n    settings: {{max_entries: {options.pages}}}\n")

        def crawl(database: Path, extra: list[str]) -> list[str]:
            return [sys.executable, "-m", "pipeline.cli", "crawl", "--sources", str(sources), "--db", str(database),
                    "--allow-private-network", *FAST, *extra]

        rates: dict[str, list[float]] = {"a": [], "b": []}
        for attempt in (1, 2):
            for key, label, extra in (("a", "(a) prodops crawl, bodies kept", []),
                                      ("b", "(b) prodops crawl, PRODOPS_BODIES_MAX_MB=0",
                                       ["-s", "PRODOPS_BODIES_MAX_MB=0"])):
                rates[key].append(timed_command(f"{label}, run {attempt}", options.pages,
                                        crawl(Path(scratch) / f"{key}{attempt}.db", extra)))
        database = Path(scratch) / "a1.db"
        rows, packed = sqlite3.connect(database).execute("SELECT count(*), sum(size) FROM bodies").fetchone()
        print(f"bodies: {rows} rows, {packed / 2**20:.1f} MiB compressed (zstd 3) of {html_bytes / 2**20:.1f} MiB "
              f"of HTML: {html_bytes / packed:.1f}:1, {packed / rows / 1024:.1f} KB a page")
        reextract = [sys.executable, "-m", "pipeline.cli", "reextract", "--db", str(database)]
        c = timed_command("(c) prodops reextract, same settings", rows, reextract)
        d = timed_command("(d) prodops reextract, PRODOPS_EXTRACTION_FAVOUR=recall", rows,
                  [*reextract, "-s", "PRODOPS_EXTRACTION_FAVOUR=recall"])
    a, b = max(rates["a"]), max(rates["b"])
    print(f"best: a {a:.1f} pages/s, b {b:.1f} pages/s; c {c:.1f} documents/s, d {d:.1f} documents/s")
    print(f"a/b (cost of keeping bodies) = {a / b:.2f}   c/a (re-extraction vs the first crawl) = {c / a:.2f}")


if __name__ == "__main__":
    main()
