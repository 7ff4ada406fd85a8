"""Item pipeline: ``published_at`` from the date text, else the list date, else the URL."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.exceptions import NotConfigured

from crawler.dates import date_from_url, parse_date


class DatesPipeline:
    """Parses ``date_text`` (then ``list_date``, then the URL) into ISO 8601 with +08:00.

    A value the spider already set is kept.  Implausible dates (future, before 1995)
    are refused by :func:`crawler.dates.parse_date` and leave the field empty.
    """

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("DATES_ENABLED", True):
            raise NotConfigured("DATES_ENABLED is off")
        return cls()

    def process_item(self, item):
        adapter = ItemAdapter(item)
        if adapter.get("published_at"):
            return item
        url = adapter.get("url")
        for text in (adapter.get("date_text"), adapter.get("list_date")):
            parsed = parse_date(text, url=url) if text else None
            if parsed:
                adapter["published_at"] = parsed
                return item
        url_date = date_from_url(url) if url else None
        if url_date:
            adapter["published_at"] = parse_date(url_date.isoformat())
        return item
