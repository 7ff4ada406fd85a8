"""Scrapy commands of this project (``COMMANDS_MODULE``).

They check what the user typed before Scrapy starts, so that a mistake is one line
and exit status 2, not a traceback after the start-up log.
"""

from __future__ import annotations

import sys
from typing import NoReturn

from scrapy.addons import AddonManager

from crawler.distributed.addon import check_distributed
from crawler.fixtures import fixtures_mode
from crawler.runner import check_setting_types
from crawler.storage import check_database_url


def check_project_settings(settings) -> None:
    """The settings every command that downloads relies on: ``-s`` values of the right type,
    ``FIXTURES``, ``DATABASE_URL`` and ``DISTRIBUTED``, with the add-ons' defaults (a command
    checks before any crawler exists)."""
    check_setting_types(settings)
    AddonManager.load_pre_crawler_settings(settings)
    fixtures_mode(settings)
    check_distributed(settings)
    check_database_url(settings.get("DATABASE_URL"))


def exit_with_usage_error(prefix: str, error: Exception) -> NoReturn:
    message = error.args[0] if error.args else str(error)
    print(f"{prefix}: {message}", file=sys.stderr)
    sys.exit(2)
