"""The base spider: column list pages lead to article pages, which become ``ArticleItem``s.

Spiders keep crawl policy: lists, paging, incremental choices, arguments.  Reading an
article page is the job of a page reader (``crawler.readers``), a pure function of the
page that each CMS-dialect spider (``spiders/trs.py``, …) names; a site's spider sets its
start URLs and overrides only the selectors that differ.  ``extract_article`` and
``list_entries`` are pure functions of a response, so tests call them on saved pages
without running a crawl.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler import clock, failures, listing
from crawler.addon import running_extension
from crawler.dates import SHANGHAI
from crawler.errors import ArgumentError
from crawler.extraction import METHOD
from crawler.incremental import Frontier
from crawler.items import ArticleItem, PageReadings
from crawler.readers import Reader, Reading
from crawler.readers.base import read_article
from crawler.urls import canonical_url, request_url, url_rules
from crawler.workers import Batched, WorkerPool

if TYPE_CHECKING:
    from bs4 import Tag

# Reading fields that become article fields, and those that stay readings for the pipelines.
ARTICLE_FIELDS = ("title", "published_at", "source", "author", "editor", "section", "body_html",
                  "images", "views", "extraction_method")
READING_FIELDS = ("date_text", "byline_text")
# Arguments a spider accepts without declaring them: scrapyd gives every job its id.
SCHEDULER_ARGUMENTS = frozenset({"_job"})


def _urls(argument: str, value: str) -> list[str]:
    urls = [url for url in re.split(r"[,\s]+", value) if url]
    bad = [url for url in urls if not re.match(r"^https?://", url)]
    if bad:
        raise ArgumentError(f"{argument} must be http(s) URLs, got {bad[0]!r}")
    return urls


class NewsSpider(scrapy.Spider):
    """Shared crawl logic, spider arguments, and what the project's components read from a spider.

    Arguments (``-a``, declared in ``ARGUMENTS``; any other is a usage error):
    ``start_url`` (one or more column list URLs, separated by commas or spaces),
    ``article_url`` (article pages to fetch directly), ``max_pages`` (list pages read per
    column; 0 means no limit), ``since`` (YYYY-MM-DD: skip older articles and stop paging
    past them), ``refresh`` (DAYS: re-check stored articles younger than that; see
    ``crawler.incremental``).
    """

    ARGUMENTS: ClassVar[tuple[str, ...]] = ("start_url", "article_url", "max_pages", "since", "refresh")

    # The site ------------------------------------------------------------------
    site_name: ClassVar[str] = ""
    allowed_domains: list[str]  # where set, URLs given as arguments extend it
    start_urls: list[str] = []
    article_urls: list[str] = []
    # How URLs become canonical (``crawler.urls.url_rules``): hosts that serve the site's
    # pages under another name, and hosts whose pages are the same over http and https.
    host_aliases: ClassVar[dict[str, str]] = {}
    https_hosts: ClassVar[set[str]] = set()
    # Hosts among the aliases that are third-party mirrors rewriting the text
    # (``PageReadings.mirror``; ``crawler reparse`` prefers the publisher's copy).
    mirror_hosts: ClassVar[set[str]] = set()
    # Names the site's template credits as the author of every article (``pipelines.bylines``).
    self_credits: ClassVar[set[str]] = set()
    # ``-s FIXTURES=replay`` serves this spider every saved page, not only its own folder's.
    replays_all_fixtures: ClassVar[bool] = False
    # Its hosts are placeholders until the user gives real URLs: ``crawler crawl --all``
    # leaves it out unless replaying fixtures (``crawler.runner.placeholder_spiders``).
    host_is_placeholder: ClassVar[bool] = False
    default_max_pages: ClassVar[int] = 10

    # The arguments of this run, checked (``check_arguments``).
    max_pages: int
    since: date | None = None
    refresh: int = 0  # days

    # Where a list page keeps its articles and its next page (``crawler.listing`` finds them
    # on pages without these): links whose href matches ``article_href`` (None: any
    # article-shaped URL), in ``list_scope_css`` where the page has it; the pager in
    # ``list_pager_css`` where the page has it.
    list_scope_css: ClassVar[str] = ""
    article_href: ClassVar[re.Pattern | None] = None
    list_pager_css: ClassVar[str] = ""

    # How an article page is read: the dialect's reader (``crawler.readers``), with the
    # site's own CSS selectors, where a site spider sets them, tried before the dialect's.
    # Elements matching ``body_drop_css`` (in-article pagers and the like) are cut from the body.
    reader_class: ClassVar[type[Reader]] = Reader
    title_css: ClassVar[str] = ""
    info_css: ClassVar[str] = ""
    body_css: ClassVar[str] = ""
    section_css: ClassVar[str] = ""
    views_css: ClassVar[str] = ""
    subtitle_css: ClassVar[str] = ""
    body_drop_css: ClassVar[str] = ""
    # Furniture a selector cannot name (marked by its text or position): a site spider
    # defines ``clean_body(self, body)``, which edits the body's BeautifulSoup tree (a
    # ``Tag`` holding it) in place, before the boilerplate stage (``crawler.cleaning.soup``).
    clean_body: Callable[[Tag], object] | None = None

    def __init__(self, *args: Any, **kwargs: Any):
        self.check_unknown(kwargs)
        arguments = {name: kwargs.pop(name) for name in list(kwargs) if name in self.ARGUMENTS}
        super().__init__(*args, **kwargs)
        self.apply_arguments(self.check_arguments(**arguments))

    def apply_arguments(self, checked: dict[str, Any]) -> None:
        """Set the checked arguments of this run on the spider."""
        self.max_pages = checked["max_pages"]
        self.since = checked["since"]
        self.refresh = checked["refresh"]
        if "start_urls" in checked:
            self.start_urls = checked["start_urls"]
        if "article_urls" in checked:
            self.article_urls = checked["article_urls"]
        if "allowed_domains" in checked:
            self.allowed_domains = checked["allowed_domains"]

    @classmethod
    def check_unknown(cls, given: dict[str, Any]) -> None:
        """A misspelled argument would be ignored silently: it is a usage error instead."""
        unknown = sorted(set(given) - set(cls.ARGUMENTS) - SCHEDULER_ARGUMENTS)
        if not unknown:
            return
        name = unknown[0]
        close = difflib.get_close_matches(name.lower(), cls.ARGUMENTS, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise ArgumentError(f"unknown spider argument {name!r}{hint}; {cls.name} takes "
                            f"{', '.join(cls.ARGUMENTS)}")

    @classmethod
    def check_arguments(cls, **given: Any) -> dict[str, Any]:
        """The spider arguments, validated; a bad or unknown one raises ``ArgumentError``
        with a one-line reason."""
        cls.check_unknown(given)
        start_url, article_url = given.get("start_url"), given.get("article_url")
        max_pages, since, refresh = given.get("max_pages"), given.get("since"), given.get("refresh")
        checked: dict[str, Any] = {"max_pages": cls.default_max_pages, "since": None, "refresh": 0}
        if start_url:
            checked["start_urls"] = _urls("start_url", start_url)
        if article_url:
            checked["article_urls"] = _urls("article_url", article_url)
            if not start_url:
                checked["start_urls"] = []
        new_urls = checked.get("start_urls", []) + checked.get("article_urls", [])
        domains = getattr(cls, "allowed_domains", None)  # optional in Scrapy
        if new_urls and domains:
            hosts = [urlsplit(url).hostname for url in new_urls]
            checked["allowed_domains"] = list(dict.fromkeys([*domains, *hosts]))
        if max_pages is not None:
            try:
                checked["max_pages"] = int(max_pages)
            except ValueError:
                raise ArgumentError(f"max_pages must be a whole number, got {max_pages!r}") from None
            if checked["max_pages"] < 0:
                raise ArgumentError(f"max_pages must be 0 (no limit) or more, got {max_pages!r}")
        if since is not None:
            try:
                checked["since"] = date.fromisoformat(str(since))
            except ValueError:
                raise ArgumentError(f"since must be a date as YYYY-MM-DD, got {since!r}") from None
            if checked["since"] > clock.now(SHANGHAI).date():  # the sites' day
                raise ArgumentError(f"since is in the future ({since}): nothing would be crawled")
        if refresh is not None:
            if not str(refresh).isdigit():
                raise ArgumentError(f"refresh must be a number of days (0 or more), got {refresh!r}")
            checked["refresh"] = int(refresh)
        return checked

    @cached_property
    def frontier(self) -> Frontier:
        """What this run already has (``crawler.incremental``), loaded at the first list page,
        once the run is recorded; a spider outside a crawl knows nothing."""
        if not hasattr(self, "crawler"):
            return Frontier()
        return Frontier.load(self)

    @cached_property
    def canonical_rules(self) -> dict[str, Any]:
        """The keyword arguments of ``crawler.urls.canonical_url`` for this site."""
        return url_rules(self)

    # Crawl flow -----------------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.start_urls:
            yield scrapy.Request(url, callback=self.parse, cb_kwargs={"page_no": 1})
        for url in self.article_urls:
            yield scrapy.Request(url, callback=self.parse_article, meta={"archive": True})

    def parse(self, response: Response, page_no: int = 1,
              **_kwargs: Any) -> Iterator[scrapy.Request | ArticleItem]:
        """A column list page: follow its articles, then its next page."""
        assert isinstance(response, TextResponse)  # PageFailureMiddleware rejects other responses
        entries = self.list_entries(response)
        if not entries:
            self.crawler.stats.inc_value("list/empty")
            if page_no == 1:
                self.crawler.stats.inc_value("start/empty")
            self.logger.error("List page %s shows no article links: has the template changed?",
                              response.url)
        fresh = [entry for entry in entries if self.is_wanted(entry)]
        if len(fresh) < len(entries):
            self.crawler.stats.inc_value("since/skipped", len(entries) - len(fresh))
            self.logger.info("List page %s: %d of %d entries listed before since=%s skipped",
                             response.url, len(entries) - len(fresh), len(entries), self.since)
        to_fetch = self.frontier.choose(fresh)
        for entry, refresh in to_fetch:
            list_date = entry.date.isoformat() if entry.date else None
            yield self.follow(response, entry.url, callback=self.parse_article,
                              meta={"archive": True, "refresh": refresh}, cb_kwargs={"list_date": list_date})
        if self.since and entries and not self.is_wanted(entries[-1]):
            return  # lists run newest first: the next page is older still
        if self.frontier.stop_paging and entries and not to_fetch:
            self.crawler.stats.inc_value("incremental/paging_stopped")
            self.logger.info("List page %s brings no new article: paging stops", response.url)
            return
        if self.max_pages and page_no >= self.max_pages:
            return
        next_url = self.next_list_page(response)
        if next_url:
            yield self.follow(response, next_url, callback=self.parse, cb_kwargs={"page_no": page_no + 1})

    @staticmethod
    def follow(response: Response, url: str, **kwargs) -> scrapy.Request:
        """The request for a link of ``response`` (``crawler.urls.request_url``)."""
        return response.follow(request_url(url, getattr(response, "encoding", "utf-8")), **kwargs)

    def page_failed(self, failure: Failure) -> None:
        """The errback of every request (``crawler.failures.PageFailureMiddleware`` sets it):
        a spider method, so that requests can be serialised, as a shared crawl's queue does."""
        failures.download_failed(self.crawler, failure)

    def is_wanted(self, entry: listing.ListEntry) -> bool:
        return not (self.since and entry.date and entry.date < self.since)

    async def parse_article(self, response: Response, list_date: str | None = None,
                            item: ArticleItem | None = None) -> AsyncIterator[scrapy.Request | ArticleItem]:
        """An article page, possibly one of several; pages are joined into one item."""
        reading, next_url = await self.read(response)
        page = self.item_of(reading, response.url)
        if page.extraction_method == METHOD:
            self.crawler.stats.inc_value("articles/generic")
            if page.body_html:  # without one, the page is rejected and logged as such
                self.logger.warning("The selectors of %s found no body on %s; the generic extractor "
                                    "read it instead. Has the template changed?", self.name, response.url)
        if item is None:
            item = page
            item.readings.list_date = list_date
        else:
            item.body_html = "\n".join(part for part in (item.body_html, page.body_html) if part)
            item.images.extend(image for image in page.images if image not in item.images)
        if next_url:
            yield self.follow(response, next_url, callback=self.parse_article, meta={"archive": True},
                              cb_kwargs={"item": item})
        else:
            yield item

    async def read(self, response: Response) -> tuple[Reading | None, str | None]:
        """``read_article`` of the page: in the crawl's worker processes where it has them."""
        args = (self.reader(), response.url, response.body, dict(response.headers.items()))
        return await self.reading(*args) if self.reading else read_article(*args)

    @cached_property
    def reading(self) -> Batched | None:
        """The crawl's reading of article pages in its workers (``crawler.workers``); None
        outside a crawl or without workers."""
        pool = running_extension(self.crawler, WorkerPool) if hasattr(self, "crawler") else None
        return Batched(pool, read_article) if pool is not None and pool.processes else None

    # Extraction: pure functions of a response ------------------------------------

    def list_entries(self, response: TextResponse) -> list[listing.ListEntry]:
        """The article list of a list page, each link with the date shown beside it (or in its URL)."""
        return listing.list_entries(response.url, response.selector.root, self.article_href,
                                    self.list_scope_css)

    def next_list_page(self, response: TextResponse) -> str | None:
        return listing.next_page(response.url, response.selector.root, self.list_pager_css)

    def next_article_page(self, response: Response) -> str | None:
        """Page N+1 of a multi-page article, as the dialect's reader finds it."""
        return read_article(self.reader(), response.url, response.body, response.headers)[1]

    def reader(self) -> Reader:
        """The page reader with this spider's own selectors (those it sets) before the dialect's."""
        selectors = {name: getattr(self, name) for name in Reader.SELECTORS if getattr(self, name, "")}
        return self.reader_class(site_name=self.site_name, **selectors)

    def extract_article(self, response: Response) -> ArticleItem:
        """The reader's reading of an article page, as an item for the pipelines."""
        reading, _next = read_article(self.reader(), response.url, response.body, response.headers)
        return self.item_of(reading, response.url)

    def item_of(self, reading: Reading | None, url: str) -> ArticleItem:
        """The item of an article page's reading (None: a page that is not HTML, whose item
        has no body, so validation rejects it)."""
        if reading is None:
            return ArticleItem(site=self.name, url=self.canonical(url), extraction_method=METHOD,
                               field_sources={"body": METHOD})
        return self.item_from(reading, url)

    def canonical(self, url: str) -> str:
        return canonical_url(url, **self.canonical_rules)

    def item_from(self, reading: Reading, url: str) -> ArticleItem:
        """The article item of a reading of the page at ``url``: its fields, under the
        canonical URL, and the raw readings the pipelines interpret."""
        readings = PageReadings(**{name: getattr(reading, name) for name in READING_FIELDS},
                                mirror=urlsplit(url).hostname in self.mirror_hosts)
        return ArticleItem(site=self.name, url=self.canonical(url), field_sources=dict(reading.sources),
                           readings=readings, **{name: getattr(reading, name) for name in ARTICLE_FIELDS})
