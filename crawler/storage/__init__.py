"""The storage layer: every read and write of the database goes through :class:`Store`.

SQLite (the default) and PostgreSQL are both supported.  Writes are batched in
short transactions so that an interrupted crawl loses at most the batch in flight,
never a committed row.  The names below are imported on first use (PEP 562), so that
``crawler.storage.search_query`` can search a SQLite file without importing SQLAlchemy.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crawler.storage.database import (
        STORE_ERRORS,
        StoreError,
        check_database_url,
        database_name,
        make_engine,
        migrate,
        sqlite_path,
    )
    from crawler.storage.store import Store, headers_to_dict, store_for, utc_now

_HOMES = {"STORE_ERRORS": "database", "StoreError": "database", "check_database_url": "database",
          "database_name": "database", "make_engine": "database", "migrate": "database",
          "sqlite_path": "database", "Store": "store", "headers_to_dict": "store", "store_for": "store",
          "utc_now": "store"}

__all__ = ["STORE_ERRORS", "Store", "StoreError", "check_database_url", "database_name", "headers_to_dict",
           "make_engine", "migrate", "sqlite_path", "store_for", "utc_now"]


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"crawler.storage.{_HOMES[name]}"), name)
