"""Retry-After, robots.txt, redirects that end nowhere, and per-spider counts."""

from __future__ import annotations

from tests.conftest import last_run, rows
from tests.faults.conftest import crawl, failures, integrity, rejected, stored


def test_retry_after_is_waited_for_up_to_the_cap(site, tmp_path):
    start = site.column(["a1.html", "a2.html"])
    site.fault("/a/a1.html", "retry-after:2", "ok")
    site.fault("/a/a2.html", "retry-after:3600", "ok")
    result = crawl(tmp_path / "news.db", start, "-s", "RETRY_AFTER_MAX=3")
    assert result.returncode == 0, result.stderr[-3000:]
    first, second = site.times["/a/a1.html"]
    assert second - first >= 1.9, "Retry-After: 2 was honoured"
    first, second = site.times["/a/a2.html"]
    assert 2.9 <= second - first < 60, "a long Retry-After is capped at RETRY_AFTER_MAX"
    assert stored(tmp_path / "news.db") == {"a1.html", "a2.html"}


def test_a_robots_txt_timeout_raises_no_http_error_alarm(site, tmp_path):
    db = tmp_path / "news.db"
    start = site.column([f"a{i}.html" for i in range(5)])
    site.fault("/robots.txt", "hang")
    result = crawl(db, start, "-s", "ROBOTSTXT_OBEY=True", "-s", "DOWNLOAD_TIMEOUT=1", command="crawler")
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert site.hits["/robots.txt"] == 2, "robots.txt timed out, and its retry too"
    assert last_run(db, "faultsite")["alarms"] == "[]"


def test_redirects_that_end_nowhere_are_logged_and_recorded(site, tmp_path):
    db = tmp_path / "news.db"
    start = site.column(["a1.html", "away.html", "loop.html"])
    site.fault("/a/away.html", "offsite")
    site.fault("/a/loop.html", "loop")
    result = crawl(db, start)
    assert result.returncode == 0
    warnings = [line for line in result.stderr.splitlines() if "WARNING" in line]
    assert any("away.html" in line and "redirected off-site" in line for line in warnings)
    assert any("loop.html" in line and "redirect loop" in line for line in warnings)
    assert rejected(db)["away.html"].startswith("redirected off-site: ")
    assert failures(db)["loop.html"]["state"] == "retry"
    assert integrity(db) == "ok"


def test_each_spider_of_a_multi_spider_run_counts_its_own_errors(site, tmp_path):
    db = tmp_path / "news.db"
    start = site.column(["a1.html", "a2.html"], per_page=1)
    site.column([])  # list page 1 shows nothing: one error per spider
    pager = b"</ul><div class='pager'><a href='/list/2.html'>\xe4\xb8\x8b\xe4\xb8\x80\xe9\xa1\xb5</a></div>"
    site.page("/list/1.html", site.pages["/list/1.html"][2].replace(b"</ul>", pager))
    result = crawl(db, start, command="crawler", spiders=("faultsite", "faultsite2"))
    assert "Traceback" not in result.stderr
    runs = rows(db, "SELECT spider, errors FROM crawl_runs ORDER BY spider")
    assert [(run["spider"], run["errors"]) for run in runs] == [("faultsite", 1), ("faultsite2", 1)]
