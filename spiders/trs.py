"""TRS WCM, the CMS of many provincial government and 长安网 portals.

Articles live at ``./YYYYMM/tYYYYMMDD_ID.shtml``; list pages are ``index.shtml``,
``index_1.shtml`` …, and the pager exists only as a script (``createPageHTML(total,
current, stem, ext)``, or ``var countPage = N`` with ``document.write``), so the next
page is computed, not followed: ``crawler.listing`` reads both forms.
Articles are read by :class:`crawler.readers.TRSReader`.
"""

from __future__ import annotations

from crawler.listing import TRS_ARTICLE
from crawler.readers import TRSReader
from spiders.base import NewsSpider


class TRSSpider(NewsSpider):
    reader_class = TRSReader
    article_href = TRS_ARTICLE
