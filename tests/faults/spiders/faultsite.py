"""The spider of the fault-injecting test site (``tests/faults/site.py``): plain list pages
of ``<li><a>`` entries with a 下一页 pager, and article pages with ``h1``, an info line and
a ``div.content`` body.  Loaded with ``-s SPIDER_MODULES=spiders,tests.faults.spiders``."""

import re

from spiders.base import NewsSpider


class FaultSiteSpider(NewsSpider):
    name = "faultsite"
    site_name = "故障测试站"
    allowed_domains = ["faultsite.invalid"]  # the start_url's host is added to it
    default_max_pages = 0
    list_scope_css = "ul.list"
    article_href = re.compile(r"/a/[\w.-]+\.(?:html|php)(?:\?.*)?$")
    list_pager_css = "div.pager"
    title_css = "h1"
    info_css = "div.info"
    body_css = "div.content"


class OtherFaultSiteSpider(FaultSiteSpider):
    """A second spider of the same site, for runs of several spiders in one process."""

    name = "faultsite2"
