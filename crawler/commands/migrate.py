"""crawler migrate: bring a database's schema to this version of the project, keeping every row.

Reading commands never change a database; this one (like a crawl and ``reparse``) does.
"""

from __future__ import annotations

import argparse

from crawler.corpus import add_database_argument, database_url
from crawler.storage import Store

help = "create the project's tables in a database, or upgrade an older one in place"


def add_arguments(parser) -> None:
    add_database_argument(parser)


def run(args: argparse.Namespace) -> int:
    store = Store(database_url(args.db))
    try:
        before, after = store.migrate()
    finally:
        store.close()
    if before == after:
        print(f"{store.name} is up to date (schema revision {after})")
    else:
        print(f"{store.name} upgraded from schema revision {before or '(none)'} to {after}")
    return 0
