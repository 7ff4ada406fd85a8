"""The cleaning pipelines: each configured from settings, each switchable off."""

from dataclasses import fields as dataclass_fields

import pytest
import time_machine
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from crawler.errors import ArgumentError, Rejected
from crawler.items import ArticleItem, PageReadings
from crawler.storage import Store
from pipelines.boilerplate import BoilerplatePipeline
from pipelines.bylines import BylinesPipeline
from pipelines.dates import DatesPipeline
from pipelines.learned_boilerplate import LearnedBoilerplatePipeline
from pipelines.text import TextPipeline
from pipelines.validate import ValidatePipeline
from spiders.base import NewsSpider
from spiders.jszf import JszfSpider
from tests.conftest import PROJECT_DEFAULTS

READINGS = {field.name for field in dataclass_fields(PageReadings)}

SWITCHES = [(BoilerplatePipeline, "BOILERPLATE_ENABLED"), (TextPipeline, "TEXT_ENABLED"),
            (DatesPipeline, "DATES_ENABLED"), (BylinesPipeline, "BYLINES_ENABLED"),
            (ValidatePipeline, "VALIDATE_ENABLED"), (LearnedBoilerplatePipeline, "LEARNED_BOILERPLATE_ENABLED")]


def build(cls, **settings):
    return cls.from_crawler(get_crawler(settings_dict={**PROJECT_DEFAULTS, **settings}))


@pytest.mark.parametrize("cls,switch", SWITCHES)
def test_every_stage_can_be_switched_off(cls, switch):
    with pytest.raises(NotConfigured):
        build(cls, **{switch: False})


def article(**fields):
    """An item as a spider yields it: article fields, and the readings named among ``fields``."""
    readings = PageReadings(**{name: fields.pop(name) for name in list(fields) if name in READINGS})
    return ArticleItem(site=fields.pop("site", "jazx"), url=fields.pop("url", "https://jazx.example/jmwh/5831.html"),
                       readings=readings, **fields)


def test_boilerplate_moves_trailers_to_empty_fields_only():
    item = article(body_html="<p>正文。</p><p>来源:人民公安报</p><p>责任编辑：王五</p>", source=None, editor="赵六",
                   images=[{"src": "https://jazx.example/u/1.png", "alt": "图片1.png"}])
    build(BoilerplatePipeline).process_item(item)
    assert item.body_html == "<p>正文。</p>"
    assert (item.source, item.editor) == ("人民公安报", "赵六")
    assert item.images[0]["alt"] == ""


def test_boilerplate_fills_date_text_from_a_date_line():
    item = article(body_html="<p>【发布日期:2010-01-18 13:35:36】</p><p>正文。</p>")
    build(BoilerplatePipeline).process_item(item)
    assert item.readings.date_text == "2010-01-18 13:35:36"


def test_text_sets_body_and_script():
    item = article(body_html="<p>\u3000\u3000于城市而言,平安是发展的基石。</p><p>&nbsp;</p>", title=" 标题\u3000一 ")
    build(TextPipeline).process_item(item)
    assert (item.body, item.title, item.script, item.readings.mirror) == (
        "于城市而言,平安是发展的基石。", "标题 一", "zh-Hans", False)


def test_text_undoes_a_mirror_copy():
    item = article(title="我的家鄉(xiāng)", author="陽湖網(wǎng)",
                   body_html="<p>是發(fā)展的基石,平安武進</p><p>經(jīng)驗和監(jiān)控</p>")
    build(TextPipeline).process_item(item)
    assert item.readings.mirror is True
    assert (item.title, item.author, item.body) == ("我的家乡", "阳湖网", "是发展的基石,平安武进\n经验和监控")
    assert item.body_html == "<p>是发展的基石,平安武进</p><p>经验和监控</p>"
    assert item.script == "zh-Hans"


def test_text_keeps_genuine_traditional_text_as_published():
    item = article(body_html="<p>臺灣警方破獲詐騙集團,王琎(jìn)表示。</p>")
    build(TextPipeline).process_item(item)
    assert item.body == "臺灣警方破獲詐騙集團,王琎(jìn)表示。"
    assert (item.script, item.readings.mirror) == ("zh-Hant", False)


def test_dates_from_text_then_list_date_then_url():
    pipeline = build(DatesPipeline)
    item = article(date_text="时间:2022-08-15作者:警安在线", list_date="2022-08-16")
    assert pipeline.process_item(item).published_at == "2022-08-15T00:00:00+08:00"
    item = article(date_text="作者:警安在线", list_date="2022-08-16")
    assert pipeline.process_item(item).published_at == "2022-08-16T00:00:00+08:00"
    item = article(url="https://app.wjyanghu.com/yhw/hotspot/wjxw/2022-10-03/118206.html")
    assert pipeline.process_item(item).published_at == "2022-10-03T00:00:00+08:00"
    with time_machine.travel("2022-08-20T12:00:00+08:00", tick=False):  # a date after that day is refused
        item = article(date_text="时间:2022-08-25 08:00", url="https://jazx.example/jmwh/5831.html")
        assert pipeline.process_item(item).published_at is None


def test_a_yearless_date_takes_its_year_from_the_list_date():
    item = article(date_text="发布时间：5月20日 08:30", list_date="2021-05-20")
    assert build(DatesPipeline).process_item(item).published_at == "2021-05-20T08:30:00+08:00"
    item = article(date_text="12月31日", list_date="2022-01-02")  # the list shows it in the new year
    assert build(DatesPipeline).process_item(item).published_at == "2021-12-31T00:00:00+08:00"


def test_a_date_set_by_the_spider_is_checked_too():
    pipeline = build(DatesPipeline)
    item = article(published_at="2023-01-19T00:47:00Z")
    assert pipeline.process_item(item).published_at == "2023-01-19T08:47:00+08:00"
    with time_machine.travel("2022-08-20T12:00:00+08:00", tick=False):
        item = article(published_at="2022-08-25T08:00:00+08:00", list_date="2022-08-16")
        assert pipeline.process_item(item).published_at == "2022-08-16T00:00:00+08:00"
    item = article(published_at="1990-01-01T08:00:00+08:00")
    assert pipeline.process_item(item).published_at is None


def test_bylines_fill_from_the_info_line_without_overriding_trailers():
    item = article(byline_text="时间:2022-08-15作者:警安在线 阅读:189377", source="人民公安报")
    build(BylinesPipeline).process_item(item)
    assert (item.source, item.author) == ("人民公安报", "警安在线")


def test_bylines_drop_roles_from_credits_set_by_spiders():
    item = article(author="特约记者 薄雪飞", byline_text="时间:2015-10-29 08:31:17  来源:法治山东网")
    build(BylinesPipeline).process_item(item)
    assert (item.source, item.author) == ("法治山东网", "薄雪飞")


@pytest.mark.parametrize("fields,reason", [
    ({"title": None, "body": "正文" * 30}, "no title"),
    ({"title": "  ", "body": "正文" * 30}, "no title"),
    ({"title": "标题", "body": None}, "no body"),
    ({"title": "标题", "body": "很短的正文。"}, "body shorter than 30 characters"),
])
def test_validate_rejects_unusable_items(fields, reason):
    with pytest.raises(Rejected, match=reason):
        build(ValidatePipeline).process_item(article(**fields))


def test_validate_passes_a_real_article_and_honours_its_setting():
    item = article(title="标题", body="很短的正文。")
    assert build(ValidatePipeline, VALIDATE_MIN_BODY_CHARS=5).process_item(item) is item


def test_learned_boilerplate_uses_stored_bodies_of_the_site_once():
    footer = "欢迎关注警安在线公众号"
    calls = []

    def site_bodies(site):
        calls.append(site)
        return [f"第{i}篇。\n{footer}" for i in range(6)]

    pipeline = LearnedBoilerplatePipeline(site_bodies, min_articles=3, min_site_articles=5, site="jazx")
    pipeline.open_spider()
    for _ in range(2):
        item = pipeline.process_item(article(body_html=f"<p>新文章。</p><p>{footer}</p>"))
        assert item.body_html == "<p>新文章。</p>"
    assert calls == ["jazx"]


def test_learned_boilerplate_is_learned_from_the_store_of_the_crawl(tmp_path):
    footer = "欢迎关注警安在线公众号"
    url = f"sqlite:///{tmp_path / 'news.db'}"
    store = Store.migrated(url)
    store.upsert_articles([{"site": "jazx", "url": f"https://jazx.example/jmwh/{i}.html", "title": f"第{i}篇",
                            "body": f"第{i}篇的正文。\n{footer}"} for i in range(4)]
                          + [{"site": "wjga", "url": "https://www.zt.net.cn/1", "title": "外站", "body": footer}])
    store.close()
    html = f"<p>新文章。</p><p>{footer}</p>"
    pipeline = build(LearnedBoilerplatePipeline, DATABASE_URL=url, LEARNED_BOILERPLATE_MIN_ARTICLES=4,
                     LEARNED_BOILERPLATE_MIN_SITE_ARTICLES=4)
    assert pipeline.process_item(article(body_html=html)).body_html == "<p>新文章。</p>"
    assert pipeline.process_item(article(site="wjga", body_html=html)).body_html == html  # counted per site
    for setting in ("LEARNED_BOILERPLATE_MIN_ARTICLES", "LEARNED_BOILERPLATE_MIN_SITE_ARTICLES"):
        pipeline = build(LearnedBoilerplatePipeline, DATABASE_URL=url, **{
            "LEARNED_BOILERPLATE_MIN_ARTICLES": 4, "LEARNED_BOILERPLATE_MIN_SITE_ARTICLES": 4, setting: 5})
        assert pipeline.process_item(article(body_html=html)).body_html == html, setting


def test_learned_boilerplate_refuses_k_below_three_before_opening_the_store():
    with pytest.raises(ArgumentError, match="LEARNED_BOILERPLATE_MIN_ARTICLES must be at least 3, not 2"):
        build(LearnedBoilerplatePipeline, LEARNED_BOILERPLATE_MIN_ARTICLES=2)


def test_a_body_container_that_is_a_form_keeps_its_content():
    item = ArticleItem(site="s", url="http://example.cn/a.html",
                       body_html="<form id='aspnetForm'><p>民警深入社区开展巡逻防控。</p><input type='hidden'></form>")
    build(BoilerplatePipeline).process_item(item)
    assert "民警深入社区开展巡逻防控" in item.body_html and "<input" not in item.body_html


class SignedOffSpider(NewsSpider):
    """A site whose articles end with a closing marker, then its own promotions: furniture
    that only its text marks, which the spider's hook cuts."""

    name = "signedoff"

    def clean_body(self, body):
        marker = body.find(string=lambda text: text.strip() == "（完）")
        if marker is not None:
            for sibling in list(marker.find_parent("p").find_next_siblings()):
                sibling.decompose()


def with_spider(cls, spidercls):
    crawler = get_crawler(spidercls, settings_dict=PROJECT_DEFAULTS)
    crawler.spider = spidercls.from_crawler(crawler)
    pipeline = cls.from_crawler(crawler)
    pipeline.open_spider()
    return pipeline


def test_a_site_spiders_clean_body_hook_edits_the_body_before_the_boilerplate_stage():
    item = article(body_html="<p>民警走访辖区群众。</p><p>（完）</p><p>扫码下载本台客户端，看更多本地新闻</p>"
                             "<p>来源:人民公安报</p>")
    with_spider(BoilerplatePipeline, SignedOffSpider).process_item(item)
    assert item.body_html == "<p>民警走访辖区群众。</p><p>（完）</p>"
    assert item.source is None, "the trailer went with the furniture the hook cut"


def test_a_spider_without_the_hook_gets_the_body_untouched_by_it():
    html = "<p>民警走访辖区群众。</p><p>（完）</p><p>扫码下载本台客户端，看更多本地新闻</p>"
    item = article(body_html=html)
    with_spider(BoilerplatePipeline, JszfSpider).process_item(item)
    assert "扫码下载本台客户端" in item.body_html
