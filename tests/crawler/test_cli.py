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
    assert f"scrapy crawl jszf: {message}" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_fixtures_mode(tmp_path):
    result = crawl(tmp_path / "news.db", "jszf", fixtures="bogus", check=False)
    assert result.returncode == 2 and "FIXTURES must be replay, record or empty" in result.stderr


def test_unknown_crawler_subcommand_is_a_usage_error():
    result = subprocess.run([sys.executable, "-m", "crawler.cli", "no-such-command"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 2 and "invalid choice" in result.stderr
