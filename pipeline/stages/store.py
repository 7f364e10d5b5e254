"""Stage 3 (last): save each page as a document in SQLite and count the outcome."""

from __future__ import annotations

import logging

from scrapy.exceptions import DropItem

from pipeline import clock, counters
from pipeline.database import open_database
from pipeline.documents import document_row, save_document
from pipeline.items import Page

logger = logging.getLogger(__name__)


class StoreStage:
    """Upsert documents and sightings; drop pages that carry nothing worth keeping."""

    def __init__(self, db_path: str, stats):
        self.db_path = db_path
        self.stats = stats
        self.db = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.get("PRODOPS_DB"), crawler.stats)

    def open_spider(self) -> None:
        self.db = open_database(self.db_path)

    def close_spider(self) -> None:
        if self.db is not None:
            self.db.close()

    def process_item(self, item):
        if not isinstance(item, Page):
            return item
        row = document_row(item)
        if row is None:
            if item.fetch_error:
                raise DropItem(f"unfetched: {item.url}: {item.fetch_error}")
            raise DropItem(f"no-content: no main text or title in {item.url}")
        outcome = save_document(self.db, row, found_at=item.url, now=clock.now_iso())
        counters.count_document(self.stats, item.source_id, outcome)
        logger.debug("%s %s", outcome, row["url"])
        return item
