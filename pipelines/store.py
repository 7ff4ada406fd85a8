"""Last stage: upsert articles into the store in batches."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from crawler.failures import item_origin, record_failure
from crawler.items import ArticleItem
from crawler.runs import report_store_failure
from crawler.storage import STORE_ERRORS, store_for


class StorePipeline:
    """Buffers items and writes them ``STORE_BATCH_SIZE`` at a time, each batch one
    transaction, so an interrupted run keeps every committed batch.  A batch the database
    will not take (locked past the timeout, disk full, read-only) is a passing failure of
    each of its pages, and ends the run."""

    def __init__(self, crawler: Crawler, batch_size: int):
        self.crawler = crawler
        self.store = store_for(crawler)
        self.batch_size = max(1, batch_size)
        self.site = crawler.spider.name if crawler.spider else ""
        self.pending: list[tuple[dict, tuple]] = []  # each row with the page it came from

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler, crawler.settings.getint("STORE_BATCH_SIZE"))

    def process_item(self, item: ArticleItem) -> ArticleItem:
        row = ItemAdapter(item).asdict()
        self.pending.append((row, item_origin(item, row["url"])))
        if len(self.pending) >= self.batch_size:
            self.flush()
        return item

    def close_spider(self) -> None:
        self.flush(closing=True)

    def flush(self, closing: bool = False) -> None:
        batch, self.pending = self.pending, []
        if not batch:
            return
        try:
            outcomes = self.store.upsert_articles([row for row, _origin in batch])
            self.store.clear_failures(self.site, {origin[0] for _row, origin in batch})
        except STORE_ERRORS as error:
            report_store_failure(self.crawler, error, close=not closing)
            for _row, origin in batch:
                record_failure(self.crawler, origin, f"not stored: {getattr(error, 'orig', None) or error}", True)
            return
        for outcome in outcomes:
            self.crawler.stats.inc_value(f"articles/{outcome}")
