"""PHPCMS v9 in dynamic-URL mode: ``index.php?m=content&c=index&a=show&catid=N&id=N``.

Lists are ``a=lists&catid=N`` then ``&page=N`` with the ``div#pages`` pager.  Articles
are read by :class:`crawler.readers.PHPCMSReader`.
"""

import re

from crawler.readers import PHPCMSReader
from spiders.base import NewsSpider


class PHPCMSSpider(NewsSpider):
    reader_class = PHPCMSReader
    article_href = re.compile(r"[?&]a=show&(?:.*&)?id=\d+")
    list_scope_css = "div.col-left"
    list_pager_css = "div#pages"
