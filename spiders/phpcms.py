"""PHPCMS v9 in dynamic-URL mode: ``index.php?m=content&c=index&a=show&catid=N&id=N``.

Lists are ``a=lists&catid=N`` then ``&page=N`` with the ``div#pages`` pager; the
article body is ``div#Article div.content``, whose own pages add ``&page=N``.
"""

import re

from spiders.base import NewsSpider


class PHPCMSSpider(NewsSpider):
    article_href = re.compile(r"[?&]a=show&(?:.*&)?id=\d+")
    list_scope_css = "div.col-left"
    list_pager_css = "div#pages"
    title_css = "div#Article h1"
    body_css = "div#Article div.content"
    section_css = "div.crumbs a::text"
    body_drop_css = "div#pages"
    article_pager_css = "div#Article div#pages"
    views_css = "span#hits"
