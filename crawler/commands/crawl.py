"""crawler crawl: the nightly run — spiders in one process, a summary, an exit status for cron."""

from __future__ import annotations

import json
import logging
import sys
from contextlib import ExitStack
from logging.handlers import RotatingFileHandler
from pathlib import Path

from crawler.corpus import format_table
from crawler.distributed.shard import in_shard, parse_shard
from crawler.errors import ArgumentError
from crawler.lock import EXIT_LOCKED, LockBusy, spider_lock
from crawler.runner import check_spiders, project_settings, run_crawlers, runnable_spiders
from crawler.runs import run_id_of, store_problem
from crawler.scrapy_commands import check_project_settings
from crawler.storage import Store

help = "run spiders incrementally in one process, print a summary; non-zero exit on failure or alarm"

EXIT_OK, EXIT_FAILED, EXIT_ALARM = 0, 1, 3


def add_arguments(parser) -> None:
    parser.add_argument("spiders", nargs="*", metavar="SPIDER", help="spiders to run")
    parser.add_argument("--all", action="store_true", help="run every spider that has start URLs")
    parser.add_argument("--shard", default=None, metavar="K/N",
                        help="run only the spiders of shard K of N (a stable hash of each name)")
    parser.add_argument("-a", dest="spider_arguments", action="append", default=[], metavar="NAME=VALUE",
                        help="spider argument for every spider, e.g. -a refresh=7 (repeatable)")
    parser.add_argument("-s", dest="settings", action="append", default=[], metavar="NAME=VALUE",
                        help="Scrapy setting, e.g. -s DATABASE_URL=sqlite:///data/news.db (repeatable)")
    parser.add_argument("--log-file", type=Path, default=None,
                        help="write the log here instead of stderr, rotated by size")
    parser.add_argument("--log-level", default=None, help="log level (default: the LOG_LEVEL setting)")
    parser.add_argument("--log-max-bytes", type=int, default=10_000_000,
                        help="rotate the log file when it passes this size (default 10 MB)")
    parser.add_argument("--log-backups", type=int, default=5,
                        help="rotated log files kept: FILE.1 … FILE.N (default 5)")


def pairs(values: list[str], option: str) -> dict[str, str]:
    result = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep or not name:
            raise ArgumentError(f"{option} expects NAME=VALUE, got {value!r}")
        result[name] = setting
    return result


def log_to_file(path: Path, settings, max_bytes: int, backups: int) -> None:
    """Send the whole log (Scrapy's included) to a size-rotated file instead of stderr."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8")
    handler.setFormatter(logging.Formatter(settings.get("LOG_FORMAT"), settings.get("LOG_DATEFORMAT")))
    handler.setLevel(settings.get("LOG_LEVEL"))
    logging.root.addHandler(handler)
    logging.root.setLevel(logging.NOTSET)


def run_outcomes(url: str, crawlers: dict) -> list[dict]:
    """One summary row per spider, from its ``crawl_runs`` row; a spider that never opened failed."""
    store = Store.for_reading(url)
    outcomes = []
    try:
        for name, crawler in crawlers.items():
            run_id = run_id_of(crawler)
            run = store.run(run_id) if run_id else None
            store_error = crawler.stats.get_value("store/error")
            if run is None:
                outcomes.append({"spider": name, "run": "-", "status": "failed to start",
                                 "failed": True, "alarms": [], "cause": store_error})
                continue
            status = "store_failed" if store_error else run.finish_reason or "unfinished"
            outcomes.append({
                "spider": name, "run": run.id, "status": status, "failed": status != "finished",
                "cause": store_error,
                "pages": run.pages_fetched, "new": run.articles_new, "updated": run.articles_updated,
                "unchanged": run.articles_unchanged, "rejects": run.rejects, "errors": run.errors,
                "alarms": json.loads(run.alarms or "[]"),
            })
    finally:
        store.close()
    return outcomes


COLUMNS = ("spider", "run", "status", "pages", "new", "updated", "unchanged", "rejects", "errors")


def print_summary(outcomes: list[dict]) -> None:
    rows = [(*(row.get(column, "-") for column in COLUMNS), len(row["alarms"])) for row in outcomes]
    print("\n".join(format_table((*COLUMNS, "alarms"), rows)))
    for row in outcomes:
        for alarm in row["alarms"]:
            print(f"ALARM {row['spider']}: {alarm['message']}")
        if row["failed"]:
            cause = f" ({row['cause']})" if row.get("cause") else ""
            print(f"FAILED {row['spider']}: {row['status']}{cause}")


def exit_status(outcomes: list[dict]) -> int:
    if any(row["failed"] for row in outcomes):
        return EXIT_FAILED
    if any(row["alarms"] for row in outcomes):
        return EXIT_ALARM
    return EXIT_OK


def run(args) -> int:
    overrides = pairs(args.settings, "-s")
    if args.log_level:
        overrides["LOG_LEVEL"] = args.log_level
    if args.log_file:
        overrides["LOG_INSTALL_ROOT_HANDLER"] = False
    settings = project_settings(**overrides)
    if args.all == bool(args.spiders):
        raise ArgumentError("name the spiders to run, or give --all (not both)")
    names = runnable_spiders(settings) if args.all else args.spiders
    if args.shard:
        names = in_shard(names, *parse_shard(args.shard))
        if not names:
            print(f"crawler crawl: no spider falls in shard {args.shard}", file=sys.stderr)
            return EXIT_OK
    spider_arguments = pairs(args.spider_arguments, "-a")
    url = settings.get("DATABASE_URL")
    check_project_settings(settings)
    check_spiders(names, settings, spider_arguments)  # before the database is touched
    try:
        with ExitStack() as locks:
            for name in names:
                locks.enter_context(spider_lock(settings, name))
            problem = store_problem(url)
            if problem:
                print(f"crawler crawl: {problem}", file=sys.stderr)
                return EXIT_FAILED
            if args.log_file:
                log_to_file(args.log_file, settings, args.log_max_bytes, args.log_backups)
            crawlers = run_crawlers(names, settings, spider_arguments)
    except LockBusy as exc:
        print(f"crawler crawl: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    outcomes = run_outcomes(url, crawlers)  # a store that fails now is one line (crawler.cli)
    print_summary(outcomes)
    return exit_status(outcomes)
