"""Passing failures are retried directly by later runs, then given up loudly; pages rejected
for their content stay rejected; nothing that failed is missing from the database."""

from __future__ import annotations

from tests.conftest import last_run
from tests.faults.conftest import crawl, failures, integrity, rejected, stored

NAMES = ["a1.html", "a2.html", "a3.html", "a4.html"]


def test_an_article_that_failed_on_list_page_2_is_fetched_again_though_paging_stops(site, tmp_path):
    db = tmp_path / "news.db"
    start = site.column(NAMES, per_page=2)
    site.fault("/a/a3.html", "status:503")
    first = crawl(db, start)
    assert first.returncode == 0, first.stderr[-3000:]
    assert stored(db) == {"a1.html", "a2.html", "a4.html"}
    failed = failures(db)["a3.html"]
    assert (failed["state"], failed["reason"], failed["attempts"]) == ("retry", "HTTP 503", 1)
    assert failed["next_try_at"]
    assert "a3.html" not in rejected(db), "a passing failure is no permanent reject"

    site.fault("/a/a3.html", "ok")
    second = crawl(db, start)
    assert second.returncode == 0, second.stderr[-3000:]
    assert site.hits["/list/2.html"] == 1, "paging stopped after list page 1"
    assert stored(db) == set(NAMES)
    assert failures(db) == {}
    assert last_run(db, "faultsite")["stats"]["failures/retried"] == 1
    assert integrity(db) == "ok"


def test_a_page_that_keeps_failing_is_given_up_after_the_set_attempts(site, tmp_path):
    db = tmp_path / "news.db"
    start = site.column(NAMES[:2])
    site.fault("/a/a2.html", "reset")
    for _ in range(2):
        crawl(db, start, "-s", "FAILURE_MAX_ATTEMPTS=2")
    failed = failures(db)["a2.html"]
    assert (failed["state"], failed["attempts"], failed["next_try_at"]) == ("gave_up", 2, None)
    assert rejected(db)["a2.html"].startswith("gave up after 2 attempts: ")
    hits = site.hits["/a/a2.html"]
    crawl(db, start, "-s", "FAILURE_MAX_ATTEMPTS=2")
    assert site.hits["/a/a2.html"] == hits, "a given-up page is not requested again"
    assert integrity(db) == "ok"


def test_passing_failures_of_every_kind_are_retried_not_rejected(site, tmp_path):
    db = tmp_path / "news.db"
    kinds = {"a1.html": "status:500", "a2.html": "short", "a3.html": "empty", "a4.html": "retry-after:1",
             "a5.html": "reset", "a6.html": "drip", "a7.html": "loop"}
    start = site.column(list(kinds))
    for path, kind in kinds.items():
        site.fault(f"/a/{path}", kind)
    result = crawl(db, start, "-s", "RETRY_TIMES=0")
    assert result.returncode == 0, result.stderr[-3000:]
    assert stored(db) == set()
    failed = failures(db)
    assert {name: row["state"] for name, row in failed.items()} == {name: "retry" for name in kinds}
    assert failed["a1.html"]["reason"] == "HTTP 500"
    assert failed["a3.html"]["reason"] == "empty response"
    assert failed["a7.html"]["reason"].startswith("redirect loop: ")
    assert rejected(db) == {}
    for path in kinds:
        site.fault(f"/a/{path}", "ok")
    again = crawl(db, start)
    assert again.returncode == 0, again.stderr[-3000:]
    assert stored(db) == set(kinds) and failures(db) == {}
    assert integrity(db) == "ok"


def test_a_page_rejected_for_its_content_stays_rejected(site, tmp_path):
    db = tmp_path / "news.db"
    start = site.column(["a1.html", "gone.html", "empty-body.html"])
    del site.pages["/a/gone.html"]  # 404
    site.page("/a/empty-body.html", b"<html><body><h1>t</h1><div class='content'></div></body></html>")
    crawl(db, start)
    assert stored(db) == {"a1.html"}
    reasons = rejected(db)
    assert reasons["gone.html"] == "HTTP 404" and reasons["empty-body.html"] == "no body"
    assert {name: (row["state"], row["attempts"]) for name, row in failures(db).items()} == {
        "gone.html": ("rejected", 1), "empty-body.html": ("rejected", 1)}
    hits = dict(site.hits)
    crawl(db, start)
    assert site.hits["/a/gone.html"] == hits["/a/gone.html"]
    assert site.hits["/a/empty-body.html"] == hits["/a/empty-body.html"]
