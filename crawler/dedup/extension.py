"""Clustering when a spider closes: a corpus-level step, after the store's last batch.

The dedup pipeline annotates items (their content hash) and, while each normalised
body is at hand, hands it to the extension's :class:`Signatures`, which signs it,
so that clustering need not normalise and hash those bodies again.  Clustering covers
every article not yet clustered, whichever run or spider stored it.
"""

from __future__ import annotations

import logging
import os
import time
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_context

import numpy as np
from scrapy import Spider, signals
from scrapy.crawler import Crawler

from crawler.dedup.clusters import Deduplicator
from crawler.dedup.minhash import DedupParams, sign_all
from crawler.runs import report_store_failure
from crawler.storage import STORE_ERRORS, store_for

SIGNATURES_KEPT = 20_000  # about 0.6 KB each; bodies beyond are hashed again at close

logger = logging.getLogger(__name__)


class Signatures:
    """The MinHash signatures of one crawl's bodies, by ``content_hash``: the dedup
    pipeline hands each body over while it is normalised at hand, and clustering reads
    the signatures at close instead of normalising and hashing those bodies again.

    Signing is CPU work that nothing needs before close, while the crawl's own process is
    busy downloading, reading and storing; so bodies are signed in ``DEDUP_SIGNING_PROCESSES``
    worker processes, in batches (one body at a time would cost the crawl more in handing
    over than signing does).  The workers start with the first full batch, so a small crawl
    signs in its own process.  A batch a worker fails to sign is left out: clustering
    signs those bodies from the store.  At most ``SIGNATURES_KEPT`` are kept.
    """

    BATCH = 64

    def __init__(self, params: DedupParams, processes: int):
        self.params = params
        self.processes = processes
        self.made: dict[str, np.ndarray] = {}
        self.batch: dict[str, str] = {}
        self.handed: list[tuple[Future, int]] = []
        self.count = 0
        self.executor: ProcessPoolExecutor | None = None

    def add(self, content_hash: str, text: str) -> None:
        if self.count >= SIGNATURES_KEPT or content_hash in self.batch or content_hash in self.made:
            return
        self.count += 1
        self.batch[content_hash] = text
        if len(self.batch) >= self.BATCH and self.processes:
            if self.executor is None:  # spawned: the crawl's process has threads a fork would copy
                self.executor = ProcessPoolExecutor(self.processes, mp_context=get_context("spawn"))
            self.handed.append((self.executor.submit(sign_all, self.batch, self.params), len(self.batch)))
            self.batch = {}

    def collect(self) -> dict[str, np.ndarray]:
        """Every signature, waiting for the workers, which then stop."""
        self.made.update(sign_all(self.batch, self.params))
        self.batch = {}
        failed = 0
        for future, size in self.handed:
            try:
                self.made.update(future.result())
            except Exception:  # a worker that died breaks the pool: the later batches fail too
                failed += size
        self.handed = []
        if self.executor is not None:
            self.executor.shutdown()
            self.executor = None
        if failed:
            logger.warning("Dedup: %d signatures could not be made in a worker process; "
                           "clustering makes them from the stored bodies", failed)
        return self.made


def signing_processes(value: int | None) -> int:
    """``DEDUP_SIGNING_PROCESSES``: None is one per core beyond the first (none on one core)."""
    return max(0, (os.cpu_count() or 1) - 1) if value is None else max(0, value)


class Clustering:
    """Extension: updates the reprint clusters on ``spider_closed`` and records
    ``dedup/seconds``, ``dedup/indexed`` and ``dedup/reassigned`` in the stats (before the
    run recorder, which comes after it in ``EXTENSIONS``, stores them with the run)."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.params = DedupParams.from_settings(crawler.settings)
        processes = crawler.settings.get("DEDUP_SIGNING_PROCESSES")
        self.signatures = Signatures(
            self.params, signing_processes(None if processes in (None, "") else int(processes)))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Clustering:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

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
