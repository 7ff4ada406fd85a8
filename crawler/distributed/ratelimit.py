"""One politeness budget per site for all the workers of a shared crawl.

Each worker's own ``DOWNLOAD_DELAY`` would let N workers hit a small public server N
times as often.  Instead, every request to a host first books the next free slot of
that host in Redis: a Lua script moves the host's "next slot" time forward by the
shared delay, on the Redis clock, and the request waits until its slot; one that wakes
too late books again.  So requests to one host leave all workers together at most
about once per delay.  The middleware runs
last, after retries and redirects are decided, just before the download.
"""

from __future__ import annotations

import time

from redis import Redis
from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy_redis.connection import get_redis_from_settings
from twisted.internet import task

# KEYS: the host's key.  ARGV: delay in ms.  Returns how many ms to wait for the booked slot.
_BOOK = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local slot = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
local delay = tonumber(ARGV[1])
redis.call('SET', KEYS[1], slot + delay, 'PX', delay + 60000)
return slot - now
"""


class SharedRateLimit:
    """Downloader middleware: at most one request per ``DISTRIBUTED_DOWNLOAD_DELAY`` seconds
    to each host, across every worker of the crawl."""

    def __init__(self, server: Redis, key_prefix: str, delay: float, stats: StatsCollector):
        self.server = server
        self.key_prefix = key_prefix
        self.delay_ms = round(delay * 1000)
        self.stats = stats
        self.book = server.register_script(_BOOK)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedRateLimit:
        settings = crawler.settings
        return cls(get_redis_from_settings(settings), settings.get("DISTRIBUTED_KEY_PREFIX"),
                   settings.getfloat("DISTRIBUTED_DOWNLOAD_DELAY"), crawler.stats)

    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        if self.delay_ms <= 0:
            return None
        from twisted.internet import reactor  # the one Scrapy installed

        key = f"{self.key_prefix}:rate:{urlparse_cached(request).hostname or ''}"
        late_ms = min(self.delay_ms / 5, 20)
        while True:
            booked_at = time.monotonic()
            wait_ms = int(self.book(keys=[key], args=[self.delay_ms]))
            if wait_ms > 0:
                self.stats.inc_value("distributed/rate_wait_ms", wait_ms)
                await maybe_deferred_to_future(task.deferLater(reactor, wait_ms / 1000))
            # A busy worker may wake long after its slot; sent now, it would crowd the next
            # ones, so it books a new slot instead.
            if (time.monotonic() - booked_at) * 1000 - wait_ms <= late_ms:
                return None
            self.stats.inc_value("distributed/rate_rebooked")
