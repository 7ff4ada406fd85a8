"""``scrapy shell`` with its settings checked first, and without the crawl's bookkeeping."""

from __future__ import annotations

import argparse

from scrapy.commands.shell import Command as ScrapyShellCommand

from crawler.errors import ArgumentError
from crawler.scrapy_commands import check_project_settings, exit_with_usage_error

# A shell session is no crawl and is never closed like one: with these it would hold the
# crawl lock (refusing the nightly crawl) and leave an unfinished ``crawl_runs`` row behind.
CRAWL_ONLY_EXTENSIONS = ("crawler.lock.CrawlLock", "crawler.runs.RunRecorder",
                         "crawler.health.HealthMonitor")


class Command(ScrapyShellCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        try:
            check_project_settings(self.settings)
        except ArgumentError as error:
            exit_with_usage_error("scrapy shell", error)
        extensions = self.settings.getdict("EXTENSIONS")
        extensions.update(dict.fromkeys(CRAWL_ONLY_EXTENSIONS, None))
        self.settings.set("EXTENSIONS", extensions, priority="cmdline")
