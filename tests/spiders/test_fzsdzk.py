"""法治山东网 (EmpireCMS, GBK, anti-copy spans, a two-page article)."""

from __future__ import annotations

import re

from crawler.fixtures import open_fixture
from spiders.fzsdzk import FzsdzkSpider
from tests.conftest import article

COLUMN = "http://fzsdzk.com/guonei/fazhi/zhengfazonghe/"
ANTI_COPY = re.compile(r"[0-9A-Za-z]{3}法治快讯网")


def test_list_pages_and_empirecms_pager():
    spider = FzsdzkSpider()
    first = open_fixture("fzsdzk", COLUMN + "index.html")
    assert [e.url.rsplit("/", 1)[-1] for e in spider.list_entries(first)] == ["61457.html", "28856.html"]
    assert spider.next_list_page(first) == COLUMN + "index_2.html"
    assert spider.next_list_page(open_fixture("fzsdzk", COLUMN + "index_2.html")) is None


def test_gbk_page_decodes():
    response = open_fixture("fzsdzk", COLUMN + "2015-10-29/28793.html")
    assert response.encoding == "gb18030" and "临港区深化平安建设工作纪实" in response.text


def test_seed_article(demo_db):
    row = article(demo_db, "2015-10-29/28793.html")
    assert row["title"] == "临港区深化平安建设工作纪实"
    assert row["published_at"] == "2015-10-29T08:31:17+08:00"
    assert row["source"] == "法治山东网"
    assert row["author"] == "薄雪飞"
    assert row["views"] is None
    assert row["section"] == "国内 > 法制 > 政法综治"
    lines = row["body"].splitlines()
    assert lines[0].startswith("今年以来,临港区在深入推进平安建设中")
    assert "幸福来自平安" in lines and "—— 临港区深化平安建设工作纪实" in lines
    assert lines[-1] == "“警灯闪烁”工程的实施,铺筑了一条平安和谐之路,安定了民心,同时也赢得了民心。"
    for heading in ("“小案”不小系民安", "“天网”护航保安全", "“警灯闪烁”安民心"):
        assert heading in lines


def test_no_anti_copy_string_or_furniture_is_stored(demo_db):
    from tests.conftest import rows
    for row in rows(demo_db, "SELECT body, body_html FROM articles WHERE site = 'fzsdzk'"):
        assert not ANTI_COPY.search(row["body"]) and not ANTI_COPY.search(row["body_html"])
        for furniture in ("来顶一下", "返回首页", "发表评论", "用户名", "推荐资讯", "栏目更新", "栏目热门",
                          "备案信息", "法治山东新闻网.com", "您当前的位置", "主编信箱"):
            assert furniture not in row["body"]


def test_two_page_article_is_one_row(demo_db):
    row = article(demo_db, "2015-11-02/28856")
    assert row["url"].endswith("/2015-11-02/28856.html")
    lines = row["body"].splitlines()
    assert lines[0].startswith("法治山东网临沂讯")
    assert any("截至10月底" in line for line in lines)  # end of page 1
    assert lines[-1].endswith("推动平安建设工作向纵深发展。")  # end of page 2
    assert "下一页" not in row["body"] and "1/2" not in row["body"]
