"""``-s DISTRIBUTED=redis``: switch a crawl to the shared queue, budget and run records.

A Scrapy add-on, so the switch is one setting: it runs before the settings freeze and
puts the shared components in place of the local ones.  Off (``DISTRIBUTED = ""``) it
changes nothing.
"""

from __future__ import annotations

from scrapy.settings import BaseSettings

from crawler.errors import ArgumentError

MODES = ("", "redis")


def distributed_mode(settings: BaseSettings) -> str:
    """``DISTRIBUTED``, checked: empty or ``redis``."""
    mode = settings.get("DISTRIBUTED") or ""
    if mode not in MODES:
        raise ArgumentError(f"DISTRIBUTED must be empty or 'redis', got {mode!r}")
    return mode


def check_distributed(settings: BaseSettings) -> None:
    """A bad ``DISTRIBUTED``, or a Redis that does not answer, is one line before the crawl starts."""
    if distributed_mode(settings) != "redis":
        return
    import redis
    from scrapy_redis.connection import get_redis_from_settings

    client = get_redis_from_settings(settings)
    try:
        client.ping()
    except redis.RedisError as error:
        raise ArgumentError(f"cannot reach Redis at {settings.get('REDIS_URL')}: {error}") from None
    finally:
        client.close()


class DistributedAddon:
    def update_settings(self, settings: BaseSettings) -> None:
        if not distributed_mode(settings):
            return
        from crawler.distributed.ratelimit import SharedRateLimit
        from crawler.distributed.runs import SharedHealthMonitor, SharedRunRecorder
        from crawler.distributed.scheduler import SharedScheduler
        from crawler.health import HealthMonitor
        from crawler.runs import RunRecorder

        settings.set("SCHEDULER", SharedScheduler, priority="cmdline")
        settings.replace_in_component_priority_dict("EXTENSIONS", RunRecorder, SharedRunRecorder)
        settings.replace_in_component_priority_dict("EXTENSIONS", HealthMonitor, SharedHealthMonitor)
        settings.set_in_component_priority_dict("DOWNLOADER_MIDDLEWARES", SharedRateLimit, 990)
        # The delay between two requests to a site is kept by all workers together, in
        # Redis; each worker's own delay, AutoThrottle and per-site concurrency step aside.
        if settings.get("DISTRIBUTED_DOWNLOAD_DELAY") is None:
            settings.set("DISTRIBUTED_DOWNLOAD_DELAY", settings.getfloat("DOWNLOAD_DELAY"), priority="cmdline")
        for name, value in (("DOWNLOAD_DELAY", 0), ("AUTOTHROTTLE_ENABLED", False),
                            ("CONCURRENT_REQUESTS_PER_DOMAIN", settings.getint("CONCURRENT_REQUESTS")),
                            # A request is acknowledged once its articles are committed.
                            ("STORE_BATCH_SIZE", 1)):
            settings.set(name, value, priority="cmdline")
