"""Last stage: upsert articles into the store in batches."""

from __future__ import annotations

from itemadapter import ItemAdapter
from sqlalchemy.exc import SQLAlchemyError

from crawler.failures import record_failure
from crawler.runs import report_store_failure
from crawler.storage import store_for


class StorePipeline:
    """Buffers items and writes them ``STORE_BATCH_SIZE`` at a time, each batch one
    transaction, so an interrupted run keeps every committed batch.  A batch the database
    will not take (locked past the timeout, disk full, read-only) is a passing failure of
    each of its pages, and ends the run."""

    def __init__(self, crawler, batch_size: int):
        self.crawler = crawler
        self.store = store_for(crawler)
        self.batch_size = max(1, batch_size)
        self.pending: list[dict] = []

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, crawler.settings.getint("STORE_BATCH_SIZE", 20))

    def process_item(self, item):
        self.pending.append(ItemAdapter(item).asdict())
        if len(self.pending) >= self.batch_size:
            self.flush()
        return item

    def close_spider(self):
        self.flush(closing=True)

    def flush(self, closing: bool = False) -> None:
        batch, self.pending = self.pending, []
        if not batch:
            return
        try:
            outcomes = self.store.upsert_articles(batch)
            self.store.failures.clear(self.crawler.spider.name,
                                      {url for row in batch for url in (row.get("fetched_url"), row.get("url"))})
        except SQLAlchemyError as error:
            report_store_failure(self.crawler, error, close=not closing)
            for row in batch:
                record_failure(self.crawler, None, f"not stored: {getattr(error, 'orig', None) or error}",
                               True, url=row.get("fetched_url") or row["url"])
            return
        for outcome in outcomes:
            self.crawler.stats.inc_value(f"articles/{outcome}")
