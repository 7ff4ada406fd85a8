"""What the reading commands share: the ``--db`` option, opening the store read-only,
aligned tables and date arguments.  The summaries themselves are the store's."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from crawler.errors import ArgumentError

if TYPE_CHECKING:
    from crawler.storage import Store


def add_database_argument(parser) -> None:
    parser.add_argument("--db", help="SQLite file or SQLAlchemy URL (e.g. postgresql+psycopg://…) "
                                     "(default: the DATABASE_URL setting, data/news.db)")


SQLITE_MAGIC = b"SQLite format 3\x00"


def database_url(db: str | None) -> str:
    """The database named on the command line (a file or a URL), or the project's; a file
    named that is not SQLite (``--db README.md``) is bad input."""
    if db is None:
        from crawler.runner import project_settings  # Scrapy, only when no --db is given

        return project_settings().get("DATABASE_URL")
    if "://" in db:
        return db
    path = Path(db).resolve()
    if path.is_file() and path.stat().st_size:
        with path.open("rb") as stream:
            if stream.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
                raise ArgumentError(f"{db} is not a SQLite database")
    return f"sqlite:///{path}"


def open_store(db: str | None) -> Store:
    """The store named on the command line, or the project's, opened read-only; a missing
    file, or one that is not a project database at the newest schema, is refused."""
    from crawler.storage import Store  # SQLAlchemy, only for the commands that open a store

    return Store.for_reading(database_url(db))


_NUMERIC_CELL = re.compile(r"-|-?[\d.,]+%?")


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes: Han characters and full-width forms take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def format_table(header: tuple[str, ...], rows: list[tuple]) -> list[str]:
    """Lines of a plain-text table aligned by display width, so Chinese cells line up.

    A column whose cells are all numbers, shares or ``-`` is right-aligned; others left.
    """
    table = [header] + [tuple("" if value is None else str(value) for value in row) for row in rows]
    widths = [max(display_width(row[i]) for row in table) for i in range(len(header))]
    numeric = [all(_NUMERIC_CELL.fullmatch(row[i]) for row in table[1:]) for i in range(len(header))]

    def line(row):
        cells = [(" " * (width - display_width(value)) + value) if right
                 else (value + " " * (width - display_width(value)))
                 for value, width, right in zip(row, widths, numeric, strict=True)]
        return "  ".join(cells).rstrip()

    return [line(table[0]), "  ".join("-" * width for width in widths), *map(line, table[1:])]


def parse_day(value: str | None, name: str = "--since") -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise ArgumentError(f"{name} must be a date as YYYY-MM-DD, not {value!r}") from None
