"""What the CPU-bound stages share: the crawl's worker pool, the calls read ahead in a page's
extraction task, and for the taxonomy stages the path of the taxonomy (read once in each
worker). Each stage is built whole from the settings and a pool (`of`), by a crawl
(`from_crawler`) and by a re-extraction alike; none is changed once built."""

from __future__ import annotations

from typing import Self

from scrapy.utils.misc import load_object

from pipeline import STAGES
from pipeline.config.entities import cached_entities
from pipeline.config.taxonomy import cached_taxonomy
from pipeline.items import Page
from pipeline.stages.pool import pool_of
from pipeline.stages.reading import Call, ReadAhead
from pipeline.stages.tasks import Pool


class PooledStage:
    """A stage whose work runs in the crawl's worker pool."""

    def __init__(self, pool: Pool):
        self.pool = pool

    @classmethod
    def of(cls, settings, pool: Pool) -> Self:
        """The stage as the settings say, its calls sent to `pool`."""
        return cls(pool)

    @classmethod
    def from_crawler(cls, crawler) -> Self:
        """The crawl's stage: its settings, its pool (pool_of)."""
        return cls.of(crawler.settings, pool_of(crawler))

    async def process_item(self, item):
        """The item with the stage's work done (each stage says what)."""
        raise NotImplementedError

    async def compute(self, item: Page, call: Call):
        """The result of the call for this page: the one its extraction's task computed
        ahead when it had exactly these arguments, else from a worker now."""
        ahead = item.ahead.pop(call.stage, None)
        if ahead is not None and ahead[0] == call.args:
            return ahead[1]
        return await self.pool.run(call.function, *call.args)


class TaxonomyStage(PooledStage):
    """A pooled stage that works from data/taxonomy.yaml (PRODOPS_TAXONOMY)."""

    def __init__(self, pool: Pool, taxonomy_path: str):
        super().__init__(pool)
        cached_taxonomy(taxonomy_path)  # a malformed taxonomy stops the crawl before it starts
        self.taxonomy_path = pool.ship(taxonomy_path)  # what the workers read it as

    @classmethod
    def of(cls, settings, pool: Pool) -> Self:
        """The stage as the settings say (PRODOPS_TAXONOMY)."""
        return cls(pool, settings.get("PRODOPS_TAXONOMY"))


def pooled_stages() -> list[type[PooledStage]]:
    """The stages of pipeline.STAGES whose work runs in the worker pool, in its order."""
    classes = [load_object(path) for path in STAGES]
    return [stage for stage in classes if isinstance(stage, type) and issubclass(stage, PooledStage)]


def read_ahead_of(settings, pool: Pool) -> ReadAhead:
    """The later stages' settings, as their calls will carry them (config files as the
    workers name them), for the extraction's task to run those calls ahead. A malformed
    file stops the crawl here, as it would in its own stage."""
    cached_taxonomy(settings.get("PRODOPS_TAXONOMY"))
    cached_entities(settings.get("PRODOPS_ENTITIES"))
    return ReadAhead.of(settings, pool.ship)
