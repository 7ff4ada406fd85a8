"""crawler export: JSON Lines, CSV and Parquet with filters, streamed in constant memory."""

from __future__ import annotations

import csv
import json
import sqlite3
import tracemalloc

import pyarrow.parquet as pq
import pytest

from crawler.cli import main
from crawler.search import register_functions
from crawler.storage import Store


@pytest.fixture
def db(database_url):
    store = Store.migrated(database_url)
    store.upsert_articles([
        dict(site="a", url="https://a.example/1", title="诈骗案", published_at="2024-03-05T10:00:00+08:00",
             body="第一段\n第二段", body_html="<p>第一段</p>", views=12,
             images=[{"src": "https://a.example/x.jpg", "alt": "现场"}]),
        dict(site="a", url="https://a.example/2", title="旧闻", published_at="2023-01-01T10:00:00+08:00",
             body="旧", body_html="<p>旧</p>"),
        dict(site="b", url="https://b.example/1", title="平安建设, \"引号\"", published_at=None, body="无日期"),
    ])
    store.close()
    return database_url


def export(db, out, *options):
    assert main(["export", "--db", str(db), str(out), *options]) == 0


def test_jsonl_has_every_column_but_html_and_images_as_json(db, tmp_path):
    export(db, tmp_path / "out.jsonl")
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [row["url"] for row in rows] == ["https://a.example/1", "https://a.example/2", "https://b.example/1"]
    assert rows[0]["images"] == [{"alt": "现场", "src": "https://a.example/x.jpg"}]
    assert rows[0]["views"] == 12 and rows[0]["body"] == "第一段\n第二段"
    assert "body_html" not in rows[0] and "cluster_id" in rows[0]


def test_filters_by_site_and_date(db, tmp_path):
    export(db, tmp_path / "out.jsonl", "--site", "a", "--since", "2024-01-01")
    rows = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(row)["url"] for row in rows] == ["https://a.example/1"]


def test_csv_round_trips_commas_quotes_and_newlines(db, tmp_path):
    export(db, tmp_path / "out.csv", "--html")
    with open(tmp_path / "out.csv", encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert rows[0]["body"] == "第一段\n第二段" and rows[0]["body_html"] == "<p>第一段</p>"
    assert rows[2]["title"] == '平安建设, "引号"' and rows[2]["published_at"] == ""


def test_parquet_is_typed(db, tmp_path):
    export(db, tmp_path / "articles.parquet", "--site", "a")
    table = pq.read_table(tmp_path / "articles.parquet")
    assert table.num_rows == 2
    assert str(table.schema.field("views").type) == "int64"
    assert table.column("title").to_pylist() == ["诈骗案", "旧闻"]


def test_stdout_and_usage_errors(db, tmp_path, capsys):
    export(db, "-", "--format", "jsonl", "--site", "b")
    assert json.loads(capsys.readouterr().out)["url"] == "https://b.example/1"
    assert main(["export", "--db", str(db), "-", "--format", "parquet"]) == 2
    assert main(["export", "--db", str(db), str(tmp_path / "out.txt")]) == 2
    assert main(["export", "--db", str(db), str(tmp_path / "o.csv"), "--since", "yesterday"]) == 2


def peak_memory_of_export(db, out, *options) -> int:
    tracemalloc.start()
    try:
        export(db, out, *options)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("suffix", ["jsonl", "csv", "parquet"])
def test_memory_does_not_grow_with_the_corpus(tmp_path, suffix):
    Store.migrated(f"sqlite:///{tmp_path / 'big.db'}").close()
    connection = sqlite3.connect(tmp_path / "big.db")
    register_functions(connection)
    body = "x" * 4000  # 4 kB a row, so that holding every row would show
    with connection:
        connection.executemany(
            "INSERT INTO articles (site, url, body, images, extraction_method, first_seen_at, "
            "last_seen_at, updated_at) VALUES (?, ?, ?, '[]', 'site', 't', 't', 't')",
            [("small" if n < 2000 else "large", f"u{n}", body) for n in range(8000)])
    connection.close()
    export(tmp_path / "big.db", tmp_path / f"small.{suffix}", "--site", "small")  # imports, caches
    small = peak_memory_of_export(tmp_path / "big.db", tmp_path / f"small.{suffix}", "--site", "small")
    everything = peak_memory_of_export(tmp_path / "big.db", tmp_path / f"all.{suffix}")
    assert everything < 1.5 * small, (small, everything)  # 4x the rows, about the same peak
