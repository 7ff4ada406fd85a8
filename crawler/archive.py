"""Keeps the raw response of every article page in the ``pages`` table."""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from crawler.storage import headers_to_dict, store_for


class PageArchiveMiddleware:
    """Spider middleware: archives responses whose request is marked ``meta["archive"]``,
    so that any article can be parsed again later without crawling again."""

    def __init__(self, crawler: Crawler):
        self.store = store_for(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageArchiveMiddleware:
        if not crawler.settings.getbool("ARCHIVE_PAGES"):
            raise NotConfigured
        return cls(crawler)

    def process_spider_input(self, response: Response) -> None:
        if response.meta.get("archive"):
            self.store.save_page(response.url, response.status,
                                 headers_to_dict(response.headers), response.body)
