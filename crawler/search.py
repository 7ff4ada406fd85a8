"""Chinese full-text search: SQLite FTS5 over a character-segmented copy of title and body.

SQLite's ``unicode61`` tokenizer makes a run of Han characters one token, and the
``trigram`` tokenizer cannot match terms shorter than three characters, yet most
Chinese words have two.  So the index holds title and body with a space around every
Han character: each character is a token, and a term of any length is a phrase of
consecutive tokens (``诈骗`` → ``"诈 骗"``).  Latin words and numbers stay whole words.

Index and queries are both normalised with NFKC (full-width forms) and OpenCC ``t2s``,
so a Simplified query also finds Traditional pages and the other way round.

Triggers on ``articles`` (migration 0003) keep ``articles_fts`` in sync; they call
``zh_index_text``, which ``register_functions`` adds to every connection of the store.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import opencc
from sqlalchemy import text
from sqlalchemy.engine import Engine

INDEX_TABLE = "articles_fts"
TITLE_WEIGHT = 10.0  # bm25 weight of a title hit relative to a body hit
MARK = ("«", "»")  # around matched terms in snippets; rare in Chinese news text, unlike 【】

_HAN = re.compile(
    "[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_WORD = re.compile(r"\w")


@lru_cache(maxsize=None)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def normalise(value: str) -> str:
    """The form both the index and queries are compared in: NFKC, then Simplified."""
    return _converter("t2s").convert(unicodedata.normalize("NFKC", value))


def index_text(value: str | None) -> str | None:
    """What the index stores for a title or body: normalised, one token per Han character."""
    if value is None:
        return None
    return _HAN.sub(r" \g<0> ", normalise(value))


def terms(query: str) -> list[str]:
    """The whitespace-separated terms of a query that hold something searchable."""
    return [term for term in query.split() if _WORD.search(term)]


def match_expression(query: str) -> str:
    """An FTS5 MATCH expression: every term as a phrase, all required.

    A query with no searchable term gives the empty phrase, which matches nothing.
    """
    phrases = ['"' + index_text(term).replace('"', '""') + '"' for term in terms(query)]
    return " AND ".join(phrases) or '""'


def _variants(query: str) -> list[str]:
    """Each term as typed, in Simplified and in Traditional: what to look for in stored text."""
    found = set()
    for term in terms(query):
        term = unicodedata.normalize("NFKC", term)
        found.update((term, _converter("t2s").convert(term), _converter("s2t").convert(term)))
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


@dataclass(frozen=True)
class Hit:
    id: int
    site: str
    title: str | None
    published_at: str | None
    url: str
    snippet: str
    score: float


_SEARCH_SQL = f"""
SELECT a.id, a.site, a.title, a.published_at, a.url, a.body,
       bm25({INDEX_TABLE}, {TITLE_WEIGHT}, 1.0) AS score
FROM {INDEX_TABLE} JOIN articles AS a ON a.id = {INDEX_TABLE}.rowid
WHERE {INDEX_TABLE} MATCH :match
  AND (:site IS NULL OR a.site = :site)
  AND (:since IS NULL OR a.published_at >= :since)
ORDER BY score
LIMIT :limit
"""


def search(engine: Engine, query: str, site: str | None = None, since: str | None = None,
           limit: int = 20) -> list[Hit]:
    """Articles matching every term of ``query``, best first (bm25, titles weigh more)."""
    if not terms(query):
        return []
    params = {"match": match_expression(query), "site": site, "since": since, "limit": limit}
    with engine.connect() as connection:
        rows = connection.execute(text(_SEARCH_SQL), params).all()
    return [Hit(row.id, row.site, row.title, row.published_at, row.url,
                snippet(row.body, query) or snippet(row.title, query), row.score)
            for row in rows]
