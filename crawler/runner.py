"""Running spiders in-process, as ``scrapy crawl`` would, for the ``crawler`` commands."""

from __future__ import annotations

import os

from scrapy.addons import AddonManager
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.project import get_project_settings

from crawler.errors import ArgumentError


def project_settings(**overrides):
    """The project's settings with the add-ons' defaults, as a crawler will see them."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    for name, value in overrides.items():
        settings.set(name, value, priority="cmdline")
    AddonManager.load_pre_crawler_settings(settings)
    return settings


def runnable_spiders(settings) -> list[str]:
    """Spiders that know their own start URLs (``generic`` needs one given)."""
    loader = get_spider_loader(settings)
    return [name for name in loader.list() if getattr(loader.load(name), "start_urls", None)]


def placeholder_spiders(names: list[str], settings) -> list[str]:
    """Those of ``names`` whose host is a placeholder (``host_is_placeholder``): crawling them
    live can only fail, so a run of every spider leaves them out unless replaying fixtures."""
    if settings.get("FIXTURES") == "replay":
        return []
    loader = get_spider_loader(settings)
    return [name for name in names if getattr(loader.load(name), "host_is_placeholder", False)]


# How a -s value is read for a setting whose default is of the type, and what it must be.
# A number is checked as a float: Scrapy reads many settings with a whole default
# (DOWNLOAD_DELAY, DOWNLOAD_TIMEOUT) as floats, so 0.5 must pass there.
_SETTING_READERS = (
    (bool, lambda settings, name: settings.getbool(name), "True or False"),
    ((int, float), lambda settings, name: float(settings.get(name)), "a number"),
    (dict, lambda settings, name: settings.get(name) == "" or settings.getdict(name), "a JSON object"),
)


def check_setting_types(settings) -> None:
    """A ``-s NAME=VALUE`` that cannot be read as the type of the setting's default (a number,
    a yes/no, a JSON object) is a usage error before anything starts, not a traceback from
    inside Scrapy when the setting is first read."""
    defaults = project_settings()
    cmdline = SETTINGS_PRIORITIES["cmdline"]
    for name, value in settings.items():
        if not isinstance(value, str) or settings.getpriority(name) != cmdline:
            continue
        default = defaults.get(name)
        kind = next((entry for entry in _SETTING_READERS if isinstance(default, entry[0])), None)
        if kind is None:
            continue
        _type, read, expected = kind
        try:
            read(settings, name)
        except ValueError:
            raise ArgumentError(f"-s {name} must be {expected}, not {value!r}") from None


def check_spiders(names: list[str], settings, spider_arguments: dict | None = None) -> None:
    """Unknown spiders and bad spider arguments are usage errors, found before anything runs;
    ``spider_arguments`` None checks only the names."""
    loader = get_spider_loader(settings)
    known = set(loader.list())
    unknown = [name for name in names if name not in known]
    if unknown:
        raise ArgumentError(f"unknown spider {unknown[0]!r}; known: {', '.join(sorted(known))}")
    for name in names:
        check_arguments = getattr(loader.load(name), "check_arguments", None)
        if check_arguments is not None and spider_arguments is not None:
            try:
                check_arguments(**(spider_arguments or {}))
            except ArgumentError as exc:
                raise ArgumentError(f"{name}: {exc}") from None


def run_crawlers(names: list[str], settings, spider_arguments: dict | None = None,
                 per_spider: dict[str, dict] | None = None) -> dict[str, Crawler]:
    """Run the named spiders in one process, each with ``spider_arguments`` and its own
    ``per_spider[name]``; return their crawlers."""
    arguments = {name: {**(spider_arguments or {}), **(per_spider or {}).get(name, {})} for name in names}
    for name in names:
        check_spiders([name], settings, arguments[name])
    process = CrawlerProcess(settings)
    crawlers = {}
    for name in names:
        crawler = process.create_crawler(name)
        crawlers[name] = crawler
        process.crawl(crawler, **arguments[name])
    process.start()
    return crawlers


def run_spiders(names: list[str], settings) -> dict[str, dict]:
    """Run the named spiders in one process; return each spider's final stats."""
    return {name: crawler.stats.get_stats() for name, crawler in run_crawlers(names, settings).items()}
