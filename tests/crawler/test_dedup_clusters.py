"""Clusters over the stored articles: across sites and runs, never dropping a row."""

import sqlite3

import opencc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from crawler.dedup.clusters import Deduplicator
from crawler.dedup.minhash import DedupParams, signature, similarity
from crawler.dedup.text import content_hash, normalise_text
from crawler.storage import Store, make_engine, migrate
from tests.conftest import execute, rows, url_of

CAMPAIGN = ["炎热的夏夜,川流不息的马路上,充满烟火气的巷子里,一抹抹亮眼的“警察蓝”护佑平安,群众安全感满满。",
            "自夏季治安打击整治“百日行动”开展以来,浙江各级公安机关闻令而动,以雷霆之势持续清除风险隐患。",
            "截至目前,全省共投入巡防力量七十六万八千人次,巡逻盘查抓获现行违法犯罪嫌疑人一万六千余名。",
            "浙江省公安厅第一时间全面部署夏季治安打击整治行动,坚持细致、精致、极致的作风,什么犯罪突出就重点打击什么犯罪。",
            "下一步,全省公安机关将持续深化巡防机制,让老百姓切实感受到安全就在身边,为经济复苏营造良好环境。"]
BRANDING = ["武进区公安分局围绕“创优领先、常武一体、服务全局”的思路,推动基层基础工作全面提升,警民关系持续改善。",
            "警民联调室建在派出所里,民警和调解员共同接待群众,矛盾纠纷在第一时间得到化解,群众满意率逐年上升。",
            "社区民警每周走访辖区企业,听取意见建议,帮助企业完善内部安全防范措施,为企业发展保驾护航。",
            "交巡警部门推行“一站式”服务,群众办理业务的平均等候时间明显缩短,窗口服务受到广泛好评。",
            "治安部门加强对重点场所的检查,发现并整改安全隐患三百余处,全区治安形势保持平稳向好。",
            "刑侦部门依托信息化手段,破案效率大幅提高,一批积案得到侦破,群众的获得感进一步增强。"]
UNRELATED = ("南通市公安局在全市工业园区设立护企警务站,民警常驻园区,"
             "为企业提供法律咨询、安全防范和纠纷调解等服务,企业负责人纷纷点赞。")

STORY = "\n".join(CAMPAIGN)
TRADITIONAL = opencc.OpenCC("s2t").convert(STORY)
TRUNCATED = "\n".join([*CAMPAIGN[:4], "来源:人民公安报"])
EDITED = STORY.replace("坚持细致、精致、极致的作风", "要求各地迅速行动、压实责任")
# A bridge: A~B and B~C, while A and C alone are too different.
CHAIN_A, CHAIN_B, CHAIN_C = ("\n".join(BRANDING[i:i + 4]) for i in range(3))


def open_store(db) -> Store:
    return Store.migrated(url_of(db))


def add(store, url, body, published_at=None, first_seen_at=None, site="demo"):
    store.upsert_articles([{"site": site, "url": url, "title": url.rsplit("/", 1)[-1], "body": body,
                            "published_at": published_at, "content_hash": content_hash(body)}])
    if first_seen_at:
        execute(store.url, "UPDATE articles SET first_seen_at = ? WHERE url = ?", first_seen_at, url)


def clusters(store) -> dict[str, str]:
    """Each URL with the URL of its cluster's canonical article."""
    return {row["url"]: row["canonical"] for row in rows(
        store.url, "SELECT a.url, c.url AS canonical FROM articles a LEFT JOIN articles c ON c.id = a.cluster_id")}


def dedup(store, **params) -> Deduplicator:
    return Deduplicator(store, DedupParams(**params))


def test_premises_of_these_tests_hold():
    params = DedupParams()
    sig = {name: signature(normalise_text(text), params) for name, text in
           dict(story=STORY, truncated=TRUNCATED, edited=EDITED, unrelated=UNRELATED,
                a=CHAIN_A, b=CHAIN_B, c=CHAIN_C).items()}
    assert similarity(sig["story"], sig["truncated"]) >= params.threshold
    assert similarity(sig["story"], sig["edited"]) >= params.threshold
    assert similarity(sig["story"], sig["unrelated"]) < 0.1
    assert similarity(sig["a"], sig["b"]) >= params.threshold <= similarity(sig["b"], sig["c"])
    assert similarity(sig["a"], sig["c"]) < params.threshold


def test_reprints_across_sites_share_a_cluster_and_keep_their_rows(database_url):
    store = open_store(database_url)
    add(store, "https://jazx.example/5807.html", STORY, "2022-08-15", site="jazx")
    add(store, "http://fzsdzk.com/2022-08-16/61457.html", TRUNCATED, "2022-08-16T09:05:33+08:00", site="fzsdzk")
    add(store, "http://hk.example/1.html", TRADITIONAL, "2022-08-17", site="hk")
    add(store, "http://nantong.example/1.html", UNRELATED, "2022-08-12")
    result = dedup(store).update()
    assert result.indexed == 4
    assert clusters(store) == {
        "https://jazx.example/5807.html": "https://jazx.example/5807.html",
        "http://fzsdzk.com/2022-08-16/61457.html": "https://jazx.example/5807.html",
        "http://hk.example/1.html": "https://jazx.example/5807.html",
        "http://nantong.example/1.html": "http://nantong.example/1.html",
    }


def test_every_row_gets_a_cluster_but_short_or_empty_bodies_stay_alone(database_url):
    store = open_store(database_url)
    add(store, "http://a.example/1.html", "详见附件。")
    add(store, "http://b.example/1.html", "详见附件。")
    add(store, "http://c.example/1.html", None)
    dedup(store).update()
    assert clusters(store) == {url: url for url in
                               ["http://a.example/1.html", "http://b.example/1.html", "http://c.example/1.html"]}


def test_an_earlier_publication_arriving_later_becomes_canonical(database_url):
    store = open_store(database_url)
    add(store, "http://late.example/1.html", EDITED, "2022-08-16 10:00:00")
    dedup(store).update()
    add(store, "http://early.example/1.html", STORY, "2022-08-15T23:00:00+08:00")
    result = dedup(store).update()
    assert result.indexed == 1  # the stored index is reused, not rebuilt from bodies
    assert set(clusters(store).values()) == {"http://early.example/1.html"}


def test_ties_go_to_the_first_seen_then_the_smaller_url(database_url):
    store = open_store(database_url)
    add(store, "http://a.example/1.html", STORY, "2022-08-15", first_seen_at="2024-01-02T00:00:00+00:00")
    add(store, "http://b.example/1.html", TRADITIONAL, "2022-08-15", first_seen_at="2024-01-01T00:00:00+00:00")
    add(store, "http://c.example/1.html", EDITED, "2022-08-15", first_seen_at="2024-01-01T00:00:00+00:00")
    add(store, "http://d.example/1.html", TRUNCATED, None, first_seen_at="2023-01-01T00:00:00+00:00")
    dedup(store).update()
    assert set(clusters(store).values()) == {"http://b.example/1.html"}


def test_a_bridge_merges_clusters_and_removing_it_splits_them(database_url):
    store = open_store(database_url)
    add(store, "http://a.example/1.html", CHAIN_A, "2022-01-03")
    add(store, "http://c.example/1.html", CHAIN_C, "2022-01-02")
    dedup(store).update()
    assert len(set(clusters(store).values())) == 2
    add(store, "http://b.example/1.html", CHAIN_B, "2022-01-01")
    dedup(store).update()
    assert set(clusters(store).values()) == {"http://b.example/1.html"}
    add(store, "http://b.example/1.html", UNRELATED, "2022-01-01")  # the page was rewritten
    result = dedup(store).update()
    assert result.indexed == 1
    assert clusters(store) == {"http://a.example/1.html": "http://a.example/1.html",
                               "http://b.example/1.html": "http://b.example/1.html",
                               "http://c.example/1.html": "http://c.example/1.html"}


def test_only_new_and_changed_articles_are_indexed_again(database_url):
    """The clustering's work is the articles without a cluster id: a body that changes loses
    it at the store, a re-crawl of the same body keeps it."""
    store = open_store(database_url)
    add(store, "http://a.example/1.html", STORY, "2022-08-15")
    add(store, "http://b.example/1.html", TRADITIONAL, "2022-08-16")
    dedup(store).update()
    add(store, "http://a.example/1.html", STORY, "2022-08-15")
    assert dedup(store).pending() == 0
    add(store, "http://b.example/1.html", UNRELATED, "2022-08-16")
    add(store, "http://c.example/1.html", EDITED, "2022-08-17")
    assert rows(database_url, "SELECT url FROM articles WHERE cluster_id IS NULL ORDER BY url") == [
        {"url": "http://b.example/1.html"}, {"url": "http://c.example/1.html"}]
    assert dedup(store).update().indexed == 2
    assert clusters(store) == {"http://a.example/1.html": "http://a.example/1.html",
                               "http://b.example/1.html": "http://b.example/1.html",
                               "http://c.example/1.html": "http://a.example/1.html"}


def test_upgrading_leaves_to_the_clustering_what_its_old_scans_would_have_found(database_url):
    """Revision 0010: an article whose index entry is missing or made from another text
    loses its cluster id, and a canonical article deleted before the log existed is
    logged, so that the next clustering does what it did before."""
    engine = make_engine(database_url)
    migrate(engine, "0009")
    with engine.begin() as connection:
        for number, digest in enumerate(["h1", "h2", "h3"], 1):
            connection.exec_driver_sql(
                "INSERT INTO articles (id, site, url, body, images, extraction_method, first_seen_at, "
                f"last_seen_at, updated_at, content_hash, cluster_id) VALUES ({number}, 'a', 'u{number}', "
                f"'正文', '[]', 'site', 't', 't', 't', '{digest}', 1)")
        connection.exec_driver_sql("UPDATE articles SET cluster_id = 9 WHERE id = 1")  # 9 was deleted
        connection.exec_driver_sql("INSERT INTO dedup_signatures (article_id, content_hash, params) "
                                   "VALUES (1, 'h1', 'p'), (2, 'old', 'p')")
    engine.dispose()
    store = Store.migrated(database_url)
    assert rows(database_url, "SELECT id, cluster_id FROM articles ORDER BY id") == [
        {"id": 1, "cluster_id": 9}, {"id": 2, "cluster_id": None}, {"id": 3, "cluster_id": None}]
    assert rows(database_url, "SELECT article_id, cluster_id FROM dedup_deletions") == [
        {"article_id": 9, "cluster_id": 9}]
    store.close()


def test_a_bridge_deleted_through_the_cascade_splits_its_chain(database_url):
    """The cascade takes the bridge's signature with it, so its links cannot be looked up;
    the deletion log still names the cluster it held together."""
    store = open_store(database_url)
    add(store, "http://a.example/1.html", CHAIN_A, "2022-01-01")
    add(store, "http://b.example/1.html", CHAIN_B, "2022-01-02")
    add(store, "http://c.example/1.html", CHAIN_C, "2022-01-03")
    dedup(store).update()
    assert set(clusters(store).values()) == {"http://a.example/1.html"}
    with store.engine.begin() as connection:
        connection.execute(text("DELETE FROM articles WHERE url = 'http://b.example/1.html'"))
    assert rows(database_url, "SELECT count(*) AS n FROM dedup_signatures") == [{"n": 2}]
    dedup(store).update()
    assert clusters(store) == {"http://a.example/1.html": "http://a.example/1.html",
                               "http://c.example/1.html": "http://c.example/1.html"}
    assert rows(database_url, "SELECT count(*) AS n FROM dedup_deletions") == [{"n": 0}]


def test_rows_stored_without_a_hash_get_one(database_url):
    store = open_store(database_url)
    store.upsert_articles([{"site": "demo", "url": "http://a.example/1.html", "body": STORY}])
    dedup(store).update()
    assert rows(database_url, "SELECT content_hash FROM articles") == [{"content_hash": content_hash(STORY)}]


def test_changed_settings_reindex_everything(database_url):
    store = open_store(database_url)
    add(store, "http://a.example/1.html", STORY, "2022-08-15")
    add(store, "http://b.example/1.html", TRADITIONAL, "2022-08-16")
    dedup(store).update()
    other = dedup(store, shingle_size=4, threshold=0.6)
    assert other.pending() == 2
    assert other.update().indexed == 2
    assert {row["params"] for row in rows(database_url, "SELECT params FROM dedup_signatures")} == {other.params.key}
    assert set(clusters(store).values()) == {"http://a.example/1.html"}


# Determinism ----------------------------------------------------------------------

POOL = [  # url, body, published_at, first_seen_at
    ("http://jazx.example/1.html", STORY, "2022-08-15", "2024-01-01T00:00:00+00:00"),
    ("http://hk.example/1.html", TRADITIONAL, "2022-08-15", "2024-01-01T00:00:00+00:00"),
    ("http://fzsdzk.com/1.html", TRUNCATED, "2022-08-16T09:05:33+08:00", "2024-01-03T00:00:00+00:00"),
    ("http://wjga.example/1.html", EDITED, None, "2024-01-02T00:00:00+00:00"),
    ("http://a.example/1.html", CHAIN_A, "2022-01-03", "2024-01-01T00:00:00+00:00"),
    ("http://b.example/1.html", CHAIN_B, "2022-01-03", "2024-01-02T00:00:00+00:00"),
    ("http://c.example/1.html", CHAIN_C, "2022-01-02", "2024-01-01T00:00:00+00:00"),
    ("http://nantong.example/1.html", UNRELATED, "2022-08-12", "2024-01-01T00:00:00+00:00"),
    ("http://short.example/1.html", "详见附件。", "2022-08-12", "2024-01-01T00:00:00+00:00"),
    ("http://short.example/2.html", "详见附件。", "2022-08-11", "2024-01-01T00:00:00+00:00"),
]


def ingest(path, order, cuts, chunk_size) -> dict[str, str]:
    """Store ``POOL[i]`` for i in ``order``, clustering after each run; runs end at ``cuts``."""
    store = open_store(path)
    ends = sorted(set(cuts) | {len(order)})
    start = 0
    for end in ends:
        for i in order[start:end]:
            add(store, *POOL[i])
        Deduplicator(store, DedupParams(), chunk_size=chunk_size).update()
        start = end
    result = clusters(store)
    store.close()
    return result


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(subset=st.sets(st.integers(0, len(POOL) - 1), min_size=1), data=st.data())
def test_same_articles_give_same_clusters_whatever_the_order_and_runs(tmp_path_factory, subset, data):
    order = data.draw(st.permutations(sorted(subset)))
    cuts = data.draw(st.lists(st.integers(1, len(order)), max_size=3))
    chunk_size = data.draw(st.sampled_from([1, 2, 500]))
    reference = ingest(tmp_path_factory.mktemp("reference") / "news.db", sorted(subset), [], 500)
    shuffled = ingest(tmp_path_factory.mktemp("shuffled") / "news.db", order, cuts, chunk_size)
    assert shuffled == reference
    assert all(reference[canonical] == canonical for canonical in reference.values())


def test_deleting_an_article_reclusters_what_it_held_together_and_leaves_no_index_rows(tmp_path):
    """A bridge deleted without foreign keys (a plain sqlite3 connection) splits its chain;
    a canonical article deleted through the store's cascade hands its cluster on."""
    store = open_store(tmp_path / "news.db")
    for number, body in enumerate([CHAIN_A, CHAIN_B, CHAIN_C, STORY, EDITED], 1):
        add(store, f"https://a.example/{number}", body, published_at=f"2024-01-0{number}T08:00:00+08:00")
    deduplicator = dedup(store)
    deduplicator.update()
    assert len(set(clusters(store).values())) == 2

    with sqlite3.connect(store.engine.url.database) as db:  # no foreign keys, no search functions
        db.execute("DROP TRIGGER articles_fts_delete")
        db.execute("DELETE FROM articles WHERE url = 'https://a.example/2'")
    with store.engine.begin() as connection:  # the store enforces foreign keys: the signature cascades
        connection.execute(text("DELETE FROM articles WHERE url = 'https://a.example/4'"))
    deduplicator.update()

    assert clusters(store) == {"https://a.example/1": "https://a.example/1",
                               "https://a.example/3": "https://a.example/3",
                               "https://a.example/5": "https://a.example/5"}
    with sqlite3.connect(store.engine.url.database) as db:
        indexed = {row[0] for row in db.execute("SELECT article_id FROM dedup_signatures")}
        banded = {row[0] for row in db.execute("SELECT article_id FROM dedup_bands")}
        live = {row[0] for row in db.execute("SELECT id FROM articles")}
    assert indexed == live and banded - live <= {4}, "only a cascaded delete leaves bucket rows"
    store.close()
