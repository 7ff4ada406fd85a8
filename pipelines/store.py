"""Last stage: upsert articles into the store in batches."""

from __future__ import annotations

from collections import deque
from concurrent.futures import Future

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.utils.reactor import is_reactor_installed

from crawler.addon import running_extension
from crawler.failures import item_origin, record_failure
from crawler.items import ArticleItem
from crawler.runs import report_store_failure
from crawler.search import index_entries
from crawler.storage import STORE_ERRORS, store_for
from crawler.workers import WorkerPool

Batch = list[tuple[dict, tuple]]  # each row with the page it came from


class StorePipeline:
    """Buffers items and writes them ``STORE_BATCH_SIZE`` at a time, each batch one
    transaction, so an interrupted run keeps every committed batch.  A batch the database
    will not take (locked past the timeout, disk full, read-only) is a passing failure of
    each of its pages, and ends the run.

    The search index's entries of a batch (every title and body normalised and tokenised:
    a third of storing on SQLite, most of it on PostgreSQL) are made in a worker process
    (``crawler.workers``) while the crawl goes on, and the batch is written, in order, as
    soon as they are made.  Without workers, or when one fails, the store makes them itself.
    """

    def __init__(self, crawler: Crawler, batch_size: int):
        self.crawler = crawler
        self.store = store_for(crawler)
        self.batch_size = max(1, batch_size)
        self.site = crawler.spider.name if crawler.spider else ""
        self.pending: Batch = []
        self.waiting: deque[tuple[Batch, Future]] = deque()  # handed over, in order

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler, crawler.settings.getint("STORE_BATCH_SIZE"))

    def process_item(self, item: ArticleItem) -> ArticleItem:
        row = dict(ItemAdapter(item))  # shallow: asdict() copies a dataclass item deep, ten times the cost
        self.pending.append((row, item_origin(item, row["url"])))
        if len(self.pending) >= self.batch_size:
            self.flush()
        return item

    def close_spider(self) -> None:
        self.flush(closing=True)

    def flush(self, closing: bool = False) -> None:
        """Hand the pending batch over for its index entries (written when they are made);
        at close, write everything now."""
        batch, self.pending = self.pending, []
        if closing:
            while self.waiting:
                self._write(*self.waiting.popleft(), closing=True)
        self._write_made()
        future = self._prepare(batch) if batch and not closing else None
        if future is None:
            if batch:
                self._write(batch, None, closing=closing)
            return
        self.waiting.append((batch, future))
        if is_reactor_installed():  # a crawl: written from the reactor's thread once made
            from twisted.internet import reactor

            future.add_done_callback(lambda _made: reactor.callFromThread(self._write_made))

    def _write_made(self) -> None:
        """Write, in the order they were handed over, the batches whose entries are made."""
        while self.waiting and self.waiting[0][1].done():
            self._write(*self.waiting.popleft(), closing=False)

    def _prepare(self, batch: Batch) -> Future | None:
        pool = running_extension(self.crawler, WorkerPool)
        if pool is None:
            return None
        return pool.submit(index_entries, self.store.dialect, _texts(batch))

    def _write(self, batch: Batch, entries: Future | None, closing: bool) -> None:
        prepared = None
        if entries is not None:
            try:
                prepared = dict(zip(_texts(batch), entries.result(), strict=True))
            except Exception:  # a worker that died: the store makes the entries itself
                prepared = None
        try:
            outcomes = self.store.upsert_articles([row for row, _origin in batch], prepared,
                                                  recovered=(self.site, [origin[0] for _row, origin in batch]))
        except STORE_ERRORS as error:
            report_store_failure(self.crawler, error, close=not closing)
            for _row, origin in batch:
                record_failure(self.crawler, origin, f"not stored: {getattr(error, 'orig', None) or error}", True)
            return
        for outcome in outcomes:
            self.crawler.stats.inc_value(f"articles/{outcome}")


def _texts(batch: Batch) -> list[tuple[str | None, str | None]]:
    return [(row.get("title"), row.get("body")) for row, _origin in batch]
