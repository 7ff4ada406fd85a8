"""crawler reparse: stored raw pages parsed again, with no fixture and no network."""

from __future__ import annotations

import subprocess
import sys

from crawler.commands.reparse import pages_to_reparse
from crawler.storage import Store
from spiders.wjyanghu import WjyanghuSpider
from tests.conftest import ROOT, crawl, decoded, rows

MIRROR = "http://m.youngwriting.cn/yhw/hotspot/wjxw/2022-10-03/118206.html"


def reparse(db, *spiders):
    return subprocess.run([sys.executable, "-m", "crawler.cli", "reparse", *spiders, "--db", str(db)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_pages_rejected_by_an_old_setting_become_articles_offline(database_url):
    db = database_url
    crawl(db, "jszf", "-s", "VALIDATE_MIN_BODY_CHARS=100000")  # a "broken" parser rejects everything
    assert rows(db, "SELECT id FROM articles") == []
    result = reparse(db, "jszf")
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(rows(db, "SELECT id FROM articles")) == 3
    run = rows(db, "SELECT stats FROM crawl_runs ORDER BY id DESC LIMIT 1")[0]
    stats = decoded(run["stats"])
    assert stats["fixtures/served"] == 4 and "fixtures/missing" not in stats


def test_the_publisher_page_is_preferred_over_a_mirror_copy(database_url):
    db = database_url
    crawl(db, "wjyanghu")
    crawl(db, "wjyanghu", "-a", f"article_url={MIRROR}")
    store = Store.for_reading(db)
    urls = pages_to_reparse(store, WjyanghuSpider)
    store.close()
    assert "https://app.wjyanghu.com/yhw/hotspot/wjxw/2022-10-03/118206.html" in urls
    assert MIRROR not in urls and len(urls) == 3


def test_names_or_all(tmp_path):
    db = tmp_path / "news.db"
    crawl(db, "jszf")
    result = reparse(db)
    assert result.returncode == 2 and "name the spiders" in result.stderr


def test_a_spider_that_needs_arguments_to_crawl_needs_none_to_reparse(tmp_path):
    db = tmp_path / "news.db"
    crawl(db, "jszf")
    result = reparse(db, "generic")  # generic crawls only from -a start_url; reparse reads stored pages
    assert result.returncode == 0, result.stderr[-2000:]
