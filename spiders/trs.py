"""TRS WCM, the CMS of many provincial government and 长安网 portals.

Articles live at ``./YYYYMM/tYYYYMMDD_ID.shtml``; list pages are ``index.shtml``,
``index_1.shtml`` …, and the pager exists only as a script (``createPageHTML(total,
current, stem, ext)``, or ``var countPage = N`` with ``document.write``), so the next
page is computed, not followed: ``crawler.listing`` reads both forms.
"""

from __future__ import annotations

from scrapy.http import Response

from crawler.listing import TRS_ARTICLE
from spiders.base import NewsSpider


class TRSSpider(NewsSpider):
    article_href = TRS_ARTICLE
    body_css = "div.TRS_Editor, div.Custom_UnionStyle, div.TRS_UEDITOR"
    section_css = "div.position a::text"

    def extract_title(self, response: Response) -> str | None:
        meta = response.css("meta[name=ArticleTitle]::attr(content)").get()
        if meta and meta.strip():
            return meta.strip()
        return super().extract_title(response)
