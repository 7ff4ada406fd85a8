"""江苏长安网: parsing of saved pages, and the rows a replayed crawl stores."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from crawler.fixtures import open_fixture
from crawler.listing import trs_next_page
from spiders.jszf import JszfSpider
from tests.conftest import ROOT, crawl, crawl_command, last_run, rows
from tests.frozen import crawl_at

COLUMN = "https://www.jszf.gov.cn/zyyg/jscawq_1/wuxi/"
SEED = COLUMN + "202301/t20230119_3533419.shtml"
SEED_BYTES = Path(__file__).resolve().parents[2].joinpath(
    "fixtures", "jszf", "t20230119_3533419.shtml").read_bytes()
SEED_TEXT = SEED_BYTES.decode("utf-8")


def test_list_page_links_articles_with_their_list_dates():
    entries = JszfSpider().list_entries(open_fixture("jszf", COLUMN + "index.shtml"))
    assert [(e.url, e.date) for e in entries] == [
        (SEED, date(2023, 1, 19)),
        (COLUMN + "202301/t20230116_3531002.shtml", date(2023, 1, 16)),
    ]


def test_pagination_follows_create_page_html_and_stops_on_the_last_page():
    spider = JszfSpider()
    assert spider.next_list_page(open_fixture("jszf", COLUMN + "index.shtml")) == COLUMN + "index_1.shtml"
    assert spider.next_list_page(open_fixture("jszf", COLUMN + "index_1.shtml")) is None


@pytest.mark.parametrize("script, expected", [
    ('createPageHTML(25, 0, "index", "shtml");', "index_1.shtml"),
    ("createPageHTML(25, 3, 'index', 'html');", "index_4.html"),
    ("createPageHTML('page_div',5, 1,'fg','shtml',89);", "fg_2.shtml"),
    ('createPageHTML(5, 4, "index", "shtml");', None),
    ("document.write('no pager');", None),
])
def test_trs_pager_script(script, expected):
    assert trs_next_page(script) == expected


def test_seed_article_parts():
    item = JszfSpider().extract_article(open_fixture("jszf", SEED))
    assert item.title == "江阴公安:“共巡守澄”让城市更美好"
    assert item.readings.date_text == "2023-01-19 08:47:00"
    assert item.section == "投稿 > 市政法单位 > 无锡"
    assert "TRS_Editor" in item.body_html and "版权所有" not in item.body_html


def test_images_are_absolute():
    item = JszfSpider().extract_article(open_fixture("jszf", COLUMN + "202301/t20230116_3531002.shtml"))
    assert item.images == [{"src": COLUMN + "202301/W020230116389214567890.jpg",
                            "alt": "民警在崇安寺商圈开展夜间巡逻"}]


def test_seed_row_as_stored(jszf_db):
    [row] = rows(jszf_db, "SELECT * FROM articles WHERE url = ?", SEED)
    assert row["site"] == "jszf"
    assert row["title"] == "江阴公安:“共巡守澄”让城市更美好"
    assert row["published_at"] == "2023-01-19T08:47:00+08:00"
    assert row["section"] == "投稿 > 市政法单位 > 无锡"
    assert (row["source"], row["author"], row["views"]) == (None, None, None)  # the page names none
    assert row["extraction_method"] == "site"
    body = row["body"].splitlines()
    for heading in ("党建引领 多元共治", "立体防控 擦亮“警”色", "平安和谐 宣防先行"):
        assert heading in body
    assert body[0].startswith("组建多元群防群治队伍")
    assert body[-1].startswith("接下来,江阴公安还将广泛发动")
    assert len(body) == 15
    for furniture in ("当前位置", "版权所有", "苏ICP备13051230号", "Copyright", "政法要闻"):
        assert furniture not in row["body"]


def test_every_paragraph_of_the_seed_page_is_stored(jszf_db):
    [row] = rows(jszf_db, "SELECT body FROM articles WHERE url = ?", SEED)
    editor = SEED_TEXT.split('class="TRS_Editor"')[1].split('class="footer"')[0]
    paragraphs = [re.sub(r"<[^>]+>|&nbsp;|\s|\u3000", "", p) for p in re.findall(r"<p[^>]*>(.*?)</p>", editor)]
    stored = re.sub(r"\s", "", row["body"])
    for paragraph in filter(None, paragraphs):
        assert paragraph in stored


def test_page_without_body_is_rejected_with_url_and_reason(jszf_db):
    video = COLUMN + "202301/t20230110_3528001.shtml"
    assert rows(jszf_db, "SELECT id FROM articles WHERE url = ?", video) == []
    [reject] = rows(jszf_db, "SELECT * FROM rejects WHERE url = ?", video)
    assert reject["spider"] == "jszf" and "body" in reject["reason"]
    assert last_run(jszf_db, "jszf")["rejects"] == 1


FAILING_SPIDERS = """
from spiders.jszf import JszfSpider


class FailingPipeline:
    def process_item(self, item):
        if item.url.endswith("t20230112_3529876.shtml"):
            raise RuntimeError("pipeline bug")
        return item


class FailingJszfSpider(JszfSpider):
    custom_settings = {"ITEM_PIPELINES": {"failing_spiders.FailingPipeline": 650}}

    def item_of(self, reading, url):
        if url.endswith("t20230116_3531002.shtml"):
            raise ValueError("unexpected markup")
        return super().item_of(reading, url)
"""


def test_pages_that_raise_are_recorded_and_the_crawl_goes_on(tmp_path):
    (tmp_path / "failing_spiders.py").write_text(FAILING_SPIDERS, encoding="utf-8")
    db = tmp_path / "news.db"
    command = crawl_command(db, "jszf", "-s", "SPIDER_MODULES=failing_spiders")
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    subprocess.run(command, cwd=ROOT, env=environment, check=True, capture_output=True, timeout=300)
    assert [row["url"] for row in rows(db, "SELECT url FROM articles")] == [SEED]
    rejects = {row["url"].rsplit("/", 1)[-1]: row["reason"] for row in rows(db, "SELECT * FROM rejects")}
    assert rejects == {"t20230116_3531002.shtml": "parse error: ValueError: unexpected markup",
                       "t20230112_3529876.shtml": "pipeline error: RuntimeError: pipeline bug",
                       "t20230110_3528001.shtml": "no body"}
    run = last_run(db, "jszf")
    assert run["finish_reason"] == "finished" and run["rejects"] == 3 and run["errors"] >= 2


def test_raw_pages_are_kept_for_reparsing(jszf_db):
    from crawler.storage import Store
    status, _headers, body = Store.for_reading(f"sqlite:///{jszf_db}").load_page(SEED)
    assert status == 200 and body == SEED_BYTES


def test_second_run_changes_no_row(tmp_path):
    db = tmp_path / "news.db"
    today = "2023-02-10T12:00:00+08:00"  # the column's articles are from January 2023
    crawl_at(today, db, "jszf")
    first = rows(db, "SELECT * FROM articles ORDER BY url")
    crawl_at(today, db, "jszf")  # incremental: stored articles are not fetched again
    crawl_at(today, db, "jszf", "-a", "refresh=31")  # every article fetched and parsed again
    second = rows(db, "SELECT * FROM articles ORDER BY url")
    strip = lambda table: [{k: v for k, v in row.items() if k != "last_seen_at"} for row in table]
    assert strip(first) == strip(second) and len(second) == 3
    run = last_run(db, "jszf")
    assert (run["articles_new"], run["articles_updated"], run["articles_unchanged"]) == (0, 0, 3)


def test_a_wrong_site_selector_falls_back_on_the_dialect_body():
    spider = JszfSpider()
    spider.body_css = "div.TRS_Editor_renamed"
    item = spider.extract_article(open_fixture("jszf", SEED))
    assert item.extraction_method == "site"
    assert item.field_sources["body"].startswith("trs:")


def test_generic_fallback_when_no_body_selector_finds_the_body():
    page = open_fixture("jszf", SEED)
    renamed = page.replace(body=page.body.replace(b"TRS_Editor", b"article-text"))  # a template change
    item = JszfSpider().extract_article(renamed)
    assert item.extraction_method == "generic" and item.field_sources["body"] == "generic"
    assert item.title == "江阴公安:“共巡守澄”让城市更美好"
    # the extractor's trimmed text, not its container: no breadcrumb, headline or footer
    assert "党建引领 多元共治" in item.body_html
    for furniture in ("苏ICP备13051230号", "当前位置", "江阴公安:“共巡守澄”"):
        assert furniture not in item.body_html


def test_max_pages_limits_the_list_pages_read(tmp_path):
    db = tmp_path / "news.db"
    crawl(db, "jszf", "-a", "max_pages=1")
    assert [row["url"] for row in rows(db, "SELECT url FROM articles ORDER BY url")] == [
        COLUMN + "202301/t20230116_3531002.shtml", SEED]


def test_since_skips_older_articles_and_stops_paging(tmp_path):
    db = tmp_path / "news.db"
    crawl(db, "jszf", "-a", "since=2023-01-17")
    assert [row["url"] for row in rows(db, "SELECT url FROM articles")] == [SEED]
    assert last_run(db, "jszf")["stats"]["fixtures/served"] == 2  # index.shtml and the seed only


def test_several_start_urls_and_the_database_url_from_the_environment(tmp_path, monkeypatch):
    db = tmp_path / "from-env.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db}")
    subprocess.run([sys.executable, "-m", "scrapy", "crawl", "jszf", "-s", "FIXTURES=replay",
                    "-a", f"start_url={COLUMN}index_1.shtml,{COLUMN}index.shtml"],
                   cwd=ROOT, check=True, capture_output=True, timeout=300)
    assert len(rows(db, "SELECT url FROM articles")) == 3
