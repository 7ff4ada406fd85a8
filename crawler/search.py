"""Chinese full-text search: SQLite FTS5 over single characters, PostgreSQL over the articles' own text.

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

PostgreSQL reads the articles' own text: a GIN index over an expression of ``articles``
(:data:`LEXEMES_SQL`) holds the distinct characters and ASCII words of each article,
which narrows a query to the articles holding every character and word of its terms, and
each term is then looked for in the text itself: a run of Han characters as a plain
substring, any other term by a regular expression that reads the text as the tokens
above (:func:`raw_pattern`).  That holds only where the text's own characters are its
normalised tokens; an article whose title or body is otherwise (Traditional characters,
full-width or accented letters: :func:`search_texts`) has its token text in
``search_texts``, under a GIN index of its own, and its terms are looked for there as
phrases of tokens (:class:`PostgresTerm`).  The index is smaller than the text it indexes
(a quarter of it freshly built), where a ``tsvector`` of bigrams with its positions was
four times it, and, unlike that, it has no limit of positions per article.

Index and queries are both normalised with NFKC (full-width forms) and OpenCC ``t2s``,
so a Simplified query also finds Traditional pages and the other way round.

The index is contentless: snippets are cut from ``articles`` itself.  The store
computes the index text of the rows it writes, in Python, a batch at a time (see
``crawler.storage.search_index``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from crawler.cleaning.script import to_simplified, traditional_forms

INDEX_TABLE = "articles_fts"
TITLE_WEIGHT = 10.0  # weight of a title hit relative to a body hit
MAX_LEXEME_BYTES = 255  # a longer word is left out of PostgreSQL's index (a tsvector lexeme stops at 2 KB)
MARK = ("«", "»")  # around matched terms in snippets; rare in Chinese news text, unlike 【】

_HAN = re.compile(
    "[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_HAN_RUN = re.compile(f"{_HAN.pattern}+")
_WORD = re.compile(r"\w")
_ASCII_WORD = "[A-Za-z0-9]"
# How PostgreSQL reads an article's own text: Han runs, ASCII words, and nothing else.
_RAW_TOKEN = re.compile(f"({_HAN.pattern}+)|{_ASCII_WORD}+")
_RAW_SEPARATOR = f"[^{_HAN.pattern[1:-1]}A-Za-z0-9]"


def normalise(value: str) -> str:
    """The form both the index and queries are compared in: NFKC, then Simplified."""
    return to_simplified(unicodedata.normalize("NFKC", value))


RUN_END = "\ue000"  # marks the last character of a Han run in the FTS5 index (private use: a token character)


def _run_tokens(run: str) -> list[str]:
    """The tokens a whole run of Han characters is indexed as."""
    return [*run[:-1], run[-1] + RUN_END]


def index_text(value: str | None) -> str | None:
    """What the FTS5 index is given for a title or body: normalised, each Han run replaced by
    its tokens (see the module)."""
    if value is None:
        return None
    return _HAN_RUN.sub(lambda m: " ".join(["", *_run_tokens(m.group(0)), ""]), normalise(value))


def terms(query: str) -> list[str]:
    """The whitespace-separated terms of a query that hold something searchable."""
    return [term for term in query.split() if _WORD.search(term)]


def _term_tokens(term: str) -> tuple[list[str], bool]:
    """The tokens of one term's phrase, matching exactly where the term occurs, and whether
    the last one is a prefix.

    A Han run inside the term gives the tokens of a whole run when more of the term
    follows (the run must end there, as the index has it); the term's last Han run gives
    its characters with the last one a prefix token (marked or not, it may end a run or
    not).
    """
    pieces = [piece for piece in re.split(f"({_HAN_RUN.pattern})", normalise(term))
              if _WORD.search(piece)]
    tokens, prefix = [], False
    for number, piece in enumerate(pieces):
        last = number == len(pieces) - 1
        if not _HAN.match(piece):
            tokens.append(piece)
        elif not last:
            tokens.extend(_run_tokens(piece))
        else:
            tokens.extend(piece)
            prefix = True
    return fts_tokens(" ".join(tokens)), prefix


def _phrase(term: str) -> str:
    """One query term as an FTS5 phrase."""
    tokens, prefix = _term_tokens(term)
    return '"' + " ".join(tokens).replace('"', '""') + '"' + ("*" if prefix else "")


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


def _tokens(value: str | None) -> list[str]:
    """The tokens the index holds of a title or body (``RUN_END`` ending each Han run)."""
    return fts_tokens(index_text(value) or "")


def _raw_tokens(value: str | None) -> list[str]:
    """The tokens of a title or body read as PostgreSQL reads an article's own text."""
    found: list[str] = []
    for match in _RAW_TOKEN.finditer(value or ""):
        found.extend(_run_tokens(match.group(1)) if match.group(1) else [match.group(0).lower()])
    return found


def search_texts(title: str | None, body: str | None) -> tuple[str, str] | None:
    """The ``search_texts`` row of an article (each text's tokens between spaces), or None
    when PostgreSQL can search its own text: when the characters of its title and body are
    already their normalised tokens."""
    title_tokens, body_tokens = _tokens(title), _tokens(body)  # normalised once: OpenCC is most of the cost
    if title_tokens == _raw_tokens(title) and body_tokens == _raw_tokens(body):
        return None
    title_text, body_text = (" " + "".join(token + " " for token in found) for found in (title_tokens, body_tokens))
    return title_text, body_text


# The lexemes of PostgreSQL's GIN indexes (migration 0011 makes them SQL functions): the
# distinct characters and ASCII words of an article's own text (every character, not only
# Han ones: splitting costs the server less than choosing), and the distinct tokens of a
# ``search_texts`` row without their run marks.
LEXEMES_SQL = (
    "SELECT array_to_tsvector(string_to_array(own, NULL) || ARRAY(SELECT m[1] FROM regexp_matches(own, "
    f"'[a-z0-9]+', 'g') AS m WHERE length(m[1]) <= {MAX_LEXEME_BYTES})) "
    """FROM (SELECT lower((coalesce(title, '') || ' ' || coalesce(body, '')) COLLATE "C") AS own) AS article""")
TOKEN_LEXEMES_SQL = (
    f"SELECT array_to_tsvector(ARRAY(SELECT token FROM unnest(string_to_array(replace(title || body, '{RUN_END}', ''), "
    f"' ')) AS token WHERE token <> '' AND octet_length(token) <= {MAX_LEXEME_BYTES}))")


@dataclass(frozen=True)
class PostgresTerm:
    """One query term as PostgreSQL looks for it.

    ``literal``: the term as a substring of an article's own text (a term that is one Han
    run), else ``pattern``: a regular expression matching where the text's tokens hold the
    term's phrase; ``phrase``: the phrase in a ``search_texts`` token text.
    """
    lexemes: tuple[str, ...]
    literal: str | None
    pattern: str | None
    phrase: str


def postgres_terms(query: str) -> list[PostgresTerm]:
    """Every term of ``query`` as PostgreSQL looks for it; none when a term has no token
    (``_``), which, as in FTS5, matches nothing."""
    found = []
    for term in terms(query):
        phrase_tokens, prefix = _term_tokens(term)
        if not phrase_tokens:
            return []
        lexemes = tuple(dict.fromkeys(token.removesuffix(RUN_END) for token in phrase_tokens
                                      if len(token.encode()) <= MAX_LEXEME_BYTES))
        single_run = prefix and all(_HAN.fullmatch(token) for token in phrase_tokens)
        found.append(PostgresTerm(lexemes, "".join(phrase_tokens) if single_run else None,
                                  None if single_run else raw_pattern(phrase_tokens, prefix),
                                  " " + " ".join(phrase_tokens) + ("" if prefix else " ")))
    return found


def raw_pattern(phrase_tokens: list[str], prefix: bool) -> str:
    """A regular expression (PostgreSQL's and Python's alike) that matches an article's own
    text where its tokens, read as :func:`_raw_tokens` reads them, hold the phrase.

    Characters of one Han run are adjacent, a run that ends is followed by no Han
    character, a word has no ASCII letter or digit on either side, and between tokens lie
    only characters that are none of these.
    """
    parts = []
    for number, token in enumerate(phrase_tokens):
        han = _HAN.match(token)
        if number and not (han and _HAN.fullmatch(phrase_tokens[number - 1])):
            parts.append(f"{_RAW_SEPARATOR}*")
        if han:
            parts.append(token[0] + (f"(?!{_HAN.pattern})" if token.endswith(RUN_END) else ""))
        else:
            letters = "".join(f"[{char}{char.upper()}]" if char.isascii() and char.isalpha() else char
                              for char in token)
            parts.append(f"(?<!{_ASCII_WORD}){letters}(?!{_ASCII_WORD})")
    return "".join(parts)


def tsquery(search_terms: list[PostgresTerm]) -> str:
    """The ``tsquery`` literal requiring every lexeme of the terms (empty: nothing to narrow by)."""
    lexemes = dict.fromkeys(lexeme for term in search_terms for lexeme in term.lexemes)
    return " & ".join("'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'" for lexeme in lexemes)


def index_entry(dialect: str, title: str | None, body: str | None):
    """What the index is given for an article on ``dialect``: FTS5's two index texts, or
    the ``search_texts`` row (None for most articles)."""
    if dialect == "postgresql":
        return search_texts(title, body)
    return index_text(title), index_text(body)


def index_entries(dialect: str, articles: list[tuple[str | None, str | None]]) -> list:
    """:func:`index_entry` of each ``(title, body)``: a pure function of its arguments, so that
    a worker process can make a batch of them while the crawl goes on."""
    return [index_entry(dialect, title, body) for title, body in articles]


@dataclass(frozen=True)
class Hit:
    id: int
    site: str
    title: str | None
    published_at: str | None
    url: str
    snippet: str
    score: float


