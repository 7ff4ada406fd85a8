"""TRS WCM, the CMS of many provincial government and 长安网 portals.

Articles live at ``./YYYYMM/tYYYYMMDD_ID.shtml``; list pages are ``index.shtml``,
``index_1.shtml`` …, and the pager exists only as a ``createPageHTML(total,
current, stem, ext)`` script call, so the next page is computed, not followed.
Articles are read by :class:`crawler.readers.TRSReader`.
"""

from __future__ import annotations

import re

from scrapy.http import Response

from crawler.readers import TRSReader
from spiders.base import NewsSpider

ARTICLE_HREF = re.compile(r"(?:^|/)t\d{8}_\d+\.s?html?$")
CREATE_PAGE_HTML = re.compile(
    r"createPageHTML\(\s*(?:['\"][^'\"]*['\"]\s*,\s*)?(\d+)\s*,\s*(\d+)\s*,\s*['\"]([\w-]+)['\"]\s*,\s*['\"](\w+)['\"]")


def trs_next_page(script_text: str) -> str | None:
    """The file name of the next list page from a ``createPageHTML`` call, or None on the last."""
    match = CREATE_PAGE_HTML.search(script_text)
    if not match:
        return None
    total, current, stem, ext = int(match[1]), int(match[2]), match[3], match[4]
    if current + 1 >= total:
        return None
    return f"{stem}_{current + 1}.{ext}"


class TRSSpider(NewsSpider):
    reader_class = TRSReader
    article_href = ARTICLE_HREF

    def next_list_page(self, response: Response) -> str | None:
        name = trs_next_page(" ".join(response.css("script::text").getall()))
        return response.urljoin(name) if name else None
