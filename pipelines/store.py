"""Last stage: upsert articles into the store in batches."""

from __future__ import annotations

from itemadapter import ItemAdapter

from crawler.storage import store_for


class StorePipeline:
    """Buffers items and writes them ``STORE_BATCH_SIZE`` at a time, each batch one
    transaction, so an interrupted run keeps every committed batch."""

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
        self.flush()

    def flush(self) -> None:
        batch, self.pending = self.pending, []
        for outcome in self.store.upsert_articles(batch):
            self.crawler.stats.inc_value(f"articles/{outcome}")
