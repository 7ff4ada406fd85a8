"""A crawl stopped mid-run (SIGINT, SIGTERM, kill -9) loses no committed article, and the
next run picks up what it missed.

The crawl reads a local copy of the jszf column whose second list page is held back,
so each kill lands after the first page's two articles and before the rest.  Requests
go one at a time in FIFO order: list page 1, its two articles, then the held page 2.
"""

from __future__ import annotations

import signal
import subprocess
import time

import pytest
from sqlalchemy.exc import OperationalError

from tests.conftest import ROOT, crawl, crawl_command, rows
from tests.crawler.gated_site import GatedSite, wait_for

FIFO = ["-s", "SCHEDULER_MEMORY_QUEUE=scrapy.squeues.FifoMemoryQueue"]


@pytest.fixture
def site(tmp_path):
    site = GatedSite(tmp_path / "site", held="index_1.shtml")
    yield site
    site.close()


def count(db, query: str) -> int:
    try:
        return rows(db, query)[0]["n"]
    except OperationalError:  # the crawl has not created the table yet
        return 0


def start(db, site, *args: str) -> subprocess.Popen:
    command = crawl_command(db, "jszf", *site.crawl_args(), *FIFO, *args, fixtures="")
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)


def catch_up(db, site) -> None:
    """The next run, with nothing held: it must page on past the first, fully stored, list page."""
    site.gate.set()
    site.requested.clear()
    crawl(db, "jszf", *site.crawl_args(), *FIFO, fixtures="")
    assert any(path.endswith("index_1.shtml") for path in site.requested)


def assert_complete(db, tmp_path, site) -> None:
    """The interrupted database ends with the same articles as one clean crawl, no duplicates."""
    clean = tmp_path / "clean.db"
    crawl(clean, "jszf", *site.crawl_args(), *FIFO, fixtures="")
    query = "SELECT url, title, published_at, body FROM articles ORDER BY url"
    assert rows(db, query) == rows(clean, query)
    assert count(db, "SELECT COUNT(*) n FROM articles") == 3


def test_kill_9_keeps_committed_articles_and_the_next_run_catches_up(tmp_path, site):
    db = tmp_path / "news.db"
    process = start(db, site)
    wait_for(lambda: count(db, "SELECT COUNT(*) n FROM articles") == 2)
    process.kill()
    process.wait(timeout=30)
    assert count(db, "SELECT COUNT(*) n FROM articles") == 2
    killed = rows(db, "SELECT finished_at, finish_reason FROM crawl_runs")
    assert killed == [{"finished_at": None, "finish_reason": None}]

    catch_up(db, site)
    assert_complete(db, tmp_path, site)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_graceful_stop_commits_every_scraped_article(tmp_path, site, signum):
    db = tmp_path / "news.db"
    process = start(db, site, "-s", "STORE_BATCH_SIZE=50")
    # Both article pages of list page 1 are archived: their items are parsed but, with a
    # batch of 50, not yet committed.
    wait_for(lambda: count(db, "SELECT COUNT(*) n FROM pages") == 2)
    time.sleep(1)
    assert count(db, "SELECT COUNT(*) n FROM articles") == 0
    process.send_signal(signum)
    site.gate.set()  # let the download in flight end, as a live server would
    _, stderr = process.communicate(timeout=60)
    assert "shutting down gracefully" in stderr

    run = rows(db, "SELECT finish_reason, articles_new, stats FROM crawl_runs")[0]
    assert run["finish_reason"] == "shutdown"
    stored = count(db, "SELECT COUNT(*) n FROM articles")
    assert stored == run["articles_new"] >= 2
    assert f'"item_scraped_count": {stored}' in run["stats"]

    catch_up(db, site)
    assert_complete(db, tmp_path, site)
