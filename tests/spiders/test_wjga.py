"""武进公安 (PHPCMS v9, dynamic URLs, GBK, one page with a wrong header charset)."""

from __future__ import annotations

from crawler.fixtures import open_fixture
from spiders.wjga import WjgaSpider
from tests.conftest import article, crawl, rows

LIST = "http://www.zt.net.cn/index.php?m=content&c=index&a=lists&catid=38"
SHOW = "http://www.zt.net.cn/index.php?m=content&c=index&a=show&catid=38&id="


def test_list_pages_and_phpcms_pager():
    spider = WjgaSpider()
    first = open_fixture("wjga", LIST)
    assert [e.url for e in spider.list_entries(first)] == [SHOW + "1241", SHOW + "1235"]
    assert [str(e.date) for e in spider.list_entries(first)] == ["2010-01-25", "2010-01-18"]
    assert spider.next_list_page(first) == LIST + "&page=2"
    # the last page links "下一页" to itself
    assert spider.next_list_page(open_fixture("wjga", LIST + "&page=2")) is None


def test_header_charset_that_contradicts_the_meta_tag():
    response = open_fixture("wjga", SHOW + "1241")
    assert b"utf-8" in response.headers[b"Content-Type"]
    assert response.encoding == "gb18030"
    assert "武进警方破获系列盗窃电动车案" in response.text


def test_seed_article(demo_db):
    row = article(demo_db, "id=1235")
    assert row["title"] == "创优领先、常武一体、服务全局"
    assert row["published_at"] == "2010-01-18T13:35:36+08:00"
    assert row["source"] == "常州日报"
    assert row["author"] == "胡越 巢剑峰"
    assert row["views"] == 297
    lines = row["body"].splitlines()
    assert lines[0] == "看武进公安品牌战略之路"
    assert lines[1].startswith("2009年,武进区经济向好趋势不断巩固")
    assert lines[-1].startswith("在全局层面之下,2009年")
    assert "警民联调室建出和谐品牌" in lines and "信息化应用走上科技品牌" in lines
    for furniture in ("来源", "访问统计", "发布日期"):
        assert furniture not in row["body"]


def test_two_page_article_is_joined_into_one_row(tmp_path):
    db = tmp_path / "news.db"
    crawl(db, "wjga", "-a", f"article_url={SHOW}1250")
    [row] = rows(db, "SELECT * FROM articles")
    assert "&page" not in row["url"] and row["url"].endswith("id=1250&m=content")
    lines = row["body"].splitlines()
    assert lines[0].startswith("1月以来,武进区公安局交巡警大队")  # page 1
    assert lines[-1].startswith("针对春运临近的特点")  # page 2
    assert row["source"] == "武进区公安局交巡警大队" and row["views"] == 158
    assert "下一页" not in row["body"] and "上一页" not in row["body"]
