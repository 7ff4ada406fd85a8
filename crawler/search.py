"""Chinese full-text search: SQLite FTS5 over overlapping character bigrams.

SQLite's ``unicode61`` tokenizer makes a run of Han characters one token, and the
``trigram`` tokenizer cannot match terms shorter than three characters, yet most
Chinese words have two.  So the index holds every run of Han characters as its
overlapping bigrams followed by its last character (``电信诈骗`` → ``电信 信诈 诈骗 骗``):
every character starts a token, so a term of one character is a prefix query served
by a one-character prefix index (``骗*``), a term of two is one token and a longer
term is a phrase of bigrams (``"电信 信诈 诈骗"``).  Latin words and numbers stay words.

Index and queries are both normalised with NFKC (full-width forms) and OpenCC ``t2s``,
so a Simplified query also finds Traditional pages and the other way round.

The index is contentless: snippets are cut from ``articles`` itself.  Triggers on
``articles`` (migration 0003) keep it in sync; they call ``zh_index_text``, which
``register_functions`` adds to every connection of the store.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Engine

from crawler.cleaning.script import to_simplified, to_traditional

INDEX_TABLE = "articles_fts"
TITLE_WEIGHT = 10.0  # bm25 weight of a title hit relative to a body hit
MARK = ("«", "»")  # around matched terms in snippets; rare in Chinese news text, unlike 【】

_HAN = re.compile(
    "[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_HAN_RUN = re.compile(f"{_HAN.pattern}+")
_WORD = re.compile(r"\w")


def normalise(value: str) -> str:
    """The form both the index and queries are compared in: NFKC, then Simplified."""
    return to_simplified(unicodedata.normalize("NFKC", value))


def _bigrams(run: str) -> list[str]:
    return [run[i:i + 2] for i in range(len(run) - 1)]


def index_text(value: str | None) -> str | None:
    """What the index is given for a title or body: normalised, Han runs as bigrams."""
    if value is None:
        return None
    return _HAN_RUN.sub(lambda m: " ".join(["", *_bigrams(m.group(0)), m.group(0)[-1], ""]),
                        normalise(value))


def terms(query: str) -> list[str]:
    """The whitespace-separated terms of a query that hold something searchable."""
    return [term for term in query.split() if _WORD.search(term)]


def _phrase(term: str) -> str:
    """One query term as an FTS5 phrase that matches exactly where the term occurs.

    A Han run inside the term gives its bigrams, plus its last character when more of
    the term follows (as the index has it there); a term ending in a lone Han character
    ends in a prefix token, which matches that character wherever it stands.
    """
    pieces = [piece for piece in re.split(f"({_HAN_RUN.pattern})", normalise(term))
              if _WORD.search(piece)]
    tokens, prefix = [], False
    for number, piece in enumerate(pieces):
        last = number == len(pieces) - 1
        if not _HAN.match(piece):
            tokens.append(piece)
        elif last and len(piece) == 1:
            tokens.append(piece)
            prefix = True
        else:
            tokens.extend(_bigrams(piece) if last else [*_bigrams(piece), piece[-1]])
    return '"' + " ".join(tokens).replace('"', '""') + '"' + ("*" if prefix else "")


def match_expression(query: str) -> str:
    """An FTS5 MATCH expression requiring every term of ``query``.

    A query with no searchable term gives the empty phrase, which matches nothing.
    """
    return " AND ".join(_phrase(term) for term in terms(query)) or '""'


def _variants(query: str) -> list[str]:
    """Each term as typed, in Simplified and in Traditional: what to look for in stored text."""
    found = set()
    for term in terms(query):
        term = unicodedata.normalize("NFKC", term)
        found.update((term, to_simplified(term), to_traditional(term)))
    return sorted(found, key=len, reverse=True)


def snippet(value: str | None, query: str, width: int = 80) -> str:
    """A window of ``value`` around the first matched term, matches between ``MARK``s.

    Taken from the stored text itself, so a Traditional page shows Traditional text.
    """
    if not value:
        return ""
    flat = " ".join(value.split())
    variants = _variants(query)
    if not variants:
        return flat[:width]
    pattern = re.compile("|".join(map(re.escape, variants)), re.IGNORECASE)
    first = pattern.search(flat)
    start = max(0, first.start() - width // 4) if first else 0
    window = flat[start:start + width]
    marked = pattern.sub(lambda m: f"{MARK[0]}{m.group(0)}{MARK[1]}", window)
    return ("…" if start else "") + marked + ("…" if start + width < len(flat) else "")


def register_functions(dbapi_connection) -> None:
    """Add the SQL functions the index triggers and search queries use to a sqlite3 connection."""
    dbapi_connection.create_function("zh_index_text", 1, index_text, deterministic=True)
    dbapi_connection.create_function("zh_match", 1, match_expression, deterministic=True)
    dbapi_connection.create_function("zh_snippet", 2, snippet, deterministic=True)


def rebuild_index(dbapi_connection) -> None:
    """Index every article afresh.

    Needed once an upgrade of OpenCC changes what ``index_text`` gives for stored
    text: the contentless index can only forget a row given the exact text it was given.
    """
    register_functions(dbapi_connection)
    dbapi_connection.execute(f"INSERT INTO {INDEX_TABLE} ({INDEX_TABLE}) VALUES ('delete-all')")
    dbapi_connection.execute(f"INSERT INTO {INDEX_TABLE} (rowid, title, body) "
                             "SELECT id, zh_index_text(title), zh_index_text(body) FROM articles")


@dataclass(frozen=True)
class Hit:
    id: int
    site: str
    title: str | None
    published_at: str | None
    url: str
    snippet: str
    score: float


# Rank inside the index first and read only the winning articles: joining every match
# to its (large) article row before sorting would cost a row read per match.
_SEARCH_SQL = f"""
SELECT a.id, a.site, a.title, a.published_at, a.url, a.body, top.score
FROM (SELECT rowid AS id, bm25({INDEX_TABLE}, {TITLE_WEIGHT}, 1.0) AS score
      FROM {INDEX_TABLE}
      WHERE {INDEX_TABLE} MATCH :match {{filters}}
      ORDER BY score LIMIT :limit) AS top
JOIN articles AS a ON a.id = top.id
ORDER BY top.score
"""


def search(engine: Engine, query: str, site: str | None = None, since: str | None = None,
           limit: int = 20) -> list[Hit]:
    """Articles matching every term of ``query``, best first (bm25, titles weigh more)."""
    if not terms(query):
        return []
    conditions = [condition for condition, value in (("site = :site", site),
                                                     ("published_at >= :since", since)) if value]
    filters = (f"AND rowid IN (SELECT id FROM articles WHERE {' AND '.join(conditions)})"
               if conditions else "")
    params = {"match": match_expression(query), "site": site, "since": since, "limit": limit}
    with engine.connect() as connection:
        rows = connection.execute(text(_SEARCH_SQL.format(filters=filters)), params).all()
    return [Hit(row.id, row.site, row.title, row.published_at, row.url,
                snippet(row.body, query) or snippet(row.title, query), row.score)
            for row in rows]
