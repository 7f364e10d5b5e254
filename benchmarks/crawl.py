"""Crawl throughput: bare trafilatura vs. `prodops crawl` end to end, in one run.

Generates a sample web of N article pages (2-5k words each, inside the sample web's page
boilerplate) listed in one RSS feed, serves it on 127.0.0.1, and measures:
  (a) trafilatura.extract with metadata over the pages, one process;
  (b) the same split over every core (a process pool);
  (c) `prodops crawl` end to end (fetch, extract, store) with politeness delays off;
  (d) the same with the semantic signal off (PRODOPS_SEMANTIC=False: phrases only).
(c) and (d) run twice, interleaved (c d c d), and the best of each counts, so that machine
noise falls on both. It prints pages/s for each and the ratios c/a, c/b and c/d. Run by hand:

    .venv/bin/python benchmarks/crawl.py [--pages 2000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import trafilatura

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.demo.generate import generated_web
from pipeline.demo.webserver import StaticWeb


def extract(args: tuple[str, str]) -> bool:
    html, url = args
    return trafilatura.extract(html, url=url, with_metadata=True) is not None


def timed(label: str, pages: int, action) -> float:
    started = time.perf_counter()
    action()
    elapsed = time.perf_counter() - started
    rate = pages / elapsed
    print(f"{label:<48} {elapsed:8.1f} s  {rate:8.1f} pages/s", flush=True)
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    options = parser.parse_args()

    web = StaticWeb()
    articles, routes = generated_web(web.base_url, options.pages)
    web.routes.update(routes)
    pages = {path: route.body.decode() for path, route in routes.items() if path.startswith("/blog/")}
    words = sum(len(" ".join(a["paragraphs"]).split()) for a in articles)
    print(f"{options.pages} pages, {words / options.pages:.0f} words a page on average, "
          f"{sum(map(len, pages.values())) / 2**20:.1f} MiB of HTML; {options.workers} cores")
    jobs = [(html, web.base_url + path) for path, html in pages.items()]

    a = timed("(a) trafilatura.extract, one process", options.pages,
              lambda: [extract(job) for job in jobs])
    with ProcessPoolExecutor(options.workers) as pool:
        list(pool.map(extract, jobs[: options.workers]))  # start the workers outside the timing
        b = timed(f"(b) trafilatura.extract, {options.workers} processes", options.pages,
                  lambda: list(pool.map(extract, jobs, chunksize=8)))

    with web, tempfile.TemporaryDirectory() as scratch:
        sources = Path(scratch) / "sources.yaml"
        sources.write_text(
            "sources:\n  - id: bench\n    kind: feed\n"
            f"    url: {web.base_url}/feed.xml\n    settings: {{max_entries: {options.pages}}}\n"
        )
        def command(database: Path, extra: list[str]) -> list[str]:
            return [
                sys.executable, "-m", "pipeline.cli", "crawl", "--sources", str(sources),
                "--db", str(database), "--allow-private-network",
                "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0",
                "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "-s", "ROBOTSTXT_OBEY=False", *extra,
            ]

        rates: dict[str, list[float]] = {"c": [], "d": []}
        for attempt in (1, 2):
            for key, label, extra in (("c", "(c) prodops crawl end to end", []),
                                      ("d", "(d) prodops crawl, semantic signal off", ["-s", "PRODOPS_SEMANTIC=False"])):
                run = command(Path(scratch) / f"bench-{key}-{attempt}.db", extra)
                result: list[subprocess.CompletedProcess] = []
                rates[key].append(timed(f"{label}, run {attempt}", options.pages,
                                        lambda: result.append(subprocess.run(run, cwd=ROOT, capture_output=True, text=True))))
                if result[0].returncode != 0:
                    print(result[0].stderr[-2000:])
        print("    " + result[0].stdout.strip().replace("\n", "\n    "))
        c, d = max(rates["c"]), max(rates["d"])
    print(f"best: c {c:.1f} pages/s, d {d:.1f} pages/s")
    print(f"c/a = {c / a:.2f}   c/b = {c / b:.2f}   c/d (semantic on / off) = {c / d:.2f}")


if __name__ == "__main__":
    main()
