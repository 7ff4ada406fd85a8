"""Runs that fetched or stored nothing end with a non-zero exit status, and a store that
fails is one line naming the file and the cause."""

from __future__ import annotations

import json
import socket

import pytest

from tests.conftest import rows
from tests.faults.conftest import crawl, integrity, stored

BREAK_STORE = ["-s", "EXTENSIONS=" + json.dumps({"tests.faults.store_faults.StoreFault": 200}),
               "-s", "STORE_BATCH_SIZE=1"]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("start_fault", ["status:503", "refused", "nothing listed"])
def test_a_dead_site_exits_3_even_on_a_first_run(site, tmp_path, start_fault):
    db = tmp_path / "news.db"
    start = site.column(["a1.html"])
    if start_fault == "refused":
        start = f"http://127.0.0.1:{closed_port()}/list/1.html"
    elif start_fault == "nothing listed":
        site.column([])
    else:
        site.fault("/list/1.html", start_fault)
    result = crawl(db, start, command="crawler")
    assert result.returncode == 3, result.stdout + result.stderr[-2000:]
    assert "ALARM faultsite: every start page (1) failed or listed nothing" in result.stdout
    run = rows(db, "SELECT finish_reason, alarms FROM crawl_runs")
    assert len(run) == 1 and "dead_start" in run[0]["alarms"]


def test_a_file_that_is_not_a_database_is_one_line_and_exit_1(site, tmp_path):
    db = tmp_path / "news.db"
    db.write_bytes(b"these are not the pages you are looking for" * 100)
    for command in ("scrapy", "crawler"):
        result = crawl(db, site.column(["a1.html"]), command=command)
        assert result.returncode == 1
        lines = result.stderr.strip().splitlines()
        assert lines[-1] == f"{command} crawl: cannot write to {db}: file is not a database", lines[-3:]
        assert "Traceback" not in result.stderr
    assert site.hits["/list/1.html"] == 0


@pytest.mark.parametrize("fault, cause", [("full", "database or disk is full"),
                                          ("readonly", "attempt to write a readonly database"),
                                          ("locked", "database is locked")])
@pytest.mark.parametrize("command", ["scrapy", "crawler"])
def test_a_store_that_fails_mid_crawl_stops_the_run_loudly(site, tmp_path, fault, cause, command):
    db = tmp_path / "news.db"
    start = site.column([f"a{i}.html" for i in range(5)])
    result = crawl(db, start, *BREAK_STORE, "-s", f"STORE_FAULT={fault}", command=command)
    assert result.returncode == 1, result.stdout + result.stderr[-3000:]
    message = f"cannot write to {db}: {cause}"
    if command == "scrapy":
        assert result.stderr.strip().splitlines()[-1] == f"scrapy crawl: {message}"
    else:
        assert f"FAILED faultsite: store_failed ({message})" in result.stdout
    assert len(stored(db)) < 5
    run = rows(db, "SELECT * FROM crawl_runs")
    assert len(run) == 1, "the run has its crawl_runs row"
    assert run[0]["finish_reason"] in ("store_failed", None)
    assert rows(db, "SELECT * FROM rejects") == [], "a store failure is no reject"
    assert integrity(db) == "ok"
    again = crawl(db, start, command=command)
    assert again.returncode == 0, again.stdout + again.stderr[-3000:]
    assert len(stored(db)) == 5, "the next run fetches everything the failed one could not store"
