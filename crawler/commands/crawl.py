"""crawler crawl: the nightly run — spiders in one process, a summary, an exit status for cron."""

from __future__ import annotations

import argparse
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
from crawler.runner import check_spiders, placeholder_spiders, project_settings, run_crawlers, runnable_spiders
from crawler.runs import run_id_of, store_problem
from crawler.scrapy_commands import check_project_settings
from crawler.storage import Store

help = "run spiders incrementally in one process, print a summary; non-zero exit on failure or alarm"

EXIT_OK, EXIT_FAILED, EXIT_ALARM = 0, 1, 3

logger = logging.getLogger(__name__)


def add_arguments(parser) -> None:
    parser.add_argument("spiders", nargs="*", metavar="SPIDER", help="spiders to run")
    parser.add_argument("--all", action="store_true",
                        help="run every spider that has start URLs, except those whose host is a "
                             "placeholder (jazx: name it, with -a start_url=URL); with -s FIXTURES=replay, all")
    parser.add_argument("--shard", default=None, metavar="K/N",
                        help="run only the spiders of shard K of N (a stable hash of each name)")
    parser.add_argument("-a", dest="spider_arguments", action="append", default=[], metavar="NAME=VALUE",
                        help="spider argument for every spider, e.g. -a refresh=7 (repeatable)")
    parser.add_argument("-s", dest="settings", action="append", default=[], metavar="NAME=VALUE",
                        help="Scrapy setting, e.g. -s DATABASE_URL=sqlite:///data/news.db (repeatable)")
    parser.add_argument("--log-file", type=Path, default=None,
                        help="write the log, and the summary, here instead of stderr, rotated by size "
                             "(its folder is created)")
    parser.add_argument("--quiet", action="store_true",
                        help="print the summary only when the exit status is not 0 (cron mails "
                             "what a job prints)")
    parser.add_argument("--log-level", default=None, type=str.upper,
                        choices=["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"],
                        help="log level (default: the LOG_LEVEL setting)")
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


def take_locks(locks: ExitStack, settings, names: list[str]) -> None:
    """Each spider's crawl lock; a lock file that cannot be made beside the database is bad input."""
    for name in names:
        try:
            locks.enter_context(spider_lock(settings, name))
        except OSError as error:
            raise ArgumentError(f"cannot create the crawl lock {error.filename}: {error.strerror} "
                                "(can the database's folder be written?)") from None


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


def summary_lines(outcomes: list[dict], skipped: list[str]) -> list[str]:
    rows = [(*(row.get(column, "-") for column in COLUMNS), len(row["alarms"])) for row in outcomes]
    lines = format_table((*COLUMNS, "alarms"), rows)
    for row in outcomes:
        for alarm in row["alarms"]:
            lines.append(f"ALARM {row['spider']}: {alarm['message']}")
        if row["failed"]:
            cause = f" ({row['cause']})" if row.get("cause") else ""
            lines.append(f"FAILED {row['spider']}: {row['status']}{cause}")
    lines.extend(skipped_line(name) for name in skipped)
    return lines


def skipped_line(name: str) -> str:
    return (f"SKIPPED {name}: its host is a placeholder; crawl it with "
            f"`crawler crawl {name} -a start_url=URL` once the site's address is known")


def exit_status(outcomes: list[dict]) -> int:
    if any(row["failed"] for row in outcomes):
        return EXIT_FAILED
    if any(row["alarms"] for row in outcomes):
        return EXIT_ALARM
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    overrides: dict[str, object] = dict(pairs(args.settings, "-s"))
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
    skipped = placeholder_spiders(names, settings) if args.all else []
    names = [name for name in names if name not in skipped]
    if args.shard and not names:
        if not args.quiet:
            print(f"crawler crawl: no spider to run in shard {args.shard}", file=sys.stderr)
        return EXIT_OK
    spider_arguments = pairs(args.spider_arguments, "-a")
    url = settings.get("DATABASE_URL")
    check_project_settings(settings)
    check_spiders(names, settings, spider_arguments)  # before the database is touched
    try:
        with ExitStack() as locks:
            take_locks(locks, settings, names)
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
    status = exit_status(outcomes)
    lines = summary_lines(outcomes, skipped)
    if args.log_file:
        logger.info("Summary (exit status %d):\n%s", status, "\n".join(lines))
    if status != EXIT_OK or not args.quiet:
        print("\n".join(lines))
    return status
