"""Item pipeline: the article body as clean text, its script, and mirror artifacts undone."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.cleaning.pinyin import strip_pinyin
from crawler.cleaning.script import detect_script, to_simplified
from crawler.cleaning.text import html_to_text, map_text, normalize_line, normalize_text
from crawler.item_processor import WorkerStage
from crawler.items import ArticleItem

# Short text fields cleaned like the body (spaces collapsed, mirror annotations removed),
# and the spider's readings cleaned the same way for the stages that parse them.
TEXT_FIELDS = ("title", "source", "author", "editor", "section")
READING_FIELDS = ("date_text", "byline_text")


def _undo_mirror(text: str) -> str:
    return to_simplified(strip_pinyin(text)[0])


class TextPipeline(WorkerStage):
    """Sets ``body`` (one paragraph a line) and ``script``; undoes SEO-mirror copies.

    Pinyin annotations are removed by the rule of docs/sites.md §6.  A page with at
    least ``MIRROR_MIN_ANNOTATIONS`` of them, or flagged ``readings.mirror`` by its spider, is a
    mirror copy: its text, ``body_html`` included, is converted back to Simplified, the
    publisher's script.
    Other Traditional text is kept as published; :func:`crawler.cleaning.script.to_simplified`
    gives its Simplified form for hashing and search.
    """

    def __init__(self, mirror_min_annotations: int):
        self.mirror_min_annotations = mirror_min_annotations

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TextPipeline:
        if not crawler.settings.getbool("TEXT_ENABLED"):
            raise NotConfigured("TEXT_ENABLED is off")
        return cls(crawler.settings.getint("MIRROR_MIN_ANNOTATIONS"))

    def process_item(self, item: ArticleItem) -> ArticleItem:
        adapter = ItemAdapter(item)
        readings = item.readings
        body = html_to_text(adapter["body_html"]) if adapter.get("body_html") else normalize_text(
            adapter.get("body") or "")
        texts = {"body": body}
        texts.update({name: normalize_line(adapter[name]) for name in TEXT_FIELDS if adapter.get(name)})
        read = {name: normalize_line(value) for name in READING_FIELDS if (value := getattr(readings, name))}
        annotations = 0
        for found in (texts, read):
            for name, value in found.items():
                found[name], removed = strip_pinyin(value)
                annotations += removed
        if annotations >= self.mirror_min_annotations:
            readings.mirror = True
        if readings.mirror:
            texts = {name: to_simplified(value) for name, value in texts.items()}
            read = {name: to_simplified(value) for name, value in read.items()}
            if adapter.get("body_html"):
                adapter["body_html"] = map_text(adapter["body_html"], _undo_mirror)
        for name, value in texts.items():
            adapter[name] = value or None
        for name, value in read.items():
            setattr(readings, name, value or None)
        adapter["script"] = detect_script(f"{texts.get('title', '')}\n{texts['body']}")
        return item
