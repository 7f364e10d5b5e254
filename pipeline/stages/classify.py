"""Stage 3: build the document row and say what it is — content type, gated, language,
too short. Pages with nothing worth keeping are dropped here, with a reason."""

from __future__ import annotations


from pipeline.counters import DropReason
from pipeline.items import Page
from pipeline.stages.drops import Dropped
from pipeline.stages.base import TaxonomyStage
from pipeline.stages.reading import classify_call
from pipeline.store.documents import document_row
from pipeline.understand.classify import is_gated


class ClassifyStage(TaxonomyStage):
    """Set `item.document` with content_type, gated, language and too_short filled in: on
    the row the extract stage's worker built for an HTML page (the page is not changed
    between the two stages), else on one built here."""

    async def process_item(self, item):
        if not isinstance(item, Page) or item.not_modified:
            return item
        row = item.document if item.document is not None else document_row(item)
        if row is None:
            if item.fetch_error:
                raise Dropped(DropReason.UNFETCHED, f"{item.url}: {item.fetch_error}")
            why = item.extraction_error or "no main text or title"
            raise Dropped(DropReason.NO_CONTENT, f"{why} in {item.url}")
        row.update(await self.compute(item, classify_call(row, self.taxonomy_path)))
        html = item.body if item.content_type in ("text/html", "application/xhtml+xml") else b""
        row["gated"] = int(is_gated(html, row["text"], row["word_count"]))
        item.document = row
        return item
