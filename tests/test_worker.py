"""What a worker process loads before its first page (pipeline/understand/worker.py)."""

import subprocess
import sys

from conftest import POOLED, ROOT, run_prodops, write_sources

from pipeline.config.entities import DEFAULT_ENTITIES
from pipeline.config.sources import Source
from pipeline.config.taxonomy import DEFAULT_TAXONOMY
from pipeline.demo.webserver import Route, StaticWeb

# A fresh interpreter: in the test process the caches may be warm already.
PROBE = """
import sys
from pipeline.understand import classify, entities, tagging, worker
worker.warm_up(*sys.argv[1:3], True)
print(classify._type_index.cache_info().currsize, tagging.concept_index.cache_info().currsize,
      entities.entity_index.cache_info().currsize)
"""


def probe(*paths: str) -> list[int]:
    result = subprocess.run([sys.executable, "-c", PROBE, *paths], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return [int(size) for size in result.stdout.split()]


def test_the_warm_up_loads_the_crawls_taxonomy_and_entities():
    assert probe(str(DEFAULT_TAXONOMY), str(DEFAULT_ENTITIES)) == [1, 1, 1]


def test_a_malformed_taxonomy_is_left_to_the_crawl_to_report(tmp_path):
    """The workers start (and warm up on the broken file) while the crawl is built; the
    crawl, not a worker, reports the file: one line naming it, exit status 2, no traceback
    from any process, and nothing fetched."""
    broken = tmp_path / "taxonomy.yaml"
    broken.write_text("concepts: [oops\n")
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain"), "/page": Route(b"<p>never asked for</p>")})
    with web:
        sources = write_sources(tmp_path / "s.yaml", [Source("page", "P", "url", f"{web.base_url}/page")])
        # POOLED, not FAST: the stages' worker process must exist and warm up; one is enough.
        result = run_prodops("crawl", "--sources", str(sources), "--db", str(tmp_path / "c.db"),
                             "--allow-private-network", *POOLED, "-s", "PRODOPS_EXTRACT_WORKERS=1",
                             "-s", f"PRODOPS_TAXONOMY={broken}")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr.splitlines()[-1] == (
        f"Error: {broken}: not valid YAML at line 2, column 1: did not find expected ',' or ']'")
    assert web.requests == []


CAP_PROBE = """
import resource, sys
from pipeline.understand.worker import prepare_worker
hard = int(sys.argv[1])
if hard:
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))  # an administrator's ulimit -v
prepare_worker(int(sys.argv[2]), None)
print(*resource.getrlimit(resource.RLIMIT_AS))
"""


def test_a_workers_memory_cap_never_breaks_its_start():
    """PRODOPS_WORKER_MEMORY_MB above what the kernel holds overflowed in setrlimit, and above
    the hard limit the worker runs under (ulimit -v) was refused: either way every worker
    failed to start and every page was "Unexpected error within the Pool". The cap is then
    none, or the hard limit; one that fits is set as asked."""
    def caps(hard: int, memory_mb: int) -> list[int]:
        result = subprocess.run([sys.executable, "-c", CAP_PROBE, str(hard), str(memory_mb)], cwd=ROOT,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        return [int(value) for value in result.stdout.split()]

    gib = 1024 ** 3
    assert caps(0, 99_999_999_999_999) == [-1, -1]  # (RLIM_INFINITY: no cap)
    assert caps(64 * gib, 1024 * 1024) == [64 * gib, 64 * gib]  # a TiB asked, 64 GiB allowed
    assert caps(64 * gib, 2048) == [2 * gib, 2 * gib]
