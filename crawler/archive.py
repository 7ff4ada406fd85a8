"""Keeps the raw response of every article page in the ``pages`` table."""

from __future__ import annotations

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from twisted.internet import task

from crawler.runs import report_store_failure
from crawler.storage import STORE_ERRORS, headers_to_dict, store_for, utc_now

FLUSH_INTERVAL = 1.0  # seconds a fetched page waits at most before it is written


class PageArchiveMiddleware:
    """Spider middleware: archives responses whose request is marked ``meta["archive"]``,
    so that any article can be parsed again later without crawling again.

    Pages are written ``STORE_BATCH_SIZE`` at a time, one transaction each (a transaction
    per page cost more than compressing and storing it), and at least every
    ``FLUSH_INTERVAL`` seconds and when the spider closes; an interrupted crawl loses at
    most the pages fetched since, which its next run fetches again."""

    def __init__(self, crawler: Crawler, batch_size: int):
        self.crawler = crawler
        self.store = store_for(crawler)
        self.batch_size = max(1, batch_size)
        self.pending: list[tuple] = []
        self.timer = task.LoopingCall(self.flush)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageArchiveMiddleware:
        if not crawler.settings.getbool("ARCHIVE_PAGES"):
            raise NotConfigured
        middleware = cls(crawler, crawler.settings.getint("STORE_BATCH_SIZE"))
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_opened(self, spider) -> None:
        self.timer.start(FLUSH_INTERVAL, now=False)

    def spider_closed(self, spider, reason: str) -> None:
        if self.timer.running:
            self.timer.stop()
        self.flush(closing=True)

    def process_spider_input(self, response: Response) -> None:
        if response.meta.get("archive"):
            self.pending.append((response.url, response.status, headers_to_dict(response.headers),
                                 response.body, utc_now()))
            if len(self.pending) >= self.batch_size:
                self.flush()

    def flush(self, closing: bool = False) -> None:
        batch, self.pending = self.pending, []
        try:
            self.store.save_pages(batch)
        except STORE_ERRORS as error:
            report_store_failure(self.crawler, error, close=not closing)
