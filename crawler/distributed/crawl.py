"""One crawl of a site shared by several workers: its id, who takes part, when it is over.

The first worker to join creates the crawl's ``crawl_runs`` row and publishes its id in
Redis; the others join that crawl.  A worker that leaves gives back what it holds.
The crawl is complete when nothing is queued and no live worker holds a request; it is
then marked done, and the next worker to join starts a new crawl on clean keys (empty
queue, empty fingerprints), so tomorrow's crawl fetches its start pages again.  A crawl
whose workers all stopped before it was complete stays in Redis and the next worker
resumes it, with the same id.
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from weakref import WeakKeyDictionary

from scrapy.crawler import Crawler
from scrapy_redis.connection import get_redis_from_settings

from crawler.distributed.queue import _COMMON

# ARGV: prefix, worker, lease.  Join (a done crawl is wiped first); 1 if this worker founds it.
_JOIN = _COMMON + """
if redis.call('HGET', prefix .. ':crawl', 'done') == '1' then
  for _, worker in ipairs(redis.call('ZRANGE', prefix .. ':workers', 0, -1)) do
    redis.call('DEL', prefix .. ':held:' .. worker)
  end
  for _, name in ipairs({'crawl', 'queue', 'requests', 'seen', 'seq', 'workers'}) do
    redis.call('DEL', prefix .. ':' .. name)
  end
end
redis.call('ZADD', prefix .. ':workers', now() + tonumber(ARGV[3]), ARGV[2])
return redis.call('HSETNX', prefix .. ':crawl', 'founder', ARGV[2])
"""

# ARGV: prefix, worker.  Leave, giving back what is held.  Returns {complete, workers left}.
_LEAVE = _COMMON + """
give_back(ARGV[2])
reclaim()
local complete = pending() == 0
local left = redis.call('ZCARD', prefix .. ':workers')
if complete then
  if left == 0 then
    for _, name in ipairs({'crawl', 'queue', 'requests', 'seen', 'seq', 'workers'}) do
      redis.call('DEL', prefix .. ':' .. name)
    end
  else
    redis.call('HSET', prefix .. ':crawl', 'done', '1')
  end
end
return {complete and 1 or 0, left}
"""

# ARGV: prefix, worker, lease.
_HEARTBEAT = _COMMON + """
redis.call('ZADD', prefix .. ':workers', now() + tonumber(ARGV[3]), ARGV[2])
return 0
"""


class SharedCrawl:
    """This worker's view of the crawl of one spider that it shares through Redis."""

    def __init__(self, server, spider: str, key_prefix: str, lease: float):
        self.server = server
        self.spider = spider
        self.prefix = f"{key_prefix}:{spider}"
        self.worker = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.lease = lease
        self.run_id: int | None = None
        self.complete = False  # set when this worker leaves a crawl with nothing left to do
        self.workers_left = 0  # workers still in the crawl when this one left
        self._join, self._leave, self._heartbeat = (
            server.register_script(script) for script in (_JOIN, _LEAVE, _HEARTBEAT))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedCrawl:
        settings = crawler.settings
        return cls(get_redis_from_settings(settings), crawler.spidercls.name,
                   settings.get("DISTRIBUTED_KEY_PREFIX"), settings.getfloat("DISTRIBUTED_LEASE"))

    def join(self, start_run, wait: float = 30.0) -> int:
        """Join the crawl (``start_run()`` makes the ``crawl_runs`` row of a new one); its run id."""
        if self._join(args=[self.prefix, self.worker, self.lease]):
            self.run_id = start_run()
            self.server.hset(f"{self.prefix}:crawl", "run_id", self.run_id)
            return self.run_id
        deadline = time.monotonic() + wait
        while (run_id := self.server.hget(f"{self.prefix}:crawl", "run_id")) is None:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the crawl of {self.spider} in Redis ({self.prefix}) has no run id: "
                                   "its founder died while starting it; delete the key "
                                   f"{self.prefix}:crawl and start again")
            time.sleep(0.2)
        self.run_id = int(run_id)
        return self.run_id

    def heartbeat(self) -> None:
        self._heartbeat(args=[self.prefix, self.worker, self.lease])

    def leave(self) -> tuple[bool, int]:
        """Leave the crawl; whether it is complete, and how many workers are still in it."""
        complete, left = self._leave(args=[self.prefix, self.worker])
        self.complete, self.workers_left = bool(complete), int(left)
        return self.complete, self.workers_left


_CRAWLS: WeakKeyDictionary[Crawler, SharedCrawl] = WeakKeyDictionary()


def shared_crawl_for(crawler: Crawler) -> SharedCrawl:
    """The one SharedCrawl that the scheduler, run recorder and health monitor of a crawler share."""
    crawl = _CRAWLS.get(crawler)
    if crawl is None:
        crawl = _CRAWLS[crawler] = SharedCrawl.from_crawler(crawler)
    return crawl
