"""The store stage: a batch's search-index entries made in a worker process index exactly as
entries made in place, batches are written in order, and a worker that dies costs nothing."""

import os
import signal

import pytest
import scrapy
from scrapy.utils.test import get_crawler

import pipelines.store as store_stage
from crawler.items import ArticleItem
from crawler.search import index_entries
from crawler.storage import Store
from crawler.workers import WorkerPool
from pipelines.store import StorePipeline
from tests.conftest import PROJECT_DEFAULTS, rows

TITLES = ["江阴公安破获电信诈骗案", "臨港區深化平安建設", "民警走访辖区企业", "禁毒宣传进校园", "交警整治酒驾"]
BODY = "今年以来，{}，群众安全感满满。民警表示，将持续深化巡防机制，守护一方平安。"


class Spider(scrapy.Spider):
    name = "jszf"


def articles() -> list[ArticleItem]:
    return [ArticleItem(site="jszf", url=f"https://www.jszf.gov.cn/a/{number}.shtml", title=title,
                        body=BODY.format(title)) for number, title in enumerate(TITLES)]


def die(*_args) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


@pytest.fixture
def pool(monkeypatch):
    pool = WorkerPool(processes=1)
    monkeypatch.setattr(store_stage, "running_extension", lambda _crawler, _cls: pool)
    yield pool
    pool.close()


def stored(database_url) -> list[str]:
    """Store the articles in batches of two; the URLs a search for each title finds."""
    crawler = get_crawler(Spider, {**PROJECT_DEFAULTS, "DATABASE_URL": database_url, "STORE_BATCH_SIZE": 2})
    crawler.spider = Spider()
    crawler.stats.open_spider()
    pipeline = StorePipeline.from_crawler(crawler)
    for item in articles():
        pipeline.process_item(item)
    pipeline.close_spider()
    assert crawler.stats.get_value("articles/new") == len(TITLES)
    store = Store.migrated(database_url)
    try:
        return [hit.url for title in TITLES for hit in store.search(title)]
    finally:
        store.close()


def test_entries_made_in_a_worker_are_those_made_in_place(database_url, pool):
    pairs = [(title, BODY.format(title)) for title in TITLES]
    dialect = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    assert pool.submit(index_entries, dialect, pairs).result() == index_entries(dialect, pairs)
    assert stored(database_url) == [item.url for item in articles()]
    assert rows(database_url, "SELECT url FROM articles ORDER BY id") == [{"url": item.url} for item in articles()]


def test_a_worker_that_dies_leaves_the_entries_to_the_store(database_url, pool, monkeypatch):
    monkeypatch.setattr(store_stage, "index_entries", die)
    assert stored(database_url) == [item.url for item in articles()]
