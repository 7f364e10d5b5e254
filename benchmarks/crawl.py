"""Crawl throughput: bare trafilatura vs. `prodops crawl` end to end, in one run.

Serves N real pages — the HTML files of ../shared/corpora/html (mozilla-readability's 130
pages of real sites, ~190 KB each), repeated with a distinct URL and comment when N is
larger — or with --generated a sample web of N light article pages (2-5k words in the
sample web's boilerplate), listed in two RSS feeds on 127.0.0.1: one whose entries give
each page's title, author and date, one whose entries give titles only. It measures:
  (a) trafilatura.extract with metadata over the pages, one process;
  (b) the same split over every core (a process pool);
  (c) `prodops crawl` end to end (fetch, extract, store) with politeness delays off, through
      the feed that gives the metadata (the crawl then skips trafilatura's search for it);
  (c=) the same through the feed that gives titles only: the crawl reads each page's author
      and date as bare extraction does (equal work: as for every page a sitemap, a site
      crawl or a links page finds);
  (d) with --semantic-off, (c) with the semantic signal off (phrases only).
(b), (c), (c=) and (d) run twice, interleaved (b c c= d b c c= d), and the best of each
counts, so that machine noise falls on every side. It prints pages/s for each and c/b for
both feeds; the goal (issues 12 and 26) is c/b >= 0.8 on equal work. For each crawl it also
prints the CPU per page of the crawler process and of its worker processes, apart. Then (e)
one inline crawl (PRODOPS_INLINE_STAGES=True) of the equal-work feed under cProfile gives
the CPU per page of each stage's work (cProfile's own overhead inflates the Python-heavy
parts a little). Run by hand:

    .venv/bin/python benchmarks/crawl.py [--pages 1102] [--generated] [--semantic-off]
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

import psutil  # installed with distributed (a dependency)
import trafilatura

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.demo.generate import generated_web
from pipeline.demo.sampleweb import rss_feed
from pipeline.demo.webserver import Route, StaticWeb

CORPUS = ROOT.parent / "shared" / "corpora" / "html"
# Where the inline crawl's CPU goes: (what, the function whose cumulative time it is).
STAGE_FUNCTIONS = (
    ("extract (trafilatura, links)", "extract_html"),
    ("classify (type, language)", "classify_text"),
    ("tag (phrases, semantic, entities)", "describe"),
    ("dedup (MinHash signature)", "signature"),
    ("store (SQLite, FTS, clusters, bodies)", "process_item", "store.py"),
)


def real_web(base_url: str, pages: int) -> dict[str, Route]:
    """`pages` real pages from the corpus (repeated, each copy its own URL and bytes) and a feed."""
    files = sorted(CORPUS.rglob("*.html"))
    if not files:
        raise SystemExit(f"no HTML files under {CORPUS}; use --generated")
    routes, entries = {}, []
    for index in range(pages):
        body = files[index % len(files)].read_bytes() + f"\n<!-- copy {index} -->\n".encode()
        entries.append({"slug": f"r{index}", "title": f"Page {index}", "author": "A",
                        "date": "2026-11-01T08:00:00Z", "summary": ""})
        routes[f"/blog/r{index}/"] = Route(body)
    routes["/feed.xml"] = Route(rss_feed(base_url, entries).encode(), "application/rss+xml")
    return routes


def bare_feed(base_url: str, paths: list[str]) -> bytes:
    """An RSS feed of the pages that gives each one's link and title only (no author, no date)."""
    items = "".join(f"<item><title>Page {index}</title><link>{base_url}{path}</link></item>"
                    for index, path in enumerate(paths))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Bare</title>'
            f"<link>{base_url}/</link><description>Titles only</description>{items}</channel></rss>").encode()


def run_watched(command: list[str]) -> tuple[subprocess.CompletedProcess, float, float]:
    """Run a crawl: (its result, the CPU seconds of the crawler process, of its workers),
    each as last sampled (every 0.1 s: a little low, by at most a tenth of a second each).
    Sampled, not taken from os.wait4: the workers are forked by multiprocessing's fork
    server, which the crawler never reaps, so their time never reaches its rusage."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=err, text=True)
        watched = psutil.Process(process.pid)
        crawler, workers = 0.0, {}
        while process.poll() is None:
            try:
                own = watched.cpu_times()
                crawler = own.user + own.system
                for child in watched.children(recursive=True):
                    times = child.cpu_times()
                    workers[child.pid] = times.user + times.system
            except psutil.Error:
                pass  # a child (or the crawler) ended between the listing and the reading
            time.sleep(0.1)
        out.seek(0)
        err.seek(0)
        result = subprocess.CompletedProcess(command, process.returncode, out.read(), err.read())
    return result, crawler, sum(workers.values())


def stage_profile(profile_path: Path, pages: int) -> None:
    """Print the CPU per page of each stage from an inline crawl's cProfile output."""
    import pstats

    stats = pstats.Stats(str(profile_path))
    total = stats.total_tt
    found = {}
    for (filename, _, name), (_, _, _, cumulative, _) in stats.stats.items():
        for label, function, *where in STAGE_FUNCTIONS:
            if name == function and (not where or filename.endswith(where[0])):
                found[label] = max(found.get(label, 0.0), cumulative)
    print(f"(e) CPU per page of an inline crawl, by stage (cProfile, {pages} pages):")
    for label, *_ in STAGE_FUNCTIONS:
        print(f"    {label:<40} {found.get(label, 0.0) * 1000 / pages:7.1f} ms")
    rest = total - sum(found.values())
    print(f"    {'the rest (fetch, parse, Scrapy, start-up)':<40} {rest * 1000 / pages:7.1f} ms")
    print(f"    {'total':<40} {total * 1000 / pages:7.1f} ms")


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
    parser.add_argument("--pages", type=int, default=1102)  # as many as issue 12 measured
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--generated", action="store_true", help="the generated light pages, not real ones")
    parser.add_argument("--semantic-off", action="store_true", help="also (d): the crawl with phrases only")
    options = parser.parse_args()

    web = StaticWeb()
    routes = (generated_web(web.base_url, options.pages)[1] if options.generated
              else real_web(web.base_url, options.pages))
    web.routes.update(routes)
    pages = {path: route.body.decode("utf-8", errors="replace") for path, route in routes.items()
             if path.startswith("/blog/")}
    web.routes["/feed-bare.xml"] = Route(bare_feed(web.base_url, list(pages)), "application/rss+xml")
    print(f"{options.pages} {'generated' if options.generated else 'real'} pages, "
          f"{sum(map(len, pages.values())) / options.pages / 1024:.0f} KB of HTML a page; {options.workers} cores")
    jobs = [(html, web.base_url + path) for path, html in pages.items()]

    a = timed("(a) trafilatura.extract, one process", options.pages,
              lambda: [extract(job) for job in jobs])
    bare = ProcessPoolExecutor(options.workers)
    list(bare.map(extract, jobs[: options.workers]))  # start the workers outside the timing

    with bare, web, tempfile.TemporaryDirectory() as scratch:
        def sources(feed: str) -> Path:
            path = Path(scratch) / f"sources-{feed}.yaml"
            path.write_text("sources:\n  - id: bench\n    kind: feed\n"
                            f"    url: {web.base_url}/{feed}\n    settings: {{max_entries: {options.pages}}}\n")
            return path

        def command(feed: str, database: Path, extra: list[str]) -> list[str]:
            return [
                sys.executable, "-m", "pipeline.cli", "crawl", "--sources", str(sources(feed)),
                "--db", str(database), "--allow-private-network",
                "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0",
                "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "-s", "ROBOTSTXT_OBEY=False",
                "-s", "PRODOPS_PDF_LINKS_PER_PAGE=0",  # real pages link PDFs on the internet: none fetched
                *extra,
            ]

        crawls = [("c", "(c) prodops crawl, feed gives metadata", "feed.xml", []),
                  ("c=", "(c=) prodops crawl, equal work", "feed-bare.xml", [])]
        if options.semantic_off:
            crawls.append(("d", "(d) prodops crawl, semantic signal off", "feed.xml", ["-s", "PRODOPS_SEMANTIC=False"]))
        rates: dict[str, list[float]] = {key: [] for key in ["b", *(crawl[0] for crawl in crawls)]}
        for attempt in (1, 2):
            rates["b"].append(timed(f"(b) trafilatura.extract, {options.workers} processes, run {attempt}",
                                    options.pages, lambda: list(bare.map(extract, jobs, chunksize=8))))
            for key, label, feed, extra in crawls:
                run = command(feed, Path(scratch) / f"bench-{key}-{attempt}.db", extra)
                result: list[tuple[subprocess.CompletedProcess, float, float]] = []
                rates[key].append(timed(f"{label}, run {attempt}", options.pages,
                                        lambda: result.append(run_watched(run))))
                done, crawler, workers = result[0]
                if done.returncode != 0:
                    print(done.stderr[-2000:])
                print(f"    CPU a page: crawler process {crawler * 1000 / options.pages:5.1f} ms, "
                      f"workers {workers * 1000 / options.pages:5.1f} ms", flush=True)
        print("    " + done.stdout.strip().replace("\n", "\n    "))
        b = max(rates["b"])
        print(f"best: b {b:.1f} pages/s, " + ", ".join(f"{key} {max(rates[key]):.1f} pages/s" for key, *_ in crawls))
        print(f"c/a = {max(rates['c']) / a:.2f}   c/b, feed gives metadata = {max(rates['c']) / b:.2f}   "
              f"c/b, equal work = {max(rates['c=']) / b:.2f} (goal >= 0.8)")
        if options.semantic_off:
            print(f"c/d (semantic on / off) = {max(rates['c']) / max(rates['d']):.2f}")
        profile = Path(scratch) / "crawl.prof"
        run = command("feed-bare.xml", Path(scratch) / "bench-e.db", ["-s", "PRODOPS_INLINE_STAGES=True"])
        subprocess.run([sys.executable, "-m", "cProfile", "-o", str(profile), *run[1:]], cwd=ROOT,
                       capture_output=True, text=True)
        stage_profile(profile, options.pages)


if __name__ == "__main__":
    main()
