"""Running spiders in-process, as ``scrapy crawl`` would, for the ``crawler`` commands."""

from __future__ import annotations

import os

from scrapy.crawler import CrawlerProcess
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.project import get_project_settings

from crawler.cli import UsageError


def project_settings(**overrides):
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    for name, value in overrides.items():
        settings.set(name, value, priority="cmdline")
    return settings


def runnable_spiders(settings) -> list[str]:
    """Spiders that know their own start URLs (``generic`` needs one given)."""
    loader = get_spider_loader(settings)
    return [name for name in loader.list() if getattr(loader.load(name), "start_urls", None)]


def run_spiders(names: list[str], settings) -> dict[str, dict]:
    """Run the named spiders in one process; return each spider's final stats."""
    process = CrawlerProcess(settings)
    known = set(process.spider_loader.list())
    unknown = [name for name in names if name not in known]
    if unknown:
        raise UsageError(f"unknown spider {unknown[0]!r}; known: {', '.join(sorted(known))}")
    crawlers = {}
    for name in names:
        crawler = process.create_crawler(name)
        crawlers[name] = crawler
        process.crawl(crawler)
    process.start()
    return {name: crawler.stats.get_stats() for name, crawler in crawlers.items()}
