"""The one item type of the project: an article, as spiders yield it and pipelines refine it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ArticleItem:
    """An article page.

    Spiders fill what the page shows; pipelines clean ``body_html`` into ``body``,
    normalise dates and bylines, and store the result.  Fields left ``None`` are
    unknown, never empty strings.
    """

    site: str
    url: str
    title: str | None = None
    published_at: str | None = None
    source: str | None = None
    author: str | None = None
    editor: str | None = None
    section: str | None = None
    body: str | None = None
    body_html: str | None = None
    images: list[dict] = field(default_factory=list)
    views: int | None = None
    script: str | None = None
    content_hash: str | None = None
    extraction_method: str = "site"
    # Where each field came from (see ``crawler.readers``), e.g. {"title": "trs:meta ArticleTitle"}.
    field_sources: dict = field(default_factory=dict)
    # Raw strings the spider saw, for pipelines to parse; not stored as columns.
    date_text: str | None = None
    byline_text: str | None = None
    list_date: str | None = None
    fetched_url: str | None = None
    # A copy served by a Simplified-to-Traditional SEO mirror: its text goes back to Simplified.
    mirror: bool = False


def field_sources(adapter) -> dict:
    """The item's field → evidence map (see ``ArticleItem.field_sources``), made if missing."""
    if adapter.get("field_sources") is None:
        adapter["field_sources"] = {}
    return adapter["field_sources"]
