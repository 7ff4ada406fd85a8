"""crawler report: a self-contained page whose charts a real browser draws.

Needs Debian's ``chromium`` and a CJK font (``fonts-noto-cjk``), as the README's test command
installs; screenshots stay in pytest's tmp dir.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date

import pytest
from PIL import Image, ImageChops

from crawler.cli import main
from crawler.report import MAX_BINS, PALETTE, PLOT_WIDTH, Window, alarm_sentence
from crawler.storage import Store
from crawler.storage.failures import RetryPolicy
from tests.conftest import execute

# (site, publication day): a has three days (two articles on the 3rd), b has one; c published
# only before the 30 days charted, so its row is empty.
DAYS = [("a", "2024-03-01"), ("a", "2024-03-03"), ("a", "2024-03-03"), ("a", "2024-03-10"),
        ("b", "2024-03-05"), ("c", "2023-06-01")]
CLUSTER_TITLE = "警方破获电信诈骗案"
ALARM = {"kind": "coverage", "field": "body", "message": "body in 40% of 10 articles (threshold 50%)"}


def make_corpus(database_url) -> None:
    store = Store.migrated(database_url)
    store.upsert_articles([
        dict(site=site, url=f"https://{site}.example/{n}", title=CLUSTER_TITLE if n == 0 else f"报道{n}",
             body="正文", published_at=f"{day}T10:00:00+08:00", source="人民公安报" if site == "a" else None)
        for n, (site, day) in enumerate(DAYS)])
    execute(database_url, "UPDATE articles SET cluster_id = 1 WHERE url IN (?, ?)",
            "https://a.example/0", "https://b.example/4")
    run_id = store.start_run("a")
    store.finish_run(run_id, finish_reason="finished", pages_fetched=3)
    store.update_run(run_id, alarms=json.dumps([ALARM, "正文覆盖率下降"], ensure_ascii=False))
    policy = RetryPolicy(max_attempts=2, delay=60)
    store.record_failure("a", "https://a.example/timeout", "TimeoutError", passing=True, policy=policy,
                         run_id=run_id)
    for _ in range(2):
        store.record_failure("b", "https://b.example/503", "HTTP 503", passing=True, policy=policy)
    store.record_failure("b", "https://b.example/404", "HTTP 404", passing=False, policy=policy)
    store.close()


@pytest.fixture
def report(tmp_path, database_url):
    make_corpus(database_url)
    out = tmp_path / "report.html"
    assert main(["report", "--db", database_url, "--out", str(out), "--days", "30"]) == 0
    return out


@pytest.fixture
def sqlite_report(tmp_path):
    """The same report from SQLite only, for the screenshots."""
    url = f"sqlite:///{tmp_path / 'news.db'}"
    make_corpus(url)
    out = tmp_path / "report.html"
    assert main(["report", "--db", url, "--out", str(out), "--days", "30"]) == 0
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


def screenshot(page, tmp_path, name: str) -> Image.Image:
    shot = tmp_path / f"{name}.png"
    chromium(f"--screenshot={shot}", "--window-size=1200,1400", page.as_uri(), profile=tmp_path / f"profile-{name}")
    return Image.open(shot).convert("RGB")


@pytest.mark.parametrize("days, unit", [(1, "day"), (90, "day"), (120, "day"), (121, "week"),
                                        (400, "week"), (840, "month"), (3000, "month"),
                                        (3650, "month"), (3700, "year"), (20000, "year")])
def test_bars_are_the_finest_unit_that_fits(days, unit):
    last = date(2024, 12, 31)
    window = Window(date.fromordinal(last.toordinal() - days + 1), last)
    assert window.unit == unit
    assert len(window.bins()) <= MAX_BINS or unit == "year"
    assert window.bins()[0] <= window.first < [*window.bins(), date.max][1]


def test_alarms_read_as_sentences():
    assert alarm_sentence(ALARM) == "Body in 40% of 10 articles (threshold 50%)."
    assert alarm_sentence("正文覆盖率下降") == "正文覆盖率下降."
    assert alarm_sentence({"kind": "odd"}) == 'Unreadable alarm {"kind": "odd"}.'


def test_page_loads_nothing_from_elsewhere(report):
    page = report.read_text(encoding="utf-8")
    assert not re.search(r"<script|<link|<img|<iframe|@import|url\(", page)


def test_browser_shows_every_site_axes_alarms_and_failures(report, tmp_path):
    dom = chromium("--dump-dom", report.as_uri(), profile=tmp_path / "profile-dom")
    bars = re.findall(r'<rect class="bar" data-site="(\w+)" data-bin="([\d-]+)" data-count="(\d+)"', dom)
    assert sorted(bars) == [("a", "2024-03-01", "1"), ("a", "2024-03-03", "2"), ("a", "2024-03-10", "1"),
                            ("b", "2024-03-05", "1")]
    assert re.findall(r'<text class="site"[^>]*>(\w+)</text>', dom) == ["a", "b", "c"]
    assert dom.count("no article published in this period") == 1  # c's row is there, empty
    assert "articles per day (each row from 0 to 2" in dom
    assert "publication date, one bar per day, 2024-02-10 to 2024-03-10" in dom
    assert len(re.findall(r'<text class="tick"', dom)) >= 4
    assert len(re.findall(r'<td class="coverage"', dom)) == 3 * 9  # three sites, nine fields

    assert '<tr class="alarm">' in dom
    assert "<li>Body in 40% of 10 articles (threshold 50%).</li>" in dom and "<li>正文覆盖率下降.</li>" in dom
    assert '"kind"' not in dom and "{" not in re.sub(r"<style>.*?</style>", "", dom, flags=re.S)

    summary = re.findall(r'<tr class="failures"><td>(\w+)</td>' + 3 * r'<td class="number">(\d+)</td>', dom)
    assert summary == [("a", "1", "0", "0"), ("b", "0", "1", "1")]  # waiting, given up, rejected
    failures = re.findall(r'<tr class="failure (\w+)">.*?<td class="number">(\d+)</td><td>([^<]+)</td>', dom)
    assert sorted(failures) == [("gave_up", "2", "HTTP 503"), ("rejected", "1", "HTTP 404"),
                                ("retry", "1", "TimeoutError")]
    assert re.search(r'<tr class="cluster"><td class="number">2</td><td>a, b</td>', dom)


def test_any_window_keeps_bars_wide(tmp_path, database_url):
    make_corpus(database_url)
    everything, long = tmp_path / "all.html", tmp_path / "long.html"
    assert main(["report", "--db", database_url, "--out", str(everything), "--days", "all"]) == 0
    assert main(["report", "--db", database_url, "--out", str(long), "--days", "1000",
                 "--until", "2024-03-31"]) == 0
    assert "one bar per week, 2023-06-01 to 2024-03-10" in everything.read_text("utf-8")
    dom = chromium("--dump-dom", long.as_uri(), profile=tmp_path / "profile-long")
    assert "one bar per month, 2021-07-06 to 2024-03-31" in dom
    bars = re.findall(r'<rect class="bar" data-site="(\w)" data-bin="([\d-]+)" data-count="(\d)"[^>]*'
                      r'width="([\d.]+)"', dom)
    assert [bar[:3] for bar in bars] == [("a", "2024-03", "4"), ("b", "2024-03", "1"), ("c", "2023-06", "1")]
    # 33 months from July 2021 to March 2024 share the plot, a pixel between bars
    assert [float(bar[3]) for bar in bars] == 3 * [pytest.approx(PLOT_WIDTH / 33 - 1, abs=0.05)]


def test_screenshot_paints_each_site_in_its_colour(sqlite_report, tmp_path):
    painted = {colour: n for n, colour in screenshot(sqlite_report, tmp_path, "report").getcolors(1 << 24)}
    a, b = (painted.get(tuple(int(hex_[i:i + 2], 16) for i in (1, 3, 5)), 0) for hex_ in PALETTE[:2])
    assert a > 3 * b > 0  # both sites' bars painted, a's (four articles) taller than b's (one)


def test_chinese_renders_as_glyphs_not_boxes(sqlite_report, tmp_path):
    """Two pages that differ only in a Chinese headline paint differently: a missing font
    would draw the same empty box for every character."""
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
    assert fonts.strip(), "a CJK font is needed: apt-get install -y fonts-noto-cjk"
    other = tmp_path / "other.html"
    other.write_text(sqlite_report.read_text("utf-8").replace(CLUSTER_TITLE, "法院审理走私贩毒案"), "utf-8")
    first, second = screenshot(sqlite_report, tmp_path, "first"), screenshot(other, tmp_path, "second")
    changed = ImageChops.difference(first, second).getbbox()
    assert changed is not None
    left, top, right, bottom = changed
    assert bottom - top < 40 and right - left > 9 * 10  # one line of nine wide glyphs changed
