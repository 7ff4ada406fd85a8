"""Item pipeline: furniture out of ``body_html``; credits found in it move to their fields."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.exceptions import NotConfigured

from crawler.cleaning.boilerplate import FILE_NAME, strip_boilerplate


class BoilerplatePipeline:
    """Strips hidden text, controls, trailers, related links and copyright lines from the article HTML.

    Source, author and editor found in trailers fill those fields only when the
    spider left them empty; a date line fills ``date_text`` the same way.
    """

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("BOILERPLATE_ENABLED", True):
            raise NotConfigured("BOILERPLATE_ENABLED is off")
        return cls()

    def process_item(self, item):
        adapter = ItemAdapter(item)
        if adapter.get("body_html"):
            stripped = strip_boilerplate(adapter["body_html"])
            adapter["body_html"] = stripped.html
            found = {"source": stripped.byline.source, "author": stripped.byline.author,
                     "editor": stripped.byline.editor, "date_text": stripped.byline.date}
            for name, value in found.items():
                if value and not adapter.get(name):
                    adapter[name] = value
        images = adapter.get("images") or []
        for image in images:
            if FILE_NAME.match((image.get("alt") or "").strip()):
                image["alt"] = ""
        return item
