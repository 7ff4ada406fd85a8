"""The search index, kept by the store itself: FTS5 on SQLite; on PostgreSQL, GIN indexes
over the articles' own text and over ``search_texts``.

The store computes the index text in Python for the rows it writes, a batch at a time
(no Python function is called per row by the database).  Both backends search the same
tokens (``crawler.search``), so a query finds the same articles on either.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from crawler.search import INDEX_TABLE, Hit, index_entry, index_text, rebuild_index
from crawler.storage.search_query import POSTGRES_PLAN, hits, statement

BATCH = 500

_FTS_INSERT = text(f"INSERT INTO {INDEX_TABLE} (rowid, title, body) VALUES (:id, :title, :body)")
_FTS_DELETE = text(f"INSERT INTO {INDEX_TABLE} ({INDEX_TABLE}, rowid, title, body) "
                   "VALUES ('delete', :id, :title, :body)")
_PG_UPSERT = text("INSERT INTO search_texts (article_id, title, body) VALUES (:id, :title, :body) "
                  "ON CONFLICT (article_id) DO UPDATE SET title = excluded.title, body = excluded.body")
_PG_FORGET = text("DELETE FROM search_texts WHERE article_id = ANY(:ids)")

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
        texts = [{"id": id_, "title": entry[0], "body": entry[1]}
                 for (id_, _title, _body), entry in zip(rows, entries, strict=True) if entry]
        if texts:
            connection.execute(_PG_UPSERT, texts)


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
    elif connection.dialect.name == "postgresql":
        connection.execute(_PG_FORGET, {"ids": [id_ for id_, _old, _new in changes]})
    index_rows(connection, [(id_, *new) for id_, _old, new in changes], prepared)


def rebuild(connection: Connection) -> None:
    """Index every article afresh (after an upgrade of OpenCC changes the index text)."""
    if connection.dialect.name == "sqlite":
        rebuild_index(connection.connection.driver_connection)
        return
    connection.execute(text("DELETE FROM search_texts"))
    batch = text("SELECT id, title, body FROM articles WHERE id > :after ORDER BY id LIMIT :limit")
    after = 0
    while rows := connection.execute(batch, {"after": after, "limit": BATCH}).all():
        index_rows(connection, rows)
        after = rows[-1][0]


def search(connection: Connection, query: str, site: str | None = None, since: str | None = None,
           limit: int = 20) -> list[Hit]:
    """Articles matching every term of ``query``, best first (titles weigh more)."""
    postgres = connection.dialect.name == "postgresql"
    found = statement(query, site, since, limit, postgres=postgres)
    if found and postgres:
        connection.execute(text(POSTGRES_PLAN))
    return hits(connection.execute(text(found[0]), found[1]).all(), query) if found else []
