"""武进新闻 / 阳湖网 (app.wjyanghu.com): EmpireCMS (inferred) with a custom template.

A third-party SEO mirror (m.youngwriting.cn) serves the same paths in Traditional
characters with pinyin after some of them; its pages are stored under the
publisher's URL, converted back to Simplified, and marked as mirror copies.
"""

from spiders.empirecms import EmpireCMSSpider


class WjyanghuSpider(EmpireCMSSpider):
    name = "wjyanghu"
    site_name = "阳湖网"
    allowed_domains = ["app.wjyanghu.com", "m.youngwriting.cn"]
    start_urls = ["https://app.wjyanghu.com/yhw/hotspot/wjxw/index.html"]
    host_aliases = {"m.youngwriting.cn": "app.wjyanghu.com"}
    https_hosts = {"app.wjyanghu.com"}
    mirror_hosts = {"m.youngwriting.cn"}
    list_scope_css = "ul.news_list"
    title_css = "h1.article_title"
    info_css = "div.article_info"
    body_css = "div.article_content"
    section_css = "div.lanmu h2::text"
