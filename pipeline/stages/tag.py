"""Stage 4: tag the document with product-ops concepts, a relevance and the reasons."""

from __future__ import annotations

from pipeline.items import Page
from pipeline.stages.base import TaxonomyStage
from pipeline.understand.tagging import tag_columns_at


class TagStage(TaxonomyStage):
    """Add tags, tag_scores, relevance and why to `item.document` (in the worker pool), with
    the semantic signal unless PRODOPS_SEMANTIC is off."""

    semantic = True

    @classmethod
    def from_crawler(cls, crawler):
        stage = super().from_crawler(crawler)
        stage.semantic = crawler.settings.getbool("PRODOPS_SEMANTIC")
        return stage

    async def process_item(self, item):
        if isinstance(item, Page) and item.document is not None:
            row = item.document
            row.update(await self.pool.run(tag_columns_at, self.taxonomy_path, row["title"],
                                           row["description"], row["text"], self.semantic))
        return item
