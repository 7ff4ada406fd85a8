"""crawler report: a self-contained page whose charts a real browser draws.

Needs Debian's ``chromium`` package (headless); the screenshot stays in pytest's tmp dir.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from PIL import Image
from crawler.cli import main
from crawler.commands.report import PALETTE
from crawler.storage import Store
from tests.conftest import execute

# (site, publication day): a has three days (two articles on the 3rd), b has one.
DAYS = [("a", "2024-03-01"), ("a", "2024-03-03"), ("a", "2024-03-03"), ("a", "2024-03-10"),
        ("b", "2024-03-05")]


@pytest.fixture
def report(tmp_path, database_url):
    store = Store.migrated(database_url)
    store.upsert_articles([
        dict(site=site, url=f"https://{site}.example/{n}", title=f"报道{n}", body="正文",
             published_at=f"{day}T10:00:00+08:00", source="人民公安报" if site == "a" else None)
        for n, (site, day) in enumerate(DAYS)])
    execute(database_url, "UPDATE articles SET cluster_id = 1 WHERE url IN (?, ?)",
            "https://a.example/0", "https://b.example/4")
    run_id = store.start_run("a")
    store.finish_run(run_id, finish_reason="finished", pages_fetched=3)
    store.update_run(run_id, alarms=json.dumps(["正文覆盖率下降: body 40%"], ensure_ascii=False))
    store.close()
    out = tmp_path / "report.html"
    assert main(["report", "--db", database_url, "--out", str(out), "--days", "30"]) == 0
    return out


def chromium(*arguments: str, profile) -> str:
    browser = shutil.which("chromium")
    assert browser, "headless Chromium is needed: apt-get install -y chromium"
    result = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", *arguments],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_page_loads_nothing_from_elsewhere(report):
    page = report.read_text(encoding="utf-8")
    assert not re.search(r"<script|<link|<img|<iframe|@import|url\(", page)


def test_browser_draws_the_bars_and_shows_runs_and_clusters(report, tmp_path):
    dom = chromium("--dump-dom", report.as_uri(), profile=tmp_path / "profile-dom")
    bars = re.findall(r'<rect class="bar" data-site="(\w+)"[^>]*><title>\w+ ([\d-]+): (\d+)</title>', dom)
    assert sorted(bars) == [("a", "2024-03-01", "1"), ("a", "2024-03-03", "2"), ("a", "2024-03-10", "1"),
                            ("b", "2024-03-05", "1")]
    assert len(re.findall(r'<td class="coverage"', dom)) == 2 * 9  # two sites, nine fields
    assert '<tr class="alarm">' in dom and "正文覆盖率下降: body 40%" in dom
    assert re.search(r'<tr class="cluster"><td class="number">2</td><td>a, b</td>', dom)

    screenshot = tmp_path / "report.png"
    chromium(f"--screenshot={screenshot}", "--window-size=1200,1000", report.as_uri(),
             profile=tmp_path / "profile-shot")
    painted = {colour: n for n, colour in Image.open(screenshot).convert("RGB").getcolors(1 << 24)}
    a, b = (painted.get(tuple(int(hex_[i:i + 2], 16) for i in (1, 3, 5)), 0) for hex_ in PALETTE[:2])
    assert a > 3 * b > 0  # both sites' bars painted, a's (four articles) taller than b's (one)
