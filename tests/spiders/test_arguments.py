"""Spider arguments are declared: a misspelled one is a usage error, never silently ignored."""

from __future__ import annotations

import subprocess
import sys

import pytest

from crawler.errors import ArgumentError
from spiders.generic import GenericSpider
from spiders.jszf import JszfSpider
from tests.conftest import ROOT, crawl_command


@pytest.mark.parametrize("given, message", [
    ({"maxpages": "1"}, "unknown spider argument 'maxpages' (did you mean max_pages?); jszf takes "
                        "start_url, article_url, max_pages, since, refresh"),
    ({"Since": "2030-01-01"}, "unknown spider argument 'Since' (did you mean since?)"),
    ({"colour": "red"}, "unknown spider argument 'colour'; jszf takes"),
])
def test_an_unknown_argument_is_refused_with_the_known_ones(given, message):
    with pytest.raises(ArgumentError) as raised:
        JszfSpider.check_arguments(**given)
    assert str(raised.value).startswith(message)
    with pytest.raises(ArgumentError):
        JszfSpider(**given)


def test_declared_arguments_are_set_typed_and_a_scrapyd_job_id_is_accepted():
    spider = JszfSpider(max_pages="3", since="2023-01-01", refresh="7", _job="6487ec79")
    assert (spider.max_pages, spider.since.isoformat(), spider.refresh) == (3, "2023-01-01", 7)
    assert spider._job == "6487ec79"
    assert (JszfSpider().max_pages, JszfSpider().since, JszfSpider().refresh) == (10, None, 0)


def test_the_generic_spider_declares_its_own():
    spider = GenericSpider(start_url="https://jazx.example/jmwh/", allow=r"/jmwh/\d+\.html$")
    assert spider.allow.pattern == r"/jmwh/\d+\.html$" and spider.allowed_domains == ["jazx.example"]
    with pytest.raises(ArgumentError, match="unknown spider argument 'refresh'; generic takes start_url, allow"):
        GenericSpider.check_arguments(start_url="https://jazx.example/jmwh/", refresh="7")


@pytest.mark.parametrize("command", ["scrapy", "crawler"])
@pytest.mark.parametrize("argument, name", [("maxpages=1", "maxpages"), ("Since=2030-01-01", "Since")])
def test_a_misspelled_argument_on_the_command_line_is_one_line_and_exit_2(tmp_path, command, argument, name):
    db = tmp_path / "news.db"
    line = crawl_command(db, "jszf", "-a", argument)
    if command == "crawler":
        line = [sys.executable, "-m", "crawler.cli", *line[3:]]
    result = subprocess.run(line, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr[-2000:]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{command} crawl")
    assert f"unknown spider argument {name!r}" in lines[0]
    assert not db.exists()  # nothing ran
