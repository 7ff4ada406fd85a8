"""The scheduler of a worker in a shared crawl (``DISTRIBUTED = "redis"``).

Every request goes to the crawl's :class:`LeasedQueue` in Redis, filtered by the
crawl's shared fingerprints; every request comes from it.  A request is acknowledged
only when Scrapy is done with it (downloaded, parsed, its items through the pipelines,
its links queued), so a worker killed at any moment loses nothing: what it held comes
back after its lease.  A retry or a redirect of a held request goes back to the queue
in its place.  The worker stays open while any request of the crawl is queued or held
by another worker, and closes when none is: all workers end together.
"""

from __future__ import annotations

import logging

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from twisted.internet import task

from crawler.distributed.crawl import shared_crawl_for
from crawler.distributed.queue import LeasedQueue
from crawler.storage import store_for

logger = logging.getLogger(__name__)

LEASE = "lease_id"  # request.meta key: the id of the shared request a request stands for


class SharedScheduler:
    queue: LeasedQueue  # the crawl's queue in Redis, from open() on

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.crawl = shared_crawl_for(crawler)
        self.stats = crawler.stats
        self.poll_interval = crawler.settings.getfloat("DISTRIBUTED_POLL_INTERVAL")
        self.held: dict[str, Request] = {}  # lease id -> the request this worker is working on
        self.ticker = task.LoopingCall(self.tick)
        self.beats = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedScheduler:
        return cls(crawler)

    def open(self, spider: Spider) -> None:
        store = store_for(self.crawler)
        run_id = self.crawl.join(lambda: store.start_run(spider.name))
        self.queue = LeasedQueue(self.crawl.server, spider, self.crawl.prefix, self.crawl.worker,
                                 self.crawl.lease)
        logger.info("Worker %s joined the shared crawl %s of %s (%s)", self.crawl.worker, run_id,
                    spider.name, self.crawl.prefix)
        self.ticker.start(self.poll_interval, now=False)

    def close(self, reason: str) -> None:
        if self.ticker.running:
            self.ticker.stop()
        self.ack_finished()
        self.queue.release(list(self.held))  # nothing should be left; if anything is, it goes back
        self.held.clear()
        complete, left = self.crawl.leave()
        logger.info("Worker %s left the crawl of %s (%s): %s, %d other workers in it",
                    self.crawl.worker, self.crawl.spider, reason,
                    "complete" if complete else "not complete", left)

    def tick(self) -> None:
        """Acknowledge finished requests, renew the lease, and wake the engine so that a
        worker whose own requests ran out takes the ones other workers queued."""
        self.ack_finished()
        self.beats += 1
        if self.beats * self.poll_interval >= self.crawl.lease / 3:
            self.beats = 0
            self.crawl.heartbeat()
        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is not None and slot.closing is None:
            slot.nextcall.schedule()

    def in_progress(self) -> set[Request]:
        # The engine's own record of the requests it has not finished with (download,
        # parsing, item pipelines); Scrapy has no signal for "done with this request".
        slot = getattr(self.crawler.engine, "_slot", None)
        return slot.inprogress if slot is not None else set()

    def ack_finished(self) -> None:
        busy = self.in_progress()
        done = [lease_id for lease_id, request in self.held.items() if request not in busy]
        for lease_id in done:
            del self.held[lease_id]
        self.queue.ack(done)

    def fingerprint(self, request: Request) -> str:
        return "" if request.dont_filter else self.crawler.request_fingerprinter.fingerprint(request).hex()

    def enqueue_request(self, request: Request) -> bool:
        fingerprint = self.fingerprint(request)
        lease_id = request.meta.pop(LEASE, None)
        if lease_id in self.held:
            del self.held[lease_id]
            queued = self.queue.replace(lease_id, request, fingerprint)
        else:
            queued = self.queue.push(request, fingerprint)
        if not queued:
            self.stats.inc_value("dupefilter/filtered")
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        popped = self.queue.pop()
        if popped is None:
            return None
        lease_id, request = popped
        request.meta[LEASE] = lease_id
        self.held[lease_id] = request
        self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        self.ack_finished()
        return self.queue.pending() > 0

    def __len__(self) -> int:
        return len(self.queue)
