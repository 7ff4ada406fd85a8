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
        key = acquire(url)  # a second holder in the same process, like each spider's extension
        release(key)
        assert read_holder(lock_path(url))["pid"] == os.getpid()
        assert subprocess.run(probe, cwd=ROOT).returncode == EXIT_LOCKED
    assert subprocess.run(probe, cwd=ROOT).returncode == 0


def hold_lock(url: str, spider: str, tmp_path, name: str) -> subprocess.Popen:
    """Another process (with its own temp folder, as on another host) holding a crawl lock."""
    ready = tmp_path / f"{name}.ready"
    code = (f"import pathlib, time; from crawler.lock import acquire; acquire({url!r}, {spider!r}); "
            f"pathlib.Path({str(ready)!r}).touch(); time.sleep(600)")
    holder = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT,
                              env={**os.environ, "TMPDIR": str(tmp_path / name)})
    wait_for(lambda: ready.exists() or holder.poll() is not None)
    assert holder.poll() is None
    return holder


def test_postgresql_lock_is_per_spider_and_database_whatever_the_url_and_freed_when_its_holder_dies(
        postgres_url, tmp_path):
    (tmp_path / "elsewhere").mkdir()
    holder = hold_lock(postgres_url, "jszf", tmp_path, "elsewhere")
    try:
        respelled = postgres_url.replace("127.0.0.1", "localhost")
        refused = crawl(respelled, "jszf", check=False)
        assert refused.returncode == EXIT_LOCKED, refused.stderr[-2000:]
        assert f"another crawl (pid {holder.pid} on " in refused.stderr and "jszf is locked" in refused.stderr
        assert "Traceback" not in refused.stderr
        assert crawl(postgres_url, "wjyanghu", check=False).returncode == 0, "the lock is per spider"
    finally:
        holder.kill()
        holder.wait(timeout=30)
    assert crawl(postgres_url, "jszf").returncode == 0, "the server freed a killed holder's lock"


def test_postgresql_lock_is_reentrant_within_a_process(postgres_url):
    with database_lock(postgres_url, ["jszf"]):
        key = acquire(postgres_url, "jszf")
        release(key)
        probe = [sys.executable, "-c", "import sys; from crawler.lock import acquire, LockBusy\n"
                 f"try: acquire({postgres_url!r}, 'jszf')\nexcept LockBusy: sys.exit(75)"]
        assert subprocess.run(probe, cwd=ROOT).returncode == EXIT_LOCKED
    assert subprocess.run(probe, cwd=ROOT).returncode == 0
