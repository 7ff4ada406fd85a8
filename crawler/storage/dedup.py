"""The near-duplicate index's reads and writes: signatures, LSH buckets, cluster ids.

``crawler.dedup`` decides what is similar; this module is the only one that reads or
writes its tables.  Every method runs on the connection of one transaction, which
the store opens with the dedup lock held when it writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.engine import Connection, Row

from crawler.errors import one_line_failure
from crawler.models import Article, ArticleSignature, DedupDeletion, SignatureBand
from crawler.storage.database import database_name, table_of

# Values bound in one ``IN (…)``: well under SQLite's limit of 32,766 variables.
IN_CHUNK = 5000


def chunks(values: Sequence, size: int = IN_CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


class DedupTables:
    def __init__(self, connection: Connection):
        self.connection = connection

    # Articles --------------------------------------------------------------------

    def _dirty(self):
        """Articles without a cluster id: new, changed (the store clears the id when the
        content hash changes) or left by an index cleared for new parameters.  Found on the
        ``cluster_id`` index, so that a close costs what its new articles cost, not a scan
        of every stored one."""
        stored = ArticleSignature
        return (select(Article.id, Article.body, Article.content_hash, Article.cluster_id,
                       stored.signature, stored.article_id.label("indexed"))
                .outerjoin(stored, stored.article_id == Article.id)
                .where(Article.cluster_id.is_(None)))

    def dirty(self, limit: int, after_id: int = 0) -> Sequence[Row]:
        """The articles to index, in id order, from ``after_id`` on."""
        return self.connection.execute(self._dirty().where(Article.id > after_id)
                                       .order_by(Article.id).limit(limit)).all()

    def article_count(self) -> int:
        return self.connection.execute(select(func.count()).select_from(Article)).scalar_one()

    def dirty_count(self) -> int:
        dirty = self._dirty().with_only_columns(Article.id).subquery()
        return self.connection.execute(select(func.count()).select_from(dirty)).scalar_one()

    def in_clusters(self, cluster_ids: Iterable[int]) -> set[int]:
        found: set[int] = set()
        for chunk in chunks(sorted(set(cluster_ids))):
            found.update(self.connection.scalars(select(Article.id).where(Article.cluster_id.in_(chunk))))
        return found

    def deletions(self) -> Sequence[Row[int, int, int | None]]:
        """``(id, article_id, cluster_id)`` of the articles deleted since the last clustering."""
        return self.connection.execute(select(DedupDeletion.id, DedupDeletion.article_id,
                                              DedupDeletion.cluster_id)).all()

    def forget_deletions(self, ids: Iterable[int]) -> None:
        for chunk in chunks(sorted(set(ids))):
            self.connection.execute(delete(DedupDeletion).where(DedupDeletion.id.in_(chunk)))

    def set_content_hash(self, article_id: int, digest: str | None) -> None:
        self.connection.execute(update(Article).where(Article.id == article_id).values(content_hash=digest))

    def members(self, ids: Iterable[int]) -> list[Row]:
        found: list[Row] = []
        for chunk in chunks(sorted(set(ids))):
            found += self.connection.execute(select(Article.id, Article.published_at, Article.first_seen_at,
                                                    Article.url, Article.cluster_id)
                                             .where(Article.id.in_(chunk))).all()
        return found

    def set_clusters(self, moves: list[dict]) -> None:
        """Write ``{"id", "cluster_id"}`` pairs in one statement per chunk."""
        articles = table_of(Article)
        for chunk in chunks(moves):
            self.connection.execute(update(articles)
                                    .where(articles.c.id == bindparam("article_id"))
                                    .values(cluster_id=bindparam("new_cluster")),
                                    [{"article_id": move["id"], "new_cluster": move["cluster_id"]}
                                     for move in chunk])

    # Signatures and buckets --------------------------------------------------------

    def has_other_params(self, params_key: str) -> bool:
        return self.connection.scalar(select(ArticleSignature.article_id)
                                      .where(ArticleSignature.params != params_key).limit(1)) is not None

    def add(self, signatures: list[tuple], buckets: list[tuple]) -> None:
        """Insert ``(article_id, content_hash, params, signature)`` and ``(bucket, article_id)``
        rows, through the driver's own ``executemany`` on SQLite (tens of thousands of bucket
        rows per chunk: SQLAlchemy's per-row parameter handling cost more than the inserts),
        and as one statement of arrays on PostgreSQL, where a statement per row took half
        the clustering's time."""
        signature_table = (f"{ArticleSignature.__tablename__} (article_id, content_hash, params, signature)",
                           "integer[], text[], text[], bytea[]")
        band_table = f"{SignatureBand.__tablename__} (bucket, article_id)", "bigint[], integer[]"
        for (table, types), rows in ((signature_table, signatures), (band_table, buckets)):
            if not rows:
                continue
            if self.connection.dialect.name == "postgresql":
                arrays = ", ".join(f"%s::{kind}" for kind in types.split(", "))
                self.connection.exec_driver_sql(f"INSERT INTO {table} SELECT * FROM unnest({arrays})",
                                                tuple(list(column) for column in zip(*rows, strict=True)))
            else:
                marks = ", ".join("?" * len(rows[0]))
                self.connection.exec_driver_sql(f"INSERT INTO {table} VALUES ({marks})", rows)

    def remove(self, article_id: int, bucket_keys: list[int]) -> None:
        if bucket_keys:
            self.connection.execute(delete(SignatureBand).where(SignatureBand.bucket.in_(bucket_keys),
                                                                SignatureBand.article_id == article_id))
        self.connection.execute(delete(ArticleSignature).where(ArticleSignature.article_id == article_id))

    def of_deleted_articles(self, article_ids: Iterable[int]) -> list[Row[int, bytes | None]]:
        """``(article_id, signature)`` of those signatures whose article no longer exists (a
        delete the foreign key did not cascade: a connection without foreign keys)."""
        found: list[Row[int, bytes | None]] = []
        for chunk in chunks(sorted(set(article_ids))):
            found += self.connection.execute(
                select(ArticleSignature.article_id, ArticleSignature.signature).where(
                    ArticleSignature.article_id.in_(chunk),
                    ~select(Article.id).where(Article.id == ArticleSignature.article_id).exists())).all()
        return found

    def clear(self) -> None:
        """Forget the whole index; every article is then to be indexed and clustered anew."""
        self.connection.execute(delete(SignatureBand))
        self.connection.execute(delete(ArticleSignature))
        self.connection.execute(update(Article).where(Article.cluster_id.is_not(None)).values(cluster_id=None))

    def bucket_entries(self, bucket_keys: Iterable[int]) -> list[tuple[int, int]]:
        """``(bucket, article_id)`` of every entry in those buckets."""
        return self._rows_where_in(f"SELECT bucket, article_id FROM {SignatureBand.__tablename__}", "bucket",
                                   bucket_keys)

    def signatures(self, ids: Iterable[int]) -> dict[int, bytes]:
        """Stored signatures of those ``ids`` that have one."""
        rows = self._rows_where_in(f"SELECT article_id, signature FROM {ArticleSignature.__tablename__}",
                                   "article_id", ids)
        return {article_id: bytes(blob) for article_id, blob in rows if blob is not None}

    def _rows_where_in(self, query: str, column: str, values: Iterable) -> list[tuple]:
        """Rows of ``query WHERE column IN values``, on the driver's own cursor, a chunk at a
        time: the clustering reads hundreds of thousands of them, and SQLAlchemy's expanding
        ``IN`` and result rows cost two to three times the query itself.  PostgreSQL gets one
        array (``= ANY``): parsing thousands of placeholders cost psycopg more than the query."""
        postgresql = self.connection.dialect.name == "postgresql"
        driver = self.connection.dialect.loaded_dbapi
        connection = self.connection.connection.driver_connection
        assert connection is not None  # a live connection, in this transaction
        cursor = connection.cursor()
        found: list[tuple] = []
        try:
            for chunk in chunks(sorted(set(values))):
                if postgresql:
                    cursor.execute(f"{query} WHERE {column} = ANY(%s)", (list(chunk),))
                else:
                    cursor.execute(f"{query} WHERE {column} IN ({', '.join('?' * len(chunk))})", tuple(chunk))
                found += cursor.fetchall()
        except driver.Error as error:  # worded as the engine's own error handler words it
            raise one_line_failure(database_name(str(self.connection.engine.url)), error) from None
        finally:
            cursor.close()
        return found
