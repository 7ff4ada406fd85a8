"""Item pipeline: furniture out of ``body_html``; credits found in it move to their fields."""

from __future__ import annotations

import re

from itemadapter import ItemAdapter
from scrapy.exceptions import NotConfigured

from crawler.cleaning.boilerplate import FILE_NAME, strip_boilerplate
from crawler.items import field_sources

# A body container that is itself a <form> (ASP.NET and some CMS pages wrap the whole page
# in one): its content is the article, so only the form tag goes, never the form whole.
_FORM_CONTAINER = re.compile(r"^\s*<form\b[^>]*>(?P<inner>.*)</form>\s*$", re.S | re.I)


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
            form = _FORM_CONTAINER.match(adapter["body_html"])
            stripped = strip_boilerplate(form["inner"] if form else adapter["body_html"])
            adapter["body_html"] = stripped.html
            found = {"source": stripped.byline.source, "author": stripped.byline.author,
                     "editor": stripped.byline.editor, "date_text": stripped.byline.date}
            for name, value in found.items():
                if value and not adapter.get(name):
                    adapter[name] = value
                    field_sources(adapter)[name] = "body trailer"
        images = adapter.get("images") or []
        for image in images:
            if FILE_NAME.match((image.get("alt") or "").strip()):
                image["alt"] = ""
        return item
