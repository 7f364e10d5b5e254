"""Stage 4: tag the document with product-ops concepts, a relevance and the reasons."""

from __future__ import annotations

import json

from pipeline.items import Page
from pipeline.tagging import tag
from pipeline.stages.base import TaxonomyStage
from pipeline.taxonomy import Taxonomy, cached_taxonomy


def tag_columns(taxonomy: Taxonomy, title, description, text) -> dict:
    """The documents columns the tagger fills: tags, tag_scores, relevance, why."""
    result = tag(taxonomy, title, description, text)
    return {
        "tags": json.dumps(result.tags),
        "tag_scores": json.dumps(result.scores, sort_keys=True),
        "relevance": result.relevance,
        "why": json.dumps(result.why),
    }


def tag_columns_at(taxonomy_path: str, title, description, text) -> dict:
    """tag_columns with the taxonomy read from a path (once per worker process)."""
    return tag_columns(cached_taxonomy(taxonomy_path), title, description, text)


class TagStage(TaxonomyStage):
    """Add tags, tag_scores, relevance and why to `item.document` (in the worker pool)."""

    async def process_item(self, item):
        if isinstance(item, Page) and item.document is not None:
            row = item.document
            row.update(await self.pool.run(tag_columns_at, self.taxonomy_path, row["title"],
                                           row["description"], row["text"]))
        return item
