"""Scrapy's item pipelines with the cleaning stages run in the crawl's worker processes:
the stages that are pure functions of the item go over as one call per item, the rest run
in place, and what is stored is what the stages make in place."""

import asyncio

import pytest
from scrapy.utils.test import get_crawler

from crawler import item_processor
from crawler.addon import ProjectAddon
from crawler.item_processor import ItemProcessor
from crawler.items import ArticleItem
from crawler.workers import WorkerPool
from pipelines.dedup import DedupPipeline
from pipelines.store import StorePipeline
from spiders.jszf import JszfSpider
from tests.conftest import crawl, rows

BODY = ("<p>今年以来，临港区在深入推进平安建设中，从“小案”中积累“大平安”，以“天网”护航群众安全，"
        "不仅有效地提升了人民群众的安全感，也提升了满意度。</p><p>责任编辑：王明</p>")


@pytest.fixture
def processor(tmp_path, monkeypatch):
    pool = WorkerPool(processes=1)
    monkeypatch.setattr(item_processor, "running_extension",
                        lambda crawler, cls: pool if cls is WorkerPool else None)
    database = f"sqlite:///{tmp_path / 'news.db'}"
    crawler = get_crawler(JszfSpider, {"ADDONS": {ProjectAddon: 0}, "DATABASE_URL": database})
    crawler.spider = JszfSpider.from_crawler(crawler)
    manager = ItemProcessor.from_crawler(crawler)
    for open_spider in manager.methods["open_spider"]:
        open_spider()
    try:
        yield manager, pool
    finally:
        pool.close()


def test_the_cleaning_stages_are_one_run_in_the_workers_and_dedup_and_store_run_in_place(processor):
    manager, _pool = processor
    runs = [[type(stage).__name__ for stage in stages] for _method, stages in manager.plan]
    assert runs == [["BoilerplatePipeline", "LearnedBoilerplatePipeline", "TextPipeline", "DatesPipeline",
                     "BylinesPipeline", "ValidatePipeline"], [], []]
    in_place = [type(method.__self__) for method, stages in manager.plan if not stages]
    assert in_place == [DedupPipeline, StorePipeline]


def test_an_item_cleaned_in_a_worker_is_the_item_cleaned_in_place(processor):
    manager, pool = processor
    sent = []
    original = pool.submit
    pool.submit = lambda function, *args: sent.append(function) or original(function, *args)
    item = ArticleItem(site="jszf", url="https://www.jszf.gov.cn/a/1.html", title="临港区深化平安建设",
                       body_html=BODY)
    item.readings.date_text = "2023-01-05 10:00"
    in_place = ArticleItem(site="jszf", url=item.url, title=item.title, body_html=BODY)
    in_place.readings.date_text = item.readings.date_text
    for method, stages in manager.plan:
        for stage in stages:
            in_place = stage.process_item(in_place)
        if not stages:
            in_place = method(in_place)
    cleaned = asyncio.run(manager.process_item_async(item))
    assert sent, "the run went to the worker"
    assert cleaned == in_place
    assert cleaned.body.startswith("今年以来") and "王明" not in cleaned.body and cleaned.editor == "王明"
    assert cleaned.published_at == "2023-01-05T10:00:00+08:00" and cleaned.content_hash


def test_a_crawl_with_workers_stores_what_a_crawl_without_them_stores(tmp_path):
    stored = {}
    for workers in (0, 1):
        db = tmp_path / f"workers{workers}.db"
        crawl(db, "jszf", "-s", f"WORKER_PROCESSES={workers}")
        stored[workers] = rows(db, "SELECT * FROM articles ORDER BY url")
    columns = {name for name in stored[0][0] if name == "published_at" or not name.endswith("_at")} - {
        "id", "cluster_id"}  # the row's own times and ids differ from run to run
    assert stored[0] and len(stored[0]) == len(stored[1])
    for alone, with_workers in zip(stored[0], stored[1], strict=True):
        assert {name: alone[name] for name in columns} == {name: with_workers[name] for name in columns}
    first_ids = {row["id"]: row["url"] for row in stored[0]}, {row["id"]: row["url"] for row in stored[1]}
    clusters = [sorted(sorted(first[row["cluster_id"]] for row in run if row["cluster_id"] == cluster)
                       for cluster in {row["cluster_id"] for row in run})
                for first, run in zip(first_ids, (stored[0], stored[1]), strict=True)]
    assert clusters[0] == clusters[1]
