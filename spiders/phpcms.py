"""PHPCMS v9: dynamic ``index.php?m=content&c=index&a=show&catid=N&id=N`` or static
``/catid_YYYY/MMDD/ID.html``-style URLs (``crawler.listing.PHPCMS_ARTICLE``).

Lists are ``a=lists&catid=N`` then ``&page=N`` (static: ``…/index.html``, ``…/2.html``;
pseudo-static ``list-6-2.html``) in ``div.col-left``, with the ``div#pages`` pager (both
looked for elsewhere on pages without them).  Articles are read by
:class:`crawler.readers.PHPCMSReader`.
"""

from crawler.listing import PHPCMS_ARTICLE
from crawler.readers import PHPCMSReader
from spiders.base import NewsSpider


class PHPCMSSpider(NewsSpider):
    reader_class = PHPCMSReader
    article_href = PHPCMS_ARTICLE
    list_scope_css = "div.col-left"
    list_pager_css = "div#pages"
