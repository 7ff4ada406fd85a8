"""Any site, today: follow links within the start site and keep what reads as an article.

``scrapy crawl generic -a start_url=URL [-a allow=REGEX] [-a max_pages=N]``.  Every
page goes through the generic reader (``crawler.readers.Reader``), whose extractor tells
article pages from list and index pages; only articles are stored, with
``extraction_method = 'generic'``.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse

from crawler.errors import ArgumentError
from crawler.items import ArticleItem
from spiders.base import NewsSpider

# Links that never lead to an HTML page.
_ASSET = re.compile(r"\.(?:jpe?g|png|gif|bmp|webp|svg|ico|css|js|pdf|docx?|xlsx?|pptx?|zip|rar|7z|"
                    r"mp3|mp4|avi|flv|wmv|mov|swf|apk|exe)(?:$|\?)", re.I)


class GenericSpider(NewsSpider):
    name = "generic"
    ARGUMENTS = ("start_url", "allow", "max_pages", "since")
    default_max_pages = 200
    replays_all_fixtures = True
    allow: re.Pattern | None = None  # links followed: those matching it (None: any same-site link)

    @classmethod
    def check_arguments(cls, **given: Any) -> dict[str, Any]:
        """``start_url`` is required; ``max_pages`` caps the pages fetched; ``allow`` filters links."""
        cls.check_unknown(given)
        allow = given.pop("allow", None)
        if not given.get("start_url"):
            raise ArgumentError("the generic spider needs -a start_url=URL")
        checked = super().check_arguments(**given)
        checked["allowed_domains"] = sorted({urlsplit(url).hostname for url in checked["start_urls"]})
        try:
            checked["allow"] = re.compile(allow) if allow else None
        except re.error as exc:
            raise ArgumentError(f"allow is not a regular expression: {exc}") from None
        return checked

    def apply_arguments(self, checked: dict[str, Any]) -> None:
        super().apply_arguments(checked)
        self.allow = checked["allow"]

    pages_requested = 0

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.pages_requested = len(self.start_urls)
        for url in self.start_urls:
            yield scrapy.Request(url, callback=self.parse)

    def parse(self, response: Response, page_no: int = 1, **_kwargs: Any) -> Iterator[scrapy.Request | ArticleItem]:
        if not isinstance(response, TextResponse):
            return
        if response.url not in self.start_urls:
            item = self.extract_article(response)
            if item.body_html:  # the generic reader keeps a body only on article pages
                yield item
        for url in self.links(response):
            if self.max_pages and self.pages_requested >= self.max_pages:
                return
            self.pages_requested += 1
            yield scrapy.Request(url, callback=self.parse, meta={"archive": True})

    def links(self, response: Response) -> list[str]:
        """Same-site page links in document order, filtered by ``allow``."""
        urls = []
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href.strip()).split("#", 1)[0]
            if urlsplit(url).scheme not in ("http", "https") or _ASSET.search(url):
                continue
            if self.allow and not self.allow.search(url):
                continue
            if url not in urls:
                urls.append(url)
        return urls
