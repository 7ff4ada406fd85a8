"""One crawl of a spider at a time per database: a lock file beside the SQLite file.

Cron may start tonight's crawl while last night's is still running; two writers on
one database would race.  The lock is an ``flock`` on ``<database>.lock``, so the
kernel releases it when its holder dies, even by ``kill -9``.  The file also names
the holder (pid, start time, command line) for the message a refused crawl prints;
a file that names a process but is not locked is a stale lock, taken over with a
warning.  Within one process the lock is re-entrant, so ``crawler crawl`` can hold
it for all its spiders while each spider's :class:`CrawlLock` extension holds it too.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from scrapy import signals

from crawler.storage import sqlite_path, utc_now

logger = logging.getLogger(__name__)

# The exit status of a crawl refused because another one holds the lock (EX_TEMPFAIL).
EXIT_LOCKED = 75


class LockBusy(Exception):
    """Another live process holds the lock of this database."""

    def __init__(self, path: Path, holder: dict):
        self.path = path
        self.holder = holder
        who = f"pid {holder['pid']}" if holder.get("pid") else "another process"
        since = f" since {holder['started_at']}" if holder.get("started_at") else ""
        super().__init__(f"another crawl ({who}{since}) is using this database; "
                         f"lock file {path}")


def lock_path(database_url: str, spider: str | None = None) -> Path:
    """``<file>.lock`` beside a SQLite file (``<file>.<spider>.lock`` for one spider's lock);
    other databases get one in the temp folder."""
    suffix = f".{spider}.lock" if spider else ".lock"
    path = sqlite_path(database_url)
    if path is not None:
        return path.with_name(path.name + suffix)
    digest = hashlib.sha1(database_url.encode("utf-8")).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"zhengfa-crawler-{digest}{suffix}"


def read_holder(path: Path) -> dict:
    """What the lock file says of its holder: pid, started_at, command (empty if free)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return {}
    holder = dict(line.split("=", 1) for line in lines if "=" in line)
    if holder.get("pid", "").isdigit():
        holder["pid"] = int(holder["pid"])
    else:
        holder.pop("pid", None)
    return holder


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# path -> (open file descriptor, how many holders in this process)
_held: dict[Path, tuple[int, int]] = {}


def acquire(database_url: str, spider: str | None = None) -> Path:
    """Take the lock of ``database_url`` (of one spider on it, if given) or raise
    :class:`LockBusy` at once (never waits)."""
    path = lock_path(database_url, spider).resolve()
    if path in _held:
        fd, count = _held[path]
        _held[path] = (fd, count + 1)
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise LockBusy(path, read_holder(path)) from None
    previous = read_holder(path)
    if previous.get("pid"):
        state = "no longer running" if not pid_alive(previous["pid"]) else "did not release it"
        logger.warning("Taking over the stale lock %s left by pid %s (%s)", path,
                       previous["pid"], state)
    record = f"pid={os.getpid()}\nstarted_at={utc_now()}\ncommand={' '.join(sys.argv)}\n"
    os.ftruncate(fd, 0)
    os.pwrite(fd, record.encode("utf-8"), 0)
    _held[path] = (fd, 1)
    return path


def release(path: Path) -> None:
    fd, count = _held[path]
    if count > 1:
        _held[path] = (fd, count - 1)
        return
    del _held[path]
    os.ftruncate(fd, 0)
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)


@contextmanager
def database_lock(database_url: str, spider: str | None = None):
    path = acquire(database_url, spider)
    try:
        yield path
    finally:
        release(path)


@contextmanager
def spider_lock(settings, spider: str):
    """The lock of one spider's crawl on ``DATABASE_URL``; none in a shared crawl
    (``DISTRIBUTED``), whose workers all crawl that spider and meet in Redis instead."""
    if settings.get("DISTRIBUTED"):
        yield None
        return
    with database_lock(settings.get("DATABASE_URL"), spider) as path:
        yield path


class CrawlLock:
    """Extension: a spider runs only while it holds its lock on the database, whatever started it."""

    def __init__(self, crawler):
        shared = crawler.settings.get("DISTRIBUTED")
        self.path = None if shared else acquire(crawler.settings.get("DATABASE_URL"), crawler.spidercls.name)

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider) -> None:
        if self.path is not None:
            release(self.path)
