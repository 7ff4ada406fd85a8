"""The search index, kept by the store itself: FTS5 on SQLite, a ``tsvector`` on PostgreSQL.

The store computes the index text in Python for the rows it writes, a batch at a
time (no SQL function is called per row).  Both backends index the same tokens
(``crawler.search``), so a query finds the same articles on either.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from crawler.search import INDEX_TABLE, Hit, index_entry, index_text, rebuild_index
from crawler.storage.search_query import hits, statement

BATCH = 500

_FTS_INSERT = text(f"INSERT INTO {INDEX_TABLE} (rowid, title, body) VALUES (:id, :title, :body)")
_FTS_DELETE = text(f"INSERT INTO {INDEX_TABLE} ({INDEX_TABLE}, rowid, title, body) "
                   "VALUES ('delete', :id, :title, :body)")
_PG_UPSERT = text("INSERT INTO search_documents (article_id, document) "
                  "VALUES (:id, CAST(:document AS tsvector)) "
                  "ON CONFLICT (article_id) DO UPDATE SET document = excluded.document")

# Index entries made ahead of the write (``crawler.search.index_entries``, in a worker
# process), by ``(title, body)``: an entry is used only for exactly the text it was made of.
Prepared = Mapping[tuple[str | None, str | None], Any]


def index_rows(connection: Connection, rows: Iterable[tuple[int, str | None, str | None]],
               prepared: Prepared | None = None) -> None:
    """Index ``(id, title, body)`` of articles new to the index."""
    rows = list(rows)
    if not rows:
        return
    dialect, prepared = connection.dialect.name, prepared or {}
    entries = [prepared[title, body] if (title, body) in prepared else index_entry(dialect, title, body)
               for _id, title, body in rows]
    if dialect == "sqlite":
        connection.execute(_FTS_INSERT, [{"id": id_, "title": title, "body": body}
                                         for (id_, _title, _body), (title, body) in zip(rows, entries, strict=True)])
    elif dialect == "postgresql":
        connection.execute(_PG_UPSERT, [{"id": id_, "document": entry}
                                        for (id_, _title, _body), entry in zip(rows, entries, strict=True)])


def reindex_rows(connection: Connection, changes: Iterable[tuple[int, tuple, tuple]],
                 prepared: Prepared | None = None) -> None:
    """Index anew ``(id, (old title, old body), (new title, new body))``.

    FTS5's contentless table forgets a row only given the exact text it was given.
    """
    changes = list(changes)
    if not changes:
        return
    if connection.dialect.name == "sqlite":
        connection.execute(_FTS_DELETE, [{"id": id_, "title": index_text(old[0]), "body": index_text(old[1])}
                                         for id_, old, _new in changes])
    index_rows(connection, [(id_, *new) for id_, _old, new in changes], prepared)


def index_missing(connection: Connection) -> int:
    """On PostgreSQL, index the articles that have no document yet (after an upgrade)."""
    if connection.dialect.name != "postgresql":
        return 0
    missing = text("SELECT a.id, a.title, a.body FROM articles AS a "
                   "LEFT JOIN search_documents AS d ON d.article_id = a.id "
                   "WHERE d.article_id IS NULL ORDER BY a.id LIMIT :limit")
    done = 0
    while rows := connection.execute(missing, {"limit": BATCH}).all():
        index_rows(connection, rows)
        done += len(rows)
    return done


def rebuild(connection: Connection) -> None:
    """Index every article afresh (after an upgrade of OpenCC changes the index text)."""
    if connection.dialect.name == "sqlite":
        rebuild_index(connection.connection.driver_connection)
    elif connection.dialect.name == "postgresql":
        connection.execute(text("DELETE FROM search_documents"))
        index_missing(connection)


def search(connection: Connection, query: str, site: str | None = None, since: str | None = None,
           limit: int = 20) -> list[Hit]:
    """Articles matching every term of ``query``, best first (titles weigh more)."""
    found = statement(query, site, since, limit, postgres=connection.dialect.name == "postgresql")
    return hits(connection.execute(text(found[0]), found[1]).all(), query) if found else []
