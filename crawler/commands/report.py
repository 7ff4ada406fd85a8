"""crawler report: one self-contained HTML page about the corpus (see ``crawler.report``)."""

from __future__ import annotations

import argparse
from datetime import date, timedelta
from pathlib import Path

from crawler.corpus import add_database_argument, open_store, parse_day
from crawler.errors import ArgumentError
from crawler.report import Window, render

help = "write a self-contained HTML report: articles per site over time, field coverage, runs, failures, reprints"


def add_arguments(parser) -> None:
    parser.add_argument("--out", default="data/report.html",
                        help="HTML file to write (default data/report.html, beside the default database)")
    parser.add_argument("--days", default="90", metavar="N|all",
                        help="days the chart covers, ending at --until; all: from the first dated "
                             "article (default 90). Its bars are the finest of days, weeks, months "
                             "and years that gives at most 120 of them")
    parser.add_argument("--until", metavar="YYYY-MM-DD",
                        help="last day of the chart (default: the newest article's publication day)")
    add_database_argument(parser)


def window_days(value: str) -> int | None:
    """``--days`` as a number of days, or None for ``all``."""
    if value == "all":
        return None
    if not value.isdigit() or int(value) < 1:
        raise ArgumentError(f"--days must be a whole number of days, at least 1, or all; not {value!r}")
    return int(value)


def run(args: argparse.Namespace) -> int:
    days = window_days(args.days)
    until = parse_day(args.until, "--until")
    out = Path(args.out)
    store = open_store(args.db)
    try:
        first, newest = store.publication_span()
        window = None
        if first and newest:
            last = date.fromisoformat(until or newest)
            start = date.fromisoformat(first) if days is None else last - timedelta(days=days - 1)
            window = Window(min(start, last), last)
        page = render(store, window, store.name)
    finally:
        store.close()
    out.write_text(page, encoding="utf-8")  # an unusable path: one line, from the command line
    print(f"report written to {out}")
    return 0
