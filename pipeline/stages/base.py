"""What the CPU-bound stages share: the crawl's worker pool, and for the taxonomy stages the
path of the taxonomy (read once in each worker)."""

from __future__ import annotations

from pipeline.config.taxonomy import load_taxonomy
from pipeline.stages.pool import WorkerPool


class PooledStage:
    """A stage whose work runs in the crawl's worker pool."""

    def __init__(self, pool: WorkerPool):
        self.pool = pool

    @classmethod
    def from_crawler(cls, crawler):
        return cls(WorkerPool.of(crawler))


class TaxonomyStage(PooledStage):
    """A pooled stage that works from data/taxonomy.yaml (PRODOPS_TAXONOMY)."""

    def __init__(self, pool: WorkerPool, taxonomy_path: str):
        super().__init__(pool)
        load_taxonomy(taxonomy_path)  # a malformed taxonomy stops the crawl before it starts
        self.taxonomy_path = pool.ship(taxonomy_path)  # what the workers read it as

    @classmethod
    def from_crawler(cls, crawler):
        return cls(WorkerPool.of(crawler), crawler.settings.get("PRODOPS_TAXONOMY"))
