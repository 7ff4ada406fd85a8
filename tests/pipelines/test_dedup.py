"""The dedup stage: hashes on items; the clustering extension once the spider closes."""

import scrapy
from scrapy.utils.test import get_crawler

from crawler.dedup.extension import Clustering
from crawler.dedup.text import content_hash
from crawler.items import ArticleItem
from crawler.storage import store_for
from pipelines.dedup import DedupPipeline
from tests.conftest import PROJECT_DEFAULTS, rows

BODY = ("炎热的夏夜,川流不息的马路上,充满烟火气的巷子里,一抹抹亮眼的“警察蓝”护佑平安。\n"
        "自夏季治安打击整治“百日行动”开展以来,浙江各级公安机关闻令而动,以雷霆之势持续清除风险隐患。")


class MirroredSpider(scrapy.Spider):
    name = "mirrored"
    host_aliases = {"m.youngwriting.cn": "app.wjyanghu.com"}
    start_urls = ["https://app.wjyanghu.com/yhw/hotspot/wjxw/index.html"]


def open_pipeline(tmp_path):
    crawler = get_crawler(MirroredSpider, {**PROJECT_DEFAULTS, "DATABASE_URL": f"sqlite:///{tmp_path / 'news.db'}"})
    crawler.spider = MirroredSpider()
    pipeline = DedupPipeline.from_crawler(crawler)
    return crawler, pipeline


def test_items_get_the_content_hash(tmp_path):
    _, pipeline = open_pipeline(tmp_path)
    item = ArticleItem(site="wjyanghu", url="https://app.wjyanghu.com/yhw/hotspot/wjxw/2022-10-03/118206.html",
                       body=BODY)
    assert pipeline.process_item(item) is item
    assert item.content_hash == content_hash(BODY) is not None


def test_closing_the_spider_clusters_what_the_store_committed(tmp_path):
    crawler, _ = open_pipeline(tmp_path)
    crawler.stats.open_spider()
    store_for(crawler).upsert_articles([
        {"site": "a", "url": "http://a.example/1.html", "body": BODY, "published_at": "2022-08-15"},
        {"site": "b", "url": "http://b.example/1.html", "body": BODY + "\n来源:人民公安报",
         "published_at": "2022-08-16"},
    ])
    Clustering.from_crawler(crawler).spider_closed(crawler.spider, "finished")
    stored = rows(tmp_path / "news.db", "SELECT id, url, cluster_id FROM articles ORDER BY id")
    assert [row["cluster_id"] for row in stored] == [stored[0]["id"]] * 2
    assert crawler.stats.get_value("dedup/indexed") == 2


def test_the_demo_reprint_on_another_site_shares_the_cluster_of_its_original(demo_db):
    original, reprint = (rows(demo_db, "SELECT * FROM articles WHERE url LIKE ?", part)[0]
                         for part in ("%jazx.example/jmwh/5831.html", "%fzsdzk.com/%/61457.html"))
    assert original["site"] != reprint["site"] and original["title"] != reprint["title"]
    assert original["cluster_id"] == reprint["cluster_id"] == original["id"]


def test_after_the_demo_every_article_has_a_cluster_and_every_body_a_hash(demo_db):
    stored = rows(demo_db, "SELECT cluster_id, body, content_hash FROM articles")
    assert stored and all(row["cluster_id"] is not None for row in stored)
    assert all(row["content_hash"] == content_hash(row["body"]) for row in stored)
