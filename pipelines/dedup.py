"""Deduplication stage: content hashes on items, clusters after the run.

Items are only annotated here; none is dropped.  Clustering needs the stored rows,
so it runs on ``spider_closed``, after the store has committed its last batch, and
covers every article not yet clustered, whichever run or spider stored it.  Each body
is normalised once: the MinHash signature is made here with the content hash and
handed to the clustering, up to ``SIGNATURES_KEPT`` of them (about 0.6 KB each).
"""

from __future__ import annotations

import time

from itemadapter import ItemAdapter
from scrapy import signals

from crawler.dedup import Deduplicator, DedupParams
from crawler.dedup.minhash import signature
from crawler.dedup.text import hash_normalised, normalise_text
from crawler.storage import store_for

SIGNATURES_KEPT = 20_000


class DedupPipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.params = DedupParams.from_settings(crawler.settings)
        self.signatures: dict = {}

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def process_item(self, item):
        adapter = ItemAdapter(item)
        text = normalise_text(adapter["body"]) if adapter.get("body") else ""
        adapter["content_hash"] = digest = hash_normalised(text)
        if len(text) >= self.params.min_chars and len(self.signatures) < SIGNATURES_KEPT:
            self.signatures[digest] = signature(text, self.params)
        return item

    def spider_closed(self, spider, reason):
        started, cpu_started = time.perf_counter(), time.process_time()
        result = Deduplicator(store_for(self.crawler), self.params,
                              signatures=self.signatures).update()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        self.crawler.stats.set_value("dedup/seconds", round(seconds, 3))
        self.crawler.stats.set_value("dedup/indexed", result.indexed)
        self.crawler.stats.set_value("dedup/reassigned", result.reassigned)
        spider.logger.info("Dedup: indexed %d articles in %.2f s (%.2f CPU s), %d cluster ids changed",
                           result.indexed, seconds, cpu, result.reassigned)
