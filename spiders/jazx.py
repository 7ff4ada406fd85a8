"""警安在线: a privately run police-news portal whose domain and CMS are unknown.

``jazx.example`` is a placeholder host, not the site's address: the fixtures are
reconstructed from a text copy of one article.  Give the real column URL with
``-a start_url=…`` once it is known; the selectors follow the reconstruction.
"""

import re

from spiders.base import NewsSpider


class JazxSpider(NewsSpider):
    name = "jazx"
    site_name = "警安在线"
    # `crawler crawl --all` leaves it out (unless replaying fixtures): a live crawl can only fail.
    host_is_placeholder = True
    allowed_domains = ["jazx.example"]
    https_hosts = {"jazx.example"}
    # Its template credits "作者:警安在线" on every article, reposts included.
    self_credits = {"警安在线"}
    start_urls = ["https://jazx.example/jmwh/"]
    article_href = re.compile(r"/\d+\.html$")
    list_scope_css = "div.list"
    list_pager_css = "div.pagination"
    title_css = "div.article h1"
    info_css = "div.article div.info"
    body_css = "div.article div.content"
    section_css = "div.position a::text"
