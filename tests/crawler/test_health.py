"""Health alarms: the rules on run figures, and a template change caught on a real run."""

from __future__ import annotations

import json
import subprocess
import sys

from crawler.health import FIELDS, HealthRules, RunFacts, alarms_for
from tests.conftest import ROOT, crawl, last_run

RULES = HealthRules()
BROKEN = ["-s", f"FIXTURES_DIR={ROOT / 'fixtures/scenarios/broken'},{ROOT / 'fixtures'}"]


def facts(new=3, items=4, coverage=1.0, generic=0, requests=10, http_errors=0, **shares) -> RunFacts:
    present = {name: round(items * shares.get(name, coverage)) for name in FIELDS}
    return RunFacts(new, items, present, generic, requests, http_errors)


def kinds(alarms: list[dict]) -> list[tuple]:
    return [(alarm["kind"], alarm.get("field")) for alarm in alarms]


def test_a_healthy_run_raises_nothing():
    assert alarms_for(facts(), [facts()] * 5, RULES) == []


def test_zero_new_only_where_the_history_usually_has_new_articles():
    quiet = facts(new=0, items=0)
    assert kinds(alarms_for(quiet, [facts(new=2)] * 3, RULES)) == [("zero_new", None)]
    assert alarms_for(quiet, [facts(new=2)] * 2, RULES) == [], "too little history"
    assert alarms_for(quiet, [facts(new=2), facts(new=0), facts(new=0)], RULES) == [], "a quiet site"


def test_coverage_below_threshold_and_dropped_from_previous_runs():
    assert kinds(alarms_for(facts(items=10, body=0.0), [], RULES)) == [("coverage", "body")]
    # source at 40% passes its 20% threshold, but the previous runs had it on every article.
    assert kinds(alarms_for(facts(items=10, source=0.4), [facts(items=10)] * 3, RULES)) == [
        ("coverage_drop", "source")]
    assert alarms_for(facts(items=10, source=0.4), [facts(items=10, source=0.5)] * 3, RULES) == []
    assert alarms_for(facts(items=2, body=0.0), [], RULES) == [], "too few articles to judge"


def test_generic_share_and_http_error_rate():
    assert kinds(alarms_for(facts(items=10, generic=6), [], RULES)) == [("generic", None)]
    assert alarms_for(facts(items=10, generic=5), [], RULES) == []
    assert kinds(alarms_for(facts(requests=20, http_errors=5), [], RULES)) == [("http_errors", None)]
    assert alarms_for(facts(requests=4, http_errors=4), [], RULES) == [], "too few requests to judge"


def test_run_facts_leave_robots_txt_out_of_the_error_rate():
    stats = {"downloader/response_count": 12, "downloader/response_status_count/200": 9,
             "downloader/response_status_count/404": 2, "downloader/response_status_count/503": 1,
             "robotstxt/response_count": 1, "robotstxt/response_status_count/404": 1,
             "downloader/exception_count": 1, "health/items": 4, "health/has/body": 3}
    run = RunFacts.from_stats(stats)
    assert (run.requests, run.http_errors) == (12, 3)
    assert run.coverage("body") == 0.75 and run.coverage("title") == 0


def test_a_broken_body_selector_is_reported_by_the_run(tmp_path):
    db = tmp_path / "news.db"
    crawl(db, "jszf")
    assert last_run(db, "jszf")["alarms"] == "[]"
    result = crawl(db, "jszf", *BROKEN)
    run = last_run(db, "jszf")
    assert run["stats"]["incremental/new"] == 3
    alarms = json.loads(run["alarms"])
    # Without a body the items are rejected (body coverage alarm); the generic extractor may
    # read them instead (generic share alarm).  Either way the change is reported.
    assert {(alarm["kind"], alarm.get("field")) for alarm in alarms} & {("coverage", "body"), ("generic", None)}
    assert "Health alarm" in result.stderr

    health = subprocess.run([sys.executable, "-c", "from crawler.cli import main; raise SystemExit(main())",
                             "health", "--db", str(db), "--runs", "5"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert health.returncode == 3
    lines = health.stdout.splitlines()
    assert "jszf: last 2 runs, newest first" in lines
    assert f"  run {run['id']}: {alarms[0]['message']}" in lines
    table = [line.split() for line in lines if line.split()[:1] in (["1"], ["2"])]
    assert [row[0] for row in table] == ["2", "1"] and table[0][-1] == str(len(alarms))


def test_health_on_a_missing_database_or_with_no_runs_is_a_one_line_usage_error(tmp_path, capsys):
    from crawler.cli import main

    assert main(["health", "--db", str(tmp_path / "none.db")]) == 2
    assert "no database at" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists(), "reading health creates no database"
    assert main(["health", "--db", str(tmp_path / "none.db"), "--runs", "0"]) == 2
