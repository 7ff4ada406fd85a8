"""EmpireCMS (帝国CMS): what real installations share.

Evidence:

- The stock news content template (the ``[!--newstext--]`` template of EmpireCMS 7.x,
  as installed sites keep it): the headline in ``table.title_info h1``, the info line
  ``时间：… 来源：… 作者：…`` in ``td.info_text``, the body in ``td#text`` followed by
  ``p.pageLink`` holding ``[!--page.url--]``, the pager of a multi-page article, whose
  further pages are ``ID_2.html``, ``ID_3.html`` … (fzsdzk.com keeps this template).
- Real installations mostly run their own templates (www.cjddsb.com, www.ednchina.com
  in ``fixtures/realcms/empirecms/``; app.wjyanghu.com): none of the stock classes
  occur there.  What they keep is the CMS's own furniture (``/e/public/ViewClick/``,
  ``/e/public/digg/``, ``/e/extend/``), which tells the dialect but holds no field; so
  the headline comes from ``<title>`` agreement and the headline nearest the body, the
  info line from under the headline, and the body from the generic extractor.
"""

from crawler.readers.base import Reader


class EmpireCMSReader(Reader):
    cms = "empirecms"
    title_css = "table.title_info h1, h1"
    info_css = "td.info_text"
    body_css = "td#text"
    section_css = "table.position a::text"
    body_drop_css = "p.pageLink"
