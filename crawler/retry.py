"""Scrapy's retries, waiting as long as the server asks before trying again."""

from __future__ import annotations

from datetime import UTC
from email.utils import parsedate_to_datetime

from scrapy import Spider
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request, Response
from scrapy.http.request import NO_CALLBACK
from scrapy.settings import BaseSettings
from scrapy.utils.asyncio import sleep

from crawler import clock

RETRY_AFTER_STATUSES = (429, 503)


def retry_after(value: bytes | None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (a number or an HTTP date), or None."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - clock.now()).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    """``RetryMiddleware`` that honours ``Retry-After`` on 429 and 503, up to
    ``RETRY_AFTER_MAX`` seconds; and counts robots.txt download errors apart
    (``robotstxt/download_errors``), which are no page's failure."""

    def __init__(self, settings: BaseSettings):
        super().__init__(settings)
        self.max_wait = settings.getfloat("RETRY_AFTER_MAX")

    async def process_response(  # type: ignore[override]  # Scrapy awaits a coroutine hook
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        wait = retry_after(response.headers.get("Retry-After")) if response.status in RETRY_AFTER_STATUSES else None
        will_retry = (response.status in self.retry_http_codes and not request.meta.get("dont_retry")
                      and request.meta.get("retry_times", 0) < request.meta.get("max_retry_times",
                                                                               self.max_retry_times))
        if wait and will_retry:
            self.crawler.stats.inc_value("retry/retry_after")
            await sleep(min(wait, self.max_wait))
        return super().process_response(request, response)

    def process_exception(self, request: Request, exception: Exception,
                          spider: Spider | None = None) -> Request | Response | None:
        if request.callback is NO_CALLBACK:
            self.crawler.stats.inc_value("robotstxt/download_errors")
        return super().process_exception(request, exception)
