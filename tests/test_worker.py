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
