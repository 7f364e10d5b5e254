"""What a worker process loads before its first page (pipeline/understand/worker.py)."""

import subprocess
import sys

from conftest import ROOT

from pipeline.config.entities import DEFAULT_ENTITIES
from pipeline.config.taxonomy import DEFAULT_TAXONOMY

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
    broken = tmp_path / "taxonomy.yaml"
    broken.write_text("concepts: [oops\n")
    assert probe(str(broken), str(DEFAULT_ENTITIES)) == [0, 0, 0]
