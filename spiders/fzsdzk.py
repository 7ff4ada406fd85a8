"""法治山东网 / 法治快讯网 (fzsdzk.com): EmpireCMS with its stock templates."""

from spiders.empirecms import EmpireCMSSpider


class FzsdzkSpider(EmpireCMSSpider):
    name = "fzsdzk"
    site_name = "法治山东网"
    allowed_domains = ["fzsdzk.com"]
    start_urls = ["http://fzsdzk.com/guonei/fazhi/zhengfazonghe/index.html"]
