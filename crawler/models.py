"""The database schema, as SQLAlchemy 2.0 typed ORM models.

Timestamps are ISO 8601 text so that sqlite3, Datasette and pandas read them as
they are; ``published_at`` carries the +08:00 offset of the sites' own clock.
JSON columns are text in SQLite and JSONB in PostgreSQL; in Python they are JSON text
on both, so that every reader compares and decodes them the same way.
"""

from __future__ import annotations

import json

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


def json_text(value) -> str:
    """The one text form of a JSON value: non-ASCII kept, keys sorted."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


class JsonText(TypeDecorator):
    """JSON text in Python; TEXT in SQLite, JSONB in PostgreSQL."""

    impl = Text
    cache_ok = True

    def load_dialect_impl(self, dialect):
        return dialect.type_descriptor(JSONB() if dialect.name == "postgresql" else Text())

    def process_bind_param(self, value, dialect):
        if value is None or dialect.name != "postgresql":
            return value
        return json.loads(value)

    def process_result_value(self, value, dialect):
        if value is None or dialect.name != "postgresql":
            return value
        return json_text(value)


class Base(DeclarativeBase):
    pass


class Article(Base):
    """One row per canonical URL."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site: Mapped[str] = mapped_column(String(64), index=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    title: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[str | None] = mapped_column(String(32), index=True)
    source: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    editor: Mapped[str | None] = mapped_column(Text)
    section: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str | None] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    images: Mapped[str] = mapped_column(JsonText, default="[]")
    views: Mapped[int | None] = mapped_column(Integer)
    script: Mapped[str | None] = mapped_column(String(8))
    content_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    cluster_id: Mapped[int | None] = mapped_column(Integer, index=True)
    extraction_method: Mapped[str] = mapped_column(String(16), default="site")
    field_sources: Mapped[str | None] = mapped_column(JsonText)  # field → where it came from
    first_seen_at: Mapped[str] = mapped_column(String(32))
    last_seen_at: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))


class Page(Base):
    """The raw response an article was parsed from, so it can be parsed again offline."""

    __tablename__ = "pages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    status: Mapped[int] = mapped_column(Integer)
    headers: Mapped[str] = mapped_column(JsonText)
    fetched_at: Mapped[str] = mapped_column(String(32))
    body_zlib: Mapped[bytes] = mapped_column(LargeBinary)
    body_sha1: Mapped[str] = mapped_column(String(40))


class RunCounts:
    """When a run (or a worker's part of one) ran, how it ended, and what it did."""

    started_at: Mapped[str] = mapped_column(String(32))
    finished_at: Mapped[str | None] = mapped_column(String(32))
    finish_reason: Mapped[str | None] = mapped_column(String(64))
    pages_fetched: Mapped[int] = mapped_column(Integer, default=0)
    articles_new: Mapped[int] = mapped_column(Integer, default=0)
    articles_updated: Mapped[int] = mapped_column(Integer, default=0)
    articles_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rejects: Mapped[int] = mapped_column(Integer, default=0)
    generic_fallbacks: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)


class CrawlRun(RunCounts, Base):
    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    spider: Mapped[str] = mapped_column(String(64), index=True)
    stats: Mapped[str | None] = mapped_column(JsonText)
    alarms: Mapped[str] = mapped_column(JsonText, default="[]")


class Reject(Base):
    """An item that was not stored as an article, with the reason."""

    __tablename__ = "rejects"
    __table_args__ = (Index("ix_rejects_spider_url", "spider", "url"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"))
    spider: Mapped[str] = mapped_column(String(64))
    url: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(32))


# The near-duplicate index: one signature per article, one key per LSH band.  Both live
# next to ``articles``, so the index outlasts a run, is shared by spiders running at the
# same time, and is never rebuilt from bodies.

class ArticleSignature(Base):
    """What the index knows of an article: the hash and parameters its signature was made from.

    ``signature`` is NULL for a body too short to compare; such an article stays alone.
    """

    __tablename__ = "dedup_signatures"

    article_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    params: Mapped[str] = mapped_column(String(64))
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)


class SignatureBand(Base):
    """One LSH bucket entry; articles sharing a bucket are candidate near-duplicates.

    The bucket key hashes the band number with the band's values, so one column
    (the primary key's prefix) finds all candidates.  No foreign key: an entry left
    by a deleted article is harmless, since candidates are checked against
    ``dedup_signatures``, and a cascade would scan this large table.
    """

    __tablename__ = "dedup_bands"
    __table_args__ = {"sqlite_with_rowid": False}

    bucket: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    article_id: Mapped[int] = mapped_column(Integer, primary_key=True)


class DedupDeletion(Base):
    """An article deleted since the last clustering, with the cluster it was in: written by
    a trigger on ``articles`` whatever deletes the row, so that the clustering reclusters
    what it held together without looking for deletions in the whole corpus."""

    __tablename__ = "dedup_deletions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(Integer)
    cluster_id: Mapped[int | None] = mapped_column(Integer)


class CrawlPart(RunCounts, Base):
    """The part of a shared crawl one worker did (``crawler.distributed``); the crawl itself
    is its ``crawl_runs`` row."""

    __tablename__ = "crawl_parts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("crawl_runs.id"), index=True)
    worker: Mapped[str] = mapped_column(String(200))
    stats: Mapped[str | None] = mapped_column(Text)


class PageFailure(Base):
    """A page that did not become an article, one row per spider and URL: why, how many
    attempts, and when it is fetched again (``next_try_at``; empty once it is given up).

    ``state`` is ``retry`` (a passing failure, fetched again directly by later runs),
    ``gave_up`` (retried ``FAILURE_MAX_ATTEMPTS`` times) or ``rejected`` (its content is
    unusable).  The row goes when the page becomes an article.
    """

    __tablename__ = "page_failures"
    __table_args__ = (Index("ix_page_failures_spider_url", "spider", "url", unique=True),
                      Index("ix_page_failures_due", "spider", "state", "next_try_at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int | None] = mapped_column(Integer)
    spider: Mapped[str] = mapped_column(String(64))
    url: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    first_failed_at: Mapped[str] = mapped_column(String(32))
    last_failed_at: Mapped[str] = mapped_column(String(32))
    next_try_at: Mapped[str | None] = mapped_column(String(32))
    # How to request it again: JSON of the callback's name, its plain cb_kwargs and "archive".
    request: Mapped[str] = mapped_column(Text, default="{}")
