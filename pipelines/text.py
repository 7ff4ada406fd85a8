"""Item pipeline: the article body as clean text."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.exceptions import NotConfigured

from crawler.cleaning.text import html_to_text


class TextPipeline:
    """Sets ``body`` from ``body_html``: one paragraph a line, whitespace collapsed."""

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("TEXT_ENABLED", True):
            raise NotConfigured("TEXT_ENABLED is off")
        return cls()

    def process_item(self, item):
        adapter = ItemAdapter(item)
        if adapter.get("body_html"):
            adapter["body"] = html_to_text(adapter["body_html"])
        return item
