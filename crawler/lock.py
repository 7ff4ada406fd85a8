"""One crawl at a time per spider and database.

Cron may start tonight's crawl while last night's is still running; two writers on
one database would race.  On SQLite the lock is an ``flock`` on ``<database>.<spider>.lock``
(one crawl of a spider at a time per file), so the kernel releases it when its holder dies, even
by ``kill -9``.  The file also names the holder (pid, start time, command line) for
the message a refused crawl prints; a file that names a process but is not locked is
a stale lock, taken over with a warning.  On PostgreSQL the lock is a session advisory
lock per spider, taken in the database itself: it excludes crawls on other machines,
does not depend on how the URL is spelled, and the server frees it when its holder's
connection dies.  Within one process the lock is re-entrant, so ``crawler crawl`` can
hold it for all its spiders while each spider's :class:`CrawlLock` extension holds it too.
"""

from __future__ import annotations

import fcntl
import logging
import os
import socket
import sys
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

from crawler.storage import database_name, make_engine, sqlite_path, utc_now
from crawler.storage.database import advisory_holder, advisory_unlock, try_advisory_lock

logger = logging.getLogger(__name__)

# The exit status of a crawl refused because another one holds the lock (EX_TEMPFAIL).
EXIT_LOCKED = 75


class LockBusy(Exception):
    """Another live process holds the lock of this database."""

    def __init__(self, lock: str, holder: dict):
        self.lock = lock
        self.holder = holder
        who = f"pid {holder['pid']}" if holder.get("pid") else "another process"
        where = f" on {holder['host']}" if holder.get("host") else ""
        since = f" since {holder['started_at']}" if holder.get("started_at") else ""
        super().__init__(f"another crawl ({who}{where}{since}) is using this database; {lock}")


def lock_path(database_url: str, spider: str | None = None) -> Path:
    """``<file>.lock`` beside a SQLite file, ``<file>.<spider>.lock`` for one spider's lock."""
    path = sqlite_path(database_url)
    if path is None:
        raise ValueError(f"a lock file belongs beside a SQLite file, not to {database_url}")
    return path.with_name(path.name + (f".{spider}.lock" if spider else ".lock"))


def read_holder(path: Path) -> dict:
    """What the lock file says of its holder: pid, started_at, command (empty if free)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return {}
    holder: dict[str, str | int] = {}
    for name, value in (line.split("=", 1) for line in lines if "=" in line):
        if name != "pid":
            holder[name] = value
        elif value.isdigit():  # a pid that is no number is dropped
            holder[name] = int(value)
    return holder


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# lock key -> [what holds it (file descriptor or connection), how many holders in this process]
_held: dict[tuple, list] = {}


def _lock_key(database_url: str, spider: str | None) -> tuple:
    if sqlite_path(database_url) is not None:
        return ("file", lock_path(database_url, spider).resolve())
    return ("advisory", database_url, spider)


def acquire(database_url: str, spider: str | None = None) -> tuple:
    """Take the crawl lock of ``spider`` on ``database_url`` or raise :class:`LockBusy` at
    once (never waits); returns the key to :func:`release` it with."""
    key = _lock_key(database_url, spider)
    if key in _held:
        _held[key][1] += 1
        return key
    holder = _lock_file(key[1]) if key[0] == "file" else _lock_advisory(database_url, spider)
    _held[key] = [holder, 1]
    return key


def release(key: tuple) -> None:
    holder, count = _held[key]
    if count > 1:
        _held[key][1] = count - 1
        return
    del _held[key]
    if key[0] == "file":
        os.ftruncate(holder, 0)
        fcntl.flock(holder, fcntl.LOCK_UN)
        os.close(holder)
    else:
        connection, engine = holder
        try:
            advisory_unlock(connection, f"crawl:{key[2]}")
            connection.close()
        finally:
            engine.dispose()


def _lock_file(path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise LockBusy(f"lock file {path}", read_holder(path)) from None
    previous = read_holder(path)
    if previous.get("pid"):
        state = "no longer running" if not pid_alive(previous["pid"]) else "did not release it"
        logger.warning("Taking over the stale lock %s left by pid %s (%s)", path,
                       previous["pid"], state)
    record = f"pid={os.getpid()}\nstarted_at={utc_now()}\ncommand={' '.join(sys.argv)}\n"
    os.ftruncate(fd, 0)
    os.pwrite(fd, record.encode("utf-8"), 0)
    return fd


def _lock_advisory(database_url: str, spider: str | None):
    """A session advisory lock on a connection of its own, held until released or dead."""
    name = f"crawler pid={os.getpid()} host={socket.gethostname()}"[:63]
    engine = make_engine(database_url, application_name=name)
    try:
        connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        if try_advisory_lock(connection, f"crawl:{spider}"):
            return connection, engine
        row = advisory_holder(connection, f"crawl:{spider}")
        connection.close()
    except BaseException:
        engine.dispose()
        raise
    engine.dispose()
    holder = {}
    if row is not None:
        fields = dict(part.split("=", 1) for part in row.application_name.split()[1:] if "=" in part)
        holder = {"pid": fields.get("pid"), "host": fields.get("host"),
                  "started_at": row.backend_start.replace(microsecond=0).isoformat()}
    raise LockBusy(f"{spider} is locked in {database_name(database_url)}", holder)


@contextmanager
def database_lock(database_url: str, spiders: Iterable[str] = ()) -> Iterator[None]:
    """Hold the crawl lock of each of ``spiders`` (the database's one lock if none is named)."""
    with ExitStack() as stack:
        names: list[str | None] = [*spiders] or [None]
        for spider in names:
            key = acquire(database_url, spider)
            stack.callback(release, key)
        yield


@contextmanager
def spider_lock(settings: BaseSettings, spider: str) -> Iterator[None]:
    """The lock of one spider's crawl on ``DATABASE_URL``; none in a shared crawl
    (``DISTRIBUTED``), whose workers all crawl that spider and meet in Redis instead."""
    if settings.get("DISTRIBUTED"):
        yield
        return
    with database_lock(settings.get("DATABASE_URL"), [spider]):
        yield


class CrawlLock:
    """Extension: a spider runs only while it holds its lock on the database, whatever started it."""

    def __init__(self, crawler: Crawler):
        shared = crawler.settings.get("DISTRIBUTED")
        self.key = None if shared else acquire(crawler.settings.get("DATABASE_URL"), crawler.spidercls.name)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlLock:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider: Spider) -> None:
        if self.key is not None:
            release(self.key)
