"""Datasette with the project's metadata and plugin: Chinese search box, canned queries.

Starts ``datasette`` on 127.0.0.1 exactly as the README says, queries its JSON API, stops it.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest

from crawler.storage import Store
from tests.conftest import ROOT, execute

ARTICLES = [
    dict(site="a", url="https://a.example/1", title="民警破获电信诈骗案", published_at="2024-03-05T10:00:00+08:00",
         body="某区公安分局民警破获一起电信网络诈骗案件。"),
    dict(site="b", url="https://b.example/1", title="民警破获电信诈骗案", published_at="2024-03-06T10:00:00+08:00",
         body="某区公安分局民警破获一起电信网络诈骗案件。"),
    dict(site="b", url="https://b.example/2", title="平安建设推进会", published_at="2024-03-01T10:00:00+08:00",
         body="会议部署平安建设，提醒防范诈骗。"),
    dict(site="c", url="https://c.example/1", title="警方破獲集團", published_at="2024-01-02T08:00:00+08:00",
         body="臺北市警察局破獲一個電信詐騙集團。"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def datasette(tmp_path_factory):
    db = tmp_path_factory.mktemp("datasette") / "news.db"
    store = Store.migrated(f"sqlite:///{db}")
    store.upsert_articles(ARTICLES)
    store.close()
    # the two identical stories form a reprint cluster
    execute(db, "UPDATE articles SET cluster_id = 1 WHERE title = ?", "民警破获电信诈骗案")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", str(db), "-m", "crawler/datasette.yaml",
         "--plugins-dir", "crawler/datasette_plugins", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/-/versions.json", timeout=1)
                break
            except OSError:
                if server.poll() is not None:
                    raise AssertionError(server.stdout.read())
                time.sleep(0.2)
        else:
            raise AssertionError("datasette did not start within 20 s")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def get(base: str, path: str, **params) -> list[dict]:
    url = f"{base}{path}?{urllib.parse.urlencode({**params, '_shape': 'array'})}"
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


@pytest.mark.parametrize("query, expected", [
    ("诈骗", {"https://a.example/1", "https://b.example/1", "https://b.example/2", "https://c.example/1"}),
    ("诈骗 民警", {"https://a.example/1", "https://b.example/1"}),
    ("骗", {"https://a.example/1", "https://b.example/1", "https://b.example/2", "https://c.example/1"}),
    ("平安建设", {"https://b.example/2"}),
    ("警察局", {"https://c.example/1"}),
    ("骗民", set()),
])
def test_table_search_box_finds_chinese_terms(datasette, query, expected):
    assert {row["url"] for row in get(datasette, "/news/articles.json", _search=query)} == expected


def test_canned_search_ranks_and_snippets(datasette):
    rows = get(datasette, "/news/search.json", q="平安 诈骗")
    assert [row["url"] for row in rows] == ["https://b.example/2"]
    assert "«诈骗»" in rows[0]["snippet"] and "«平安»" in rows[0]["snippet"]


def test_canned_latest_per_site(datasette):
    rows = get(datasette, "/news/latest_per_site.json", per_site="1")
    assert [(row["site"], row["url"]) for row in rows] == [
        ("a", "https://a.example/1"), ("b", "https://b.example/1"), ("c", "https://c.example/1")]


def test_canned_reprint_clusters(datasette):
    [cluster] = get(datasette, "/news/reprint_clusters.json")
    assert (cluster["articles"], cluster["sites"], cluster["url"]) == (2, 2, "https://a.example/1")


def test_column_descriptions_are_served(datasette):
    with urllib.request.urlopen(f"{datasette}/news/articles", timeout=10) as response:
        page = response.read().decode("utf-8")
    assert "Publication time, ISO 8601" in page
