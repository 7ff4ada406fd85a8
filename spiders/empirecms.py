"""EmpireCMS (帝国CMS), the CMS of many district news stations and 法治 portals.

Defaults follow the stock news templates: articles at ``/classpath/Y-m-d/ID.html``
(further pages ``ID_2.html``) or any other shape the class's ``newspath`` and file-name
settings give (``crawler.listing.EMPIRECMS_ARTICLE``), lists at ``index.html``,
``index_2.html`` … in ``td.news_list`` with the ``div.epages`` pager (both looked for
elsewhere on pages without them).  Articles are read by
:class:`crawler.readers.EmpireCMSReader`.
"""

from crawler.listing import EMPIRECMS_ARTICLE
from crawler.readers import EmpireCMSReader
from spiders.base import NewsSpider


class EmpireCMSSpider(NewsSpider):
    reader_class = EmpireCMSReader
    article_href = EMPIRECMS_ARTICLE
    list_scope_css = "td.news_list table.box"
    list_pager_css = "div.epages"
