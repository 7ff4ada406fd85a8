"""Shared helpers: run a real crawl in a subprocess (Twisted's reactor cannot restart
in-process) and read the resulting SQLite file."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def crawl_command(db: Path, spider: str, *args: str, fixtures: str = "replay") -> list[str]:
    """The command line of ``scrapy crawl SPIDER`` offline into ``db``, with extra -a/-s args."""
    return [sys.executable, "-m", "scrapy", "crawl", spider, "-s", f"DATABASE_URL=sqlite:///{db}",
            "-s", f"FIXTURES={fixtures}", "-s", "DOWNLOAD_DELAY=0",
            "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=INFO", *args]


def crawl(db: Path, spider: str, *args: str, fixtures: str = "replay", check: bool = True):
    """``scrapy crawl SPIDER`` offline into ``db``; extra args are passed through (-a/-s)."""
    command = crawl_command(db, spider, *args, fixtures=fixtures)
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    if check and result.returncode != 0:
        raise AssertionError(f"crawl failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return result


def rows(db: Path, query: str, *params) -> list[dict]:
    connection = sqlite3.connect(db)
    connection.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in connection.execute(query, params)]
    finally:
        connection.close()


def last_run(db: Path, spider: str) -> dict:
    run = rows(db, "SELECT * FROM crawl_runs WHERE spider = ? ORDER BY id DESC LIMIT 1", spider)[0]
    run["stats"] = json.loads(run["stats"])
    return run


@pytest.fixture(scope="session")
def jszf_db(tmp_path_factory) -> Path:
    """One replayed jszf crawl, shared by the tests that only read its rows."""
    db = tmp_path_factory.mktemp("jszf") / "news.db"
    crawl(db, "jszf")
    return db


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """``crawler demo`` once: every spider replayed into one database."""
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    result = subprocess.run([sys.executable, "-m", "crawler.cli", "demo", "--db", str(db)], cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return db


def article(db: Path, url_part: str) -> dict:
    """The one stored article whose URL contains ``url_part``."""
    found = rows(db, "SELECT * FROM articles WHERE url LIKE ?", f"%{url_part}%")
    assert len(found) == 1, f"{len(found)} rows match {url_part}"
    return found[0]
