"""Deduplication stage: content hashes on items.

Items are only annotated here; none is dropped.  Clustering needs the stored rows, so
it is an extension (``crawler.dedup.extension``) that runs when the spider closes.  Each
body is normalised once: its MinHash signature is made here with the content hash and
left for the clustering.
"""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from crawler.dedup import DedupParams
from crawler.dedup.extension import SIGNATURES_KEPT, signatures_for
from crawler.dedup.minhash import signature
from crawler.dedup.text import hash_normalised, normalise_text


class DedupPipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.params = DedupParams.from_settings(crawler.settings)
        self.signatures = signatures_for(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupPipeline:
        return cls(crawler)

    def process_item(self, item: object) -> object:
        adapter = ItemAdapter(item)
        text = normalise_text(adapter["body"]) if adapter.get("body") else ""
        adapter["content_hash"] = digest = hash_normalised(text)
        if len(text) >= self.params.min_chars and len(self.signatures) < SIGNATURES_KEPT:
            self.signatures[digest] = signature(text, self.params)
        return item
