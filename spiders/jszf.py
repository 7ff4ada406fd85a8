"""江苏长安网 (www.jszf.gov.cn), the provincial political-legal portal of Jiangsu; TRS WCM."""

from spiders.trs import TRSSpider


class JszfSpider(TRSSpider):
    name = "jszf"
    site_name = "江苏长安网"
    allowed_domains = ["www.jszf.gov.cn"]
    https_hosts = {"www.jszf.gov.cn"}
    start_urls = ["https://www.jszf.gov.cn/zyyg/jscawq_1/wuxi/index.shtml"]
    title_css = "div.article h1"
    info_css = "div.article div.info"
