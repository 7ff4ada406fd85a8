"""Record and replay of saved responses."""

from __future__ import annotations

import functools
import http.server
import json
import subprocess
import sys
import threading

import pytest

from crawler.fixtures import fixture_name, load_fixtures, open_fixture
from tests.conftest import ROOT, crawl, last_run, rows


def test_replay_of_a_missing_page_fails_clearly_and_is_counted(tmp_path):
    db = tmp_path / "news.db"
    result = crawl(db, "jszf", "-a", "start_url=https://www.jszf.gov.cn/nowhere/index.shtml")
    assert "No saved response for https://www.jszf.gov.cn/nowhere/index.shtml" in result.stderr
    run = last_run(db, "jszf")
    assert run["stats"]["fixtures/missing"] == 1
    assert run["errors"] >= 1 and run["pages_fetched"] == 0


def test_open_fixture_decodes_like_a_crawl():
    response = open_fixture("jszf", "https://www.jszf.gov.cn/zyyg/jscawq_1/wuxi/index.shtml")
    assert "无锡" in response.text and response.encoding == "utf-8"
    with pytest.raises(KeyError):
        open_fixture("jszf", "https://www.jszf.gov.cn/absent.shtml")


def test_feed_export_of_a_replayed_crawl_holds_the_stored_articles(tmp_path):
    db, feed = tmp_path / "news.db", tmp_path / "out.jsonl"
    crawl(db, "jszf", "-O", str(feed))
    exported = [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines()]
    stored = rows(db, "SELECT url, title, published_at, body FROM articles ORDER BY url")
    assert sorted(({key: item[key] for key in stored[0]} for item in exported),
                  key=lambda item: item["url"]) == stored


def test_shell_replays_a_saved_page_without_recording_a_run(tmp_path):
    db = tmp_path / "news.db"
    seed = "https://www.jszf.gov.cn/zyyg/jscawq_1/wuxi/202301/t20230119_3533419.shtml"
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "shell", seed, "-s", "FIXTURES=replay",
         "-s", f"DATABASE_URL=sqlite:///{db}", "-c", "(response.status, response.css('h1::text').get())"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    assert result.stdout.strip() == "(200, '江阴公安:“共巡守澄”让城市更美好')"
    # A shell session is never closed like a crawl: it must leave no unfinished run behind.
    assert rows(db, "SELECT id FROM crawl_runs") == []


def test_fixture_names_are_readable_and_distinct():
    a = fixture_name("http://www.zt.net.cn/index.php?m=content&c=index&a=show&catid=38&id=1235")
    b = fixture_name("http://www.zt.net.cn/index.php?m=content&c=index&a=show&catid=38&id=1236")
    assert a != b and a.startswith("index.php_m_content") and a.endswith(".html")
    assert fixture_name("https://x.gov.cn/a/t20230119_1.shtml").startswith("t20230119_1-")


@pytest.fixture
def live_site(tmp_path):
    """A tiny TRS-style column served on 127.0.0.1, standing in for a live site."""
    site = tmp_path / "site"
    (site / "202301").mkdir(parents=True)
    (site / "index.shtml").write_text(
        '<html><body><ul><li><a href="./202301/t20230101_1.shtml">甲</a><span>2023-01-01</span></li></ul>'
        '<script>createPageHTML(1, 0, "index", "shtml");</script></body></html>', encoding="utf-8")
    (site / "202301" / "t20230101_1.shtml").write_bytes(
        '<html><head><meta charset="gbk"></head><body><div class="article"><h1>录制测试</h1>'
        '<div class="info">2023-01-01 10:00:00</div><div class="TRS_Editor"><p>这是一段用于录制测试的正文内容，'
        '长度足够通过校验。民警深入社区开展反诈宣传，提醒群众提高警惕。</p></div></div></body></html>'.encode("gbk"))
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_record_saves_live_responses_that_replay_serves_back(tmp_path, live_site):
    saved = tmp_path / "recorded"
    start = f"start_url={live_site}index.shtml"
    crawl(tmp_path / "live.db", "jszf", "-a", start, "-s", f"FIXTURES_DIR={saved}",
          "-s", "ROBOTSTXT_OBEY=False", fixtures="record")
    index = load_fixtures(saved / "jszf")
    assert len(index) == 2
    for sidecar in index.values():
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
        assert meta["status"] == 200 and meta["provenance"] == "recorded live"
        assert sidecar.with_suffix("").exists()
    article = (saved / "jszf").glob("t20230101_1-*.shtml")
    assert next(article).read_bytes().startswith(b"<html><head><meta charset=\"gbk\">")

    crawl(tmp_path / "replayed.db", "jszf", "-a", start, "-s", f"FIXTURES_DIR={saved}")
    live = rows(tmp_path / "live.db", "SELECT url, title, body FROM articles")
    assert live == rows(tmp_path / "replayed.db", "SELECT url, title, body FROM articles")
    assert live[0]["title"] == "录制测试"
