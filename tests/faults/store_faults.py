"""A test extension that breaks the crawl's database once the run is open, as a full
disk, a read-only file or a lock held past the timeout would (``-s STORE_FAULT=full``,
``readonly`` or ``locked``): SQLite then answers with the very errors those cause.
Enabled with ``-s EXTENSIONS={"tests.faults.store_faults.StoreFault": 200}``."""

from __future__ import annotations

import sqlite3

from scrapy import signals
from sqlalchemy import event

from crawler.storage import sqlite_path, store_for

PRAGMAS = {"full": "PRAGMA max_page_count = {pages}", "readonly": "PRAGMA query_only = ON",
           "locked": "PRAGMA busy_timeout = 200"}


class StoreFault:
    def __init__(self, crawler):
        self.fault = crawler.settings.get("STORE_FAULT")
        self.store = store_for(crawler)
        self.holder = None

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        return extension

    def spider_opened(self, spider) -> None:
        engine = self.store.engine
        with engine.connect() as connection:
            pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
        pragma = PRAGMAS[self.fault].format(pages=pages)

        @event.listens_for(engine, "connect")
        def _break(dbapi_connection, _record):
            dbapi_connection.execute(pragma)

        engine.dispose()
        if self.fault == "locked":
            self.holder = sqlite3.connect(sqlite_path(self.store.url), isolation_level=None)
            self.holder.execute("BEGIN EXCLUSIVE")
