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
from crawler.search import (
    INDEX_TABLE,
    TITLE_WEIGHT,
    Hit,
    PostgresTerm,
    match_expression,
    postgres_terms,
    snippet,
    terms,
    tsquery,
)
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
# Each term counted in the title and the body of each article the GIN indexes leave: in the
# article's own text, or in its ``search_texts`` row where it has one; an article must hold
# every term.  A term scores as TITLE_WEIGHT times its title hits and its body hits, tf, by
# tf / (tf + 1): holding every term counts for more than repeating one.  ``OFFSET 0`` keeps the
# planner from moving the outer condition into the scans, where it counted every term twice
# (187 → 124 ms for a term in every article of 20,000).
_PG_SEARCH = """
SELECT a.id, a.site, a.title, a.published_at, a.url, a.body, top.score
FROM (SELECT id, -CAST({score} AS double precision) AS score
      FROM (SELECT a.id, {own_counts} FROM articles AS a
            WHERE {own_match} NOT EXISTS (SELECT 1 FROM search_texts AS s WHERE s.article_id = a.id) {own_filters}
            UNION ALL
            SELECT s.article_id, {token_counts} FROM search_texts AS s
            WHERE {token_match} TRUE {token_filters}
            OFFSET 0) AS counted
      WHERE {every_term}
      ORDER BY score, id LIMIT :limit) AS top
JOIN articles AS a ON a.id = top.id
ORDER BY top.score, top.id
"""


# The planner charges a bitmap scan of a GIN index for recomputing ``zh_lexemes`` on every row
# it returns, which an exact bitmap never does, so for a term in most articles it picks a scan
# of the table, or of its primary key, that does recompute it for every article: 1.3 s
# instead of 0.2 s at 20,000 articles.  Without those two, only the bitmap scans are left.
POSTGRES_PLAN = "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off"


def _occurrences(value: str, parameter: str) -> str:
    found = f"CAST(:{parameter} AS text)"
    return f"(octet_length({value}) - octet_length(replace({value}, {found}, ''))) / octet_length({found})"


def _postgres_sql(search_terms: list[PostgresTerm], filters: str) -> tuple[str, dict]:
    parameters, own, tokens, score, every = {}, [], [], [], []
    for number, term in enumerate(search_terms):
        parameters[f"raw{number}"] = term.literal or term.pattern
        parameters[f"phrase{number}"] = term.phrase
        for part in ("title", "body"):
            own_text = f"coalesce(a.{part}, '')"
            own.append((_occurrences(own_text, f"raw{number}") if term.literal
                        else f"regexp_count({own_text}, CAST(:raw{number} AS text))") + f" AS {part}{number}")
            tokens.append(_occurrences(f"s.{part}", f"phrase{number}") + f" AS {part}{number}")
        hits = f"({TITLE_WEIGHT} * title{number} + body{number})"
        score.append(f"{hits} / ({hits} + 1)")
        every.append(f"title{number} + body{number} > 0")
    match = tsquery(search_terms)
    parameters["match"] = match
    sql = _PG_SEARCH.format(
        score=" + ".join(score), own_counts=", ".join(own), token_counts=", ".join(tokens),
        own_match="zh_lexemes(a.title, a.body) @@ CAST(:match AS tsquery) AND" if match else "",
        token_match="zh_token_lexemes(s.title, s.body) @@ CAST(:match AS tsquery) AND" if match else "",
        own_filters=filters.format(key="a.id"), token_filters=filters.format(key="s.article_id"),
        every_term=" AND ".join(every))
    return sql, parameters


def statement(query: str, site: str | None, since: str | None, limit: int,
              postgres: bool) -> tuple[str, dict] | None:
    """The SQL and parameters of a search for every term of ``query``, best first (titles
    weigh more); None when the query has nothing to search for."""
    if not terms(query):
        return None
    conditions = [condition for condition, value in (("site = :site", site),
                                                     ("published_at >= :since", since)) if value]
    filters = (f"AND {{key}} IN (SELECT id FROM articles WHERE {' AND '.join(conditions)})"
               if conditions else "")
    parameters = {"site": site, "since": since, "limit": limit}
    if postgres:
        search_terms = postgres_terms(query)
        if not search_terms:
            return None
        sql, own = _postgres_sql(search_terms, filters)
        return sql, parameters | own
    sql = _SQLITE_SEARCH.format(filters=filters.format(key="rowid"))
    return sql, parameters | {"match": match_expression(query)}


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
            connection.execute(POSTGRES_PLAN)
            return hits(connection.execute(psycopg_sql(sql), parameters).fetchall(), query)
    except psycopg.Error as error:  # unreachable, refused, no such database
        raise one_line_failure(name, error) from None


def psycopg_sql(sql: str) -> str:
    """A statement's ``:name`` parameters in psycopg's ``%(name)s`` form."""
    return _NAMED_PARAMETER.sub(r"%(\1)s", sql)


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
