"""The storage layer: every read and write of the database goes through :class:`Store`.

SQLite (the default) and PostgreSQL are both supported.  Writes are batched in
short transactions so that an interrupted crawl loses at most the batch in flight,
never a committed row.
"""

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

__all__ = ["STORE_ERRORS", "Store", "StoreError", "check_database_url", "database_name", "headers_to_dict",
           "make_engine", "migrate", "sqlite_path", "store_for", "utc_now"]
