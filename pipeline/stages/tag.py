"""Stage 4: tag the document with product-ops concepts, a relevance and the reasons."""

from __future__ import annotations

import json

from pipeline.items import Page
from pipeline.tagging import tag
from pipeline.taxonomy import Taxonomy, load_taxonomy


def tag_columns(taxonomy: Taxonomy, title, description, text) -> dict:
    """The documents columns the tagger fills: tags, tag_scores, relevance, why."""
    result = tag(taxonomy, title, description, text)
    return {
        "tags": json.dumps(result.tags),
        "tag_scores": json.dumps(result.scores, sort_keys=True),
        "relevance": result.relevance,
        "why": json.dumps(result.why),
    }


class TagStage:
    """Add tags, tag_scores, relevance and why to `item.document`."""

    def __init__(self, taxonomy: Taxonomy):
        self.taxonomy = taxonomy

    @classmethod
    def from_crawler(cls, crawler):
        return cls(load_taxonomy(crawler.settings.get("PRODOPS_TAXONOMY")))

    def process_item(self, item):
        if isinstance(item, Page) and item.document is not None:
            row = item.document
            row.update(tag_columns(self.taxonomy, row["title"], row["description"], row["text"]))
        return item
