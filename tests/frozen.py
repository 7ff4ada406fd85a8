"""Crawls at a fixed moment: ``scrapy crawl`` in a subprocess whose clock time-machine has
moved, so that relative dates, the refresh window and the frontier are those of that day."""

from __future__ import annotations

import subprocess

from tests.conftest import ROOT, crawl_command

# Runs ``scrapy`` with the clock at argv[1]; time goes on from there (tick), so the
# reactor's timers still fire.
_SCRAPY_AT = """\
import sys
import time_machine
from scrapy.cmdline import execute
with time_machine.travel(sys.argv.pop(1), tick=True):
    sys.argv[0] = "scrapy"
    execute()
"""


def crawl_at(moment: str, db, spider: str, *args: str, fixtures: str = "replay", check: bool = True):
    """``tests.conftest.crawl`` at ``moment`` (ISO 8601 with an offset)."""
    python, _m, _scrapy, *rest = crawl_command(db, spider, *args, fixtures=fixtures)
    result = subprocess.run([python, "-c", _SCRAPY_AT, moment, *rest], cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    if check and result.returncode != 0:
        raise AssertionError(f"crawl failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return result
