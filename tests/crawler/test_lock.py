"""One crawl at a time per database: a second one is refused at once; a dead holder's lock is taken over."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from crawler.lock import EXIT_LOCKED, acquire, database_lock, lock_path, read_holder, release
from tests.conftest import ROOT, crawl, crawl_command
from tests.crawler.gated_site import GatedSite, wait_for


@pytest.fixture
def site(tmp_path):
    site = GatedSite(tmp_path / "site", held="index.shtml")
    yield site
    site.close()


def test_second_crawl_is_refused_and_a_killed_holders_lock_is_taken_over(tmp_path, site):
    db = tmp_path / "news.db"
    lock = lock_path(f"sqlite:///{db}", "jszf")
    assert lock == tmp_path / "news.db.jszf.lock"
    first = subprocess.Popen(crawl_command(db, "jszf", *site.crawl_args(), fixtures=""), cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: read_holder(lock).get("pid") == first.pid and site.requested)

        refused = crawl(db, "jszf", check=False)
        assert refused.returncode == EXIT_LOCKED
        assert f"another crawl (pid {first.pid}" in refused.stderr and str(lock) in refused.stderr
        assert "Traceback" not in refused.stderr

        command = subprocess.run([sys.executable, "-c", "from crawler.cli import main; raise SystemExit(main())",
                                  "crawl", "jszf", "-s", f"DATABASE_URL=sqlite:///{db}", "-s", "FIXTURES=replay"],
                                 cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert command.returncode == EXIT_LOCKED
        assert command.stderr.startswith(f"crawler crawl: another crawl (pid {first.pid}")

        other_db = crawl(tmp_path / "other.db", "jszf", check=False)
        assert other_db.returncode == 0, "the lock is per database"
        other_spider = crawl(db, "wjga", check=False)
        assert other_spider.returncode == 0, "the lock is per spider"
    finally:
        first.kill()
        first.wait(timeout=30)

    assert read_holder(lock)["pid"] == first.pid  # kill -9 leaves the file behind
    taken_over = crawl(db, "jszf")
    assert f"Taking over the stale lock {lock} left by pid {first.pid} (no longer running)" in taken_over.stderr
    assert read_holder(lock) == {}, "a crawl that ends releases the lock"


def test_lock_is_reentrant_within_a_process_and_exclusive_across_processes(tmp_path):
    url = f"sqlite:///{tmp_path / 'news.db'}"
    probe = [sys.executable, "-c",
             "import sys; from crawler.lock import acquire, LockBusy\n"
             f"try: acquire({url!r})\nexcept LockBusy: sys.exit(75)"]
    with database_lock(url):
        path = acquire(url)  # a second holder in the same process, like each spider's extension
        release(path)
        assert read_holder(path)["pid"] == os.getpid()
        assert subprocess.run(probe, cwd=ROOT).returncode == EXIT_LOCKED
    assert subprocess.run(probe, cwd=ROOT).returncode == 0
