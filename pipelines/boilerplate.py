"""Item pipeline: furniture out of ``body_html``; credits found in it move to their fields."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.cleaning.boilerplate import FILE_NAME, strip_boilerplate
from crawler.cleaning.soup import cleaned_by_site
from crawler.item_processor import WorkerStage
from crawler.items import ArticleItem, field_sources
from spiders.base import NewsSpider

if TYPE_CHECKING:
    from bs4 import Tag

# A body container that is itself a <form> (ASP.NET and some CMS pages wrap the whole page
# in one): its content is the article, so only the form tag goes, never the form whole.
_FORM_CONTAINER = re.compile(r"^\s*<form\b[^>]*>(?P<inner>.*)</form>\s*$", re.S | re.I)


class BoilerplatePipeline(WorkerStage):
    """Strips hidden text, controls, trailers, related links and copyright lines from the article HTML.

    The spider's own ``clean_body`` hook, where it has one, runs first.  Source, author and
    editor found in trailers fill those fields only when the spider left them empty; a date
    line fills ``readings.date_text`` the same way.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.site_hook: Callable[[Tag], object] | None = None

    def open_spider(self) -> None:
        if isinstance(self.crawler.spider, NewsSpider):
            self.site_hook = self.crawler.spider.clean_body

    @property
    def runs_in_worker(self) -> bool:
        return self.site_hook is None  # a spider's own hook edits in the crawl's process

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BoilerplatePipeline:
        if not crawler.settings.getbool("BOILERPLATE_ENABLED"):
            raise NotConfigured("BOILERPLATE_ENABLED is off")
        return cls(crawler)

    def process_item(self, item: ArticleItem) -> ArticleItem:
        adapter = ItemAdapter(item)
        if adapter.get("body_html") and self.site_hook is not None:
            adapter["body_html"] = cleaned_by_site(adapter["body_html"], self.site_hook)
        if adapter.get("body_html"):
            form = _FORM_CONTAINER.match(adapter["body_html"])
            stripped = strip_boilerplate(form["inner"] if form else adapter["body_html"])
            adapter["body_html"] = stripped.html
            found = {"source": stripped.byline.source, "author": stripped.byline.author,
                     "editor": stripped.byline.editor}
            for name, value in found.items():
                if value and not adapter.get(name):
                    adapter[name] = value
                    field_sources(adapter)[name] = "body trailer"
            if stripped.byline.date and not item.readings.date_text:
                item.readings.date_text = stripped.byline.date
                field_sources(adapter)["date_text"] = "body trailer"
        images = adapter.get("images") or []
        for image in images:
            if FILE_NAME.match((image.get("alt") or "").strip()):
                image["alt"] = ""
        return item
