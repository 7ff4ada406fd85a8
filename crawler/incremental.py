"""Incremental crawling: a nightly run fetches list pages and only the articles it lacks.

An article URL already stored (or rejected before: its raw page is kept in ``pages``
and can be parsed again offline) is not requested again.  ``-a refresh=DAYS``
re-checks those younger than DAYS days with a conditional GET built from the
stored page's ETag / Last-Modified; a 304 answer is replaced by the stored page, so
the article is parsed again and its row refreshed without downloading it.

Paging through a column stops after the first list page that brings nothing to
fetch (setting ``INCREMENTAL_STOP_PAGING``), unless the previous run of the spider
did not finish: then this run pages through everything it may, to pick up what the
interrupted run missed.  URLs are compared in their canonical form (``crawler.urls``).
Stats: ``incremental/new``, ``/known``, ``/refresh`` (list entries by outcome),
``/not_modified`` (304 answers) and ``/paging_stopped``.  A feed export (``-O``) therefore
holds only what a run fetched; when that is nothing, :class:`EmptyFeedNote` says why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Headers, Request, Response
from scrapy.responsetypes import responsetypes
from scrapy.statscollectors import StatsCollector

from crawler import clock
from crawler.listing import ListEntry
from crawler.runs import run_id_of
from crawler.storage import store_for
from crawler.urls import canonical_url, url_rules

if TYPE_CHECKING:
    from spiders.base import NewsSpider

NEW, REFRESH, KNOWN = "new", "refresh", "known"
FINISHED = "finished"


def _cutoff(days: int) -> str:
    """The oldest date (ISO text, comparable with stored timestamps) a refresh re-checks."""
    return (clock.now() - timedelta(days=days)).date().isoformat()


def _nothing_stored(urls: list[str]) -> dict[str, str]:
    return {}


@dataclass
class Frontier:
    """What one run of a spider already has: URLs to skip, URLs to re-check, when to stop paging.

    Nothing is loaded up front: each list page's entries are looked up in the store
    (``stored``), so opening a spider costs the same whatever the corpus size.  The
    spider holds its run's frontier (``NewsSpider.frontier``).
    """

    stored: Callable[[list[str]], dict[str, str]] = _nothing_stored
    refresh_cutoff: str | None = None
    stop_paging: bool = False
    rules: dict = field(default_factory=dict)
    stats: StatsCollector | None = None  # where the entries are counted by outcome

    def actions(self, urls: list[str]) -> list[str]:
        keys = [canonical_url(url, **self.rules) for url in urls]
        known = self.stored(list(dict.fromkeys([*keys, *urls])))
        actions = []
        for url, key in zip(urls, keys, strict=True):
            when = known.get(key, known.get(url))
            if when is None:
                actions.append(NEW)
            elif self.refresh_cutoff is not None and when >= self.refresh_cutoff:
                actions.append(REFRESH)
            else:
                actions.append(KNOWN)
        return actions

    @classmethod
    def load(cls, spider: NewsSpider) -> Frontier:
        """The frontier of the spider's running crawl: its run has been recorded (the
        spider opened), so "the previous run" is the one before it."""
        crawler = spider.crawler
        store = store_for(crawler)
        site = spider.name
        previous = store.previous_run(site, other_than=run_id_of(crawler))
        finished = previous is not None and previous.finish_reason == FINISHED
        stop = crawler.settings.getbool("INCREMENTAL_STOP_PAGING") and finished
        if previous is not None and not finished:
            spider.logger.info("The previous %s run did not finish (%s): paging through every "
                               "list page to pick up what it missed", site,
                               previous.finish_reason or "killed")
        return cls(partial(store.stored_urls, site), _cutoff(spider.refresh) if spider.refresh else None,
                   stop, url_rules(spider), crawler.stats)

    def choose(self, entries: list[ListEntry]) -> list[tuple[ListEntry, bool]]:
        """The list entries to request, each with whether it is a refresh; counted in stats."""
        chosen = []
        for entry, action in zip(entries, self.actions([entry.url for entry in entries]), strict=True):
            if self.stats is not None:
                self.stats.inc_value(f"incremental/{action}")
            if action != KNOWN:
                chosen.append((entry, action == REFRESH))
        return chosen


def _header(headers: dict, name: str) -> str | None:
    for key, values in headers.items():
        if key.lower() == name.lower() and values:
            return values[0]
    return None


class ConditionalGetMiddleware:
    """Downloader middleware: refresh requests ask "changed since?"; a 304 becomes the stored page."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.store = store_for(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalGetMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if not request.meta.get("refresh"):
            return None
        page = self.store.load_page(request.url)
        if page is None:
            return None
        _status, headers, _body = page
        etag, modified = _header(headers, "ETag"), _header(headers, "Last-Modified")
        if etag:
            request.headers.setdefault("If-None-Match", etag)
        if modified:
            request.headers.setdefault("If-Modified-Since", modified)
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status != 304 or not request.meta.get("refresh"):
            return response
        page = self.store.load_page(request.url)
        if page is None:
            return response
        status, headers, body = page
        self.crawler.stats.inc_value("incremental/not_modified")
        response_class = responsetypes.from_args(headers=Headers(headers), url=request.url, body=body)
        return response_class(url=request.url, status=status, headers=headers, body=body,
                              request=request, flags=["not-modified"])


class EmptyFeedNote:
    """Extension: a feed export of a repeat crawl is empty when every listed article is
    already stored; say so at close, and how to export the stored articles."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> EmptyFeedNote:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider: Spider) -> None:
        stats = self.crawler.stats
        if not self.crawler.settings.getdict("FEEDS") or stats.get_value("item_scraped_count"):
            return
        known, too_old = stats.get_value("incremental/known", 0), stats.get_value("since/skipped", 0)
        if not (known or too_old):
            return
        reasons = [f"{count} {what}" for count, what in ((known, "already stored"),
                                                         (too_old, "listed before since")) if count]
        spider.logger.warning(
            "The feed export holds no item: the crawl is incremental, and of the articles listed %s. "
            "`crawler export FILE --site %s` writes the stored articles; -a refresh=DAYS parses "
            "those of the last DAYS days again, into the feed too", " and ".join(reasons), spider.name)
