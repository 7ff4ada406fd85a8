"""Several processes on one database at once, on SQLite and PostgreSQL: no batch lost,
no URL stored twice, a fresh database migrated once."""

from __future__ import annotations

import json
import subprocess
import sys
import time

from crawler.storage.revisions import head_revision
from tests.conftest import ROOT, rows

WRITER = """
import json, sys, time
from crawler.storage import Store
url, start, first, batches = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
store = Store.migrated(url)
while time.time() < start:
    time.sleep(0.005)
outcomes = []
for batch in range(batches):
    numbers = range(first + batch * 10, first + batch * 10 + 20)  # each batch overlaps the next
    outcomes += store.upsert_articles([
        {"site": "s", "url": f"https://example.gov.cn/{n}.html", "title": f"第{n}篇", "body": f"正文{n}，詐騙"}
        for n in numbers])  # Traditional: on PostgreSQL every article has a search_texts row
print(json.dumps(outcomes))
"""


def run_at_once(code: str, argument_lists: list[list[str]]) -> list[subprocess.CompletedProcess]:
    start = time.time() + 3  # after both interpreters have started
    processes = [subprocess.Popen([sys.executable, "-c", code, *arguments[:1], str(start), *arguments[1:]],
                                  cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for arguments in argument_lists]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        results.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return results


def test_two_writers_of_overlapping_urls_lose_no_batch_and_duplicate_nothing(database_url):
    results = run_at_once(WRITER, [[database_url, "0", "30"], [database_url, "5", "30"]])
    for result in results:
        assert result.returncode == 0, result.stderr[-3000:]
    outcomes = [json.loads(result.stdout) for result in results]
    assert [len(o) for o in outcomes] == [600, 600]
    stored = rows(database_url, "SELECT url, title FROM articles")
    expected = {f"https://example.gov.cn/{n}.html" for n in range(0, 5 + 29 * 10 + 20)}
    assert len(stored) == len({row["url"] for row in stored}) == len(expected)
    assert {row["url"] for row in stored} == expected
    assert sum(o.count("new") for o in outcomes) == len(expected), "each URL is new exactly once"
    store_search = rows(database_url, "SELECT count(*) AS n FROM "
                        + ("search_texts" if database_url.startswith("postgresql") else "articles_fts"))
    assert store_search == [{"n": len(expected)}], "every article indexed once"


OPENER = """
import sys, time
from crawler.storage import Store
url, start = sys.argv[1], float(sys.argv[2])
while time.time() < start:
    time.sleep(0.001)
store = Store.migrated(url)
print(store.upsert_articles([{"site": "s", "url": "https://example.gov.cn/1.html", "title": "标题"}])[0])
"""


def test_two_processes_opening_a_fresh_database_migrate_it_once_and_both_run(database_url):
    results = run_at_once(OPENER, [[database_url], [database_url]])
    for result in results:
        assert result.returncode == 0, result.stderr[-3000:]
    assert sorted(result.stdout.strip() for result in results) == ["new", "unchanged"]
    assert rows(database_url, "SELECT version_num FROM alembic_version") == [{"version_num": head_revision()}]
    assert len(rows(database_url, "SELECT id FROM articles")) == 1
