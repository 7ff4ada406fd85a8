"""The store: the one object through which the project reads and writes its database."""

from __future__ import annotations

import importlib.util
import sys
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from types import ModuleType
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from sqlalchemy import exc as sqlalchemy_errors
from sqlalchemy.engine import Connection, Row

from crawler import clock
from crawler.errors import ArgumentError
from crawler.storage.database import (
    RETRYABLE_SQLSTATES,
    StoreError,
    check_schema,
    database_name,
    exclusive,
    make_engine,
    migrate,
    sqlite_path,
)


def _on_first_use(name: str) -> ModuleType:
    """The module ``name``, executed when one of its attributes is first read: the table
    modules build SQLAlchemy's ORM, which a command that only searches never needs."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"no module named {name!r}", name=name)
    loader = spec.loader = importlib.util.LazyLoader(spec.loader)
    module = sys.modules[name] = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


if TYPE_CHECKING:  # the type checker reads the modules themselves; at run time they load lazily
    from crawler.storage import articles, dedup, failures, runs, search_index, summaries
    from crawler.storage.search_index import Prepared
else:
    articles = _on_first_use("crawler.storage.articles")
    failures = _on_first_use("crawler.storage.failures")
    runs = _on_first_use("crawler.storage.runs")
    search_index = _on_first_use("crawler.storage.search_index")
    summaries = _on_first_use("crawler.storage.summaries")
    dedup = _on_first_use("crawler.storage.dedup")

RETRIES = 5


def utc_now() -> str:
    return clock.utc_timestamp()


def headers_to_dict(headers) -> dict[str, list[str]]:
    """Scrapy's byte headers as JSON-friendly text, each name with its list of values."""
    return {key.decode("latin-1"): [value.decode("latin-1") for value in values]
            for key, values in headers.items()}


class Store:
    """Reads and writes one database, SQLite or PostgreSQL.

    ``Store(url)`` opens it as it is; :meth:`migrated` (crawls, ``reparse``,
    ``crawler migrate``) first brings its schema to the newest revision, and
    :meth:`for_reading` (every other command) opens it read-only after checking that it
    is a project database at that revision.
    """

    def __init__(self, url: str, readonly: bool = False):
        self.url = url
        self.name = database_name(url)
        self.readonly = readonly
        self.engine = make_engine(url, readonly=readonly)
        self.dialect = self.engine.dialect.name

    @classmethod
    def migrated(cls, url: str) -> Store:
        store = cls(url)
        try:
            store.migrate()
        except BaseException:
            store.close()
            raise
        return store

    @classmethod
    def for_reading(cls, url: str) -> Store:
        path = sqlite_path(url)
        if path is not None and not path.is_file():
            raise ArgumentError(f"no database at {path}")
        store = cls(url, readonly=True)
        try:
            with store.engine.connect() as connection:
                check_schema(connection, store.name)
        except BaseException:
            store.close()
            raise
        return store

    @classmethod
    def from_settings(cls, settings) -> Store:
        return cls.migrated(settings.get("DATABASE_URL"))

    def close(self) -> None:
        self.engine.dispose()

    def migrate(self, revision: str = "head") -> tuple[str | None, str | None]:
        """Upgrade the schema (others migrating at once wait); returns the revisions before
        and after."""
        return migrate(self.engine, revision)

    # Transactions -----------------------------------------------------------------

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        with self.engine.connect() as connection:
            yield connection

    @contextmanager
    def _writing(self, lock: str | None = None) -> Iterator[Connection]:
        """One transaction; with ``lock``, writers of that kind run one at a time
        (on SQLite every write transaction takes the database's write lock at once)."""
        with self.engine.begin() as connection:
            if lock is not None or self.dialect == "sqlite":
                with exclusive(connection, lock or "write"):
                    yield connection
            else:
                yield connection

    def _retrying(self, work):
        """Run a write transaction again when PostgreSQL aborted it for a deadlock."""
        for attempt in range(RETRIES):
            try:
                return work()
            except sqlalchemy_errors.OperationalError as error:
                if getattr(error.orig, "sqlstate", None) not in RETRYABLE_SQLSTATES or attempt == RETRIES - 1:
                    raise StoreError(f"{self.name}: {str(error.orig).splitlines()[0]}") from None
                time.sleep(0.05 * (attempt + 1))

    # Articles and pages -------------------------------------------------------------

    def upsert_articles(self, items: Iterable[Mapping], prepared: Prepared | None = None,
                        recovered: tuple[str, Iterable[str]] | None = None) -> list[str]:
        """Insert or update by URL in one transaction; 'new', 'updated' or 'unchanged' per item.
        ``prepared``: search-index entries made ahead, by ``(title, body)``
        (``crawler.search.index_entries``).  ``recovered``: a spider and the pages these
        items came from, whose recorded failures go in the same transaction."""
        rows = [articles.article_row(item) for item in items]
        if not rows:
            return []
        spider, pages = recovered or ("", ())
        pages = {url for url in pages if url}

        def work():
            with self._writing() as connection:
                outcomes = articles.upsert_articles(connection, rows, utc_now(), prepared)
                if pages:
                    failures.clear(connection, spider, pages)
                return outcomes
        return self._retrying(work)

    def recent_site_bodies(self, site: str, limit: int) -> list[str]:
        """The bodies of the site's ``limit`` most recently stored articles: what the site's
        template prints now, at a cost that does not grow with the corpus."""
        with self._reading() as connection:
            return articles.recent_site_bodies(connection, site, limit)

    def count_articles(self, site: str | None = None, since: str | None = None) -> int:
        with self._reading() as connection:
            return articles.count_articles(connection, site, since)

    def article_batches(self, columns: list[str], site: str | None = None, since: str | None = None,
                        batch: int = 1000) -> Iterator[list[dict]]:
        with self._reading() as connection:
            yield from articles.article_batches(connection, columns, site, since, batch)

    def save_page(self, url: str, status: int, headers: Mapping, body: bytes,
                  fetched_at: str | None = None) -> None:
        """Keep the newest raw response of a URL; an identical body is not rewritten."""
        self.save_pages([(url, status, headers, body, fetched_at or utc_now())])

    def save_pages(self, pages: list[tuple[str, int, Mapping, bytes, str]]) -> None:
        """``save_page`` for a batch of ``(url, status, headers, body, fetched_at)``, in one transaction."""
        def work():
            with self._writing() as connection:
                articles.save_pages(connection, pages)
        if pages:
            self._retrying(work)

    def page_urls(self) -> list[str]:
        with self._reading() as connection:
            return articles.page_urls(connection)

    def load_page(self, url: str) -> tuple[int, dict, bytes] | None:
        """The stored raw response of ``url``: status, headers, body bytes."""
        with self._reading() as connection:
            return articles.load_page(connection, url)

    # Runs and rejects -----------------------------------------------------------------

    def start_run(self, spider: str) -> int:
        with self._writing() as connection:
            return runs.start_run(connection, spider, utc_now())

    def finish_run(self, run_id: int, **fields) -> None:
        fields.setdefault("finished_at", utc_now())
        self.update_run(run_id, **fields)

    def update_run(self, run_id: int, **fields) -> None:
        with self._writing() as connection:
            runs.update_run(connection, run_id, fields)

    # Pages that did not become articles (crawler.failures) -------------------------

    def record_failure(self, spider: str, url: str, reason: str, *, passing: bool,
                       policy: failures.RetryPolicy, run_id: int | None = None, request: dict | None = None):
        """Count one more failed attempt at ``url``; return its ``page_failures`` row."""
        with self._writing() as connection:
            return failures.record(connection, spider, url, reason, passing=passing, policy=policy,
                                   run_id=run_id, request=request)

    def due_failures(self, spider: str) -> Sequence[Row]:
        with self._reading() as connection:
            return failures.due(connection, spider)

    def check_writable(self) -> None:
        """Take the write lock and let it go: a read-only file or folder, or a lock held
        past the busy timeout, fails here, before a crawl fetches anything."""
        with self._writing():
            pass

    # Parts of a crawl shared by several workers (crawler.distributed) -------------

    def start_part(self, run_id: int, worker: str) -> int:
        with self._writing() as connection:
            return runs.start_part(connection, run_id, worker, utc_now())

    def finish_part(self, part_id: int, **fields) -> None:
        fields.setdefault("finished_at", utc_now())
        with self._writing() as connection:
            runs.finish_part(connection, part_id, fields)

    def part_stats(self, run_id: int) -> list[dict]:
        with self._reading() as connection:
            return runs.part_stats(connection, run_id)

    def add_reject(self, spider: str, url: str, reason: str, run_id: int | None = None) -> None:
        with self._writing() as connection:
            runs.add_reject(connection, spider, url, reason, run_id, utc_now())

    def stored_urls(self, site: str, urls: list[str]) -> dict[str, str]:
        """Those of ``urls`` a site stored or rejected, each with its publication or rejection time."""
        with self._reading() as connection:
            return runs.stored_urls(connection, site, urls)

    def site_urls(self, site: str) -> set[str]:
        """URLs of a site's stored articles and rejected pages."""
        with self._reading() as connection:
            return runs.site_urls(connection, site)

    def previous_run(self, spider: str, other_than: int | None = None):
        with self._reading() as connection:
            return runs.previous_run(connection, spider, other_than)

    def finished_runs(self, spider: str, before_id: int | None, limit: int) -> Sequence[Row]:
        with self._reading() as connection:
            return runs.finished_runs(connection, spider, before_id, limit)

    def recent_runs(self, spider: str, limit: int) -> Sequence[Row]:
        with self._reading() as connection:
            return runs.recent_runs(connection, spider, limit)

    def run_spiders(self) -> list[str]:
        with self._reading() as connection:
            return runs.run_spiders(connection)

    def run(self, run_id: int):
        with self._reading() as connection:
            return runs.get_run(connection, run_id)

    # Search ---------------------------------------------------------------------------

    def search(self, query: str, site: str | None = None, since: str | None = None,
               limit: int = 20) -> list:
        with self._reading() as connection:
            return search_index.search(connection, query, site=site, since=since, limit=limit)

    def rebuild_search_index(self) -> None:
        with self._writing("search-index") as connection:
            search_index.rebuild(connection)

    # Dedup ----------------------------------------------------------------------------

    @contextmanager
    def dedup_tables(self, write: bool = False) -> Iterator[dedup.DedupTables]:
        """The dedup tables in one transaction; writing ones hold the dedup lock."""
        if write:
            with self._writing("dedup") as connection:
                yield dedup.DedupTables(connection)
        else:
            with self._reading() as connection:
                yield dedup.DedupTables(connection)

    # Summaries ------------------------------------------------------------------------

    def articles_per_site_month(self) -> list[tuple[str, str, int]]:
        with self._reading() as connection:
            return summaries.articles_per_site_month(connection)

    def articles_per_site_day(self, first_day: str, last_day: str) -> list[tuple[str, str, int]]:
        with self._reading() as connection:
            return summaries.articles_per_site_day(connection, first_day, last_day)

    def publication_span(self) -> tuple[str | None, str | None]:
        with self._reading() as connection:
            return summaries.publication_span(connection)

    def field_coverage(self) -> list[summaries.Coverage]:
        with self._reading() as connection:
            return summaries.field_coverage(connection)

    def duplicates_per_site(self) -> list[summaries.Duplicates]:
        with self._reading() as connection:
            return summaries.duplicates_per_site(connection)

    def largest_clusters(self, limit: int = 10) -> list[summaries.Cluster]:
        with self._reading() as connection:
            return summaries.largest_clusters(connection, limit)

    def cluster_members(self, site: str | None = None) -> dict[int, list]:
        with self._reading() as connection:
            return summaries.cluster_members(connection, site)

    def site_articles(self, site: str) -> int:
        with self._reading() as connection:
            return summaries.site_articles(connection, site)

    def rejects_per_spider(self, reasons: int = 3) -> list[tuple[str, int, list[tuple[str, int]]]]:
        with self._reading() as connection:
            return summaries.rejects_per_spider(connection, reasons)

    def last_runs(self) -> list[summaries.Run]:
        with self._reading() as connection:
            return summaries.last_runs(connection)

    def site_summary(self) -> list[tuple]:
        with self._reading() as connection:
            return summaries.site_summary(connection)

    def recent_failures(self, limit: int = 20) -> list[summaries.Failure]:
        with self._reading() as connection:
            return summaries.recent_failures(connection, limit)

    def failures_per_spider(self) -> dict[str, dict[str, int]]:
        with self._reading() as connection:
            return summaries.failures_per_spider(connection)


_CRAWLER_STORES: WeakKeyDictionary[object, Store] = WeakKeyDictionary()


def store_for(crawler) -> Store:
    """The one Store that all components of a crawler share, migrated when first opened and
    closed when the crawler's engine stops."""
    store = _CRAWLER_STORES.get(crawler)
    if store is None:
        from scrapy import signals  # here, so that commands reading a database never import Scrapy

        store = _CRAWLER_STORES[crawler] = Store.from_settings(crawler.settings)
        crawler.signals.connect(store.close, signal=signals.engine_stopped)
    return store
