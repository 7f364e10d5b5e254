"""What the CPU-bound stages share: the crawl's worker pool, the calls read ahead in a page's
extraction task, and for the taxonomy stages the path of the taxonomy (read once in each
worker)."""

from __future__ import annotations

from pipeline.config.entities import load_entities
from pipeline.config.taxonomy import load_taxonomy
from pipeline.items import Page
from pipeline.stages.pool import WorkerPool
from pipeline.stages.reading import Call, ReadAhead


class PooledStage:
    """A stage whose work runs in the crawl's worker pool."""

    def __init__(self, pool: WorkerPool):
        self.pool = pool

    @classmethod
    def from_crawler(cls, crawler):
        return cls(WorkerPool.of(crawler))

    async def compute(self, item: Page, call: Call):
        """The result of `function(*args)` for this page: the one its extraction's task
        computed ahead when it had exactly these arguments, else from a worker now."""
        function, args = call
        ahead = item.ahead.pop(function.__name__, None)
        if ahead is not None and ahead[0] == args:
            return ahead[1]
        return await self.pool.run(function, *args)


class TaxonomyStage(PooledStage):
    """A pooled stage that works from data/taxonomy.yaml (PRODOPS_TAXONOMY)."""

    def __init__(self, pool: WorkerPool, taxonomy_path: str):
        super().__init__(pool)
        load_taxonomy(taxonomy_path)  # a malformed taxonomy stops the crawl before it starts
        self.taxonomy_path = pool.ship(taxonomy_path)  # what the workers read it as

    @classmethod
    def from_crawler(cls, crawler):
        return cls(WorkerPool.of(crawler), crawler.settings.get("PRODOPS_TAXONOMY"))


def read_ahead_of(settings, pool: WorkerPool) -> ReadAhead:
    """The later stages' settings, as their calls will carry them (config files as the
    workers name them), for the extraction's task to run those calls ahead. A malformed
    file stops the crawl here, as it would in its own stage."""
    load_taxonomy(settings.get("PRODOPS_TAXONOMY"))
    load_entities(settings.get("PRODOPS_ENTITIES"))
    return ReadAhead.of(settings, pool.ship)
