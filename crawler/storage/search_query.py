"""What a search asks of each backend, as SQL with named parameters, and the search of a
SQLite file on the standard library's ``sqlite3`` alone, or of a PostgreSQL database on
psycopg alone.

No SQLAlchemy here: importing it costs a reading command more than the search itself (0.5 s
of a 1 s search on PostgreSQL), so ``crawler search`` runs :func:`search_file` or
:func:`search_postgres`, and the store runs the same statement through its engine
(``crawler.storage.search_index``).
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from pathlib import Path

from crawler.errors import ArgumentError, one_line_failure
from crawler.search import INDEX_TABLE, TITLE_WEIGHT, TS_WEIGHTS, Hit, match_expression, snippet, terms, tsquery
from crawler.storage.revisions import check_revision

# Rank inside the index first and read only the winning articles: joining every match
# to its (large) article row before sorting would cost a row read per match.
_SQLITE_SEARCH = f"""
SELECT a.id, a.site, a.title, a.published_at, a.url, a.body, top.score
FROM (SELECT rowid AS id, bm25({INDEX_TABLE}, 1.0, {TITLE_WEIGHT}) AS score
      FROM {INDEX_TABLE}
      WHERE {INDEX_TABLE} MATCH :match {{filters}}
      ORDER BY score LIMIT :limit) AS top
JOIN articles AS a ON a.id = top.id
ORDER BY top.score
"""
_PG_SEARCH = """
SELECT a.id, a.site, a.title, a.published_at, a.url, a.body, top.score
FROM (SELECT d.article_id AS id,
             -ts_rank(CAST(:weights AS real[]), d.document, CAST(:match AS tsquery)) AS score
      FROM search_documents AS d
      WHERE d.document @@ CAST(:match AS tsquery) {filters}
      ORDER BY score, d.article_id LIMIT :limit) AS top
JOIN articles AS a ON a.id = top.id
ORDER BY top.score, top.id
"""


def statement(query: str, site: str | None, since: str | None, limit: int,
              postgres: bool) -> tuple[str, dict] | None:
    """The SQL and parameters of a search for every term of ``query``, best first (titles
    weigh more); None when the query has nothing to search for."""
    if not terms(query):
        return None
    match = tsquery(query) if postgres else match_expression(query)
    if match is None:
        return None
    conditions = [condition for condition, value in (("site = :site", site),
                                                     ("published_at >= :since", since)) if value]
    key = "d.article_id" if postgres else "rowid"
    filters = (f"AND {key} IN (SELECT id FROM articles WHERE {' AND '.join(conditions)})"
               if conditions else "")
    sql = (_PG_SEARCH if postgres else _SQLITE_SEARCH).format(filters=filters)
    return sql, {"match": match, "site": site, "since": since, "limit": limit, "weights": TS_WEIGHTS}


def hits(rows, query: str) -> list[Hit]:
    """The rows of a search statement as hits, each with its snippet."""
    return [Hit(id_, site, title, published_at, url, snippet(body, query) or snippet(title, query), score)
            for id_, site, title, published_at, url, body, score in rows]


_SQLITE_FILE_URL = re.compile(r"sqlite:///([^?]+)")
_PSYCOPG_URL = re.compile(r"postgresql\+psycopg://(.+)")
_PASSWORD = re.compile(r"(?<=//)([^:/@]+):[^@/]*@")
_NAMED_PARAMETER = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


def sqlite_file(url: str) -> Path | None:
    """The file of a plain ``sqlite:///FILE`` URL (none for other databases, or a URL with options)."""
    found = _SQLITE_FILE_URL.fullmatch(url)
    return Path(found.group(1)) if found and found.group(1) != ":memory:" else None


def postgres_conninfo(url: str) -> str | None:
    """libpq's form of a ``postgresql+psycopg://…`` URL (none for other URLs)."""
    found = _PSYCOPG_URL.fullmatch(url)
    return f"postgresql://{found.group(1)}" if found else None


def search_postgres(url: str, query: str, site: str | None = None, since: str | None = None,
                    limit: int = 20) -> list[Hit]:
    """What ``Store.for_reading(url).search(…)`` finds in a PostgreSQL database, in a read-only
    transaction, with the same one-line refusals."""
    import psycopg  # only here: a search of a SQLite file does without it

    conninfo = postgres_conninfo(url)
    if conninfo is None:
        raise ArgumentError(f"not a postgresql+psycopg:// URL: {url}")
    name = _PASSWORD.sub(r"\1:***@", url)
    try:
        with psycopg.connect(conninfo, connect_timeout=30) as connection:
            connection.read_only = True
            versioned = _scalar(connection, "SELECT to_regclass('alembic_version') IS NOT NULL")
            check_revision(_scalar(connection, "SELECT version_num FROM alembic_version") if versioned else None, name)
            found = statement(query, site, since, limit, postgres=True)
            if not found:
                return []
            sql, parameters = found
            return hits(connection.execute(_NAMED_PARAMETER.sub(r"%(\1)s", sql), parameters).fetchall(), query)
    except psycopg.Error as error:  # unreachable, refused, no such database
        raise one_line_failure(name, error) from None


def _scalar(connection, sql: str):
    row = connection.execute(sql).fetchone()
    return row[0] if row else None


def search_file(path: Path, query: str, site: str | None = None, since: str | None = None,
                limit: int = 20) -> list[Hit]:
    """What ``Store.for_reading(url).search(…)`` finds in a SQLite file, opened read-only,
    with the same one-line refusals."""
    if not path.is_file():
        raise ArgumentError(f"no database at {path}")
    try:
        with closing(sqlite3.connect(path, timeout=30)) as connection:  # as the store opens it
            connection.execute("PRAGMA query_only=ON")
            versioned = connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'alembic_version'").fetchone()
            check_revision(connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
                           if versioned else None, str(path))
            found = statement(query, site, since, limit, postgres=False)
            return hits(connection.execute(*found).fetchall(), query) if found else []
    except sqlite3.DatabaseError as error:  # not a database, locked past the timeout, unreadable
        raise one_line_failure(str(path), error) from None
