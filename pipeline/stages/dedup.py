"""Stage 5: the document's MinHash signature, for near-duplicate clustering at store time
(pipeline/understand/signatures.py and pipeline/store/clusters.py explain the method)."""

from __future__ import annotations

from pipeline.items import Page
from pipeline.stages.base import PooledStage
from pipeline.stages.reading import signature_call


class DedupStage(PooledStage):
    """Set `item.signature` from the document's text (in the worker pool)."""

    async def process_item(self, item):
        if isinstance(item, Page) and item.document is not None and (call := signature_call(item.document)):
            item.signature = await self.compute(item, call)
        return item
