"""EmpireCMS (帝国CMS), the CMS of many district news stations and 法治 portals.

Defaults follow the stock news templates: articles at ``/classpath/Y-m-d/ID.html``
(further pages ``ID_2.html``), lists at ``index.html``, ``index_2.html`` … with the
``div.epages`` pager.  Articles are read by :class:`crawler.readers.EmpireCMSReader`.
"""

import re

from crawler.readers import EmpireCMSReader
from spiders.base import NewsSpider


class EmpireCMSSpider(NewsSpider):
    reader_class = EmpireCMSReader
    article_href = re.compile(r"/\d{4}-\d{2}-\d{2}/\d+\.html$")
    list_scope_css = "td.news_list table.box"
    list_pager_css = "div.epages"
