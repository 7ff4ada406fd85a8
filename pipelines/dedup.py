"""Deduplication stage: content hashes on items.

Items are only annotated here; none is dropped.  Clustering needs the stored rows, so
it is an extension (``crawler.dedup.extension``) that runs when the spider closes.  Each
body is normalised once: its content hash is made here, and the clustering extension
signs it for the clustering.
"""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from crawler.addon import running_extension
from crawler.dedup.extension import Clustering
from crawler.dedup.minhash import DedupParams
from crawler.dedup.text import hash_normalised, normalise_text


class DedupPipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.params = DedupParams.from_settings(crawler.settings)
        clustering = running_extension(crawler, Clustering)  # None: nothing clusters
        self.signatures = clustering.signatures if clustering else None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupPipeline:
        return cls(crawler)

    def process_item(self, item: object) -> object:
        adapter = ItemAdapter(item)
        text = normalise_text(adapter["body"]) if adapter.get("body") else ""
        adapter["content_hash"] = digest = hash_normalised(text)
        if digest and self.signatures is not None and len(text) >= self.params.min_chars:
            self.signatures.add(digest, text)
        return item
