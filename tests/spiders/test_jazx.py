"""警安在线 (placeholder host, unknown CMS; file-name image alts, closing 来源 line)."""

from __future__ import annotations

from crawler.fixtures import open_fixture
from spiders.jazx import JazxSpider
from tests.conftest import article

COLUMN = "https://jazx.example/jmwh/"


def test_list_pages():
    spider = JazxSpider()
    first = open_fixture("jazx", COLUMN)
    assert [e.url for e in spider.list_entries(first)] == [COLUMN + "5850.html", COLUMN + "5831.html"]
    assert spider.next_list_page(first) == COLUMN + "list_2.html"
    assert spider.next_list_page(open_fixture("jazx", COLUMN + "list_2.html")) is None


def test_seed_article(demo_db):
    row = article(demo_db, "jmwh/5831.html")
    assert row["title"] == "【喜迎二十大 忠诚保平安】让老百姓切实感受到安全就在身边"
    assert row["published_at"] == "2022-08-15T00:00:00+08:00"
    assert row["source"] == "人民公安报"
    assert row["author"] is None  # "作者:警安在线" is the portal crediting itself (self_credits)
    assert row["views"] == 189377
    assert row["section"] == "警民文化"
    lines = row["body"].splitlines()
    assert lines[:2] == ["让老百姓切实感受到安全就在身边", "浙江公安机关纵深推进“百日行动”擦亮平安底色"]
    assert lines[-1].startswith("结合江南水乡季节和区域特点")
    for furniture in ("图片1.png", "图片2.png", "来源", "一醉驾,一袭警", "京ICP备19046744号-1",
                      "版权所有", "当前位置", "阅读"):
        assert furniture not in row["body"]


def test_images_are_kept_without_file_name_captions(demo_db):
    import json
    images = json.loads(article(demo_db, "jmwh/5831.html")["images"])
    assert len(images) == 2
    assert all(image["src"].startswith("https://jazx.example/uploads/") for image in images)
    assert all(image["alt"] == "" for image in images)
