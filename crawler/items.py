"""The one item type of the project: an article, as spiders yield it and pipelines refine it.

Each field has one owning stage, the one that sets it first; later stages named beside a
field may refine it (the order is that of ``ITEM_PIPELINES``, crawler/addon.py).  What a
spider read on the page for the pipelines to interpret (``PageReadings``) is kept apart
from the article that is stored: it is never a column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class PageReadings:
    """Raw strings and flags the spider saw, for the pipelines to interpret; never stored."""

    # The info line's date text (spider); a trailer's date line when it had none
    # (boilerplate); parsed into ``published_at`` by dates.
    date_text: str | None = None
    # The info line (spider); parsed into source, author and editor by bylines.
    byline_text: str | None = None
    # The date the column list showed beside the link (spider); a fallback of dates.
    list_date: str | None = None
    # A copy served by a Simplified-to-Traditional SEO mirror (spider, by host; text, by
    # its pinyin annotations): text turns its text back into Simplified.
    mirror: bool = False


@dataclass
class ArticleItem:
    """An article page, as stored in ``articles``.  Fields left ``None`` are unknown, never
    empty strings."""

    site: str  # spider
    # The canonical URL (crawler.urls), from the spider on: the key of the stored row.
    url: str
    title: str | None = None  # spider; text normalises it
    published_at: str | None = None  # spider where the page has a machine date; dates
    source: str | None = None  # spider; boilerplate (a trailer), bylines (the info line)
    author: str | None = None  # as source
    editor: str | None = None  # as source
    section: str | None = None  # spider
    body: str | None = None  # text, from body_html
    body_html: str | None = None  # spider; boilerplate and learned_boilerplate cut furniture
    images: list[dict] = field(default_factory=list)  # spider; boilerplate blanks file-name captions
    views: int | None = None  # spider
    script: str | None = None  # text
    content_hash: str | None = None  # dedup
    extraction_method: str = "site"  # spider
    # Where each field came from (see ``crawler.readers``), e.g. {"title": "trs:meta ArticleTitle"}:
    # the spider, and each stage that fills a field.
    field_sources: dict[str, str] = field(default_factory=dict)
    readings: PageReadings = field(default_factory=PageReadings)


def field_sources(adapter: Any) -> dict[str, str]:
    """The item's field → evidence map (see ``ArticleItem.field_sources``), made if missing."""
    if adapter.get("field_sources") is None:
        adapter["field_sources"] = {}
    return adapter["field_sources"]
