"""The store: explicit migrations, upserts by URL, raw pages, run rows, read-only opening,
and one-line failures, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3

import pytest

from crawler.cli import main
from crawler.errors import ArgumentError
from crawler.storage import Store, StoreError, make_engine, migrate
from crawler.storage.revisions import head_revision
from tests.conftest import rows


def article(url="https://example.gov.cn/a/1.html", **fields):
    row = {"site": "demo", "url": url, "title": "标题", "body": "第一段\n第二段", "views": 1}
    row.update(fields)
    return row


@pytest.fixture
def store(database_url):
    store = Store.migrated(database_url)
    yield store
    store.close()


def test_default_folder_is_created_and_wal_is_on(tmp_path):
    db = tmp_path / "nested" / "dir" / "news.db"
    Store.migrated(f"sqlite:///{db}").close()
    assert db.exists()
    assert sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_upsert_reports_new_unchanged_updated_and_keeps_first_seen(store, database_url):
    assert store.upsert_articles([article()]) == ["new"]
    [first] = rows(database_url, "SELECT first_seen_at, updated_at FROM articles")
    assert store.upsert_articles([article(views=99)]) == ["unchanged"]
    assert store.upsert_articles([article(body="第一段\n改过的第二段", views=99)]) == ["updated"]
    assert rows(database_url, "SELECT first_seen_at, body, views FROM articles") == [
        {"first_seen_at": first["first_seen_at"], "body": "第一段\n改过的第二段", "views": 99}]


def test_same_url_twice_in_one_batch_is_one_row(store, database_url):
    assert store.upsert_articles([article(), article(title="新标题")]) == ["new", "updated"]
    assert rows(database_url, "SELECT count(*) AS n, max(title) AS title FROM articles") == [
        {"n": 1, "title": "新标题"}]


def test_a_batch_mixing_stored_and_new_urls_stores_each_once(store, database_url):
    store.upsert_articles([article(url="https://example.gov.cn/b.html")])
    outcomes = store.upsert_articles([article(url="https://example.gov.cn/c.html"),
                                      article(url="https://example.gov.cn/b.html", title="改")])
    assert outcomes == ["new", "updated"]
    assert rows(database_url, "SELECT url, title FROM articles ORDER BY url") == [
        {"url": "https://example.gov.cn/b.html", "title": "改"},
        {"url": "https://example.gov.cn/c.html", "title": "标题"}]


def test_images_keep_chinese_text_and_compare_equal(store, database_url):
    images = [{"src": "https://example.gov.cn/1.jpg", "alt": "民警"}]
    assert store.upsert_articles([article(images=images)]) == ["new"]
    assert store.upsert_articles([article(images=images)]) == ["unchanged"]
    [row] = store.article_batches(["images"])
    assert row == [{"images": '[{"alt": "民警", "src": "https://example.gov.cn/1.jpg"}]'}]


def test_upgrading_an_old_database_keeps_its_rows(database_url):
    engine = make_engine(database_url)
    migrate(engine, "0001")
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO articles (site, url, images, extraction_method, first_seen_at, last_seen_at, "
            "updated_at) VALUES ('demo', 'https://example.gov.cn/old.html', '[]', 'site', 't', 't', 't')")
    engine.dispose()
    store = Store.migrated(database_url)
    assert rows(database_url, "SELECT url FROM articles") == [{"url": "https://example.gov.cn/old.html"}]
    store.close()


def test_opening_a_store_does_not_migrate_and_reading_refuses_an_older_one(database_url, capsys):
    Store(database_url).close()
    with pytest.raises((StoreError, ArgumentError), match=r"no database at|not a database of this project"):
        Store.for_reading(database_url)
    engine = make_engine(database_url)
    migrate(engine, "0002")
    engine.dispose()
    with pytest.raises(StoreError, match=r"older schema .*crawler migrate"):
        Store.for_reading(database_url)
    assert main(["stats", "--db", database_url]) == 1
    assert "crawler migrate" in capsys.readouterr().err
    assert main(["migrate", "--db", database_url]) == 0
    assert f"to {head_revision()}" in capsys.readouterr().out
    Store.for_reading(database_url).close()


def test_raw_page_round_trip_and_identical_body_not_rewritten(store, database_url):
    body = "<html>正文</html>".encode("gb18030")
    store.save_page("https://example.gov.cn/p.html", 200, {"Content-Type": ["text/html"]}, body, "t1")
    store.save_page("https://example.gov.cn/p.html", 200, {"Content-Type": ["text/html"]}, body, "t2")
    assert store.load_page("https://example.gov.cn/p.html") == (200, {"Content-Type": ["text/html"]}, body)
    assert rows(database_url, "SELECT fetched_at FROM pages") == [{"fetched_at": "t1"}]
    store.save_page("https://example.gov.cn/p.html", 200, {}, b"new", "t3")
    assert store.load_page("https://example.gov.cn/p.html") == (200, {}, b"new")


def test_run_rows(store, database_url):
    run_id = store.start_run("demo")
    store.finish_run(run_id, finish_reason="finished", articles_new=3)
    assert rows(database_url, "SELECT spider, finish_reason, articles_new, finished_at IS NOT NULL AS done "
                              "FROM crawl_runs") == [
        {"spider": "demo", "finish_reason": "finished", "articles_new": 3, "done": True}]


def test_reading_commands_never_write(tmp_path, capsys):
    unrelated = tmp_path / "other.db"
    with sqlite3.connect(unrelated) as connection:
        connection.execute("CREATE TABLE notes (x)")
    before = unrelated.read_bytes()
    empty = tmp_path / "empty.db"
    empty.touch()
    for command in ("stats", "search 骗", "health", "dups", "report", "export out.jsonl"):
        for db in (unrelated, empty):
            *name, = command.split()
            assert main([*name, "--db", str(db)] + (["--out", str(tmp_path / "r.html")]
                                                     if name == ["report"] else [])) == 2
            error = capsys.readouterr().err.strip()
            assert error.count("\n") == 0 and "not a database of this project" in error
    assert unrelated.read_bytes() == before and empty.read_bytes() == b""


def test_failing_stores_are_one_line_and_a_non_zero_exit(tmp_path, capsys):
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database" * 100)
    for command in ("stats", "migrate"):  # a file named with --db that is not SQLite: bad input
        assert main([command, "--db", str(garbage)]) == 2
        assert capsys.readouterr().err.strip() == f"crawler {command}: {garbage} is not a SQLite database"

    Store.migrated(f"sqlite:///{tmp_path / 'news.db'}").close()
    readonly = Store.for_reading(f"sqlite:///{tmp_path / 'news.db'}")
    with pytest.raises(StoreError, match=f"^{tmp_path / 'news.db'}: attempt to write a readonly database$"):
        readonly.upsert_articles([article()])
    readonly.close()

    assert main(["stats", "--db", "postgresql+psycopg://nobody@127.0.0.1:9/none"]) == 1
    error = capsys.readouterr().err.strip()
    assert error.startswith("crawler stats: postgresql+psycopg://nobody@127.0.0.1:9/none: ") and "\n" not in error
