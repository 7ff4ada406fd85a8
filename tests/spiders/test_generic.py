"""The generic spider: any site, articles told from list pages by the generic extractor."""

from __future__ import annotations

from tests.conftest import crawl, last_run, rows


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
