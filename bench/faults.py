"""The long forms of the fault suite (tests/faults): fuzzing, kill -9, and memory under a
gzip bomb.

    python bench/faults.py                    # 10,000 fuzzed pages, 20 kills, the bombs
    python bench/faults.py --pages 2000 --kills 5

Prints, for the fuzz run, pages and crashes; for the kills, each kill's moment (after the
run's first request) and the
articles stored so far, then rows lost (stored before a kill, missing after), duplicates
(URLs or pages stored twice), pages never stored after a last full run, and
``integrity_check``; for the bombs, the crawl's peak resident memory.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.faults.conftest import FAST  # noqa: E402
from tests.faults.fuzz import fuzz  # noqa: E402
from tests.faults.site import FaultSite, article_html, gzip_bomb  # noqa: E402


def crawl_command(db: Path, start: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "scrapy", "crawl", "faultsite", "-a", f"start_url={start}", *FAST,
            "-s", f"DATABASE_URL=sqlite:///{db}", *args]


def query(db: Path, sql: str) -> list[tuple]:
    connection = sqlite3.connect(db)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def run_fuzz(pages: int, seed: int, folder: Path) -> None:
    started = time.monotonic()
    result = fuzz(pages, seed, f"sqlite:///{folder / 'fuzz.db'}")
    print(f"fuzz: {result.pages} pages, {result.crashes} crashes, {time.monotonic() - started:.0f} s; "
          f"outcomes {dict(result.outcomes)}")
    for example in result.examples:
        print("  crash:", example)


def run_kills(kills: int, seed: int, folder: Path) -> None:
    rng = random.Random(seed)
    site = FaultSite()
    names = [f"k{i}.html" for i in range(1000)]
    start = site.column(names, per_page=20)
    db = folder / "kills.db"
    slow = ["-s", "CONCURRENT_REQUESTS=2", "-s", "DOWNLOAD_DELAY=0.02", "-s", "STORE_BATCH_SIZE=5"]
    seen: set[str] = set()
    lost = 0
    for number in range(1, kills + 1):
        process = subprocess.Popen(crawl_command(db, start, *slow), cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        hits = sum(site.hits.values())
        while sum(site.hits.values()) == hits and process.poll() is None:
            time.sleep(0.05)  # start-up takes seconds: kill while pages are being fetched
        moment = rng.uniform(0.0, 6.0)
        time.sleep(moment)
        finished = process.poll() is not None
        if not finished:
            os.kill(process.pid, signal.SIGKILL)
        process.wait()
        stored = {url for (url,) in query(db, "SELECT url FROM articles")} if db.exists() else set()
        lost += len(seen - stored)
        seen |= stored
        print(f"kill {number:2d} {moment:4.1f} s after the first request{' (had finished)' if finished else ''}: "
              f"{len(stored)} articles stored")
    final = subprocess.run(crawl_command(db, start, "-s", "INCREMENTAL_STOP_PAGING=False"), cwd=ROOT,
                           capture_output=True, text=True)
    stored = {url for (url,) in query(db, "SELECT url FROM articles")}
    lost += len(seen - stored)
    duplicates = (query(db, "SELECT COUNT(*) - COUNT(DISTINCT url) FROM articles")[0][0]
                  + query(db, "SELECT COUNT(*) - COUNT(DISTINCT content_hash) FROM articles")[0][0])
    missing = len(names) - len(stored)
    print(f"kills: {kills}, rows lost {lost}, duplicates {duplicates}, pages never stored after a last "
          f"run (exit {final.returncode}) {missing}, page_failures left "
          f"{query(db, 'SELECT COUNT(*) FROM page_failures')[0][0]}, "
          f"integrity_check {query(db, 'PRAGMA integrity_check')[0][0]}")
    site.close()


def peak_memory(db: Path, start: str, *args: str) -> tuple[float, int]:
    """Peak resident memory (MB) of one crawl, and its exit status."""
    process = subprocess.Popen(crawl_command(db, start, *args), cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(process.pid, 0)
    return usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def run_bombs(folder: Path) -> None:
    site = FaultSite()
    cases = {
        "plain page": ["plain.html"],
        "gzip bomb 10 MB (inflates to ~10 GB)": ["bomb10.html"],
        "two gzip bombs of 10 MB at once": ["bomb10.html", "bomb10b.html"],
        "gzip bomb 1 MB (inflates to ~1 GB, under DOWNLOAD_MAXSIZE compressed)": ["bomb1.html"],
    }
    bodies = {"plain.html": article_html("plain"), "bomb1.html": gzip_bomb(1 << 20),
              "bomb10.html": gzip_bomb(10 << 20)}
    bodies["bomb10b.html"] = bodies["bomb10.html"]
    for number, (label, names) in enumerate(cases.items()):
        prefix = f"/c{number}"
        for name in names:
            headers = {"Content-Type": "text/html"} if name == "plain.html" else \
                {"Content-Type": "text/html", "Content-Encoding": "gzip"}
            site.pages[f"{prefix}/a/{name}"] = (200, headers, bodies[name])
        site.page(f"{prefix}/list/1.html", b"<html><body><ul class='list'>" + b"".join(
            f"<li><a href='{prefix}/a/{name}'>x</a></li>".encode() for name in names) + b"</ul></body></html>")
        start = f"{site.base}{prefix}/list/1.html"
        megabytes, status = peak_memory(folder / f"bomb{number}.db", start)
        reasons = query(folder / f"bomb{number}.db", "SELECT reason FROM rejects")
        print(f"{label}: peak RSS {megabytes:.0f} MB, exit {status}, rejects "
              f"{[reason[:60] for (reason,) in reasons]}")
    site.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run_bombs(Path(folder))
        run_kills(args.kills, args.seed, Path(folder))
        run_fuzz(args.pages, args.seed, Path(folder))


if __name__ == "__main__":
    main()
