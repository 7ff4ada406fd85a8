import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from crawler.items import ArticleItem
from pipelines.text import TextPipeline


def make(settings=None):
    return TextPipeline.from_crawler(get_crawler(settings_dict=settings or {}))


def test_body_is_set_from_body_html():
    item = ArticleItem(site="jszf", url="https://www.jszf.gov.cn/a.shtml",
                       body_html="<div class='TRS_Editor'><p>\u3000\u3000组建多元群防群治队伍。</p><p>党建引领</p></div>")
    make().process_item(item)
    assert item.body == "组建多元群防群治队伍。\n党建引领"


def test_can_be_switched_off():
    with pytest.raises(NotConfigured):
        make({"TEXT_ENABLED": False})
