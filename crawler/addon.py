"""The project as a Scrapy add-on: its components, and the one default of each of its settings.

Components read the project's settings without a fallback of their own, so a default
lives here only; the README's settings table is checked against ``SETTINGS`` by the tests.
An add-on rather than the settings module, so that the defaults hold wherever a crawler is
made (``scrapy crawl``, ``crawler crawl``, a test's ``get_crawler``), at ``addon`` priority:
the settings module, a spider's ``custom_settings`` and ``-s`` still win.  A component a
project or a spider disables (``None``) stays disabled.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

T = TypeVar("T")

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# The project's own settings and their defaults, grouped as in the README's table.
SETTINGS: dict[str, Any] = {
    # Storage: a SQLAlchemy URL, and articles per transaction.
    "DATABASE_URL": "sqlite:///data/news.db",
    "STORE_BATCH_SIZE": 20,
    # Offline fixtures (crawler/fixtures.py): "replay", "record", "archive" or "" (live).
    "FIXTURES": "",
    "FIXTURES_DIR": str(PROJECT_ROOT / "fixtures"),  # several roots: comma-separated, first wins
    "ARCHIVE_PAGES": True,
    # Failed pages (crawler/failures.py) and server-requested waits (crawler/retry.py).
    "FAILURE_MAX_ATTEMPTS": 5,
    "FAILURE_RETRY_DELAY": 3600,
    "RETRY_AFTER_MAX": 120,
    # Incremental crawling (crawler/incremental.py).
    "INCREMENTAL_STOP_PAGING": True,
    # Health alarms (crawler/health.py).
    "HEALTH_HISTORY_RUNS": 7,
    "HEALTH_MIN_HISTORY": 3,
    "HEALTH_MIN_ITEMS": 3,
    "HEALTH_MIN_COVERAGE": {"title": 0.9, "published_at": 0.8, "body": 0.5, "source": 0.2},
    "HEALTH_COVERAGE_DROP": 0.3,
    "HEALTH_MAX_GENERIC_SHARE": 0.5,
    "HEALTH_MIN_REQUESTS": 5,
    "HEALTH_MAX_HTTP_ERROR_RATE": 0.2,
    # Cleaning stages (crawler/cleaning); each *_ENABLED switch turns its pipeline off.
    "BOILERPLATE_ENABLED": True,
    "LEARNED_BOILERPLATE_ENABLED": True,
    "LEARNED_BOILERPLATE_MIN_ARTICLES": 5,
    "LEARNED_BOILERPLATE_MIN_SITE_ARTICLES": 50,
    "LEARNED_BOILERPLATE_SAMPLE": 2000,
    "TEXT_ENABLED": True,
    "MIRROR_MIN_ANNOTATIONS": 3,
    "DATES_ENABLED": True,
    "BYLINES_ENABLED": True,
    "VALIDATE_ENABLED": True,
    "VALIDATE_MIN_BODY_CHARS": 30,
    "VALIDATE_MAX_BODY_CHARS": 200_000,
    # Near-duplicate detection (crawler/dedup).
    "DEDUP_SHINGLE_SIZE": 5,
    "DEDUP_NUM_PERM": 128,
    "DEDUP_THRESHOLD": 0.5,
    "DEDUP_BANDS": None,
    "DEDUP_ROWS": None,
    "DEDUP_SEED": 1,
    "DEDUP_MIN_CHARS": 50,
    # Worker processes for CPU work nothing needs at once: signing bodies (crawler/workers.py).
    "WORKER_PROCESSES": None,
    # Scaling out (crawler/distributed).
    "DISTRIBUTED": "",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "DISTRIBUTED_KEY_PREFIX": "zhengfa",
    "DISTRIBUTED_LEASE": 60.0,
    "DISTRIBUTED_POLL_INTERVAL": 0.5,
    "DISTRIBUTED_DOWNLOAD_DELAY": None,
}

# Settings whose environment variable of the same name wins over the default above.
FROM_ENVIRONMENT = ("DATABASE_URL", "DISTRIBUTED", "REDIS_URL")

COMPONENTS: dict[str, dict[str, int | None]] = {
    "DOWNLOADER_MIDDLEWARES": {
        "crawler.fixtures.FixturesMiddleware": 50,
        "crawler.fixtures.CharsetMiddleware": 60,
        "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
        "crawler.retry.RetryAfterMiddleware": 550,
        "crawler.incremental.ConditionalGetMiddleware": 570,
    },
    "SPIDER_MIDDLEWARES": {
        "crawler.archive.PageArchiveMiddleware": 950,
        "crawler.failures.PageFailureMiddleware": 960,
    },
    # Order matters twice: the lock is taken before anything else opens; the clustering's
    # stats are set at close before the run recorder stores the run's stats.
    "EXTENSIONS": {
        "crawler.lock.CrawlLock": 0,
        "crawler.workers.WorkerPool": 10,
        "crawler.dedup.extension.Clustering": 50,
        "crawler.runs.RunRecorder": 100,
        "crawler.health.HealthMonitor": 110,
        "crawler.incremental.EmptyFeedNote": 120,
    },
    "ITEM_PIPELINES": {
        "pipelines.boilerplate.BoilerplatePipeline": 100,
        "pipelines.learned_boilerplate.LearnedBoilerplatePipeline": 200,
        "pipelines.text.TextPipeline": 300,
        "pipelines.dates.DatesPipeline": 400,
        "pipelines.bylines.BylinesPipeline": 500,
        "pipelines.validate.ValidatePipeline": 600,
        "pipelines.dedup.DedupPipeline": 700,
        "pipelines.store.StorePipeline": 900,
    },
}

# Scrapy settings whose value is one of the project's components.
SCRAPY_SETTINGS: dict[str, Any] = {
    "LOG_FORMATTER": "crawler.logformatter.QuietDropLogFormatter",
    "ITEM_PROCESSOR": "crawler.item_processor.ItemProcessor",
}


def default_of(name: str) -> Any:
    """The default of one project setting, the environment first where it may say."""
    if name in FROM_ENVIRONMENT and name in os.environ:
        return os.environ[name]
    return SETTINGS[name]


def _component_path(key: Any) -> str:
    return key if isinstance(key, str) else f"{key.__module__}.{key.__qualname__}"


def apply_defaults(settings: BaseSettings) -> None:
    """Give ``settings`` the project's defaults and components, below every other source."""
    for name in SETTINGS:
        settings.set(name, default_of(name), priority="addon")
    for name, value in SCRAPY_SETTINGS.items():
        settings.set(name, value, priority="addon")
    for name, components in COMPONENTS.items():
        current = settings.getdict(name)
        present = {_component_path(key) for key in current}
        missing = {path: order for path, order in components.items() if path not in present}
        if missing:
            settings.set(name, {**current, **missing}, priority=max(settings.getpriority(name) or 0, 15))


class ProjectAddon:
    """``ADDONS = {"crawler.addon.ProjectAddon": 0}``: the project's pipelines, middlewares,
    extensions and setting defaults.  Commands that read settings before any crawler
    exists (the lock's ``DATABASE_URL``) get them through ``update_pre_crawler_settings``."""

    @classmethod
    def update_pre_crawler_settings(cls, settings: BaseSettings) -> None:
        apply_defaults(settings)

    def update_settings(self, settings: BaseSettings) -> None:
        apply_defaults(settings)


def running_extension(crawler: Crawler, cls: type[T]) -> T | None:
    """The running instance of one of the project's extensions; None when it is off, or
    when the crawler is not crawling (``crawler probe`` builds one to run the cleaning
    stages), which has no extension manager."""
    try:
        return crawler.get_extension(cls)
    except RuntimeError:
        return None
