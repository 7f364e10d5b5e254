"""What storing the documents' vectors (pipeline/store/vectors.py) costs a crawl: the same
crawl of real pages with PRODOPS_STORE_VECTORS on and off, interleaved, best of two each,
side by side in one run. The goal (issue 23): storing vectors costs at most 5% of the
crawl's throughput.

    .venv/bin/python benchmarks/vectors.py [--pages 520]
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
sys.path.insert(0, str(ROOT / "benchmarks"))

from crawl import real_web

from pipeline.demo.webserver import StaticWeb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=520)
    options = parser.parse_args()
    web = StaticWeb()
    web.routes.update(real_web(web.base_url, options.pages))
    rates: dict[bool, list[float]] = {True: [], False: []}
    with web, tempfile.TemporaryDirectory() as scratch:
        sources = Path(scratch) / "sources.yaml"
        sources.write_text("sources:\n  - id: bench\n    kind: feed\n"
                           f"    url: {web.base_url}/feed.xml\n    settings: {{max_entries: {options.pages}}}\n")
        for attempt in (1, 2):
            for store in (True, False):
                database = Path(scratch) / f"v-{store}-{attempt}.db"
                command = [sys.executable, "-m", "pipeline.cli", "crawl", "--sources", str(sources), "--db",
                           str(database), "--allow-private-network", "-s", "AUTOTHROTTLE_ENABLED=False",
                           "-s", "DOWNLOAD_DELAY=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
                           "-s", "ROBOTSTXT_OBEY=False", "-s", "PRODOPS_PDF_LINKS_PER_PAGE=0",
                           "-s", f"PRODOPS_STORE_VECTORS={store}"]
                started = time.perf_counter()
                done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
                seconds = time.perf_counter() - started
                if done.returncode != 0:
                    print(done.stderr[-2000:])
                rates[store].append(options.pages / seconds)
                print(f"vectors {'stored' if store else 'not stored':<11} run {attempt}  {seconds:6.1f} s  "
                      f"{options.pages / seconds:6.1f} pages/s", flush=True)
    on, off = max(rates[True]), max(rates[False])
    print(f"best: stored {on:.1f} pages/s, not stored {off:.1f} pages/s; stored/not = {on / off:.3f} "
          "(goal >= 0.95)")


if __name__ == "__main__":
    main()
