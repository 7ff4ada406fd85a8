"""The article store: SQLite (or any SQLAlchemy URL), migrated at open, upserts by URL.

Writes are batched in short transactions so that an interrupted crawl loses at
most the batch in flight, never a committed row.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timezone
from pathlib import Path
from weakref import WeakKeyDictionary

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event, select, update
from sqlalchemy import exc as sqlalchemy_errors
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from crawler.errors import ArgumentError
from crawler.failures import FailureLog
from crawler.models import Article, CrawlRun, Page, Reject
from crawler.search import register_functions

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

# Columns whose change makes an article "updated".  ``views`` and the seen-times are
# observations, refreshed without counting as a change of the article.
CONTENT_COLUMNS = ("title", "published_at", "source", "author", "editor", "section", "body",
                   "body_html", "images", "script", "content_hash", "extraction_method")
OBSERVED_COLUMNS = ("views",)
ARTICLE_COLUMNS = ("site", "url", *CONTENT_COLUMNS, *OBSERVED_COLUMNS)


def utc_now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def headers_to_dict(headers) -> dict[str, list[str]]:
    """Scrapy's byte headers as JSON-friendly text, each name with its list of values."""
    return {key.decode("latin-1"): [value.decode("latin-1") for value in values]
            for key, values in headers.items()}


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
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ArgumentError(f"cannot create the folder of {url}: {error.strerror}") from None


def _tune_sqlite(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
    register_functions(dbapi_connection)  # the search index triggers call them


def make_engine(url: str) -> Engine:
    check_database_url(url)
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _tune_sqlite)
    return engine


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to an Alembic revision (the newest by default), keeping every row."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def article_row(item: Mapping) -> dict:
    """The ``articles`` columns of an item, with images as JSON text."""
    row = {name: item.get(name) for name in ARTICLE_COLUMNS}
    row["images"] = json.dumps(item.get("images") or [], ensure_ascii=False, sort_keys=True)
    row["extraction_method"] = row["extraction_method"] or "site"
    return row


class Store:
    """Reads and writes one database."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        migrate(self.engine)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.failures = FailureLog(self.sessions)

    @classmethod
    def from_settings(cls, settings) -> "Store":
        return cls(settings.get("DATABASE_URL"))

    def close(self) -> None:
        self.engine.dispose()

    def session(self) -> Session:
        return self.sessions()

    def check_writable(self) -> None:
        """Take the write lock and let it go: a read-only file or folder, or a lock held
        past the busy timeout, fails here, before a crawl fetches anything."""
        with self.engine.connect() as connection:
            if self.engine.dialect.name == "sqlite":
                connection.exec_driver_sql("BEGIN IMMEDIATE")
                connection.exec_driver_sql("ROLLBACK")

    # Articles -----------------------------------------------------------------

    def upsert_articles(self, items: Iterable[Mapping]) -> list[str]:
        """Insert or update by URL in one transaction; return 'new', 'updated' or 'unchanged' per item."""
        rows = [article_row(item) for item in items]
        if not rows:
            return []
        now = utc_now()
        outcomes: list[str] = []
        with self.sessions.begin() as session:
            urls = [row["url"] for row in rows]
            existing = {a.url: a for a in session.scalars(select(Article).where(Article.url.in_(urls)))}
            for row in rows:
                article = existing.get(row["url"])
                if article is None:
                    article = Article(**row, first_seen_at=now, last_seen_at=now, updated_at=now)
                    session.add(article)
                    existing[row["url"]] = article
                    outcomes.append("new")
                    continue
                changed = any(getattr(article, name) != row[name] for name in CONTENT_COLUMNS)
                if changed:
                    for name in ("site", *CONTENT_COLUMNS):
                        setattr(article, name, row[name])
                    article.updated_at = now
                for name in OBSERVED_COLUMNS:
                    if getattr(article, name) != row[name]:
                        setattr(article, name, row[name])
                article.last_seen_at = now
                outcomes.append("updated" if changed else "unchanged")
        return outcomes

    def known_urls(self, site: str) -> set[str]:
        with self.session() as session:
            return set(session.scalars(select(Article.url).where(Article.site == site)))

    def site_bodies(self, site: str) -> Iterator[str]:
        """Stored bodies of one site, in id order (so that derived lists are deterministic)."""
        with self.session() as session:
            query = select(Article.body).where(Article.site == site, Article.body.is_not(None))
            yield from session.scalars(query.order_by(Article.id).execution_options(yield_per=500))

    # Raw pages ----------------------------------------------------------------

    def save_page(self, url: str, status: int, headers: Mapping, body: bytes,
                  fetched_at: str | None = None) -> None:
        """Keep the newest raw response of a URL; an identical body is not rewritten."""
        digest = hashlib.sha1(body).hexdigest()
        header_json = json.dumps(headers, ensure_ascii=False, sort_keys=True)
        with self.sessions.begin() as session:
            page = session.scalar(select(Page).where(Page.url == url))
            if page is not None and page.body_sha1 == digest:
                return
            if page is None:
                page = Page(url=url)
                session.add(page)
            page.status = status
            page.headers = header_json
            page.fetched_at = fetched_at or utc_now()
            page.body_zlib = zlib.compress(body, 6)
            page.body_sha1 = digest

    def page_urls(self) -> list[str]:
        with self.session() as session:
            return list(session.scalars(select(Page.url)))

    def load_page(self, url: str) -> tuple[int, dict, bytes] | None:
        """The stored raw response of ``url``: status, headers, body bytes."""
        with self.session() as session:
            page = session.scalar(select(Page).where(Page.url == url))
            if page is None:
                return None
            return page.status, json.loads(page.headers), zlib.decompress(page.body_zlib)

    # Runs and rejects ---------------------------------------------------------

    def start_run(self, spider: str) -> int:
        with self.sessions.begin() as session:
            run = CrawlRun(spider=spider, started_at=utc_now(), pages_fetched=0, articles_new=0,
                           articles_updated=0, articles_unchanged=0, rejects=0,
                           generic_fallbacks=0, errors=0, alarms="[]")
            session.add(run)
            session.flush()
            return run.id

    def finish_run(self, run_id: int, **fields) -> None:
        fields.setdefault("finished_at", utc_now())
        with self.sessions.begin() as session:
            session.execute(update(CrawlRun).where(CrawlRun.id == run_id).values(**fields))

    def add_reject(self, spider: str, url: str, reason: str, run_id: int | None = None) -> None:
        with self.sessions.begin() as session:
            session.add(Reject(spider=spider, url=url, reason=reason, run_id=run_id,
                               created_at=utc_now()))


_CRAWLER_STORES: "WeakKeyDictionary[object, Store]" = WeakKeyDictionary()


def store_for(crawler) -> Store:
    """The one Store that all components of a crawler share."""
    store = _CRAWLER_STORES.get(crawler)
    if store is None:
        store = _CRAWLER_STORES[crawler] = Store.from_settings(crawler.settings)
    return store
