"""Clustering when a spider closes: a corpus-level step, after the store's last batch.

The dedup pipeline annotates items (their content hash) and, while each normalised
body is at hand, hands it to the extension's :class:`Signatures`, which signs it,
so that clustering need not normalise and hash those bodies again.  Clustering covers
every article not yet clustered, whichever run or spider stored it.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import Future

import numpy as np
from scrapy import Spider, signals
from scrapy.crawler import Crawler

from crawler.addon import running_extension
from crawler.dedup.clusters import Deduplicator
from crawler.dedup.minhash import DedupParams, sign_all
from crawler.runs import report_store_failure
from crawler.storage import STORE_ERRORS, store_for
from crawler.workers import WorkerPool

SIGNATURES_KEPT = 20_000  # about 0.6 KB each; bodies beyond are hashed again at close

logger = logging.getLogger(__name__)


class Signatures:
    """The MinHash signatures of one crawl's bodies, by ``content_hash``: the dedup
    pipeline hands each body over while it is normalised at hand, and clustering reads
    the signatures at close instead of normalising and hashing those bodies again.

    Nothing needs a signature before close, so bodies are signed in the crawl's worker
    processes (``crawler.workers``), in batches: one body at a time would cost the crawl
    more in handing over than signing does.  A small crawl, or one without workers, signs
    in its own process.  A batch a worker fails to sign is left out: clustering signs
    those bodies from the store.  At most ``SIGNATURES_KEPT`` are kept.
    """

    BATCH = 64

    def __init__(self, params: DedupParams, pool: WorkerPool | None = None):
        self.params = params
        self.pool = pool
        self.made: dict[str, np.ndarray] = {}
        self.batch: dict[str, str] = {}
        self.handed: list[tuple[Future, int]] = []
        self.seen: set[str] = set()  # made, handed over or batched: each body is signed once

    def add(self, content_hash: str, text: str) -> None:
        if len(self.seen) >= SIGNATURES_KEPT or content_hash in self.seen:
            return
        self.seen.add(content_hash)
        self.batch[content_hash] = text
        if len(self.batch) >= self.BATCH and self.pool is not None:
            future = self.pool.submit(sign_all, self.batch, self.params)
            if future is not None:
                self.handed.append((future, len(self.batch)))
                self.batch = {}

    def collect(self) -> dict[str, np.ndarray]:
        """Every signature, waiting for those the workers are making."""
        self.made.update(sign_all(self.batch, self.params))
        self.batch = {}
        failed = 0
        for future, size in self.handed:
            try:
                self.made.update(future.result())
            except Exception:  # a worker that died fails its batch, or a batch that could not be sent
                failed += size
        self.handed = []
        if failed:
            logger.warning("Dedup: %d signatures could not be made in a worker process; "
                           "clustering makes them from the stored bodies", failed)
        return self.made


class Clustering:
    """Extension: updates the reprint clusters on ``spider_closed`` and records
    ``dedup/seconds``, ``dedup/indexed`` and ``dedup/reassigned`` in the stats (before the
    run recorder, which comes after it in ``EXTENSIONS``, stores them with the run)."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.params = DedupParams.from_settings(crawler.settings)
        self.signatures = Signatures(self.params)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Clustering:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        self.signatures.pool = running_extension(self.crawler, WorkerPool)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        started, cpu_started = time.perf_counter(), time.process_time()
        try:
            result = Deduplicator(store_for(self.crawler), self.params,
                                  signatures=self.signatures.collect()).update()
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
