"""Stage 5: the document's MinHash signature, for near-duplicate clustering at store time
(pipeline/dedup.py explains the method)."""

from __future__ import annotations

from pipeline.dedup import signature
from pipeline.items import Page


class DedupStage:
    """Set `item.signature` from the document's text."""

    def process_item(self, item):
        if isinstance(item, Page) and item.document is not None and item.document["text"]:
            item.signature = signature(item.document["text"])
        return item
