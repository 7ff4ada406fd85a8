"""crawler demo: every spider, offline, on the bundled fixtures, into SQLite or a given database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from crawler.corpus import database_url, format_table
from crawler.runner import project_settings, run_spiders, runnable_spiders
from crawler.storage import Store, check_database_url, database_name, sqlite_path

help = "run every spider offline on the bundled fixtures into a database and print a table per site"

DEFAULT_DB = Path("data/demo.db")


def add_arguments(parser) -> None:
    parser.add_argument("--db", default=None,
                        help=f"SQLite file or SQLAlchemy URL to write (default: a fresh {DEFAULT_DB}; "
                             "a given database is updated in place, never deleted)")
    parser.add_argument("--log-level", default="WARNING", type=str.upper,
                        choices=["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"],
                        help="Scrapy log level (default WARNING)")


def fresh(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def print_table(rows: list[tuple]) -> None:
    header = ("site", "articles", "dated", "source", "author", "body chars", "reprints", "rejects",
              "newest")
    print("\n".join(format_table(header, rows)))


def run(args: argparse.Namespace) -> int:
    url = database_url(args.db or str(DEFAULT_DB))
    check_database_url(url)
    default_file = sqlite_path(url) if args.db is None else None
    if default_file is not None:
        fresh(default_file)
    Store.migrated(url).close()  # a database that cannot be written fails here, in one line
    settings = project_settings(FIXTURES="replay", DATABASE_URL=url, LOG_LEVEL=args.log_level,
                                DOWNLOAD_DELAY=0, AUTOTHROTTLE_ENABLED=False)
    names = runnable_spiders(settings)
    failures = [stats.get("store/error") for stats in run_spiders(names, settings).values()]
    if any(failures):
        print(f"crawler demo: {next(filter(None, failures))}", file=sys.stderr)
        return 1
    store = Store.for_reading(url)
    try:
        rows = store.site_summary()
    finally:
        store.close()
    print(f"Offline demo: {len(names)} spiders replayed from fixtures into {database_name(url)}")
    print_table(rows)
    return 0
