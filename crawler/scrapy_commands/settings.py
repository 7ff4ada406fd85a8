"""``scrapy settings`` with the values a crawl gets: the add-ons' defaults and components included
(Scrapy's own command starts no crawler, so it would show the settings module alone)."""

from __future__ import annotations

import argparse

from scrapy.addons import AddonManager
from scrapy.commands.settings import Command as ScrapySettingsCommand


class Command(ScrapySettingsCommand):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        AddonManager.load_pre_crawler_settings(self.settings)
        super().run(args, opts)
