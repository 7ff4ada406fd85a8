"""Hostile pages: too large, compressed bombs, binary, malformed, nested, control characters,
charset lies, huge lists.  Each becomes an article or a recorded reject with its true reason,
and the crawl goes on."""

from __future__ import annotations

import os

from tests.conftest import last_run, rows
from tests.faults.conftest import crawl, failures, integrity, rejected, stored
from tests.faults.site import PARAGRAPH, article_html, gzip_bomb


def test_oversized_pages_and_a_gzip_bomb_are_rejects_with_their_reason(site, tmp_path):
    db = tmp_path / "news.db"
    start = site.column(["ok.html", "bomb.html", "huge.html", "long.html"])
    site.page("/a/bomb.html", gzip_bomb(1 << 20), headers={"Content-Encoding": "gzip"})
    site.page("/a/huge.html", article_html("huge") + b" " * (9 << 20))
    site.page("/a/long.html", article_html("long", paragraphs=4000))
    result = crawl(db, start)
    assert result.returncode == 0, result.stderr[-3000:]
    assert stored(db) == {"ok.html"}
    reasons = rejected(db)
    assert reasons["bomb.html"].startswith("larger than DOWNLOAD_MAXSIZE: ")
    assert "during decompression" in reasons["bomb.html"]
    assert reasons["huge.html"].startswith("larger than DOWNLOAD_MAXSIZE: ")
    assert reasons["long.html"].startswith("body longer than 200000 characters")
    assert {row["state"] for row in failures(db).values()} == {"rejected"}
    assert integrity(db) == "ok"


def test_pages_no_parser_can_read_are_rejected_and_the_crawl_goes_on(site, tmp_path):
    db = tmp_path / "news.db"
    names = ["ok.html", "pdf.php", "binary.html", "nested.html", "ctrl.html", "malformed.html"]
    start = site.column(names)
    site.page("/a/pdf.php", b"%PDF-1.4\n" + os.urandom(4000), content_type="application/pdf")
    site.page("/a/binary.html", os.urandom(20000))
    site.page("/a/nested.html", b"<html><body><h1>t</h1>" + b"<div>" * 100_000
              + PARAGRAPH.encode() + b"</div>" * 100_000 + b"</body></html>")
    site.page("/a/ctrl.html", article_html("ctrl", extra="<a h\x01ref='x' href='/a/x.html'>x</a>"
                                           "<img s\x02rc='y' src='/y.png'>").replace(
        b"<div class='content'>", b"<div class='content'><img al\x03t='z' src='/z.png'>"))
    site.page("/a/malformed.html", b"<html><body><h1>\xe6\xb5\x8b\xe8\xaf\x95</h1><div class='content'><p>"
              + PARAGRAPH.encode() + b"<table><tr><td><p>" + PARAGRAPH.encode() + b"</b></i></div></span>")
    list_page = site.pages["/list/1.html"]
    broken_link = b"<ul class='list'><a t\x04itle='q' href='/a/ok.html'>dup</a>"
    site.pages["/list/1.html"] = (200, list_page[1], list_page[2].replace(b"<ul class='list'>", broken_link))
    result = crawl(db, start)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert {"ok.html", "ctrl.html", "malformed.html"} <= stored(db)
    reasons = rejected(db)
    assert reasons["pdf.php"] == "not a text page (application/pdf)"
    assert reasons["nested.html"] == "HTML nested 2047 or more elements deep, past the parser's limit"
    assert "binary.html" in reasons
    images = rows(db, "SELECT images FROM articles WHERE url LIKE '%ctrl.html'")[0]["images"]
    assert "/z.png" in images
    assert last_run(db, "faultsite")["errors"] == 0
    assert integrity(db) == "ok"


def test_a_charset_lie_is_decoded_right(site, tmp_path):
    db = tmp_path / "news.db"
    start = site.column(["gbk.html"])
    site.page("/a/gbk.html", article_html("gbk").decode().replace("charset='utf-8'", "charset='gbk'").encode("gbk"),
              content_type="text/html; charset=utf-8")
    assert crawl(db, start).returncode == 0
    assert PARAGRAPH in rows(db, "SELECT body FROM articles")[0]["body"]


def test_a_list_of_20000_links_is_read_whole(site, tmp_path):
    db = tmp_path / "news.db"
    names = [f"n{i}.html" for i in range(20_000)]
    start = site.column(names)
    for name in names:
        del site.pages[f"/a/{name}"]
    result = crawl(db, start, "-s", "CLOSESPIDER_PAGECOUNT=30", "-s", "CONCURRENT_REQUESTS=4")
    assert "Traceback" not in result.stderr
    stats = last_run(db, "faultsite")["stats"]
    assert stats["incremental/new"] == 20_000
    assert integrity(db) == "ok"
