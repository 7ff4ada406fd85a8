"""Clustering when a spider closes: a corpus-level step, after the store's last batch.

The dedup pipeline annotates items (their content hash) and, while each
normalised body is at hand, makes its MinHash signature; it leaves the signatures in
:func:`signatures_for` the crawler, so that clustering need not normalise and hash those
bodies again.  Clustering covers every article not yet clustered, whichever run or
spider stored it.
"""

from __future__ import annotations

import time
from weakref import WeakKeyDictionary

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from crawler.dedup.clusters import Deduplicator
from crawler.dedup.minhash import DedupParams
from crawler.runs import report_store_failure
from crawler.storage import STORE_ERRORS, store_for

SIGNATURES_KEPT = 20_000  # about 0.6 KB each; bodies beyond are hashed again at close

_SIGNATURES: WeakKeyDictionary[object, dict] = WeakKeyDictionary()


def signatures_for(crawler: Crawler) -> dict:
    """The signatures a crawl's items got, by ``content_hash``: shared by the dedup
    pipeline, which fills it, and the clustering, which reads it."""
    return _SIGNATURES.setdefault(crawler, {})


class Clustering:
    """Extension: updates the reprint clusters on ``spider_closed`` and records
    ``dedup/seconds``, ``dedup/indexed`` and ``dedup/reassigned`` in the stats (before the
    run recorder, which comes after it in ``EXTENSIONS``, stores them with the run)."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.params = DedupParams.from_settings(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Clustering:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider: Spider, reason: str) -> None:
        started, cpu_started = time.perf_counter(), time.process_time()
        try:
            result = Deduplicator(store_for(self.crawler), self.params,
                                  signatures=signatures_for(self.crawler)).update()
        except STORE_ERRORS as error:
            report_store_failure(self.crawler, error, close=False)
            return
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        stats = self.crawler.stats
        stats.set_value("dedup/seconds", round(seconds, 3))
        stats.set_value("dedup/indexed", result.indexed)
        stats.set_value("dedup/reassigned", result.reassigned)
        spider.logger.info("Dedup: indexed %d articles in %.2f s (%.2f CPU s), %d cluster ids changed",
                           result.indexed, seconds, cpu, result.reassigned)
