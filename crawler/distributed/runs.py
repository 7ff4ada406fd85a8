"""Run records of a shared crawl: one ``crawl_runs`` row per crawl, one ``crawl_parts`` row
per worker, and health judged on the whole crawl.

Each worker records its own part when it stops.  A worker that leaves a complete crawl
sums the stats of all parts reported so far into the crawl's row and judges its
health; the last to leave has every part, so the row ends up the whole crawl's.  A
worker killed outright reports no part: its stored articles are in the database, but
not in the crawl's counts.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from scrapy import Spider
from scrapy.crawler import Crawler

from crawler.distributed.crawl import shared_crawl_for
from crawler.health import HealthMonitor
from crawler.runs import RUN_ID_STAT, RunRecorder, run_counts

if TYPE_CHECKING:
    from spiders.base import NewsSpider


def merge_stats(parts: list[dict]) -> dict:
    """The numeric stats of the parts, added up (times and reasons are per worker)."""
    total: dict = {}
    for stats in parts:
        for key, value in stats.items():
            if key == RUN_ID_STAT:
                total[key] = value  # the same in every part
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                total[key] = total.get(key, 0) + value
    return total


def _json(stats: dict) -> str:
    return json.dumps(stats, default=str, ensure_ascii=False, sort_keys=True)


class SharedRunRecorder(RunRecorder):
    """Extension, instead of :class:`RunRecorder` in a shared crawl."""

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        self.crawl = shared_crawl_for(crawler)
        self.part_id: int | None = None

    def spider_opened(self, spider: Spider) -> None:
        # The scheduler joined the crawl (it opens before this signal): its row is ours.
        run_id = self.crawl.run_id
        if run_id is None:
            raise RuntimeError(f"the scheduler has not joined the shared crawl of {spider.name}")
        self.run_id = run_id
        self.crawler.stats.set_value(RUN_ID_STAT, run_id)
        self.store.finish_run(run_id, finished_at=None, finish_reason=None)  # (re)opened
        self.part_id = self.store.start_part(run_id, self.crawl.worker)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.run_id is None or self.part_id is None:
            return  # this worker never joined the crawl: no part of it to record
        stats = self.crawler.stats.get_stats()
        self.store.finish_part(self.part_id, finish_reason=reason, stats=_json(stats), **run_counts(stats))
        if self.crawl.complete:
            total = merge_stats(self.store.part_stats(self.run_id))
            self.store.finish_run(self.run_id, finish_reason="finished", stats=_json(total),
                                  **run_counts(total))
        elif not self.crawl.workers_left:
            self.store.finish_run(self.run_id, finish_reason=reason)  # stopped; the next worker resumes it


class SharedHealthMonitor(HealthMonitor):
    """Extension, instead of :class:`HealthMonitor`: judges the whole crawl, once it is complete."""

    def spider_closed(self, spider: NewsSpider, reason: str) -> None:
        crawl = shared_crawl_for(self.crawler)
        if crawl.complete and crawl.run_id is not None:
            self.judge(spider, crawl.run_id, merge_stats(self.store.part_stats(crawl.run_id)))
