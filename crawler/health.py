"""Health of each spider run: alarms that show a site stopped yielding articles or fields.

A template change rarely breaks a crawl outright; it empties a field, sends every
page to the generic extractor, or leaves a column with no new article.  After each
run that finished, :class:`HealthMonitor` compares the run with thresholds and with
the spider's previous runs, stores the alarms in ``crawl_runs.alarms`` and logs
them; ``crawler crawl`` exits non-zero when there are any.

The figures come from the run's stats (kept in ``crawl_runs.stats``), so the
history needs nothing beyond the run records: every item that reached the end of
the pipelines, stored or rejected, counts in ``health/items`` and, per field it
has, in ``health/has/<field>``; one whose body came from the generic reader although the
spider has selectors of its own counts in ``health/generic_body``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

from crawler.addon import SETTINGS
from crawler.extraction import METHOD
from crawler.readers import Reader
from crawler.runs import run_id_of
from crawler.storage import store_for

if TYPE_CHECKING:
    from spiders.base import NewsSpider

FIELDS = ("title", "published_at", "body", "source")
_STATUS = re.compile(r"^downloader/response_status_count/(\d+)$")
_ROBOTS_STATUS = "robotstxt/response_status_count/{}"


@dataclass(frozen=True)
class RunFacts:
    """The figures of one run that health looks at."""

    new: int
    items: int
    present: dict[str, int]
    generic: int
    requests: int
    http_errors: int
    start_pages: int = 0
    start_failed: int = 0  # start pages whose download failed or that listed nothing


    @classmethod
    def from_stats(cls, stats: dict) -> RunFacts:
        robots_errors = stats.get("robotstxt/download_errors", 0)
        errors = stats.get("downloader/exception_count", 0) - robots_errors
        for key, count in stats.items():
            match = _STATUS.match(key)
            if match and int(match[1]) >= 400:
                errors += count - stats.get(_ROBOTS_STATUS.format(match[1]), 0)
        return cls(
            new=stats.get("articles/new", 0),
            items=stats.get("health/items", 0),
            present={name: stats.get(f"health/has/{name}", 0) for name in FIELDS},
            generic=stats.get("health/generic_body", 0),
            requests=(stats.get("downloader/response_count", 0) + stats.get("downloader/exception_count", 0)
                      - stats.get("robotstxt/response_count", 0) - robots_errors),
            http_errors=errors,
            start_pages=stats.get("start/requests", 0),
            start_failed=stats.get("start/failed", 0) + stats.get("start/empty", 0),
        )

    def coverage(self, name: str) -> float:
        return self.present[name] / self.items if self.items else 0.0


def _coverage_pairs(coverage: dict) -> tuple[tuple[str, float], ...]:
    return tuple((name, float(share)) for name, share in coverage.items())


@dataclass(frozen=True)
class HealthRules:
    """Thresholds, from the ``HEALTH_*`` settings (defaults: ``crawler.addon``)."""

    history_runs: int = SETTINGS["HEALTH_HISTORY_RUNS"]
    min_history: int = SETTINGS["HEALTH_MIN_HISTORY"]
    min_items: int = SETTINGS["HEALTH_MIN_ITEMS"]
    min_coverage: tuple[tuple[str, float], ...] = _coverage_pairs(SETTINGS["HEALTH_MIN_COVERAGE"])
    coverage_drop: float = SETTINGS["HEALTH_COVERAGE_DROP"]
    max_generic_share: float = SETTINGS["HEALTH_MAX_GENERIC_SHARE"]
    min_requests: int = SETTINGS["HEALTH_MIN_REQUESTS"]
    max_http_error_rate: float = SETTINGS["HEALTH_MAX_HTTP_ERROR_RATE"]

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> HealthRules:
        return cls(
            history_runs=settings.getint("HEALTH_HISTORY_RUNS"),
            min_history=settings.getint("HEALTH_MIN_HISTORY"),
            min_items=settings.getint("HEALTH_MIN_ITEMS"),
            min_coverage=_coverage_pairs(settings.getdict("HEALTH_MIN_COVERAGE")),
            coverage_drop=settings.getfloat("HEALTH_COVERAGE_DROP"),
            max_generic_share=settings.getfloat("HEALTH_MAX_GENERIC_SHARE"),
            min_requests=settings.getint("HEALTH_MIN_REQUESTS"),
            max_http_error_rate=settings.getfloat("HEALTH_MAX_HTTP_ERROR_RATE"),
        )


def _generic_by_design(spidercls: type[Spider]) -> bool:
    """A spider that reads every page with the generic reader has no selectors to fall back from."""
    reader: type[Reader] | None = getattr(spidercls, "reader_class", None)  # a NewsSpider's
    return reader is not None and reader.cms == METHOD


def _pct(share: float) -> str:
    return f"{share:.0%}"


def alarms_for(run: RunFacts, history: list[RunFacts], rules: HealthRules) -> list[dict]:
    """The alarms of ``run`` given the spider's previous finished runs (newest first)."""
    alarms = []
    if run.start_pages and run.start_failed >= run.start_pages:
        alarms.append({"kind": "dead_start", "message":
                       f"every start page ({run.start_pages}) failed or listed nothing"})
    elif run.requests == 0:
        alarms.append({"kind": "nothing_fetched", "message": "no page was fetched"})
    with_new = sum(1 for past in history if past.new)
    if run.new == 0 and len(history) >= rules.min_history and with_new * 2 > len(history):
        alarms.append({"kind": "zero_new", "message":
                       f"no new article, though {with_new} of the previous {len(history)} runs "
                       "brought some"})
    if run.items >= rules.min_items:
        sampled = [past for past in history if past.items >= rules.min_items]
        for name, threshold in rules.min_coverage:
            share = run.coverage(name)
            if share < threshold:
                alarms.append({"kind": "coverage", "field": name, "message":
                               f"{name} in {_pct(share)} of {run.items} articles "
                               f"(threshold {_pct(threshold)})"})
            elif sampled:
                before = sum(past.coverage(name) for past in sampled) / len(sampled)
                if before - share >= rules.coverage_drop:
                    alarms.append({"kind": "coverage_drop", "field": name, "message":
                                   f"{name} in {_pct(share)} of {run.items} articles, down from "
                                   f"{_pct(before)} over the previous runs"})
        generic = run.generic / run.items
        if generic > rules.max_generic_share:
            alarms.append({"kind": "generic", "message":
                           f"{_pct(generic)} of {run.items} articles fell back to the generic "
                           f"extractor (threshold {_pct(rules.max_generic_share)})"})
    if run.requests >= rules.min_requests:
        rate = run.http_errors / run.requests
        if rate > rules.max_http_error_rate:
            alarms.append({"kind": "http_errors", "message":
                           f"{run.http_errors} of {run.requests} requests failed "
                           f"({_pct(rate)}, threshold {_pct(rules.max_http_error_rate)})"})
    return alarms


class HealthMonitor:
    """Extension: counts field coverage of every finished item, and judges the run when it ends.

    The run's id is in the stats (``crawler.runs.RUN_ID_STAT``) from the moment the
    spider opens, so the order of the extensions does not matter.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.store = store_for(crawler)
        self.rules = HealthRules.from_settings(crawler.settings)
        self.generic_by_design = _generic_by_design(crawler.spidercls)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HealthMonitor:
        monitor = cls(crawler)
        crawler.signals.connect(monitor.item_done, signal=signals.item_scraped)
        crawler.signals.connect(monitor.item_done, signal=signals.item_dropped)
        crawler.signals.connect(monitor.spider_closed, signal=signals.spider_closed)
        return monitor

    def item_done(self, item: Any, **_kwargs: Any) -> None:
        adapter = ItemAdapter(item)
        stats = self.crawler.stats
        stats.inc_value("health/items")
        for name in FIELDS:
            if adapter.get(name):
                stats.inc_value(f"health/has/{name}")
        if (adapter.get("field_sources") or {}).get("body") == METHOD and not self.generic_by_design:
            stats.inc_value("health/generic_body")

    def spider_closed(self, spider: NewsSpider, reason: str) -> None:
        run_id = run_id_of(self.crawler)
        if reason != "finished" or run_id is None:
            return
        self.judge(spider, run_id, self.crawler.stats.get_stats())

    def judge(self, spider: NewsSpider, run_id: int, stats: dict) -> None:
        """Store and log the alarms of the run ``run_id``, whose Scrapy stats are ``stats``."""
        run = RunFacts.from_stats(stats)
        history = [RunFacts.from_stats(json.loads(past.stats))
                   for past in self.store.finished_runs(spider.name, run_id, self.rules.history_runs)]
        alarms = alarms_for(run, history, self.rules)
        self.store.update_run(run_id, alarms=json.dumps(alarms, ensure_ascii=False))
        self.crawler.stats.set_value("health/alarms", len(alarms))
        for alarm in alarms:
            spider.logger.warning("Health alarm (%s): %s", alarm["kind"], alarm["message"])
