"""Item pipeline: articles without a title or a real body, or with an oversized one, are
rejected, not stored."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.errors import Rejected
from crawler.item_processor import WorkerStage
from crawler.items import ArticleItem


class ValidatePipeline(WorkerStage):
    """Raises :class:`crawler.errors.Rejected` (recorded in ``rejects``) for unusable items."""

    def __init__(self, min_body_chars: int, max_body_chars: int):
        self.min_body_chars = min_body_chars
        self.max_body_chars = max_body_chars

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        if not crawler.settings.getbool("VALIDATE_ENABLED"):
            raise NotConfigured("VALIDATE_ENABLED is off")
        settings = crawler.settings
        return cls(settings.getint("VALIDATE_MIN_BODY_CHARS"), settings.getint("VALIDATE_MAX_BODY_CHARS"))

    def process_item(self, item: ArticleItem) -> ArticleItem:
        adapter = ItemAdapter(item)
        if not (adapter.get("title") or "").strip():
            raise Rejected("no title")
        text = adapter.get("body") or ""
        body = "".join(text.split())
        if not body:
            raise Rejected("no body")
        if len(body) < self.min_body_chars:
            raise Rejected(f"body shorter than {self.min_body_chars} characters ({len(body)})")
        if self.max_body_chars and len(text) > self.max_body_chars:
            raise Rejected(f"body longer than {self.max_body_chars} characters ({len(text)})")
        return item
