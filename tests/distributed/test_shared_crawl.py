"""One site crawled by two worker processes that share a queue in a real Redis."""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
import time

import pytest

from crawler.storage import Store
from tests.conftest import ROOT, rows
from tests.distributed.conftest import REDIS_URL
from tests.distributed.site import ArticleSite, list_path

DELAY = 0.05  # the site's budget: one request every 50 ms from all workers together


@pytest.fixture
def site():
    # Each answer takes 0.2 s and a worker has two requests in flight, so one worker alone
    # cannot use the site's whole budget (1 / DELAY a second): the work has to be shared.
    site = ArticleSite(articles=200, delay=0.2)
    yield site
    site.close()


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "news.db"
    Store.migrated(f"sqlite:///{path}").close()  # migrated once, before the workers open it together
    return path


def start_worker(site: ArticleSite, db, prefix: str, lease: float = 60) -> subprocess.Popen:
    command = [sys.executable, "-m", "scrapy", "crawl", "jszf", "-a", f"start_url={site.start_url}",
               "-a", "max_pages=0", "-s", "DISTRIBUTED=redis", "-s", f"REDIS_URL={REDIS_URL}",
               "-s", f"DISTRIBUTED_KEY_PREFIX={prefix}", "-s", f"DATABASE_URL=sqlite:///{db}",
               "-s", f"DISTRIBUTED_DOWNLOAD_DELAY={DELAY}", "-s", f"DISTRIBUTED_LEASE={lease}",
               "-s", "CONCURRENT_REQUESTS=2", "-s", "ROBOTSTXT_OBEY=False", "-s", "LOG_LEVEL=INFO"]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def wait_until_members(prefix: str, count: int, timeout: float = 180) -> None:
    """Until ``count`` workers have joined the crawl (the crawl's ``workers`` set in Redis)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    deadline = time.monotonic() + timeout
    try:
        while sum(client.zcard(key) for key in client.scan_iter(f"{prefix}:*workers")) < count:
            assert time.monotonic() < deadline, f"fewer than {count} workers joined the crawl"
            time.sleep(0.2)
    finally:
        client.close()


def finish(worker: subprocess.Popen) -> str:
    _out, err = worker.communicate(timeout=300)
    assert worker.returncode == 0, err[-3000:]
    return err


def wait_for_hits(site: ArticleSite, count: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while len(site.hits) < count:
        assert time.monotonic() < deadline, f"the site saw only {len(site.hits)} requests"
        time.sleep(0.05)


def stored_once(db, site: ArticleSite) -> None:
    articles = rows(db, "SELECT url FROM articles")
    assert len(articles) == len({row["url"] for row in articles}), "an article is stored twice"
    assert {row["url"] for row in articles} == site.article_urls()


def redis_keys(prefix: str) -> set[str]:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        return {key.decode() for key in client.scan_iter(f"{prefix}:*")}
    finally:
        client.close()


def busiest_second(site: ArticleSite) -> int:
    times = sorted(moment for moment, _path in site.hits)
    return max(sum(1 for other in times[index:] if other < moment + 1.0) for index, moment in enumerate(times))


def test_two_workers_split_the_site_fetch_nothing_twice_and_keep_to_one_budget(site, db, redis_prefix):
    site.gate.clear()  # the start page waits until both workers are in the crawl
    workers = [start_worker(site, db, redis_prefix) for _ in range(2)]
    wait_until_members(redis_prefix, 2)
    site.gate.set()
    for worker in workers:
        finish(worker)

    fetched = collections.Counter(path for _moment, path in site.hits)
    assert set(fetched) == site.expected_paths() and max(fetched.values()) == 1, \
        [path for path, count in fetched.items() if count > 1]
    stored_once(db, site)
    # One budget for the site: never more than one request per DELAY from both together
    # (one more in a window for the edges of the window, and the clocks' jitter).
    assert busiest_second(site) <= 1 / DELAY + 1
    runs = rows(db, "SELECT * FROM crawl_runs")
    assert len(runs) == 1 and runs[0]["finish_reason"] == "finished"
    assert runs[0]["pages_fetched"] == len(site.expected_paths()) and runs[0]["articles_new"] == 200
    parts = rows(db, "SELECT * FROM crawl_parts WHERE run_id = ?", runs[0]["id"])
    assert len(parts) == 2 and all(part["finish_reason"] == "finished" for part in parts)
    assert all(part["pages_fetched"] >= 20 for part in parts), "both workers took a share of the work"
    assert sum(part["pages_fetched"] for part in parts) == runs[0]["pages_fetched"]
    assert redis_keys(redis_prefix) == {f"{redis_prefix}:rate:127.0.0.1"}, "a finished crawl leaves no queue"

    # Tomorrow's crawl starts clean: its start page is fetched again, and it is a new crawl
    # whose previous crawl finished, so paging stops at the first page that brings nothing new.
    site.hits.clear()
    finish(start_worker(site, db, redis_prefix))
    assert [path for _moment, path in site.hits] == [list_path(0)]
    second = rows(db, "SELECT * FROM crawl_runs ORDER BY id")[1]
    assert second["finish_reason"] == "finished" and second["articles_new"] == 0


def test_a_graceful_stop_of_one_worker_leaves_the_crawl_to_the_other(site, db, redis_prefix):
    first, second = (start_worker(site, db, redis_prefix) for _ in range(2))
    wait_for_hits(site, 80)
    first.send_signal(signal.SIGINT)
    finish(first)
    finish(second)

    fetched = collections.Counter(path for _moment, path in site.hits)
    assert set(fetched) == site.expected_paths() and max(fetched.values()) == 1
    stored_once(db, site)
    runs = rows(db, "SELECT * FROM crawl_runs")
    assert len(runs) == 1 and runs[0]["finish_reason"] == "finished"
    reasons = sorted(part["finish_reason"] for part in rows(db, "SELECT * FROM crawl_parts"))
    assert reasons == ["finished", "shutdown"]


def test_a_worker_killed_mid_crawl_loses_nothing(site, db, redis_prefix):
    lease = 3
    victim, survivor = (start_worker(site, db, redis_prefix, lease=lease) for _ in range(2))
    wait_for_hits(site, 80)
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait(timeout=30)
    log = finish(survivor)

    assert set(path for _moment, path in site.hits) == site.expected_paths()
    stored_once(db, site)
    runs = rows(db, "SELECT * FROM crawl_runs")
    assert len(runs) == 1 and runs[0]["finish_reason"] == "finished", log[-2000:]
    assert redis_keys(redis_prefix) == {f"{redis_prefix}:rate:127.0.0.1"}
