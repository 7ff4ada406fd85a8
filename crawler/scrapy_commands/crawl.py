"""``scrapy crawl`` with arguments and settings checked first, so a mistake is one line, not a traceback."""

from __future__ import annotations

import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.spiderloader import get_spider_loader

from crawler.errors import ArgumentError
from crawler.fixtures import fixtures_mode
from crawler.lock import EXIT_LOCKED, LockBusy, database_lock


class Command(ScrapyCrawlCommand):
    def run(self, args, opts) -> None:
        if len(args) == 1:
            try:
                self.check(args[0], opts.spargs)
            except (ArgumentError, KeyError) as exc:
                message = exc.args[0] if exc.args else str(exc)
                print(f"scrapy crawl {args[0]}: {message}", file=sys.stderr)
                self.exitcode = 2
                return
        try:
            with database_lock(self.settings.get("DATABASE_URL")):
                super().run(args, opts)
        except LockBusy as exc:
            print(f"scrapy crawl: {exc}", file=sys.stderr)
            self.exitcode = EXIT_LOCKED

    def check(self, name: str, spider_arguments: dict) -> None:
        fixtures_mode(self.settings)
        spider_class = get_spider_loader(self.settings).load(name)
        check_arguments = getattr(spider_class, "check_arguments", None)
        if check_arguments is not None:
            check_arguments(**spider_arguments)
