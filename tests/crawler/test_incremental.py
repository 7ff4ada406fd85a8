"""Incremental crawling: stored articles are not requested again, paging stops at a list page
with nothing new (unless the previous run was cut short), and ``refresh`` re-checks with
conditional GETs."""

from __future__ import annotations

import re

import pytest
from scrapy.http import Request, Response
from scrapy.utils.test import get_crawler

from crawler.errors import ArgumentError
from crawler.incremental import ConditionalGetMiddleware
from crawler.storage import Store
from spiders.jszf import JszfSpider
from tests.conftest import PROJECT_DEFAULTS, ROOT, crawl, execute, last_run, rows
from tests.crawler.gated_site import GatedSite
from tests.frozen import crawl_at

COLUMN = "https://www.jszf.gov.cn/zyyg/jscawq_1/wuxi/"
GEN2 = ["-s", f"FIXTURES_DIR={ROOT / 'fixtures/scenarios/gen2'},{ROOT / 'fixtures'}"]
NEW_ARTICLES = {COLUMN + "202301/t20230130_3538815.shtml", COLUMN + "202301/t20230128_3537702.shtml"}
CRAWLED = re.compile(r"Crawled \(\d+\) <GET (\S+)>")


def requested(result) -> set[str]:
    """The URLs a crawl run with LOG_LEVEL=DEBUG fetched, from its "Crawled" log lines."""
    return set(CRAWLED.findall(result.stderr))


@pytest.fixture
def first_generation(database_url):
    db = database_url
    crawl(db, "jszf")
    return db


def test_second_generation_requests_only_list_pages_and_the_two_new_articles(first_generation):
    result = crawl(first_generation, "jszf", *GEN2, "-s", "LOG_LEVEL=DEBUG")
    assert requested(result) == {COLUMN + "index.shtml", COLUMN + "index_1.shtml", *NEW_ARTICLES}
    stats = last_run(first_generation, "jszf")["stats"]
    assert stats["response_received_count"] == 4 and stats["fixtures/served"] == 4
    assert stats["incremental/new"] == 2 and stats["incremental/known"] == 2
    assert stats["incremental/paging_stopped"] == 1  # index_2.shtml holds only stored articles
    assert stats["articles/new"] == 2 and "articles/unchanged" not in stats
    urls = [row["url"] for row in rows(first_generation, "SELECT url FROM articles")]
    assert len(urls) == len(set(urls)) == 5 and NEW_ARTICLES <= set(urls)


def test_paging_on_when_the_setting_is_off(first_generation):
    result = crawl(first_generation, "jszf", *GEN2, "-s", "LOG_LEVEL=DEBUG",
                   "-s", "INCREMENTAL_STOP_PAGING=False")
    list_pages = {COLUMN + name for name in ("index.shtml", "index_1.shtml", "index_2.shtml")}
    assert requested(result) == list_pages | NEW_ARTICLES


def test_paging_on_after_a_run_that_did_not_finish(first_generation):
    execute(first_generation, "UPDATE crawl_runs SET finished_at = NULL, finish_reason = NULL")
    result = crawl(first_generation, "jszf", *GEN2, "-s", "LOG_LEVEL=DEBUG")
    assert COLUMN + "index_2.shtml" in requested(result)
    assert "did not finish" in result.stderr


# The crawls of the refresh tests run on this day: the column's articles are from 10 to
# 19 January 2023, its video page is rejected on the first crawl, so it dates from this day.
TODAY = "2023-02-10T12:00:00+08:00"


def test_refresh_rechecks_with_conditional_get_and_reparses_the_stored_page(tmp_path):
    site = GatedSite(tmp_path / "site", held="no-page-is-held")
    try:
        db = tmp_path / "news.db"
        crawl_at(TODAY, db, "jszf", *site.crawl_args(), fixtures="")
        before = rows(db, "SELECT * FROM articles ORDER BY url")
        assert [row["published_at"][:10] for row in before] == ["2023-01-12", "2023-01-16", "2023-01-19"]

        crawl_at(TODAY, db, "jszf", *site.crawl_args(), "-a", "refresh=31", fixtures="")
        run = last_run(db, "jszf")
        stats = run["stats"]
        # Three stored articles and the rejected video page: each asked "modified since?".
        assert stats["incremental/refresh"] == 4 and stats["downloader/response_status_count/304"] == 4
        assert stats["incremental/not_modified"] == 4
        assert (run["articles_new"], run["articles_updated"], run["articles_unchanged"]) == (0, 0, 3)
        strip = lambda table: [{k: v for k, v in row.items() if k != "last_seen_at"} for row in table]
        assert strip(rows(db, "SELECT * FROM articles ORDER BY url")) == strip(before)

        # 25 days back from that day is 16 January: the article of the 12th is left alone.
        crawl_at(TODAY, db, "jszf", *site.crawl_args(), "-a", "refresh=25", fixtures="")
        stats = last_run(db, "jszf")["stats"]
        assert (stats["incremental/refresh"], stats["incremental/known"]) == (3, 1)

        # A one-day refresh a year later leaves every article alone, and paging stops on the
        # first list page.
        site.requested.clear()
        crawl_at("2024-02-10T12:00:00+08:00", db, "jszf", *site.crawl_args(), "-a", "refresh=1", fixtures="")
        assert site.requested == ["/zyyg/jscawq_1/wuxi/index.shtml"]
    finally:
        site.close()


def test_conditional_get_uses_the_stored_etag_and_serves_the_stored_page_on_304(database_url):
    url = COLUMN + "202301/t20230130_3538815.shtml"
    crawler = get_crawler(settings_dict={**PROJECT_DEFAULTS, "DATABASE_URL": database_url})
    store = Store.migrated(database_url)
    store.save_page(url, 200, {"Etag": ['"5f3a"'], "Last-Modified": ["Mon, 30 Jan 2023 01:15:00 GMT"],
                               "Content-Type": ["text/html; charset=utf-8"]}, "<p>已存</p>".encode())
    middleware = ConditionalGetMiddleware.from_crawler(crawler)

    refresh = Request(url, meta={"refresh": True})
    middleware.process_request(refresh)
    assert refresh.headers["If-None-Match"] == b'"5f3a"'
    assert refresh.headers["If-Modified-Since"] == b"Mon, 30 Jan 2023 01:15:00 GMT"
    served = middleware.process_response(refresh, Response(url, status=304, request=refresh))
    assert served.status == 200 and served.text == "<p>已存</p>" and "not-modified" in served.flags

    changed = Response(url, status=200, body=b"<p>new</p>", request=refresh)
    assert middleware.process_response(refresh, changed) is changed
    plain = Request(url)
    middleware.process_request(plain)
    assert b"If-None-Match" not in plain.headers


@pytest.mark.parametrize("value, days", [("7", 7), ("0", 0), (None, 0)])
def test_refresh_argument(value, days):
    assert JszfSpider.check_arguments(refresh=value)["refresh"] == days


@pytest.mark.parametrize("value", ["-1", "week", "1.5"])
def test_bad_refresh_argument(value):
    with pytest.raises(ArgumentError, match="refresh must be a number of days"):
        JszfSpider.check_arguments(refresh=value)
