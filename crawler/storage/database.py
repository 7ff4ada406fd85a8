"""Engines, URLs, failures and schema versions: what every part of the store shares.

SQLite and PostgreSQL are both first-class.  A failing database (a read-only file or
folder, a file that is not a database, a lock held past the timeout, a server that
cannot be reached) surfaces as one :class:`StoreError` naming the database and the
cause, never as a driver traceback.  Opening a store never changes its schema:
:func:`migrate` does, and only crawls, ``reparse`` and ``crawler migrate`` call it.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, cast

from sqlalchemy import Table, create_engine, event, inspect, text
from sqlalchemy import exc as sqlalchemy_errors
from sqlalchemy.engine import Connection, Engine, make_url

from crawler.errors import ArgumentError, StoreError, one_line_failure
from crawler.search import register_functions
from crawler.storage.revisions import MIGRATIONS, check_revision

if TYPE_CHECKING:
    from crawler.models import Base

BUSY_TIMEOUT_MS = 30_000
RETRYABLE_SQLSTATES = {"40001", "40P01"}  # PostgreSQL: serialization failure, deadlock


# What a failing store raises: its own one-line error, or SQLAlchemy's for the rest.
STORE_ERRORS = (StoreError, sqlalchemy_errors.SQLAlchemyError)


def sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL, or None for other databases and :memory:."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def check_database_url(url: str) -> None:
    """A URL SQLAlchemy cannot read, or a SQLite folder that cannot be made, is a one-line
    ``ArgumentError``, not a traceback from deep inside a crawl."""
    try:
        path = sqlite_path(url)
    except sqlalchemy_errors.ArgumentError:
        raise ArgumentError(f"DATABASE_URL is not a SQLAlchemy URL: {url!r}") from None
    check_driver(url)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ArgumentError(f"cannot create the folder of {url}: {error.strerror}") from None


def check_driver(url: str) -> None:
    """SQLAlchemy knows the URL's dialect and its driver is installed; else one line saying
    what to install, not a traceback at the first connection."""
    parsed = make_url(url)
    try:
        dialect = parsed.get_dialect()
    except sqlalchemy_errors.NoSuchModuleError:
        raise ArgumentError(f"unknown database dialect {parsed.drivername!r} in {database_name(url)} "
                            "(sqlite:///FILE or postgresql+psycopg://…)") from None
    try:
        dialect.import_dbapi()
    except ImportError as error:
        hint = " (pip install -e '.[postgres]')" if parsed.get_backend_name() == "postgresql" else ""
        raise ArgumentError(f"the driver of {database_name(url)} is not installed: "
                            f"no module {error.name!r}{hint}") from None


def database_name(url: str) -> str:
    """How messages name a database: the SQLite file, or the URL without its password."""
    path = sqlite_path(url)
    return str(path) if path is not None else make_url(url).render_as_string(hide_password=True)


def table_of(model: type[Base]) -> Table:
    """The model's table, as a ``Table``: SQLAlchemy types ``__table__`` as any ``FromClause``."""
    return cast(Table, model.__table__)


def advisory_key(name: str) -> int:
    """A PostgreSQL advisory lock key (signed 64 bits) for a lock's name."""
    return int.from_bytes(hashlib.sha1(f"zhengfa-crawler:{name}".encode()).digest()[:8], "big",
                          signed=True)


def _enter_wal(cursor) -> None:
    """Switch a file to WAL once; the mode persists in the file.  SQLite answers a
    concurrent switch with "database is locked" at once, without its busy handler, so two
    processes opening a fresh file retry here until the busy timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
                return
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _tune_sqlite(readonly: bool):
    def tune(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")  # first: WAL needs a lock
        if readonly:
            cursor.execute("PRAGMA query_only=ON")
        else:
            _enter_wal(cursor)
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
        register_functions(dbapi_connection)  # the delete trigger of migration 0003 calls them
    return tune


def _one_line_failures(name: str):
    """Turn the driver's operational errors into a :class:`StoreError` naming the database."""
    def translate(context):
        error = context.sqlalchemy_exception
        if getattr(context.original_exception, "sqlstate", None) in RETRYABLE_SQLSTATES:
            return None  # a deadlock or serialisation failure: the store tries again
        if isinstance(error, (sqlalchemy_errors.OperationalError, sqlalchemy_errors.InternalError)) \
                or type(error) is sqlalchemy_errors.DatabaseError:
            return one_line_failure(name, context.original_exception)
        return None
    return translate


def _json_serializer(value) -> str:
    """JSON columns hold the project's one text form of JSON (imported when first written:
    it lives with the ORM models, which a reading command never needs)."""
    from crawler.models import json_text

    return json_text(value)


def make_engine(url: str, readonly: bool = False, application_name: str | None = None) -> Engine:
    """An engine for ``url``; ``readonly`` refuses every write (SQLite ``query_only``,
    PostgreSQL read-only transactions), so that reading commands never change a file.
    ``application_name`` names PostgreSQL connections (the crawl lock's holder)."""
    check_database_url(url)
    backend = make_url(url).get_backend_name()
    options: dict = {"json_serializer": _json_serializer}
    if backend == "postgresql":
        connect_args = {"application_name": application_name or "zhengfa-crawler"}
        if readonly:
            connect_args["options"] = "-c default_transaction_read_only=on"
        options["connect_args"] = connect_args
    engine = create_engine(url, **options)
    if backend == "sqlite":
        event.listen(engine, "connect", _tune_sqlite(readonly))
    event.listen(engine, "handle_error", _one_line_failures(database_name(url)))
    return engine


def _alembic_config(connection: Connection | None = None):
    from alembic.config import Config  # Alembic, only when a database is migrated

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def current_revision(connection: Connection) -> str | None:
    """The schema revision of a database; None for a database the project never touched."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.scalar(text("SELECT version_num FROM alembic_version"))


@contextmanager
def exclusive(connection: Connection, name: str):
    """Hold the database's write lock (SQLite) or the advisory lock ``name`` (PostgreSQL)
    until the connection's transaction ends: writers of one kind run one after another."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": advisory_key(name)})
    yield connection


def try_advisory_lock(connection: Connection, name: str) -> bool:
    """Take the session advisory lock ``name`` at once, or say it is held elsewhere."""
    return connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": advisory_key(name)})


def advisory_unlock(connection: Connection, name: str) -> None:
    connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": advisory_key(name)})


_HOLDER = text("""
SELECT a.application_name, a.backend_start FROM pg_locks AS l JOIN pg_stat_activity AS a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND l.classid::bigint = :high AND l.objid::bigint = :low
""")


def advisory_holder(connection: Connection, name: str):
    """The connection holding the advisory lock ``name``: its application name and start."""
    key = advisory_key(name)
    return connection.execute(_HOLDER, {"high": (key >> 32) & 0xFFFFFFFF, "low": key & 0xFFFFFFFF}).first()


def migrate(engine: Engine, revision: str = "head") -> tuple[str | None, str | None]:
    """Bring the schema to an Alembic revision (the newest by default), keeping every row.

    Concurrent migrators wait for each other, so a fresh database is migrated once.
    Returns the revision before and after.
    """
    with engine.begin() as connection, exclusive(connection, "migrate"):
        before = current_revision(connection)
        from alembic import command

        command.upgrade(_alembic_config(connection), revision)
        return before, current_revision(connection)


def check_schema(connection: Connection, name: str) -> None:
    """Refuse, in one line, a database that is not a project database at the newest revision."""
    check_revision(current_revision(connection), name)
