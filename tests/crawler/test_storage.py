"""The store: migrations, upserts by URL, raw pages, run rows."""

from __future__ import annotations

import sqlite3


from crawler.storage import Store, make_engine, migrate


def article(url="https://example.gov.cn/a/1.html", **fields):
    row = {"site": "demo", "url": url, "title": "标题", "body": "第一段\n第二段", "views": 1}
    row.update(fields)
    return row


def test_default_folder_is_created_and_wal_is_on(tmp_path):
    db = tmp_path / "nested" / "dir" / "news.db"
    Store(f"sqlite:///{db}")
    assert db.exists()
    assert sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_upsert_reports_new_unchanged_updated_and_keeps_first_seen(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'news.db'}")
    assert store.upsert_articles([article()]) == ["new"]
    [first] = sqlite3.connect(tmp_path / "news.db").execute(
        "SELECT first_seen_at, updated_at FROM articles").fetchall()
    assert store.upsert_articles([article(views=99)]) == ["unchanged"]
    assert store.upsert_articles([article(body="第一段\n改过的第二段", views=99)]) == ["updated"]
    rows = sqlite3.connect(tmp_path / "news.db").execute(
        "SELECT first_seen_at, body, views FROM articles").fetchall()
    assert rows == [(first[0], "第一段\n改过的第二段", 99)]


def test_same_url_twice_in_one_batch_is_one_row(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'news.db'}")
    assert store.upsert_articles([article(), article(title="新标题")]) == ["new", "updated"]
    assert sqlite3.connect(tmp_path / "news.db").execute(
        "SELECT count(*), max(title) FROM articles").fetchone() == (1, "新标题")


def test_upgrading_an_old_database_keeps_its_rows(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    migrate(engine, "0001")
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO articles (site, url, images, extraction_method, first_seen_at, last_seen_at, "
            "updated_at) VALUES ('demo', 'https://example.gov.cn/old.html', '[]', 'site', 't', 't', 't')")
    engine.dispose()
    Store(url)  # migrates to the newest revision
    assert sqlite3.connect(tmp_path / "old.db").execute("SELECT url FROM articles").fetchall() == [
        ("https://example.gov.cn/old.html",)]


def test_raw_page_round_trip_and_identical_body_not_rewritten(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'news.db'}")
    body = "<html>正文</html>".encode("gb18030")
    store.save_page("https://example.gov.cn/p.html", 200, {"Content-Type": ["text/html"]}, body, "t1")
    store.save_page("https://example.gov.cn/p.html", 200, {"Content-Type": ["text/html"]}, body, "t2")
    assert store.load_page("https://example.gov.cn/p.html") == (200, {"Content-Type": ["text/html"]}, body)
    assert sqlite3.connect(tmp_path / "news.db").execute("SELECT fetched_at FROM pages").fetchall() == [("t1",)]


def test_run_rows(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'news.db'}")
    run_id = store.start_run("demo")
    store.finish_run(run_id, finish_reason="finished", articles_new=3)
    assert sqlite3.connect(tmp_path / "news.db").execute(
        "SELECT spider, finish_reason, articles_new, finished_at IS NOT NULL FROM crawl_runs").fetchall() == [
        ("demo", "finished", 3, 1)]
