"""``crawler crawl``: runs spiders in one process, records and summarises each run, and tells
cron through its exit status whether anything needs a look."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT, decoded, rows, url_of

BROKEN = f"FIXTURES_DIR={ROOT / 'fixtures/scenarios/broken'},{ROOT / 'fixtures'}"


def crawler_crawl(db, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", "from crawler.cli import main; raise SystemExit(main())", "crawl",
               *args, "-s", f"DATABASE_URL={url_of(db)}", "-s", "FIXTURES=replay",
               "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def summary_row(stdout: str, spider: str) -> list[str]:
    return next(line.split() for line in stdout.splitlines() if line.split()[:1] == [spider])


def test_a_healthy_run_exits_0_with_a_summary_and_a_run_record(database_url):
    db = database_url
    result = crawler_crawl(db, "jszf")
    assert result.returncode == 0, result.stderr[-2000:]
    run = rows(db, "SELECT * FROM crawl_runs")
    assert len(run) == 1 and run[0]["finish_reason"] == "finished" and decoded(run[0]["alarms"]) == []
    spider, run_id, status, pages, new, *_rest, alarms = summary_row(result.stdout, "jszf")
    assert (run_id, status, pages, new, alarms) == (str(run[0]["id"]), "finished", "6", "3", "0")


def test_a_health_alarm_exits_3_and_is_printed(database_url):
    db = database_url
    crawler_crawl(db, "jszf")
    result = crawler_crawl(db, "jszf", "-s", BROKEN)
    assert result.returncode == 3
    assert "ALARM jszf: " in result.stdout
    assert summary_row(result.stdout, "jszf")[-1] != "0"


def test_a_spider_that_does_not_finish_exits_1(tmp_path):
    result = crawler_crawl(tmp_path / "news.db", "jszf", "-s", "CLOSESPIDER_ITEMCOUNT=1")
    assert result.returncode == 1
    assert "FAILED jszf: closespider_itemcount" in result.stdout


def test_all_spiders_in_one_process_logging_to_a_rotated_file(tmp_path):
    db, log = tmp_path / "news.db", tmp_path / "logs" / "crawl.log"
    result = crawler_crawl(db, "--all", "--log-file", str(log), "--log-max-bytes", "4000",
                           "--log-backups", "2")
    assert result.returncode == 0, result.stdout
    spiders = {row["spider"] for row in rows(db, "SELECT spider FROM crawl_runs")}
    assert "jszf" in spiders and len(spiders) >= 2 and "generic" not in spiders
    assert {summary_row(result.stdout, spider)[0] for spider in spiders} == spiders
    assert "Spider closed" not in result.stderr, "the log goes to the file, not to stderr"
    assert sorted(path.name for path in log.parent.iterdir()) == ["crawl.log", "crawl.log.1", "crawl.log.2"]
    assert "Spider closed (finished)" in "".join(path.read_text(encoding="utf-8")
                                                 for path in log.parent.iterdir())


def test_spider_arguments_and_usage_errors(tmp_path):
    assert crawler_crawl(tmp_path / "news.db").returncode == 2
    bad = crawler_crawl(tmp_path / "news.db", "jszf", "-a", "refresh=soon")
    assert bad.returncode == 2 and bad.stderr.startswith("crawler crawl: jszf: refresh must be")
    unknown = crawler_crawl(tmp_path / "news.db", "nosuch")
    assert unknown.returncode == 2 and "unknown spider 'nosuch'" in unknown.stderr


def test_a_store_that_cannot_be_opened_is_one_line_and_exit_1(tmp_path):
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database" * 100)
    for command in (crawler_crawl, scrapy_crawl):
        result = command(garbage, "jszf")
        assert result.returncode == 1, result.stderr[-2000:]
        assert result.stderr.strip().splitlines()[-1].endswith(f"{garbage}: file is not a database")
        assert "Traceback" not in result.stderr
    unreachable = "postgresql+psycopg://nobody@127.0.0.1:9/none"
    result = crawler_crawl(unreachable, "jszf")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().startswith(f"crawler crawl: {unreachable}: connection failed")


def scrapy_crawl(db, spider):
    return subprocess.run([sys.executable, "-m", "scrapy", "crawl", spider, "-s", f"DATABASE_URL={url_of(db)}",
                           "-s", "FIXTURES=replay"], cwd=ROOT, capture_output=True, text=True, timeout=300)
