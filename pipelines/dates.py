"""Item pipeline: ``published_at`` from the date text, else the list date, else the URL."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.dates import date_from_url, iter_dates, parse_date
from crawler.item_processor import WorkerStage
from crawler.items import ArticleItem, field_sources


class DatesPipeline(WorkerStage):
    """Parses ``readings.date_text`` (then ``readings.list_date``, then the URL) into ISO 8601 with +08:00.

    A year-less date takes its year from the URL, else from the list date.  Implausible
    dates (future, before 1995) are refused by :func:`crawler.dates.parse_date`, also
    when the spider set them: the next source is tried, and if none gives a date the
    field stays empty.
    """

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DatesPipeline:
        if not crawler.settings.getbool("DATES_ENABLED"):
            raise NotConfigured("DATES_ENABLED is off")
        return cls()

    def process_item(self, item: ArticleItem) -> ArticleItem:
        adapter = ItemAdapter(item)
        sources = field_sources(adapter)
        if adapter.get("published_at"):
            adapter["published_at"] = parse_date(adapter["published_at"])
            if adapter["published_at"]:
                return item
            sources.pop("published_at", None)
        url = adapter.get("url")
        readings = item.readings
        list_day = next(iter_dates(readings.list_date or "", url=url, yearless=False), None)
        near = list_day.date() if list_day else None
        for text, origin in ((readings.date_text, sources.get("info_line", "page text")),
                             (readings.list_date, "list")):
            parsed = parse_date(text, url=url, near=near) if text else None
            if parsed:
                adapter["published_at"], sources["published_at"] = parsed, origin
                return item
        url_date = date_from_url(url) if url else None
        adapter["published_at"] = parse_date(url_date.isoformat()) if url_date else None
        if adapter["published_at"]:
            sources["published_at"] = "url"
        return item
