"""Shared helpers: the database of a test (SQLite, or a fresh PostgreSQL database), a real
crawl in a subprocess (Twisted's reactor cannot restart in-process), and reading rows
back through SQLAlchemy, so that every check runs the same on both backends."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from crawler.addon import SETTINGS

ROOT = Path(__file__).resolve().parent.parent
# The project's setting defaults, for the components a test builds itself with
# ``get_crawler(settings_dict=…)``: without the add-on's extensions (which lock and record
# runs), and without a database, which each test gives its own.
PROJECT_DEFAULTS = {name: value for name, value in SETTINGS.items() if name != "DATABASE_URL"}
# The server the PostgreSQL cases create their databases on (trust authentication).
POSTGRES_SERVER = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def url_of(db) -> str:
    """A database given as a SQLite file or as a URL, as a URL."""
    return db if isinstance(db, str) and "://" in db else f"sqlite:///{db}"


def _postgres_unreachable() -> str | None:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install -e '.[postgres]')"
    try:
        engine = create_engine(POSTGRES_SERVER, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
    except Exception as error:  # any failure to connect means: not reachable here
        return f"{type(error).__name__}: {str(error).splitlines()[0]}"
    return None


_UNREACHABLE: list = []


def postgres_database():
    """Create a PostgreSQL database with a random name; yield its URL; drop it.
    Skips, saying why, only when the server cannot be reached."""
    if not _UNREACHABLE:
        _UNREACHABLE.append(_postgres_unreachable())
    if _UNREACHABLE[0]:
        pytest.skip(f"PostgreSQL case not run: no server at {make_url(POSTGRES_SERVER).host}:"
                    f"{make_url(POSTGRES_SERVER).port} ({_UNREACHABLE[0]})")
    name = f"zhengfa_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_SERVER).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """The URL of a fresh, empty database: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'news.db'}"
    else:
        yield from postgres_database()


@pytest.fixture
def postgres_url():
    """A fresh PostgreSQL database, for what only PostgreSQL does."""
    yield from postgres_database()


def crawl_command(db, spider: str, *args: str, fixtures: str = "replay") -> list[str]:
    """The command line of ``scrapy crawl SPIDER`` offline into ``db``, with extra -a/-s args."""
    return [sys.executable, "-m", "scrapy", "crawl", spider, "-s", f"DATABASE_URL={url_of(db)}",
            "-s", f"FIXTURES={fixtures}", "-s", "DOWNLOAD_DELAY=0",
            "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=INFO", *args]


def crawl(db, spider: str, *args: str, fixtures: str = "replay", check: bool = True, env=None):
    """``scrapy crawl SPIDER`` offline into ``db``; extra args are passed through (-a/-s)."""
    command = crawl_command(db, spider, *args, fixtures=fixtures)
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)
    if check and result.returncode != 0:
        raise AssertionError(f"crawl failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return result


def rows(db, query: str, *params) -> list[dict]:
    """The rows of ``query`` (``?`` placeholders) on a SQLite file or a database URL."""
    numbered = iter(range(len(params)))
    statement = text(re.sub(r"\?", lambda _m: f":p{next(numbered)}", query))
    engine = create_engine(url_of(db))
    try:
        with engine.connect() as connection:
            result = connection.execute(statement, {f"p{i}": value for i, value in enumerate(params)})
            return [dict(row) for row in result.mappings()]
    finally:
        engine.dispose()


def execute(db, query: str, *params) -> None:
    """Change rows behind the store's back (``?`` placeholders), as a SQL shell would."""
    numbered = iter(range(len(params)))
    statement = text(re.sub(r"\?", lambda _m: f":p{next(numbered)}", query))
    engine = create_engine(url_of(db))
    try:
        with engine.begin() as connection:
            connection.execute(statement, {f"p{i}": value for i, value in enumerate(params)})
    finally:
        engine.dispose()


def decoded(value):
    """A JSON column as read back: text in SQLite, already decoded from PostgreSQL's JSONB."""
    return json.loads(value) if isinstance(value, str) else value


def last_run(db, spider: str) -> dict:
    run = rows(db, "SELECT * FROM crawl_runs WHERE spider = ? ORDER BY id DESC LIMIT 1", spider)[0]
    run["stats"] = decoded(run["stats"])
    return run


@pytest.fixture(scope="session")
def jszf_db(tmp_path_factory) -> Path:
    """One replayed jszf crawl, shared by the tests that only read its rows."""
    db = tmp_path_factory.mktemp("jszf") / "news.db"
    crawl(db, "jszf")
    return db


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """``crawler demo`` once: every spider replayed into one database."""
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    result = subprocess.run([sys.executable, "-m", "crawler.cli", "demo", "--db", str(db)], cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return db


def article(db, url_part: str) -> dict:
    """The one stored article whose URL contains ``url_part``."""
    found = rows(db, "SELECT * FROM articles WHERE url LIKE ?", f"%{url_part}%")
    assert len(found) == 1, f"{len(found)} rows match {url_part}"
    return found[0]
