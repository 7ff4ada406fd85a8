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


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """A small project database: the offline demo's."""
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    subprocess.run([sys.executable, "-m", "crawler.cli", "demo", "--db", str(db)], cwd=ROOT,
                   check=True, capture_output=True, timeout=300)
    return db


def crawler_cli(*argv: str, cwd=ROOT, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crawler.cli", *argv], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout)


def slips(tmp: str, db: str) -> dict[str, tuple[list[str], str]]:
    """Each slip a user makes: its command line, and the start of the one line it must give."""
    offline = ["-s", "FIXTURES=replay", "-s", f"DATABASE_URL=sqlite:///{tmp}/news.db"]
    return {
        "driver not installed": (["stats", "--db", "mysql://user@127.0.0.1/corpus"],
                                 "crawler stats: the driver of mysql://user@127.0.0.1/corpus is not installed"),
        "driver not installed, crawl": (["crawl", "jszf", "-s", "DATABASE_URL=postgresql+pg8000://u@127.0.0.1/x"],
                                        "crawler crawl: the driver of postgresql+pg8000://u@127.0.0.1/x"),
        "unknown dialect": (["stats", "--db", "sqlit:///news.db"],
                            "crawler stats: unknown database dialect 'sqlit'"),
        "unwritable folder": (["crawl", "jszf", "-s", "FIXTURES=replay", "-s", "DATABASE_URL=sqlite:////proc/news.db"],
                              "crawler crawl: cannot create the crawl lock /proc/news.db.jszf.lock"),
        "export into a missing folder": (["export", "--db", db, f"{tmp}/no-folder/articles.jsonl"],
                                         f"crawler export: cannot use {tmp}/no-folder/articles.jsonl: "
                                         f"its folder {tmp}/no-folder does not exist"),
        "parquet into a missing folder": (["export", "--db", db, f"{tmp}/no-folder/articles.parquet"],
                                          f"crawler export: cannot use {tmp}/no-folder/articles.parquet"),
        "report into a missing folder": (["report", "--db", db, "--out", f"{tmp}/no-folder/report.html"],
                                         f"crawler report: cannot use {tmp}/no-folder/report.html"),
        "--db not a database": (["stats", "--db", str(ROOT / "README.md")],
                                f"crawler stats: {ROOT / 'README.md'} is not a SQLite database"),
        "-s value of the wrong type": (["crawl", "jszf", *offline, "-s", "STORE_BATCH_SIZE=abc"],
                                       "crawler crawl: -s STORE_BATCH_SIZE must be a number, not 'abc'"),
        "-s yes/no of the wrong type": (["crawl", "jszf", *offline, "-s", "INCREMENTAL_STOP_PAGING=maybe"],
                                        "crawler crawl: -s INCREMENTAL_STOP_PAGING must be True or False"),
        "generic without start_url": (["crawl", "generic", *offline],
                                      "crawler crawl: generic: the generic spider needs -a start_url=URL"),
        "since in the future": (["crawl", "jszf", *offline, "-a", "since=2099-01-01"],
                                "crawler crawl: jszf: since is in the future (2099-01-01)"),
        "extract a missing file": (["extract", "missing.html"], "crawler extract: no such file: missing.html"),
        "probe a missing file": (["probe", "missing.html"], "crawler probe: no such file: missing.html"),
        "no command": ([], "crawler: the following arguments are required: COMMAND"),
        "unknown option": (["stats", "--bogus"], "crawler: unrecognized arguments: --bogus"),
        "bad option value": (["health", "--runs", "ten"], "crawler health: argument --runs: invalid int value"),
    }


def test_every_slip_is_one_line_on_stderr_and_exit_2(tmp_path, demo_db):
    for slip, (argv, message) in slips(str(tmp_path), str(demo_db)).items():
        result = crawler_cli(*argv, cwd=tmp_path)
        assert result.returncode == 2, (slip, result.stderr[-2000:])
        assert len(result.stderr.splitlines()) == 1, (slip, result.stderr[-2000:])
        assert result.stderr.startswith(message), (slip, result.stderr)
        assert result.stdout == "", slip
    assert not (tmp_path / "no-folder").exists()


def test_scrapy_crawl_checks_setting_types_and_since_too(tmp_path):
    for argument, message in ((["-s", "STORE_BATCH_SIZE=abc"], "-s STORE_BATCH_SIZE must be a number"),
                              (["-a", "since=2099-01-01"], "since is in the future")):
        result = crawl(tmp_path / "news.db", "jszf", *argument, check=False)
        assert result.returncode == 2
        [line] = result.stderr.splitlines()
        assert line.startswith(f"scrapy crawl jszf: {message}")


def test_output_cut_short_by_its_reader_ends_quietly(demo_db):
    """``| head -1``: the reader closes the pipe; no traceback, the status of a closed pipe.
    With ``--html`` the demo's export is larger than a pipe holds, so the write must fail."""
    for output_format in ("jsonl", "csv"):
        argv = ["export", "--format", output_format, "--html", "--db", str(demo_db), "-"]
        process = subprocess.Popen([sys.executable, "-m", "crawler.cli", *argv], cwd=ROOT,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        first = process.stdout.readline()
        process.stdout.close()  # as `head -1` does once it has its line
        status = process.wait(timeout=120)
        stderr = process.stderr.read().decode()
        process.stderr.close()
        assert first, argv
        assert stderr == "", (argv, stderr)
        assert status == 141, argv


def test_version_and_a_help_for_users():
    version = crawler_cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("crawler (zhengfa-crawler) 0.")
    help_text = crawler_cli("--help").stdout
    assert help_text.splitlines()[2].startswith("Crawl Chinese public-security and rule-of-law news sites")
    assert "crawler demo" in help_text and "exit status:" in help_text
    assert "subcommand" not in help_text  # the developer docstring stays in the source


def test_setting_values_are_checked_against_the_types_of_their_defaults():
    from crawler.errors import ArgumentError
    from crawler.runner import check_setting_types, project_settings

    check_setting_types(project_settings(DOWNLOAD_TIMEOUT="0.5", INCREMENTAL_STOP_PAGING="false",
                                         LOG_LEVEL="DEBUG", HEALTH_MIN_COVERAGE='{"title": 0.5}'))
    for name, value in (("DOWNLOAD_TIMEOUT", "soon"), ("INCREMENTAL_STOP_PAGING", "maybe"),
                        ("HEALTH_MIN_COVERAGE", "title")):
        with pytest.raises(ArgumentError, match=f"^-s {name} must be "):
            check_setting_types(project_settings(**{name: value}))
