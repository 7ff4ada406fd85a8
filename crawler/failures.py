"""Pages that did not become articles: retried when the cause passes, rejected when it is the page.

Every request a spider makes gets an errback (``PageFailureMiddleware``), and every
exception a callback raises is caught, so no page is lost without a ``page_failures``
row.  A passing failure (network error, 5xx, 429, a truncated or empty body, a database
that could not be written) is kept in state ``retry`` with a next-try time; later runs
request it again directly at start, whether or not paging reaches it, until
``FAILURE_MAX_ATTEMPTS`` attempts, when it is given up and becomes a ``rejects`` row.
A page rejected for what it is (HTTP 404, not HTML, too large, a parse error, or the
validate stage's verdict) goes to ``rejects`` at once; ``rejects`` is what the
incremental frontier skips, so a passing failure never blocks a page for good.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from lxml import etree
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.errors import store_error_message
from crawler.items import ArticleItem
from crawler.storage import STORE_ERRORS
from crawler.storage.failures import GAVE_UP, RETRY, RetryPolicy

logger = logging.getLogger(__name__)

PASSING_STATUSES = {408, 429}
# libxml2 stops building the tree at this depth (with parsel's huge_tree); anything deeper
# is silently cut, so such a page is rejected for that, not read as a page without a body.
PARSER_MAX_DEPTH = 2047


class PageRejected(Exception):
    """The page itself is unusable (not HTML, nested past the parser's limit …)."""


class PassingFailure(Exception):
    """The page could not be read this time, for a reason that may pass (an empty 200)."""


def classify(exception: BaseException | None, request: Request) -> tuple[str, bool] | None:
    """The reason a request failed and whether it may pass; None for a request that was
    never meant to be fetched (an off-site link the spider itself yielded)."""
    if isinstance(exception, HttpError):
        status = exception.response.status
        return f"HTTP {status}", status >= 500 or status in PASSING_STATUSES
    if isinstance(exception, PageRejected):
        return str(exception), False
    if isinstance(exception, PassingFailure):
        return str(exception), True
    if isinstance(exception, STORE_ERRORS):
        return f"database: {getattr(exception, 'orig', None) or exception}", True
    message = str(exception)
    if "DOWNLOAD_MAXSIZE" in message or "download max size" in message:
        return f"larger than DOWNLOAD_MAXSIZE: {message}", False
    redirects = request.meta.get("redirect_urls")
    if isinstance(exception, IgnoreRequest):
        if message == "max redirections reached":
            return f"redirect loop: {' -> '.join(redirects or [request.url])}", True
        if message.startswith("Filtered offsite request"):
            return None  # a link the spider yielded off-site is no page of the site
        return message or type(exception).__name__, False
    return f"{type(exception).__name__}: {message}".rstrip(": "), True


def retry_target(request: Request) -> tuple[str, dict]:
    """The URL and request description to fetch again: for a later page of a multi-page
    article, its first page (the article item it continues)."""
    cb_kwargs = dict(request.cb_kwargs)
    item = cb_kwargs.pop("item", None)
    url = (request.meta.get("redirect_urls") or [request.url])[0]
    if isinstance(item, ArticleItem):
        url = item.url
        cb_kwargs = {"list_date": item.readings.list_date}
    callback = getattr(request.callback, "__name__", None)
    plain = {name: value for name, value in cb_kwargs.items()
             if isinstance(value, (str, int, float, bool, type(None)))}
    return url, {"callback": callback, "cb_kwargs": plain, "archive": bool(request.meta.get("archive"))}


def on_site(url: str, domains) -> bool:
    """Whether the host of ``url`` is one of ``domains`` or below one, as Scrapy's offsite
    filter decides (by host name, ports aside)."""
    host = (urlsplit(url).hostname or "").lower()
    return any(host == domain or host.endswith(f".{domain}") for domain in domains)


def max_depth(root) -> int:
    depth = deepest = 0
    for event, _element in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


def check_page(response: Response) -> None:
    """Raise for a response no callback can read: not text, empty, or cut by the parser."""
    if not isinstance(response, TextResponse):
        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1") or "no Content-Type"
        raise PageRejected(f"not a text page ({content_type})")
    if response.status == 200 and not response.body.strip():
        raise PassingFailure("empty response")
    if response.body.count(b"<") > PARSER_MAX_DEPTH and max_depth(response.selector.root) >= PARSER_MAX_DEPTH:
        raise PageRejected(f"HTML nested {PARSER_MAX_DEPTH} or more elements deep, past the parser's limit")


class PageFailureMiddleware:
    """Spider middleware: records every page that fails, in download or in its callback,
    and requests the spider's due retries when it starts."""

    def __init__(self, crawler: Crawler):
        from crawler.storage import store_for  # the store module imports this one

        self.crawler = crawler
        self.store = store_for(crawler)
        self.policy = RetryPolicy.from_settings(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageFailureMiddleware:
        middleware = cls(crawler)
        crawler.signals.connect(middleware.request_dropped, signal=signals.request_dropped)
        crawler.signals.connect(middleware.request_scheduled, signal=signals.request_scheduled)
        return middleware

    # Requests ------------------------------------------------------------------

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        stats = self.crawler.stats
        async for request in start:
            if isinstance(request, Request):
                request.meta["start_page"] = True
                stats.inc_value("start/requests")
            yield self.watch(request)
        spider = self.crawler.spider
        assert spider is not None  # a spider is open while it starts
        for row in self.store.due_failures(spider.name):
            described = json.loads(row.request or "{}")
            callback = getattr(spider, described.get("callback") or "", None)
            stats.inc_value("failures/retried")
            yield self.watch(scrapy.Request(row.url, callback=callback,
                                            cb_kwargs=described.get("cb_kwargs") or {},
                                            meta={"archive": described.get("archive", False)}))

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        for output in result:
            yield self.watch(output, response)

    async def process_spider_output_async(self, response: Response,
                                          result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for output in result:
            yield self.watch(output, response)

    def watch(self, output: Any, response: Response | None = None) -> Any:
        if isinstance(output, Request):
            if output.errback is None:
                # A spider method, not a bound middleware method: requests stay serialisable
                # (a shared crawl keeps them in Redis).
                output.errback = getattr(self.crawler.spider, "page_failed", None)
        elif response is not None and response.request is not None:
            tag_item(output, retry_target(response.request))
        return output

    # Failures ------------------------------------------------------------------

    def process_spider_input(self, response: Response) -> None:
        if response.request is not None and response.request.callback is not scrapy.http.request.NO_CALLBACK:
            check_page(response)

    def request_dropped(self, request: Request, spider: Spider) -> None:
        """A redirect back to a URL of its own chain is dropped by the duplicate filter
        without a word above DEBUG: that is a redirect loop."""
        chain = request.meta.get("redirect_urls") or []
        if request.url in chain:
            self.record(request, f"redirect loop: {' -> '.join([*chain, request.url])}", True)

    def request_scheduled(self, request: Request, spider: Spider) -> None:
        """A redirect off-site is dropped as it is scheduled, also without a word."""
        chain = request.meta.get("redirect_urls") or []
        allowed = getattr(spider, "allowed_domains", None)
        if (chain and allowed and not request.dont_filter and not request.meta.get("allow_offsite")
                and not on_site(request.url, allowed)):
            self.record(request, f"redirected off-site: {' -> '.join([*chain, request.url])}", False)

    def process_spider_exception(self, response: Response, exception: Exception) -> list:
        request = response.request
        assert request is not None and self.crawler.spider is not None  # a callback's response
        self.crawler.spider.logger.error("Reading %s failed", response.url, exc_info=exception)
        self.record(request, f"parse error: {type(exception).__name__}: {exception}", False)
        return []

    def record(self, request: Request, reason: str, passing: bool) -> None:
        record_failure(self.crawler, retry_target(request), reason, passing, self.policy)


_ORIGIN = "_page_request"


def tag_item(item: object, target: tuple[str, dict]) -> None:
    """Remember on an item the page request it came from, to request it again if the item
    fails in the pipelines (items that take no attributes are simply not tagged)."""
    try:
        setattr(item, _ORIGIN, target)
    except AttributeError:
        pass


def item_origin(item: object, url: str) -> tuple[str, dict]:
    """The URL and request description of the page an item came from."""
    origin: tuple[str, dict] | None = getattr(item, _ORIGIN, None)
    return origin or (url, {})


def download_failed(crawler: Crawler, failure: Failure) -> None:
    """What every request's errback does (``NewsSpider.page_failed``): record the page that
    could not be fetched, under the URL the spider asked for (before redirects)."""
    request: Request = failure.request  # type: ignore[attr-defined]  # set by Scrapy on errbacks
    if request.meta.get("start_page"):
        crawler.stats.inc_value("start/failed")
    found = classify(failure.value, request)
    if found is not None:
        record_failure(crawler, retry_target(request), *found)


def record_failure(crawler: Crawler, target: tuple[str, dict], reason: str, passing: bool,
                   policy: RetryPolicy | None = None) -> str | None:
    """Record one failed attempt at the page ``target`` (its URL and request description),
    log it, and make a permanent one a ``rejects`` row; return the page's state (None when
    the database itself would not take it)."""
    from crawler.runs import run_id_of  # which imports this module
    from crawler.storage import store_for

    spider = crawler.spider
    assert spider is not None  # failures are of pages an open spider asked for
    store = store_for(crawler)
    policy = policy or RetryPolicy.from_settings(crawler.settings)
    url, described = target
    run_id = run_id_of(crawler)
    try:
        row = store.record_failure(spider.name, url, reason, passing=passing, policy=policy,
                                    run_id=run_id, request=described)
        if row.state != RETRY:
            given_up = f"gave up after {row.attempts} attempts: {reason}" if row.state == GAVE_UP else reason
            store.add_reject(spider.name, url, given_up, run_id)
    except STORE_ERRORS as error:
        spider.logger.error("Could not record the failure of %s (%s): %s", url, reason,
                            store_error_message(store.url, error))
        return None
    crawler.stats.inc_value(f"failures/{row.state}")
    if row.state == RETRY:
        spider.logger.warning("Page %s failed (%s), attempt %d of %d: tried again from %s",
                              url, reason, row.attempts, policy.max_attempts, row.next_try_at)
    else:
        crawler.stats.inc_value("articles/rejected")
        spider.logger.warning("Rejected %s: %s%s", url, reason,
                              f" (gave up after {row.attempts} attempts)" if row.state == GAVE_UP else "")
    return row.state
