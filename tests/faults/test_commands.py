"""Commands that run spiders for the user (``crawler reparse``, ``crawler demo``) never print
success over a store that failed during the run: one line naming the file, exit 1."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT, crawl, rows

# Runs a ``crawler`` command whose spiders get the store-breaking test extension.
BROKEN_STORE_COMMAND = """
import sys
from crawler import cli, runner
plain = runner.project_settings
def broken(**overrides):
    return plain(**overrides, EXTENSIONS={extensions}, STORE_FAULT="readonly", STORE_BATCH_SIZE=1)
for module in ("crawler.commands.reparse", "crawler.commands.demo"):
    __import__(module)
    sys.modules[module].project_settings = broken
sys.exit(cli.main(sys.argv[1:]))
"""


def run_with_broken_store(*args: str) -> subprocess.CompletedProcess:
    extensions = json.dumps({"tests.faults.store_faults.StoreFault": 200})
    script = BROKEN_STORE_COMMAND.format(extensions=extensions)
    return subprocess.run([sys.executable, "-c", script, *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def test_reparse_over_a_store_that_fails_exits_1_with_one_line(tmp_path):
    db = tmp_path / "news.db"
    crawl(db, "jszf")
    before = rows(db, "SELECT url, body FROM articles ORDER BY url")
    result = run_with_broken_store("reparse", "jszf", "--db", str(db))
    assert result.returncode == 1, result.stdout + result.stderr[-2000:]
    message = [line for line in result.stderr.splitlines() if line.startswith("crawler reparse:")]
    assert message and str(db) in message[0], result.stderr[-2000:]
    assert rows(db, "SELECT url, body FROM articles ORDER BY url") == before


def test_demo_over_a_store_that_fails_exits_1_without_its_table(tmp_path):
    db = tmp_path / "demo.db"
    result = run_with_broken_store("demo", "--db", str(db))
    assert result.returncode == 1, result.stdout + result.stderr[-2000:]
    assert "Offline demo:" not in result.stdout
    assert any(line.startswith("crawler demo:") and str(db) in line for line in result.stderr.splitlines())
