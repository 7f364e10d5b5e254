"""Stage 4: tag the document with product-ops concepts, a relevance and the reasons, and
name the tools, frameworks and methods it mentions (data/entities.yaml)."""

from __future__ import annotations

from typing import Self

from pipeline.config.entities import cached_entities
from pipeline.items import Page
from pipeline.stages.base import TaxonomyStage
from pipeline.stages.reading import tag_call
from pipeline.stages.tasks import Pool


class TagStage(TaxonomyStage):
    """Add tags, tag_scores, relevance, why and entities to `item.document` (in the worker
    pool), with the semantic signal unless PRODOPS_SEMANTIC is off."""

    def __init__(self, pool: Pool, taxonomy_path: str, entities_path: str, semantic: bool = True):
        super().__init__(pool, taxonomy_path)
        cached_entities(entities_path)  # a malformed file stops the crawl before it starts
        self.entities_path = pool.ship(entities_path)  # what the workers read it as
        self.semantic = semantic

    @classmethod
    def of(cls, settings, pool: Pool) -> Self:
        """The stage as the settings say (PRODOPS_TAXONOMY, PRODOPS_ENTITIES, PRODOPS_SEMANTIC)."""
        return cls(pool, settings.get("PRODOPS_TAXONOMY"), settings.get("PRODOPS_ENTITIES"),
                   settings.getbool("PRODOPS_SEMANTIC"))

    async def process_item(self, item):
        if isinstance(item, Page) and item.document is not None:
            row = item.document
            columns = dict(await self.compute(item, tag_call(row, self.taxonomy_path, self.entities_path,
                                                             self.semantic)))
            item.vectors = columns.pop("vectors", None)  # kept apart from the row (pipeline/store/vectors.py)
            row.update(columns)
        return item
