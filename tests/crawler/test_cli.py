"""Mistakes on the command line get one line and exit status 2, never a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT, crawl


@pytest.mark.parametrize("argument, message", [
    ("max_pages=abc", "max_pages must be a whole number"),
    ("since=2023-13-01", "since must be a date as YYYY-MM-DD"),
    ("start_url=ftp://example.org/", "start_url must be http(s) URLs"),
])
def test_bad_spider_argument(tmp_path, argument, message):
    result = crawl(tmp_path / "news.db", "jszf", "-a", argument, check=False)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0].startswith(f"scrapy crawl jszf: {message}")
    assert len(result.stderr.splitlines()) == 1  # before Scrapy's start-up log, never a traceback


def test_bad_fixtures_mode(tmp_path):
    result = crawl(tmp_path / "news.db", "jszf", fixtures="bogus", check=False)
    assert result.returncode == 2 and "FIXTURES must be replay, record, archive or empty" in result.stderr


def test_unknown_crawler_subcommand_is_a_usage_error():
    result = subprocess.run([sys.executable, "-m", "crawler.cli", "no-such-command"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 2 and "invalid choice" in result.stderr


def test_bad_database_url_and_fixtures_mode_everywhere(tmp_path):
    (tmp_path / "a-file").write_text("")
    unmakeable = tmp_path / "a-file" / "news.db"
    scrapy = [sys.executable, "-m", "scrapy"]
    commands = {
        "scrapy crawl jszf: DATABASE_URL is not a SQLAlchemy URL: 'news.db'":
            [*scrapy, "crawl", "jszf", "-s", "DATABASE_URL=news.db"],
        f"scrapy crawl jszf: cannot create the folder of sqlite:///{unmakeable}":
            [*scrapy, "crawl", "jszf", "-s", f"DATABASE_URL=sqlite:///{unmakeable}"],
        "scrapy shell: FIXTURES must be replay, record, archive or empty, not 'bogus'":
            [*scrapy, "shell", "https://www.jszf.gov.cn/", "-s", "FIXTURES=bogus", "-c", "1"],
        f"crawler demo: cannot create the folder of sqlite:///{unmakeable}":
            [sys.executable, "-m", "crawler.cli", "demo", "--db", str(unmakeable)],
    }
    for message, command in commands.items():
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert result.returncode == 2, command
        [line] = result.stderr.splitlines()
        assert line.startswith(message), line
