"""On every site's saved article page the cleaned body keeps every paragraph of the seed text
and loses the furniture around it."""

import re
import unicodedata
from pathlib import Path

import pytest
from scrapy.utils.misc import load_object
from scrapy.utils.test import get_crawler

from crawler.cleaning.pinyin import strip_pinyin
from crawler.cleaning.script import to_simplified
from crawler.cleaning.text import html_to_text
from crawler.fixtures import open_fixture
from pipelines.boilerplate import BoilerplatePipeline
from pipelines.bylines import BylinesPipeline
from pipelines.dates import DatesPipeline
from pipelines.text import TextPipeline
from tests.conftest import PROJECT_DEFAULTS

# The five sample pages the project began from: plain text as a reader saw them.
SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"

# site: (spider, fixture URL, seed prefix, first and last body paragraph of the seed, furniture)
CASES = {
    "wjyanghu": ("spiders.wjyanghu.WjyanghuSpider",
                 "http://m.youngwriting.cn/yhw/hotspot/wjxw/2022-10-03/118206.html", "000",
                 "于城市而言", "如今的武进", ["更多>>", "视频推荐", "作者:", "(xiāng)", "(fā)"]),
    "fzsdzk": ("spiders.fzsdzk.FzsdzkSpider",
               "http://fzsdzk.com/guonei/fazhi/zhengfazonghe/2015-10-29/28793.html", "001",
               "今年以来,临港区", "“警灯闪烁”工程的实施", ["WDg法治快讯网", "法治快讯网", "来顶一下", "发表评论",
                                                        "用户名", "推荐资讯", "备案信息"]),
    "jszf": ("spiders.jszf.JszfSpider",
             "https://www.jszf.gov.cn/zyyg/jscawq_1/wuxi/202301/t20230119_3533419.shtml", "002",
             "组建多元群防群治队伍", "接下来,江阴公安", ["版权所有", "ICP", "Copyright", "当前位置"]),
    "jazx": ("spiders.jazx.JazxSpider", "https://jazx.example/jmwh/5831.html", "003",
             "让老百姓切实感受到安全就在身边", "结合江南水乡季节", ["图片1.png", "图片2.png", "来源:人民公安报",
                                                        "一醉驾", "版权所有", "ICP", "阅读:"]),
    "wjga": ("spiders.wjga.WjgaSpider",
             "http://www.zt.net.cn/index.php?m=content&c=index&a=show&catid=38&id=1235", "004",
             "看武进公安品牌战略之路", "在全局层面之下", ["来源:常州日报", "访问统计", "发布日期"]),
}


def as_published(text: str) -> str:
    """Without whitespace and punctuation width, but with the script and any pinyin as they are."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def squeeze(text: str) -> str:
    """Compare without whitespace and punctuation width (the seeds are NFKC text)."""
    return as_published(to_simplified(strip_pinyin(text)[0]))


def seed_paragraphs(prefix: str, first: str, last: str) -> list[str]:
    lines = [squeeze(line) for line in next(SEEDS.glob(f"{prefix}_*.txt")).read_text().splitlines()]
    lines = [line for line in lines if line]
    start = next(i for i, line in enumerate(lines) if line.startswith(squeeze(first)))
    end = next(i for i, line in enumerate(lines) if line.startswith(squeeze(last)))
    return lines[start:end + 1]


@pytest.mark.parametrize("site", CASES)
def test_body_keeps_the_seed_and_drops_the_furniture(site):
    spider_path, url, prefix, first, last, furniture = CASES[site]
    item = load_object(spider_path)().extract_article(open_fixture(site, url))
    crawler = get_crawler(settings_dict=PROJECT_DEFAULTS)
    for stage in (BoilerplatePipeline, TextPipeline, DatesPipeline, BylinesPipeline):
        stage.from_crawler(crawler).process_item(item)
    body = squeeze(item.body)
    paragraphs = seed_paragraphs(prefix, first, last)
    assert len(paragraphs) > 3
    for paragraph in paragraphs:
        if not any(squeeze(word) == paragraph for word in furniture):
            assert paragraph.replace("WDg法治快讯网", "") in body
    shown = as_published(html_to_text(item.body_html))  # the stored HTML is as clean as the text
    for word in furniture:
        assert squeeze(word) not in body, word
        assert as_published(word) not in shown, word
