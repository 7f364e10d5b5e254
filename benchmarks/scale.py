"""Scaling out: the crawl's stages on a Dask cluster, against the local pool, in one run.

Starts a Dask scheduler on 127.0.0.1 and 1, 2 and then 3 worker processes (one thread each),
serves a generated web of N article pages listed in one feed, and prints side by side:
  - pages/s of `prodops crawl` with the local pool and through the cluster of 1, 2, 3 workers;
  - the crawler process's own CPU time per page when the stages run on the cluster (fetching,
    parsing feeds, storing): the ceiling one crawler sets, 1 / that time, in pages/s; with
    its start-up, and once started (less the CPU of a crawl of SMALL pages);
  - the per-page overhead of sending work to the cluster: the mean round trip of a task that
    carries a page's HTML and returns at once (client to scheduler to worker and back);
  - the one SQLite writer's ceiling: documents/s that the store's own function saves (row,
    FTS, sighting, validators, signature bands and cluster; signatures made beforehand);
  - `prodops retag` over D documents, local pool vs the cluster of 3 workers.
On a two-core machine a cluster cannot beat the local pool (its workers share the same two
cores with the crawler and the scheduler): the figures show the overhead and the ceiling.
Run by hand:

    .venv/bin/python benchmarks/scale.py [--pages 600] [--documents 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from retag import build  # benchmarks/retag.py: the corpus of generated documents

from pipeline.demo.generate import generated_web
from pipeline.demo.webserver import StaticWeb

DASK = str(Path(sys.executable).parent / "dask")
SMALL = 20  # pages of the crawl that measures a crawler's start-up
FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
        "-s", "ROBOTSTXT_OBEY=False"]


def echo_page(html: str) -> int:
    """A task that does nothing with a page but carry it (the transport's cost alone)."""
    return len(html)


def run_timed(command: list[str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """(wall seconds, CPU seconds of the process and its children, the result)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode not in (0,):
        print(result.stdout[-1500:], result.stderr[-1500:])
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), result


async def round_trip_ms(address: str, html: str, tasks: int) -> float:
    from distributed import Client

    async with Client(address, asynchronous=True) as client:
        await client.submit(echo_page, html, pure=False)  # warm
        started = time.perf_counter()
        for _ in range(tasks):
            await client.submit(echo_page, html, pure=False)
        return (time.perf_counter() - started) * 1000 / tasks


def writer_rate(path: Path, articles: list[dict]) -> float:
    """Documents/s that save_document (what the store stage calls) writes, one transaction each."""
    from feeds.entries import EntryHints
    from pipeline.items import Extraction, Page
    from pipeline.store.database import open_database
    from pipeline.store.documents import DocumentWrite, Fetched, document_row, save_document
    from pipeline.understand.signatures import signature

    rows = []
    for index, article in enumerate(articles):
        url = f"https://blog.example/{article['slug']}/"
        text = "\n".join(article["paragraphs"])
        page = Page(url=url, source_id="bench", found_via="feed", final_url=url, status=200, canonical_url=url,
                    doc_id=f"{index:016x}", hints=EntryHints(title=article["title"], published=article["date"]),
                    extraction=Extraction(text=text, extractor="trafilatura x"))
        rows.append((document_row(page), signature(text)))
    db = open_database(path)
    started = time.perf_counter()
    for row, sig in rows:
        save_document(db, DocumentWrite(row, row["url"], "2026-12-01T00:00:00Z", fetched=Fetched({"etag": "x"}, "hash"),
                                        signature=sig))
    return len(rows) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=600)
    parser.add_argument("--documents", type=int, default=100000)
    options = parser.parse_args()
    web = StaticWeb()
    articles, routes = generated_web(web.base_url, options.pages)
    web.routes.update(routes)
    page_html = routes["/blog/p0/"].body.decode()
    processes: list[subprocess.Popen] = []
    with web, tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        def sources_of(pages: int) -> Path:
            path = scratch / f"sources-{pages}.yaml"
            path.write_text("sources:\n  - id: bench\n    kind: feed\n"
                            f"    url: {web.base_url}/feed.xml\n    settings: {{max_entries: {pages}}}\n")
            return path

        def crawl(name: str, extra: list[str], pages: int = options.pages) -> tuple[float, float]:
            wall, cpu, _ = run_timed([sys.executable, "-m", "pipeline.cli", "crawl",
                                      "--sources", str(sources_of(pages)),
                                      "--db", str(scratch / f"{name}.db"), "--allow-private-network", *FAST, *extra])
            print(f"{name:<34} {wall:7.1f} s  {pages / wall:7.1f} pages/s", flush=True)
            return wall, cpu

        crawl("crawl, local pool", [])
        address = "tcp://127.0.0.1:8797"
        processes.append(subprocess.Popen([DASK, "scheduler", "--host", "127.0.0.1", "--port", "8797",
                                           "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        time.sleep(3)
        cpu_per_page = None
        try:
            for workers in (1, 2, 3):
                processes.append(subprocess.Popen([DASK, "worker", address, "--nthreads", "1", "--no-dashboard",
                                                   "--host", "127.0.0.1"], stdout=subprocess.DEVNULL,
                                                  stderr=subprocess.DEVNULL))
                time.sleep(4)
                _, cpu = crawl(f"crawl, cluster of {workers} worker(s)", ["--cluster", address])
                cpu_per_page = cpu / options.pages  # the crawl's process alone: its stages ran elsewhere
            _, start_up = crawl(f"crawl, cluster, {SMALL} pages", ["--cluster", address], SMALL)
            once_started = (cpu - start_up) / (options.pages - SMALL)
            overhead = asyncio.run(round_trip_ms(address, page_html, 200))
            print(f"crawler's own CPU per page, stages elsewhere: {cpu_per_page * 1000:.2f} ms "
                  f"-> ceiling of one crawler {1 / cpu_per_page:.0f} pages/s (start-up included)", flush=True)
            print(f"  once started: {once_started * 1000:.2f} ms -> {1 / once_started:.0f} pages/s", flush=True)
            print(f"round trip of a task carrying a {len(page_html) / 1024:.0f} KB page: {overhead:.2f} ms", flush=True)
            words = sum(len(" ".join(a["paragraphs"]).split()) for a in articles) / len(articles)
            print(f"the one SQLite writer: {writer_rate(scratch / 'writer.db', articles):.0f} documents/s "
                  f"({words:.0f} words each)", flush=True)
            corpus = scratch / "retag.db"
            build(corpus, options.documents)
            for name, extra in (("retag, local pool", []), ("retag, cluster of 3 workers", ["--cluster", address])):
                wall, _, result = run_timed([sys.executable, "-m", "pipeline.cli", "retag", "--db", str(corpus),
                                             *extra])
                print(f"{name:<34} {wall:7.1f} s  {options.documents / wall:7.0f} documents/s  "
                      f"{result.stdout.strip()[:60]}", flush=True)
        finally:
            for process in reversed(processes):
                process.terminate()
                process.wait(timeout=30)


if __name__ == "__main__":
    main()
