"""Scrapy settings of the project: Scrapy's own values as these crawls run them, and the add-ons.

The project's own settings and components come with ``crawler.addon.ProjectAddon``, which
holds their defaults.  Every value can be overridden here or with ``-s NAME=VALUE``.
"""

from __future__ import annotations

from pathlib import Path

BOT_NAME = "zhengfa_crawler"

SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"
COMMANDS_MODULE = "crawler.scrapy_commands"
# ``scrapy genspider -t trs|empirecms|phpcms``: the dialect spider templates (and their tests).
TEMPLATES_DIR = str(Path(__file__).resolve().parent / "templates")

# Politeness: these are small public-sector servers.
ROBOTSTXT_OBEY = True
USER_AGENT = "zhengfa-crawler/0.1 (+research corpus; contact via project README)"
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
RETRY_TIMES = 2
DOWNLOAD_TIMEOUT = 30
# Limits: a page larger than this (after decompression too) is a reject, never held in memory.
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
# Every item pipeline stage is synchronous, so items of one response gain nothing from running
# side by side, while Scrapy starts this many tasks for each response's output (with the
# default of 100, about 7% of a profiled crawl's time).
CONCURRENT_ITEMS = 1
# Scrapy's check for a generator callback that returns a value parses the callback's source
# again for every response (its cache holds bound methods weakly); ruff's B901, which the
# project's lint runs, makes the same check of its spiders once.
WARN_ON_GENERATOR_RETURN_VALUE = False
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

# The project's components and setting defaults first; the shared-crawl switch
# (``-s DISTRIBUTED=redis``) then swaps some of them for their Redis-backed versions.
ADDONS = {
    "crawler.addon.ProjectAddon": 0,
    "crawler.distributed.addon.DistributedAddon": 100,
}
