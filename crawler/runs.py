"""Bookkeeping of each spider run: the ``crawl_runs`` row, and what did not become an article."""

from __future__ import annotations

import json
import logging
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.utils.defer import deferred_from_coro
from sqlalchemy.exc import OperationalError
from twisted.python.failure import Failure

from crawler.errors import Rejected, store_error_message
from crawler.failures import item_origin, record_failure
from crawler.items import ArticleItem
from crawler.storage import STORE_ERRORS, Store, StoreError, store_for

logger = logging.getLogger(__name__)

STORE_FAILED = "store_failed"
# The stat that carries the ``crawl_runs`` id of a crawl, from the moment the spider opens:
# every component and command reads it there, whatever their order.
RUN_ID_STAT = "run/id"


def run_id_of(crawler: Crawler) -> int | None:
    """The ``crawl_runs`` id of the crawler's run; None before it opened, or if it could not be recorded."""
    return crawler.stats.get_value(RUN_ID_STAT)


def run_counts(stats: dict) -> dict:
    """The ``crawl_runs`` columns, from a run's Scrapy stats."""
    return {
        "pages_fetched": stats.get("downloader/response_count", 0),
        "articles_new": stats.get("articles/new", 0),
        "articles_updated": stats.get("articles/updated", 0),
        "articles_unchanged": stats.get("articles/unchanged", 0),
        "rejects": stats.get("articles/rejected", 0),
        "generic_fallbacks": stats.get("articles/generic", 0),
        "errors": stats.get("errors/logged", 0),
    }


class SpiderErrorCounter(logging.Handler):
    """Counts the ERROR records of one spider (``errors/logged``): Scrapy's own
    ``log_count/ERROR`` counts every spider's records in a multi-spider process."""

    def __init__(self, crawler: Crawler):
        super().__init__(logging.ERROR)
        self.crawler = crawler

    def emit(self, record: logging.LogRecord) -> None:
        spider = getattr(record, "spider", None)
        if spider is not None and spider is self.crawler.spider:
            self.crawler.stats.inc_value("errors/logged")


def store_problem(url: str) -> str | None:
    """Why a crawl could not write to the database at ``url`` (one line), or None: checked
    before a crawl starts, so a read-only file or folder, a file that is not a database or
    a lock held past the timeout is a message, not a traceback."""
    try:
        store = Store.migrated(url)
        try:
            store.check_writable()
        finally:
            store.close()
    except STORE_ERRORS as error:
        return store_error_message(url, error)
    return None


def report_store_failure(crawler: Crawler, error: Exception, close: bool = True) -> None:
    """A store that cannot be written ends the run: one line naming the file and the
    cause, kept in the stats for the crawl commands, and the spider closed as
    ``store_failed`` so that the next run pages through everything."""
    stats = crawler.stats
    if stats.get_value("store/error"):
        return
    message = store_error_message(store_for(crawler).url, error)
    stats.set_value("store/error", message)
    logger.error("%s: the crawl stops", message, extra={"spider": crawler.spider})
    if close:
        deferred_from_coro(crawler.engine.close_spider_async(reason=STORE_FAILED))


class RunRecorder:
    """Extension: opens a ``crawl_runs`` row when a spider starts and fills it when it
    stops; records every rejected item and every item a pipeline failed on."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.store = store_for(crawler)
        self.run_id: int | None = None
        self.error_counter = SpiderErrorCounter(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunRecorder:
        recorder = cls(crawler)
        crawler.signals.connect(recorder.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(recorder.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(recorder.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(recorder.item_error, signal=signals.item_error)
        return recorder

    def spider_opened(self, spider: Spider) -> None:
        logging.root.addHandler(self.error_counter)
        try:
            self.run_id = self.store.start_run(spider.name)
        except STORE_ERRORS as error:
            report_store_failure(self.crawler, error)
            return
        self.crawler.stats.set_value(RUN_ID_STAT, self.run_id)

    def item_dropped(self, item: Any, response: Response, exception: BaseException, spider: Spider) -> None:
        if isinstance(exception, Rejected):
            url = item.url if isinstance(item, ArticleItem) else response.url
            record_failure(self.crawler, item_origin(item, url), exception.reason, False)

    def item_error(self, item: Any, response: Response | None, spider: Spider, failure: Failure) -> None:
        """A pipeline raised: a database that would not take the item is a passing
        failure (and ends the run); any other error rejects the page."""
        url = item.url if isinstance(item, ArticleItem) else response.url if response is not None else ""
        error = failure.value
        passing = isinstance(error, (OperationalError, StoreError))
        record_failure(self.crawler, item_origin(item, url), f"pipeline error: {type(error).__name__}: {error}",
                       passing)
        if isinstance(error, (OperationalError, StoreError)):
            report_store_failure(self.crawler, error)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        logging.root.removeHandler(self.error_counter)
        if self.run_id is None:
            return
        stats = self.crawler.stats
        if stats.get_value("store/error"):
            reason = STORE_FAILED
        counts = stats.get_stats()
        try:
            self.store.finish_run(self.run_id, finish_reason=reason,
                                  stats=json.dumps(counts, default=str, ensure_ascii=False, sort_keys=True),
                                  **run_counts(counts))
        except STORE_ERRORS as error:
            report_store_failure(self.crawler, error, close=False)
