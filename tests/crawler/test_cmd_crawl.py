"""``crawler crawl``: runs spiders in one process, records and summarises each run, and tells
cron through its exit status whether anything needs a look."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT, crawl, decoded, rows, url_of

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
    _, run_id, status, pages, new, *_rest, alarms = summary_row(result.stdout, "jszf")
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


def test_all_leaves_out_a_placeholder_host_unless_replaying(tmp_path):
    """``archive`` serves pages from an empty database: never the network, and not ``replay``."""
    db = tmp_path / "news.db"
    command = [sys.executable, "-m", "crawler.cli", "crawl", "--all", "-s", f"DATABASE_URL={url_of(db)}",
               "-s", "FIXTURES=archive", "-s", "DOWNLOAD_DELAY=0"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 3, result.stderr[-2000:]  # nothing archived: dead_start alarms
    assert "SKIPPED jazx: its host is a placeholder" in result.stdout
    spiders = {row["spider"] for row in rows(db, "SELECT spider FROM crawl_runs")}
    assert "jazx" not in spiders and "jszf" in spiders
    replayed = crawler_crawl(tmp_path / "replayed.db", "--all")
    assert "SKIPPED" not in replayed.stdout and summary_row(replayed.stdout, "jazx")[2] == "finished"
    help_text = subprocess.run([sys.executable, "-m", "crawler.cli", "crawl", "--help"], cwd=ROOT,
                               capture_output=True, text=True).stdout
    assert "placeholder" in help_text


def test_quiet_prints_the_summary_only_when_something_is_wrong(tmp_path):
    log = tmp_path / "not-yet" / "logs" / "crawl.log"
    healthy = crawler_crawl(tmp_path / "news.db", "jszf", "--quiet", "--log-file", str(log))
    assert healthy.returncode == 0 and healthy.stdout == "" and healthy.stderr == ""
    assert "Summary (exit status 0):" in log.read_text(encoding="utf-8")
    failing = crawler_crawl(tmp_path / "other.db", "jszf", "--quiet", "-s", "CLOSESPIDER_ITEMCOUNT=1")
    assert failing.returncode == 1 and "FAILED jszf: closespider_itemcount" in failing.stdout


def test_an_empty_feed_of_a_repeat_crawl_says_why(tmp_path):
    db = tmp_path / "news.db"
    first = crawl(db, "jszf", "-O", str(tmp_path / "first.jsonl"))
    assert "The feed export holds no item" not in first.stderr
    repeat = crawl(db, "jszf", "-O", str(tmp_path / "repeat.jsonl"))
    assert (tmp_path / "repeat.jsonl").read_text() == ""
    assert ("The feed export holds no item: the crawl is incremental, and of the articles listed "
            "2 already stored.") in repeat.stderr
    assert "`crawler export FILE --site jszf`" in repeat.stderr


def test_since_says_how_many_list_entries_it_skipped(tmp_path):
    result = crawl(tmp_path / "news.db", "jszf", "-a", "since=2023-01-19")
    assert "1 of 2 entries listed before since=2023-01-19 skipped" in result.stderr
    assert "'since/skipped': 1" in result.stderr


def test_a_crawl_ends_with_its_feed_log_and_database_complete(tmp_path):
    """The crawl's process ends without freeing its objects: what it wrote to buffered
    streams and the database must all be there, and the database closed."""
    db = tmp_path / "news.db"
    result = crawl(db, "jszf", "-O", "-:jsonl")
    assert not (tmp_path / "news.db-wal").exists()  # the store's connections were closed
    fed = [json.loads(line) for line in result.stdout.splitlines()]
    stored = rows(db, "SELECT url FROM articles")
    assert len(fed) == len(stored) > 0
    assert {item["url"] for item in fed} == {row["url"] for row in stored}
    assert result.stderr.rstrip().endswith("Spider closed (finished)")
