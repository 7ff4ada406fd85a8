"""武进公安 articles on www.zt.net.cn: PHPCMS v9 with a customised article template (GBK)."""

from spiders.phpcms import PHPCMSSpider


class WjgaSpider(PHPCMSSpider):
    name = "wjga"
    site_name = "武进公安"
    allowed_domains = ["www.zt.net.cn"]
    start_urls = ["http://www.zt.net.cn/index.php?m=content&c=index&a=lists&catid=38"]
    info_css = "div#Article div.pubdate"
    subtitle_css = "div#Article h2.subtitle"
