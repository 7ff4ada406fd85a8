"""Chinese full-text search: SQLite FTS5 over single characters, PostgreSQL over bigrams.

SQLite's ``unicode61`` tokenizer makes a run of Han characters one token, and the
``trigram`` tokenizer cannot match terms shorter than three characters, yet most
Chinese words have two.  So the FTS5 index holds every Han character as a token of its
own, the last of each run marked with ``RUN_END`` (``电信诈骗`` → ``电 信 诈 骗\ue000``):
a term is a phrase of its characters (``"电 信 诈 骗"*``), whose last character, a prefix
token, matches it marked or not, while a character inside a term must not end a run, so
no phrase spans punctuation or anything else between two runs.  Latin words and numbers
stay words.  Single characters, with the body the index's first column (FTS5 numbers
the positions of every later column), give an index of about 0.8 times the text
(overlapping bigrams gave two and a half times it) with the same token counts, hence the
same bm25 ranks, as bigrams would.

PostgreSQL keeps at most 256 positions of a lexeme in a document, too few for a common
character in a long article, so its ``tsvector`` holds each run as its overlapping
bigrams followed by its last character (``电信 信诈 诈骗 骗``), with their positions
(:func:`document`), and a query is the matching ``tsquery`` (:func:`tsquery`).  Both
find exactly the articles whose normalised text contains every term.

Index and queries are both normalised with NFKC (full-width forms) and OpenCC ``t2s``,
so a Simplified query also finds Traditional pages and the other way round.

The index is contentless: snippets are cut from ``articles`` itself.  The store
computes the index text of the rows it writes, in Python, a batch at a time (see
``crawler.storage.search_index``).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from crawler.cleaning.script import to_simplified, traditional_forms

INDEX_TABLE = "articles_fts"
TITLE_WEIGHT = 10.0  # weight of a title hit relative to a body hit
# ts_rank weights of D, C, B, A: bodies are D, titles A, TITLE_WEIGHT times more.
TS_WEIGHTS = f"{{{0.1}, 0.2, 0.4, {0.1 * TITLE_WEIGHT}}}"
MAX_POSITION = 16383  # tsvector positions stop here
MAX_POSITIONS_PER_TOKEN = 256  # and keep at most this many per lexeme
MARK = ("«", "»")  # around matched terms in snippets; rare in Chinese news text, unlike 【】

_HAN = re.compile(
    "[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_HAN_RUN = re.compile(f"{_HAN.pattern}+")
_WORD = re.compile(r"\w")


def normalise(value: str) -> str:
    """The form both the index and queries are compared in: NFKC, then Simplified."""
    return to_simplified(unicodedata.normalize("NFKC", value))


RUN_END = "\ue000"  # marks the last character of a Han run in the FTS5 index (private use: a token character)


def _bigrams(run: str) -> list[str]:
    return [run[i:i + 2] for i in range(len(run) - 1)]


def _run_tokens(run: str, bigrams: bool) -> list[str]:
    """The tokens a whole run of Han characters is indexed as."""
    return [*_bigrams(run), run[-1]] if bigrams else [*run[:-1], run[-1] + RUN_END]


def indexed_text(value: str | None, bigrams: bool) -> str | None:
    """A title or body normalised, each Han run replaced by its tokens (see the module)."""
    if value is None:
        return None
    return _HAN_RUN.sub(lambda m: " ".join(["", *_run_tokens(m.group(0), bigrams), ""]), normalise(value))


def index_text(value: str | None) -> str | None:
    """What the FTS5 index is given for a title or body: normalised, Han characters apart."""
    return indexed_text(value, bigrams=False)


def terms(query: str) -> list[str]:
    """The whitespace-separated terms of a query that hold something searchable."""
    return [term for term in query.split() if _WORD.search(term)]


def _term_tokens(term: str, bigrams: bool) -> tuple[list[str], bool]:
    """The tokens of one term's phrase, matching exactly where the term occurs, and whether
    the last one is a prefix.

    A Han run inside the term gives the tokens of a whole run when more of the term
    follows (the run must end there, as the index has it); the term's last Han run gives
    its bigrams, or its characters with the last one a prefix token (marked or not, it
    may end a run or not), and a single last character is a prefix token either way.
    """
    pieces = [piece for piece in re.split(f"({_HAN_RUN.pattern})", normalise(term))
              if _WORD.search(piece)]
    tokens, prefix = [], False
    for number, piece in enumerate(pieces):
        last = number == len(pieces) - 1
        if not _HAN.match(piece):
            tokens.append(piece)
        elif not last:
            tokens.extend(_run_tokens(piece, bigrams))
        elif len(piece) == 1 or not bigrams:
            tokens.extend(piece)
            prefix = True
        else:
            tokens.extend(_bigrams(piece))
    return tokens, prefix


def _phrase(term: str) -> str:
    """One query term as an FTS5 phrase."""
    tokens, prefix = _term_tokens(term, bigrams=False)
    return '"' + " ".join(tokens).replace('"', '""') + '"' + ("*" if prefix else "")


def _phrase_tokens(term: str) -> tuple[list[str], bool]:
    """The lexemes of one term's ``tsquery`` phrase, as the tokenizer reads them."""
    tokens, prefix = _term_tokens(term, bigrams=True)
    return fts_tokens(" ".join(tokens)), prefix


def match_expression(query: str) -> str:
    """An FTS5 MATCH expression requiring every term of ``query``.

    A query with no searchable term gives the empty phrase, which matches nothing.
    """
    return " AND ".join(_phrase(term) for term in terms(query)) or '""'


def _variants(query: str, traditional: bool) -> list[str]:
    """Each term as typed and in Simplified, or in its Traditional forms: what to look for in
    stored text."""
    found: set[str] = set()
    for term in terms(query):
        typed = unicodedata.normalize("NFKC", term)
        simplified = to_simplified(typed)
        found.update(traditional_forms(simplified) if traditional else (typed, simplified))
    return sorted(found, key=len, reverse=True)


def snippet(value: str | None, query: str, width: int = 80) -> str:
    """A window of ``value`` around the first matched term, matches between ``MARK``s.

    Taken from the stored text itself, so a Traditional page shows Traditional text.  The
    query's Traditional forms are looked for only when the text holds none of the others:
    their dictionaries cost a search that finds Simplified pages a tenth of a second.
    """
    if not value:
        return ""
    flat = " ".join(value.split())
    first = None
    for traditional in (False, True):
        variants = _variants(query, traditional)
        if not variants:
            return flat[:width]
        pattern = re.compile("|".join(map(re.escape, variants)), re.IGNORECASE)
        if first := pattern.search(flat):
            break
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


# What SQLite's unicode61 tokenizer keeps: letters, numbers (``\w`` less "_"), private use,
# and the combining diacritics it removes (they join, not split, the letters around them).
_DIACRITICS = "\u0300-\u0304\u0306-\u030c\u030f\u0311\u031b\u0323-\u0328\u032d\u032e\u0330\u0331"
_TOKEN = re.compile(f"(?:[^\\W_]|[\ue000-\uf8ff{_DIACRITICS}])+")
_DIACRITIC = re.compile(f"[{_DIACRITICS}]")
# A letter that is neither ASCII nor Han nor the run mark, or a diacritic: text without one
# folds as its lowercase (Han characters have no case).
_FOLDED_BEYOND_LOWER = re.compile(f"[^\\x00-\\x7f{_HAN.pattern[1:-1]}\\ue000-\\uf8ff\\W]|[{_DIACRITICS}]")


def fts_tokens(value: str) -> list[str]:
    """The tokens SQLite's ``unicode61`` tokenizer makes of index text: runs of letters,
    numbers and private-use characters, case-folded, Latin diacritics removed."""
    if not _FOLDED_BEYOND_LOWER.search(value):  # Chinese text: lowering the ASCII is all the folding
        return _TOKEN.findall(value.lower())
    tokens = [token.lower() if token.isascii() else "".join(map(_fold, _DIACRITIC.sub("", token)))
              for token in _TOKEN.findall(value)]
    return [token for token in tokens if token]


def _fold(char: str) -> str:
    """One character as ``unicode61`` folds it: case-folded where that keeps one character,
    and a Latin letter with one diacritic reduced to its ASCII letter."""
    for folded in (char.casefold(), char.lower(), char):
        if len(folded) == 1:
            break
    if "\u00c0" <= char <= "\u024f" or "\u1e00" <= char <= "\u1eff":
        parts = unicodedata.normalize("NFD", folded)
        if len(parts) == 2 and parts[0].isascii() and unicodedata.combining(parts[1]):
            return parts[0].lower()
    return folded


def _lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def document(title: str | None, body: str | None) -> str:
    """The ``tsvector`` literal of an article: title tokens weighted A, then, after a gap
    (so that no phrase spans the two), body tokens weighted D."""
    positions: dict[str, list[str]] = defaultdict(list)
    position = 0
    for value, weight in ((title, "A"), (body, "")):
        for token in fts_tokens(indexed_text(value, bigrams=True) or ""):
            position += 1
            places = positions[token]
            if position > MAX_POSITION:  # still found as a single token, no longer in phrases
                if not places:
                    places.append(f"{MAX_POSITION}{weight}")
            elif len(places) < MAX_POSITIONS_PER_TOKEN:
                places.append(f"{position}{weight}")
        position += 1
    return " ".join(f"{_lexeme(token)}:{','.join(places)}" for token, places in positions.items())


def index_entry(dialect: str, title: str | None, body: str | None):
    """What the index is given for an article on ``dialect``: FTS5's two index texts, or the
    ``tsvector`` literal."""
    if dialect == "postgresql":
        return document(title, body)
    return index_text(title), index_text(body)


def index_entries(dialect: str, articles: list[tuple[str | None, str | None]]) -> list:
    """:func:`index_entry` of each ``(title, body)``: a pure function of its arguments, so that
    a worker process can make a batch of them while the crawl goes on."""
    return [index_entry(dialect, title, body) for title, body in articles]


def tsquery(query: str) -> str | None:
    """The ``tsquery`` literal requiring every term of ``query`` as a phrase, like
    :func:`match_expression`; None when some term has nothing to look for."""
    phrases = []
    for term in terms(query):
        tokens, prefix = _phrase_tokens(term)
        if not tokens:
            return None
        lexemes = [_lexeme(token) for token in tokens]
        if prefix:
            lexemes[-1] += ":*"
        phrases.append("(" + " <-> ".join(lexemes) + ")")
    return " & ".join(phrases) or None


@dataclass(frozen=True)
class Hit:
    id: int
    site: str
    title: str | None
    published_at: str | None
    url: str
    snippet: str
    score: float


