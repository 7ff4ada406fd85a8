"""The generic extractor in crawls: the generic spider, which tells articles from list pages
on any site, and the fallback of a site spider whose selectors find no body."""

from __future__ import annotations

from scrapy.http import TextResponse

from spiders.generic import GenericSpider
from tests.conftest import ROOT, crawl, last_run, rows


def test_crawls_a_site_it_has_no_selectors_for(tmp_path):
    db = tmp_path / "news.db"
    crawl(db, "generic", "-a", "start_url=https://jazx.example/jmwh/")
    stored = rows(db, "SELECT url, title, extraction_method FROM articles ORDER BY url")
    assert [row["url"] for row in stored] == [f"https://jazx.example/jmwh/{n}.html" for n in (5807, 5831, 5850)]
    assert {row["extraction_method"] for row in stored} == {"generic"}
    assert stored[1]["title"] == "【喜迎二十大 忠诚保平安】让老百姓切实感受到安全就在身边"
    # both list pages were read and neither became an article
    assert last_run(db, "generic")["stats"]["fixtures/served"] >= 5


def test_allow_limits_the_links_followed(tmp_path):
    db = tmp_path / "news.db"
    crawl(db, "generic", "-a", "start_url=https://jazx.example/jmwh/", "-a", r"allow=/jmwh/58\d\d\.html$")
    # list_2.html is not allowed, so 5807, listed only there, is never reached
    assert [row["url"] for row in rows(db, "SELECT url FROM articles ORDER BY url")] == [
        "https://jazx.example/jmwh/5831.html", "https://jazx.example/jmwh/5850.html"]


def test_needs_a_start_url(tmp_path):
    result = crawl(tmp_path / "news.db", "generic", check=False)
    assert result.returncode == 2 and "the generic spider needs -a start_url=URL" in result.stderr


def test_a_page_that_is_not_html_is_skipped():
    spider = GenericSpider(start_url="https://jazx.example/jmwh/")
    notes = TextResponse("https://jazx.example/jmwh/notes.txt", body="只是一段文字。".encode(), encoding="utf-8")
    assert list(spider.parse(notes)) == []


def test_a_site_spider_falls_back_on_the_generic_extractor_and_the_run_counts_it(tmp_path):
    db = tmp_path / "news.db"
    # the scenario's three new articles are in a template the jszf selectors do not know
    crawl(db, "jszf", "-s", f"FIXTURES_DIR={ROOT / 'fixtures/scenarios/broken'},{ROOT / 'fixtures'}")
    generic = rows(db, "SELECT url, body FROM articles WHERE extraction_method = 'generic' ORDER BY url")
    assert [row["url"].rsplit("/", 1)[1] for row in generic] == [
        "t20230201_3539548.shtml", "t20230202_3539960.shtml", "t20230203_3540117.shtml"]
    assert all(row["body"] for row in generic)
    # the three, and the video page, which the generic extractor does not take for an article either
    assert last_run(db, "jszf")["generic_fallbacks"] == 4
