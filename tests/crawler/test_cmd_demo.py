"""``crawler demo``: all five sites offline into one database, with a table per site."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT, rows

SITES = ["fzsdzk", "jazx", "jszf", "wjga", "wjyanghu"]


def test_demo_stores_every_site_and_prints_its_table(tmp_path):
    db = tmp_path / "demo.db"
    result = subprocess.run([sys.executable, "-m", "crawler.cli", "demo", "--db", str(db)], cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    table = result.stdout.splitlines()
    assert table[1].split()[:3] == ["site", "articles", "dated"]
    assert [line.split()[0] for line in table[3:]] == SITES
    counts = {row["site"]: row["n"] for row in rows(db, "SELECT site, count(*) AS n FROM articles GROUP BY site")}
    assert counts == {site: int(line.split()[1]) for site, line in zip(SITES, table[3:], strict=True)}
    assert all(count >= 3 for count in counts.values())
    finished = rows(db, "SELECT spider FROM crawl_runs WHERE finish_reason = 'finished'")
    assert {row["spider"] for row in finished} == set(SITES)


def test_a_given_database_is_updated_not_replaced(tmp_path):
    db = tmp_path / "mine.db"
    counts = []
    for _ in range(2):
        subprocess.run([sys.executable, "-m", "crawler.cli", "demo", "--db", str(db)], cwd=ROOT,
                       capture_output=True, text=True, timeout=600, check=True)
        counts.append((len(rows(db, "SELECT id FROM crawl_runs")), len(rows(db, "SELECT id FROM articles"))))
    assert counts[1][0] == 2 * counts[0][0]  # the runs of both demos are kept
    assert counts[1][1] == counts[0][1] == 16  # and the articles are the same rows


def test_demo_into_postgresql_prints_the_same_table(postgres_url, demo_db):
    result = subprocess.run([sys.executable, "-m", "crawler.cli", "demo", "--db", postgres_url], cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    on_postgres = result.stdout.splitlines()[1:]
    sqlite_counts = {row["site"]: row["n"]
                     for row in rows(demo_db, "SELECT site, count(*) AS n FROM articles GROUP BY site")}
    assert {line.split()[0]: int(line.split()[1]) for line in on_postgres[2:]} == sqlite_counts
    assert on_postgres[0].split()[:3] == ["site", "articles", "dated"]
