"""``scrapy crawl`` with arguments and settings checked first, so a mistake is one line, not a traceback."""

from __future__ import annotations

import argparse
import atexit
import os
import sys
from typing import NoReturn

from scrapy import Spider
from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.crawler import Crawler
from scrapy.spiderloader import get_spider_loader

from crawler.errors import ArgumentError
from crawler.lock import EXIT_LOCKED, LockBusy, spider_lock
from crawler.runs import store_problem
from crawler.scrapy_commands import check_project_settings, exit_with_usage_error

EXIT_STORE_FAILED = 1


class Command(ScrapyCrawlCommand):
    """Exits 1, with one line naming the database and the cause, when nothing could be stored."""

    crawler: Crawler | None = None  # the crawl's, kept to read its stats after it ran

    def _create_crawler(self, spidercls: type[Spider] | str) -> Crawler:
        self.crawler = super()._create_crawler(spidercls)
        return self.crawler

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        if len(args) != 1:
            return  # Scrapy's own run() reports a missing or extra spider name
        assert self.settings is not None
        try:
            check_project_settings(self.settings)
            spider_class = get_spider_loader(self.settings).load(args[0])
            check_arguments = getattr(spider_class, "check_arguments", None)
            if check_arguments is not None:
                check_arguments(**opts.spargs)
        except (ArgumentError, KeyError) as error:
            exit_with_usage_error(f"scrapy crawl {args[0]}", error)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            return super().run(args, opts)  # Scrapy's own usage error
        assert self.settings is not None
        try:
            with spider_lock(self.settings, args[0]):
                problem = store_problem(self.settings.get("DATABASE_URL"))
                if problem is None:
                    super().run(args, opts)
                    if self.crawler is not None and self.crawler.stats is not None:
                        problem = self.crawler.stats.get_value("store/error")
        except LockBusy as exc:
            print(f"scrapy crawl: {exc}", file=sys.stderr)
            self.exitcode = EXIT_LOCKED
            return
        if problem:
            print(f"scrapy crawl: {problem}", file=sys.stderr)
            self.exitcode = EXIT_STORE_FAILED
        end_without_teardown(self.exitcode)


def end_without_teardown(exitcode: int) -> NoReturn:
    """End the crawl's process once everything is written: the exit handlers run (logs
    flushed, workers joined; the store closed when the engine stopped), but the objects
    are not freed one by one, which took 0.4 s after a crawl of 3,000 articles."""
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(exitcode)
