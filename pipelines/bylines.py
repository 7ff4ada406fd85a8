"""Item pipeline: source, author and editor from the info line, roles dropped."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.exceptions import NotConfigured

from crawler.cleaning.bylines import parse_byline, tidy_credit
from crawler.items import field_sources


class BylinesPipeline:
    """Fills empty ``source``/``author``/``editor`` from ``byline_text``, and tidies set credits.

    Values the spider or the boilerplate stage set first win: a repost's trailer
    ("来源:人民公安报") is more specific than the site's info line.  Author and editor
    values lose role words ("特约记者 薄雪飞" → "薄雪飞"); an organisation credited as
    author is kept as published (see :mod:`crawler.cleaning.bylines`), except a site's
    own name where its spider lists it in ``self_credits``: a reposting portal whose
    template credits itself on every article tells nothing about the author, so
    ``author`` stays empty there.
    """

    def __init__(self, crawler=None):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("BYLINES_ENABLED", True):
            raise NotConfigured("BYLINES_ENABLED is off")
        return cls(crawler)

    def process_item(self, item):
        adapter = ItemAdapter(item)
        for name in ("author", "editor"):
            if adapter.get(name):
                adapter[name] = tidy_credit(adapter[name])
        sources = field_sources(adapter)
        byline = parse_byline(adapter.get("byline_text"))
        for name in ("source", "author", "editor"):
            value = getattr(byline, name)
            if value and not adapter.get(name):
                adapter[name] = value
                sources[name] = sources.get("info_line", "info line")
        spider = self.crawler.spider if self.crawler else None
        if adapter.get("author") in getattr(spider, "self_credits", ()):
            adapter["author"] = None
            sources.pop("author", None)
        return item
