"""scrapyd, as a crawl machine runs it: two spiders at once on the fixtures, into PostgreSQL."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest
from sqlalchemy import create_engine, text

from crawler.storage import Store
from tests.conftest import ROOT

pytest.importorskip("scrapyd", reason="scrapyd is not installed: pip install -e '.[distributed]'")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def call(base: str, endpoint: str, data: list[tuple[str, str]] | None = None) -> dict:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with urllib.request.urlopen(f"{base}/{endpoint}", data=body, timeout=10) as answer:
        return json.loads(answer.read())


@pytest.fixture
def scrapyd(tmp_path):
    """scrapyd on a free port of 127.0.0.1, in a folder of its own that holds the project's
    scrapy.cfg (where scrapyd finds the project) and a scrapyd.conf with temp folders."""
    port = free_port()
    shutil.copy(ROOT / "scrapy.cfg", tmp_path / "scrapy.cfg")
    (tmp_path / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\npoll_interval = 0.5\nmax_proc = 2\n"
        f"eggs_dir = {tmp_path / 'eggs'}\nlogs_dir = {tmp_path / 'logs'}\ndbs_dir = {tmp_path / 'dbs'}\n")
    process = subprocess.Popen([sys.executable, "-m", "scrapyd", "--pidfile", str(tmp_path / "scrapyd.pid")],
                               cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            call(base, "daemonstatus.json")
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise AssertionError("scrapyd did not start") from None
            time.sleep(0.3)
    try:
        yield base, tmp_path
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_scrapyd_runs_two_spiders_at_once_into_postgresql(scrapyd, postgres_url):
    base, folder = scrapyd
    Store.migrated(postgres_url).close()  # migrate once, before two jobs open the database at the same moment
    assert "zhengfa_crawler" in call(base, "listprojects.json")["projects"]
    assert {"jszf", "wjga"} <= set(call(base, "listspiders.json?project=zhengfa_crawler")["spiders"])
    settings = [("setting", f"DATABASE_URL={postgres_url}"), ("setting", "FIXTURES=replay"),
                ("setting", "DOWNLOAD_DELAY=0"), ("setting", "AUTOTHROTTLE_ENABLED=False")]
    jobs = {spider: call(base, "schedule.json",
                         [("project", "zhengfa_crawler"), ("spider", spider), *settings])["jobid"]
            for spider in ("jszf", "wjga")}

    deadline = time.monotonic() + 240
    while True:
        listed = call(base, "listjobs.json?project=zhengfa_crawler")
        finished = {job["id"]: job for job in listed["finished"]}
        if set(jobs.values()) <= set(finished):
            break
        assert time.monotonic() < deadline, f"jobs did not finish: {listed}"
        time.sleep(1)

    engine = create_engine(postgres_url)
    with engine.connect() as connection:
        runs = connection.execute(text("SELECT spider, finish_reason, articles_new FROM crawl_runs")).all()
        stored = dict(connection.execute(text("SELECT site, count(*) FROM articles GROUP BY site")).all())
    engine.dispose()
    logs = {spider: (folder / "logs" / "zhengfa_crawler" / spider / f"{job}.log").read_text()
            for spider, job in jobs.items()}
    outcomes = sorted((spider, reason) for spider, reason, _new in runs)
    assert outcomes == [("jszf", "finished"), ("wjga", "finished")], logs
    assert stored.get("jszf") and stored.get("wjga"), stored
    assert all(new == stored[spider] for spider, _reason, new in runs)
    first, second = (finished[job] for job in jobs.values())
    assert first["start_time"] < second["end_time"] and second["start_time"] < first["end_time"], \
        "the two jobs ran at the same time: the lock is per spider, not per database"
