"""Item pipeline: source, author and editor from the info line, roles dropped."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.cleaning.bylines import parse_byline, tidy_credit
from crawler.item_processor import WorkerStage
from crawler.items import ArticleItem, field_sources
from spiders.base import NewsSpider


class BylinesPipeline(WorkerStage):
    """Fills empty ``source``/``author``/``editor`` from ``readings.byline_text``, and tidies set credits.

    Values the spider or the boilerplate stage set first win: a repost's trailer
    ("来源:人民公安报") is more specific than the site's info line.  Author and editor
    values lose role words ("特约记者 薄雪飞" → "薄雪飞"); an organisation credited as
    author is kept as published (see :mod:`crawler.cleaning.bylines`), except a site's
    own name where its spider lists it in ``self_credits``: a reposting portal whose
    template credits itself on every article tells nothing about the author, so
    ``author`` stays empty there.
    """

    def __init__(self, crawler: Crawler | None = None) -> None:
        self.crawler = crawler
        self.self_credits: frozenset[str] = frozenset()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BylinesPipeline:
        if not crawler.settings.getbool("BYLINES_ENABLED"):
            raise NotConfigured("BYLINES_ENABLED is off")
        return cls(crawler)

    def open_spider(self) -> None:
        if self.crawler is not None and isinstance(self.crawler.spider, NewsSpider):
            self.self_credits = frozenset(self.crawler.spider.self_credits)

    def process_item(self, item: ArticleItem) -> ArticleItem:
        adapter = ItemAdapter(item)
        for name in ("author", "editor"):
            if adapter.get(name):
                adapter[name] = tidy_credit(adapter[name])
        sources = field_sources(adapter)
        byline = parse_byline(item.readings.byline_text)
        for name in ("source", "author", "editor"):
            value = getattr(byline, name)
            if value and not adapter.get(name):
                adapter[name] = value
                sources[name] = sources.get("info_line", "info line")
        if adapter.get("author") in self.self_credits:
            adapter["author"] = None
            sources.pop("author", None)
        return item
