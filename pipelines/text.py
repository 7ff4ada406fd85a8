"""Item pipeline: the article body as clean text, its script, and mirror artifacts undone."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.exceptions import NotConfigured

from crawler.cleaning.pinyin import strip_pinyin
from crawler.cleaning.script import detect_script, to_simplified
from crawler.cleaning.text import html_to_text, map_text, normalize_line, normalize_text

# Short text fields cleaned like the body (spaces collapsed, mirror annotations removed).
TEXT_FIELDS = ("title", "source", "author", "editor", "section", "date_text", "byline_text")


def _undo_mirror(text: str) -> str:
    return to_simplified(strip_pinyin(text)[0])


class TextPipeline:
    """Sets ``body`` (one paragraph a line) and ``script``; undoes SEO-mirror copies.

    Pinyin annotations are removed by the rule of docs/sites.md §6.  A page with at
    least ``MIRROR_MIN_ANNOTATIONS`` of them, or flagged ``mirror`` by its spider, is a
    mirror copy: its text, ``body_html`` included, is converted back to Simplified, the
    publisher's script.
    Other Traditional text is kept as published; :func:`crawler.cleaning.script.to_simplified`
    gives its Simplified form for hashing and search.
    """

    def __init__(self, mirror_min_annotations: int = 3):
        self.mirror_min_annotations = mirror_min_annotations

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("TEXT_ENABLED", True):
            raise NotConfigured("TEXT_ENABLED is off")
        return cls(crawler.settings.getint("MIRROR_MIN_ANNOTATIONS", 3))

    def process_item(self, item):
        adapter = ItemAdapter(item)
        body = html_to_text(adapter["body_html"]) if adapter.get("body_html") else normalize_text(
            adapter.get("body") or "")
        texts = {"body": body}
        texts.update({name: normalize_line(adapter[name]) for name in TEXT_FIELDS if adapter.get(name)})
        annotations = 0
        for name, value in texts.items():
            texts[name], removed = strip_pinyin(value)
            annotations += removed
        if annotations >= self.mirror_min_annotations:
            adapter["mirror"] = True
        if adapter.get("mirror"):
            texts = {name: to_simplified(value) for name, value in texts.items()}
            if adapter.get("body_html"):
                adapter["body_html"] = map_text(adapter["body_html"], _undo_mirror)
        for name, value in texts.items():
            adapter[name] = value or None
        adapter["script"] = detect_script(f"{texts.get('title', '')}\n{texts['body']}")
        return item
