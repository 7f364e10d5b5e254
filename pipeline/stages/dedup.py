"""Stage 5: the document's MinHash signature, for near-duplicate clustering at store time
(pipeline/understand/signatures.py and pipeline/store/clusters.py explain the method)."""

from __future__ import annotations

from pipeline.items import Page
from pipeline.stages.base import PooledStage
from pipeline.understand.signatures import signature


class DedupStage(PooledStage):
    """Set `item.signature` from the document's text (in the worker pool)."""

    async def process_item(self, item):
        if isinstance(item, Page) and item.document is not None and item.document["text"]:
            item.signature = await self.pool.run(signature, item.document["text"])
        return item
