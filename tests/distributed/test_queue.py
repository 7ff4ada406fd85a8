"""The leased queue and the crawl's membership, straight against a real Redis."""

from __future__ import annotations

import time

import pytest
import scrapy

from crawler.distributed.crawl import SharedCrawl
from crawler.distributed.queue import LeasedQueue
from tests.distributed.conftest import REDIS_URL


class Demo(scrapy.Spider):
    name = "demo"

    def parse(self, response):
        pass


@pytest.fixture
def server(redis_prefix):
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    yield client
    client.close()


def worker(server, prefix, name: str, lease: float = 60) -> LeasedQueue:
    return LeasedQueue(server, Demo(), f"{prefix}:demo", name, lease)


def test_a_popped_request_is_held_until_acknowledged_and_seen_requests_are_not_queued_again(server, redis_prefix):
    queue = worker(server, redis_prefix, "a")
    assert queue.push(scrapy.Request("http://127.0.0.1/1", priority=1), "f1")
    assert queue.push(scrapy.Request("http://127.0.0.1/2"), "f2")
    assert not queue.push(scrapy.Request("http://127.0.0.1/1"), "f1"), "the fingerprint was seen"
    lease_id, request = queue.pop()
    assert request.url == "http://127.0.0.1/1", "higher priority first"
    assert queue.pending() == 2, "a held request is still pending"
    queue.ack([lease_id])
    assert queue.pending() == 1
    second_id, _second = queue.pop()
    queue.release([second_id])
    assert queue.pop()[1].url == "http://127.0.0.1/2", "a released request is queued again"


def test_a_retry_takes_the_place_of_the_held_request(server, redis_prefix):
    queue = worker(server, redis_prefix, "a")
    queue.push(scrapy.Request("http://127.0.0.1/1"), "f1")
    lease_id, request = queue.pop()
    assert queue.replace(lease_id, request.replace(dont_filter=True, meta={"retry_times": 1}))
    again_id, again = queue.pop()
    assert again_id == lease_id and again.meta["retry_times"] == 1
    assert not queue.replace(lease_id, scrapy.Request("http://127.0.0.1/1"), "f1"), \
        "a redirect to a page seen before is dropped"
    assert queue.pending() == 0


def test_requests_of_a_worker_whose_lease_ran_out_come_back(server, redis_prefix):
    dying, living = worker(server, redis_prefix, "dying", lease=1), worker(server, redis_prefix, "living")
    dying.push(scrapy.Request("http://127.0.0.1/1"), "f1")
    dying.pop()
    assert living.pop() is None and living.pending() == 1
    time.sleep(1.2)
    assert living.pop()[1].url == "http://127.0.0.1/1"


def test_the_last_worker_to_leave_a_complete_crawl_clears_it_and_the_next_crawl_is_new(server, redis_prefix):
    first, second = (SharedCrawl(server, "demo", redis_prefix, lease=60) for _ in range(2))
    runs = iter([101, 102])
    assert first.join(lambda: next(runs)) == 101
    assert second.join(lambda: pytest.fail("a second worker creates no crawl")) == 101
    queue = worker(server, redis_prefix, first.worker)
    queue.push(scrapy.Request("http://127.0.0.1/1"), "f1")
    assert second.leave() == (False, 1), "a graceful stop leaves the queued request"
    assert queue.pending() == 1
    lease_id, _request = queue.pop()
    queue.ack([lease_id])
    assert first.leave() == (True, 0)
    assert not list(server.scan_iter(f"{redis_prefix}:*")), "a complete crawl leaves no keys"
    assert SharedCrawl(server, "demo", redis_prefix, lease=60).join(lambda: next(runs)) == 102
