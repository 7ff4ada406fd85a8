"""EmpireCMS (帝国CMS), the CMS of many district news stations and 法治 portals.

Defaults follow the stock news templates: articles at ``/classpath/Y-m-d/ID.html``
(further pages ``ID_2.html``) or any other shape the class's ``newspath`` and file-name
settings give (``crawler.listing.EMPIRECMS_ARTICLE``), lists at ``index.html``,
``index_2.html`` … in ``td.news_list`` with the ``div.epages`` pager (both looked for
elsewhere on pages without them), the info line in ``td.info_text`` and the body in
``td#text``.
"""

from crawler.listing import EMPIRECMS_ARTICLE
from spiders.base import NewsSpider


class EmpireCMSSpider(NewsSpider):
    article_href = EMPIRECMS_ARTICLE
    list_scope_css = "td.news_list table.box"
    list_pager_css = "div.epages"
    title_css = "table.title_info h1"
    info_css = "td.info_text"
    body_css = "td#text"
    section_css = "table.position a::text"
    body_drop_css = "p.pageLink"
    article_pager_css = "p.pageLink"
