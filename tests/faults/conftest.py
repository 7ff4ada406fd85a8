"""The fault suite: real crawls, in subprocesses, of the misbehaving local site."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from tests.conftest import ROOT, rows
from tests.faults.site import FaultSite

FAST = ["-s", "SPIDER_MODULES=spiders,tests.faults.spiders", "-s", "ROBOTSTXT_OBEY=False",
        "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_TIMEOUT=3",
        "-s", "RETRY_TIMES=1", "-s", "FAILURE_RETRY_DELAY=0", "-s", "LOG_LEVEL=INFO"]


@pytest.fixture
def site():
    site = FaultSite()
    yield site
    site.close()


def crawl(db, start_url: str, *args: str, command: str = "scrapy",
          spiders: tuple[str, ...] = ("faultsite",)) -> subprocess.CompletedProcess:
    """``scrapy crawl faultsite`` (or ``crawler crawl SPIDER…``) from ``start_url`` into ``db``."""
    url = db if "://" in str(db) else f"sqlite:///{db}"
    runner = ([sys.executable, "-m", "scrapy", "crawl"] if command == "scrapy" else
              [sys.executable, "-m", "crawler.cli", "crawl"])
    return subprocess.run([*runner, *spiders, "-a", f"start_url={start_url}", *FAST,
                           "-s", f"DATABASE_URL={url}", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def stored(db) -> set[str]:
    """The article names stored (``/a/NAME`` URLs)."""
    return {row["url"].rsplit("/a/", 1)[1] for row in rows(db, "SELECT url FROM articles")}


def failures(db) -> dict[str, dict]:
    return {row["url"].rsplit("/", 1)[1]: row for row in rows(db, "SELECT * FROM page_failures")}


def rejected(db) -> dict[str, str]:
    return {row["url"].rsplit("/", 1)[1]: row["reason"] for row in rows(db, "SELECT url, reason FROM rejects")}


def integrity(db) -> str:
    connection = sqlite3.connect(db)
    try:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()
