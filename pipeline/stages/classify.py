"""Stage 3: build the document row and say what it is — content type, gated, language,
too short. Pages with nothing worth keeping are dropped here, with a reason."""

from __future__ import annotations

from scrapy.exceptions import DropItem

from pipeline.classify import TypeIndex, content_type, is_gated, language, too_short
from pipeline.documents import document_row
from pipeline.items import Page
from pipeline.pdf import is_pdf
from pipeline.taxonomy import load_taxonomy


class ClassifyStage:
    """Set `item.document` with content_type, gated, language and too_short filled in."""

    def __init__(self, types: TypeIndex):
        self.types = types

    @classmethod
    def from_crawler(cls, crawler):
        return cls(TypeIndex(load_taxonomy(crawler.settings.get("PRODOPS_TAXONOMY"))))

    def process_item(self, item):
        if not isinstance(item, Page) or item.not_modified:
            return item
        row = document_row(item)
        if row is None:
            if item.fetch_error:
                raise DropItem(f"unfetched: {item.url}: {item.fetch_error}")
            raise DropItem(f"no-content: no main text or title in {item.url}")
        pdf = bool(item.extraction and item.extraction.page_count) or is_pdf(item.content_type, item.body)
        row["content_type"] = content_type(self.types, row["url"], row["title"], row["text"], pdf)
        html = item.body if item.content_type in ("text/html", "application/xhtml+xml") else b""
        row["gated"] = int(is_gated(html, row["text"]))
        row["language"] = language(row["text"], row["language"])
        row["too_short"] = int(too_short(row["word_count"]))
        item.document = row
        return item
