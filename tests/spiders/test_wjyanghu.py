"""武进新闻 / 阳湖网 (EmpireCMS custom template) and its Traditional+pinyin SEO mirror."""

from __future__ import annotations

import re

from crawler.fixtures import open_fixture
from spiders.wjyanghu import WjyanghuSpider
from tests.conftest import article, crawl, rows

PUBLISHER = "https://app.wjyanghu.com/yhw/hotspot/wjxw/2022-10-03/118206.html"
MIRROR = "http://m.youngwriting.cn/yhw/hotspot/wjxw/2022-10-03/118206.html"
PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


def test_list_pages():
    spider = WjyanghuSpider()
    first = open_fixture("wjyanghu", "https://app.wjyanghu.com/yhw/hotspot/wjxw/index.html")
    assert [str(e.date) for e in spider.list_entries(first)] == ["2022-10-05", "2022-10-04"]
    assert spider.next_list_page(first) == "https://app.wjyanghu.com/yhw/hotspot/wjxw/index_2.html"


def test_seed_article(demo_db):
    row = article(demo_db, "2022-10-03/118206.html")
    assert row["url"] == PUBLISHER
    assert row["title"] == "《了不起!我的家乡,我的国》安心放心舒心 “平安武进”直抵人心"
    assert row["published_at"] == "2022-10-03T19:45:54+08:00"
    assert row["source"] == "武进新闻"
    assert row["author"] == "阳湖网"
    assert row["views"] is None
    lines = row["body"].splitlines()
    assert lines[0].startswith("于城市而言,平安是发展的基石")
    assert lines[-1].startswith("如今的武进,伴随着平安建设的深入推进")
    assert len(lines) == 23
    for furniture in ("热门关键词", "更多>>", "武进新闻20241218", "视频推荐"):
        assert furniture not in row["body"]


def test_mirror_page_is_stored_under_the_publisher_url_in_simplified(tmp_path):
    db = tmp_path / "mirror.db"
    crawl(db, "wjyanghu", "-a", f"article_url={MIRROR}")
    [row] = rows(db, "SELECT * FROM articles")
    assert row["url"] == PUBLISHER
    assert row["title"] == "《了不起!我的家乡,我的国》安心放心舒心 “平安武进”直抵人心"
    assert row["script"] == "zh-Hans"
    assert not PINYIN.search(row["body"]) and not PINYIN.search(row["title"])
    assert "发展的基石" in row["body"] and "發" not in row["body"]
    assert row["source"] == "武进新闻" and row["author"] == "阳湖网"
