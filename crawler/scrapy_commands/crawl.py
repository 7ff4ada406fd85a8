"""``scrapy crawl`` with arguments and settings checked first, so a mistake is one line, not a traceback."""

from __future__ import annotations

import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.spiderloader import get_spider_loader

from crawler.errors import ArgumentError
from crawler.lock import EXIT_LOCKED, LockBusy, spider_lock
from crawler.scrapy_commands import check_project_settings, exit_with_usage_error
from crawler.storage import Store, StoreError


class Command(ScrapyCrawlCommand):
    def process_options(self, args, opts) -> None:
        super().process_options(args, opts)
        if len(args) != 1:
            return  # Scrapy's own run() reports a missing or extra spider name
        try:
            check_project_settings(self.settings)
            spider_class = get_spider_loader(self.settings).load(args[0])
            check_arguments = getattr(spider_class, "check_arguments", None)
            if check_arguments is not None:
                check_arguments(**opts.spargs)
        except (ArgumentError, KeyError) as error:
            exit_with_usage_error(f"scrapy crawl {args[0]}", error)

    def run(self, args, opts) -> None:
        if len(args) != 1:
            return super().run(args, opts)  # Scrapy's own usage error
        try:
            url = self.settings.get("DATABASE_URL")
            with spider_lock(self.settings, args[0]):
                Store.migrated(url).close()  # a store that cannot be written fails here, in one line
                super().run(args, opts)
        except LockBusy as exc:
            print(f"scrapy crawl: {exc}", file=sys.stderr)
            self.exitcode = EXIT_LOCKED
        except StoreError as exc:
            print(f"scrapy crawl: {exc}", file=sys.stderr)
            self.exitcode = 1
