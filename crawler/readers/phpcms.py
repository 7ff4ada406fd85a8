"""PHPCMS v9: what real installations share.

Evidence:

- The stock article template ``phpcms/templates/default/content/show.html`` (PHPCMS v9
  source, e.g. source-hunter/phpcms@531c6e0e): ``div#Article`` holds an ``h1`` whose
  own text is the headline and whose ``span`` after a ``<br />`` holds the info line
  (``{$inputtime} 来源：{$copyfrom} 评论：… 点击：``, the counter filled into
  ``span#hits`` by ``api.php?op=count``); the body is ``div#Article div.content``, the
  pager of a multi-page article ``div#pages`` (further pages add ``&page=N`` to the
  dynamic URL, or ``-N`` to ``show-catid-id-1.html``); the breadcrumb ``div.crumbs``.
  So the title is the ``h1``'s own text, never its whole text with date and counters.
- Customised v9 templates (www.zt.net.cn) keep ``div#Article`` and ``div.content`` and
  move the date to a ``div.pubdate``.
"""

from crawler.readers.base import Reader


class PHPCMSReader(Reader):
    cms = "phpcms"
    title_css = "div#Article h1::text, div#Article h1"
    info_css = "div#Article h1 span, div#Article div.pubdate"
    body_css = "div#Article div.content"
    section_css = "div.crumbs a::text"
    views_css = "span#hits"
    body_drop_css = "div#pages"
