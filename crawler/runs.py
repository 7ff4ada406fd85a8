"""Bookkeeping of each spider run: the ``crawl_runs`` row and the ``rejects`` table."""

from __future__ import annotations

import json

from scrapy import signals

from crawler.errors import Rejected
from crawler.storage import store_for


def run_counts(stats: dict) -> dict:
    """The ``crawl_runs`` columns, from a run's Scrapy stats."""
    return {
        "pages_fetched": stats.get("downloader/response_count", 0),
        "articles_new": stats.get("articles/new", 0),
        "articles_updated": stats.get("articles/updated", 0),
        "articles_unchanged": stats.get("articles/unchanged", 0),
        "rejects": stats.get("articles/rejected", 0),
        "generic_fallbacks": stats.get("articles/generic", 0),
        "errors": stats.get("log_count/ERROR", 0) + stats.get("spider_exceptions/count", 0),
    }


class RunRecorder:
    """Extension: opens a ``crawl_runs`` row when a spider starts and fills it when it stops;
    records every rejected item, every page whose parsing raised and every item a pipeline
    failed on, so that no page is lost without a trace."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.store = store_for(crawler)
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler):
        recorder = cls(crawler)
        crawler.signals.connect(recorder.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(recorder.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(recorder.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(recorder.spider_error, signal=signals.spider_error)
        crawler.signals.connect(recorder.item_error, signal=signals.item_error)
        return recorder

    def spider_opened(self, spider) -> None:
        self.run_id = self.store.start_run(spider.name)
        spider.run_id = self.run_id

    def item_dropped(self, item, response, exception, spider) -> None:
        if isinstance(exception, Rejected):
            self.crawler.stats.inc_value("articles/rejected")
            self.store.add_reject(spider.name, getattr(item, "url", None) or response.url,
                                  exception.reason, self.run_id)
            spider.logger.warning("Rejected %s: %s", response.url, exception.reason)

    def spider_error(self, failure, response, spider) -> None:
        self.record_failure(spider, response.url, "parse error", failure)

    def item_error(self, item, response, spider, failure) -> None:
        url = getattr(item, "url", None) or getattr(response, "url", None)
        self.record_failure(spider, url, "pipeline error", failure)

    def record_failure(self, spider, url: str, stage: str, failure) -> None:
        self.crawler.stats.inc_value("articles/rejected")
        self.store.add_reject(spider.name, url, f"{stage}: {failure.type.__name__}: {failure.value}",
                              self.run_id)

    def spider_closed(self, spider, reason) -> None:
        stats = self.crawler.stats.get_stats()
        self.store.finish_run(self.run_id, finish_reason=reason,
                              stats=json.dumps(stats, default=str, ensure_ascii=False, sort_keys=True),
                              **run_counts(stats))
