"""The base spider: column list pages lead to article pages, which become ``ArticleItem``s.

Spiders keep crawl policy: lists, paging, incremental choices, arguments.  Reading an
article page is the job of a page reader (``crawler.readers``), a pure function of the
page that each CMS-dialect spider (``spiders/trs.py``, …) names; a site's spider sets its
start URLs and overrides only the selectors that differ.  ``extract_article`` and
``list_entries`` are pure functions of a response, so tests call them on saved pages
without running a crawl.
"""

from __future__ import annotations

import inspect
import re
from datetime import date
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response

from crawler import failures, listing
from crawler.decoding import UndecodableError
from crawler.errors import ArgumentError
from crawler.extraction import METHOD, NotHtmlError
from crawler.incremental import frontier_for
from crawler.items import ArticleItem
from crawler.readers import Reader, Reading
from crawler.readers.base import Page

# Reading fields that become item fields.
ITEM_FIELDS = ("title", "published_at", "date_text", "byline_text", "source", "author", "editor",
               "section", "body_html", "images", "views", "extraction_method")


def next_link(response: Response, pager_css: str) -> str | None:
    """The absolute URL of the "下一页" anchor inside ``pager_css``, if there is one and it
    leads elsewhere (PHPCMS links "下一页" to the current page on the last page)."""
    if not pager_css:
        return None
    return listing.labelled_next(response.url, [selector.root for selector in response.css(pager_css)])


def _clean_text(parts) -> str:
    return re.sub(r"\s+", " ", " ".join(part.strip() for part in parts if part.strip())).strip()


class NewsSpider(scrapy.Spider):
    """Shared crawl logic and spider arguments.

    Arguments (``-a``): ``start_url`` (one or more column list URLs, separated by
    commas or spaces), ``article_url`` (article pages to fetch directly), ``max_pages``
    (list pages read per column; 0 means no limit), ``since`` (YYYY-MM-DD: skip older
    articles and stop paging past them), ``refresh`` (DAYS: re-check stored articles
    younger than that; see ``crawler.incremental``).
    """

    site_name: str = ""
    start_urls: list[str] = []
    article_urls: list[str] = []
    # Hosts that serve the site's pages under another name (see ``crawler.urls``), and
    # the subset of them that are third-party mirrors rewriting the text.
    host_aliases: dict[str, str] = {}
    mirror_hosts: set[str] = set()
    default_max_pages = 10

    # Where a list page keeps its articles and its next page (``crawler.listing`` finds them
    # on pages without these): links whose href matches ``article_href`` (None: any
    # article-shaped URL), in ``list_scope_css`` where the page has it; the pager in
    # ``list_pager_css`` where the page has it.
    list_scope_css = ""
    article_href: re.Pattern | None = None
    list_pager_css = ""

    # How an article page is read: the dialect's reader (``crawler.readers``), with the
    # site's own CSS selectors, where a site spider sets them, tried before the dialect's.
    # Elements matching ``body_drop_css`` (in-article pagers and the like) are cut from the body.
    reader_class: type[Reader] = Reader
    title_css = ""
    info_css = ""
    body_css = ""
    section_css = ""
    views_css = ""
    subtitle_css = ""
    body_drop_css = ""

    def __init__(self, *args, **kwargs):
        arguments = {name: kwargs.pop(name) for name in list(kwargs)
                     if name in inspect.signature(self.check_arguments).parameters}
        super().__init__(*args, **kwargs)
        for name, value in self.check_arguments(**arguments).items():
            setattr(self, name, value)

    @classmethod
    def check_arguments(cls, start_url=None, max_pages=None, since=None, article_url=None,
                        refresh=None, **_others) -> dict:
        """The spider arguments, validated; a bad one raises ``ArgumentError`` with a one-line reason."""
        checked: dict = {"max_pages": cls.default_max_pages, "since": None, "refresh": 0}
        given = {"start_url": ("start_urls", start_url), "article_url": ("article_urls", article_url)}
        for argument, (attribute, value) in given.items():
            if not value:
                continue
            urls = [url for url in re.split(r"[,\s]+", value) if url]
            bad = [url for url in urls if not re.match(r"^https?://", url)]
            if bad:
                raise ArgumentError(f"{argument} must be http(s) URLs, got {bad[0]!r}")
            checked[attribute] = urls
        if article_url and not start_url:
            checked["start_urls"] = []
        new_urls = checked.get("start_urls", []) + checked.get("article_urls", [])
        if new_urls and getattr(cls, "allowed_domains", None):
            hosts = [urlsplit(url).hostname for url in new_urls]
            checked["allowed_domains"] = list(dict.fromkeys([*cls.allowed_domains, *hosts]))
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
            if checked["since"] > date.today():
                raise ArgumentError(f"since is in the future ({since}): nothing would be crawled")
        if refresh is not None:
            if not str(refresh).isdigit():
                raise ArgumentError(f"refresh must be a number of days (0 or more), got {refresh!r}")
            checked["refresh"] = int(refresh)
        return checked

    # Crawl flow -----------------------------------------------------------------

    async def start(self):
        for url in self.start_urls:
            yield scrapy.Request(url, callback=self.parse, cb_kwargs={"page_no": 1})
        for url in self.article_urls:
            yield scrapy.Request(url, callback=self.parse_article, meta={"archive": True})

    def parse(self, response: Response, page_no: int = 1):
        """A column list page: follow its articles, then its next page."""
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
        frontier = frontier_for(self)
        to_fetch = frontier.choose(self, fresh)
        for entry, refresh in to_fetch:
            list_date = entry.date.isoformat() if entry.date else None
            yield response.follow(entry.url, callback=self.parse_article,
                                  meta={"archive": True, "refresh": refresh},
                                  cb_kwargs={"list_date": list_date})
        if self.since and entries and not self.is_wanted(entries[-1]):
            return  # lists run newest first: the next page is older still
        if frontier.stop_paging and entries and not to_fetch:
            self.crawler.stats.inc_value("incremental/paging_stopped")
            self.logger.info("List page %s brings no new article: paging stops", response.url)
            return
        if self.max_pages and page_no >= self.max_pages:
            return
        next_url = self.next_list_page(response)
        if next_url:
            yield response.follow(next_url, callback=self.parse, cb_kwargs={"page_no": page_no + 1})

    def page_failed(self, failure) -> None:
        """The errback of every request (``crawler.failures.PageFailureMiddleware`` sets it):
        a spider method, so that requests can be serialised, as a shared crawl's queue does."""
        failures.download_failed(self.crawler, failure)

    def is_wanted(self, entry: listing.ListEntry) -> bool:
        return not (self.since and entry.date and entry.date < self.since)

    def parse_article(self, response: Response, list_date: str | None = None, item=None):
        """An article page, possibly one of several; pages are joined into one item."""
        page = self.extract_article(response)
        if page.extraction_method == METHOD:
            self.crawler.stats.inc_value("articles/generic")
            if page.body_html:  # without one, the page is rejected and logged as such
                self.logger.warning("The selectors of %s found no body on %s; the generic extractor "
                                    "read it instead. Has the template changed?", self.name, response.url)
        if item is None:
            item = page
            item.list_date = list_date
        else:
            item.body_html = "\n".join(part for part in (item.body_html, page.body_html) if part)
            item.images.extend(image for image in page.images if image not in item.images)
        next_url = self.next_article_page(response)
        if next_url:
            yield response.follow(next_url, callback=self.parse_article, meta={"archive": True},
                                  cb_kwargs={"item": item})
        else:
            yield item

    # Extraction: pure functions of a response ------------------------------------

    def list_entries(self, response: Response) -> list[listing.ListEntry]:
        """The article list of a list page, each link with the date shown beside it (or in its URL)."""
        return listing.list_entries(response.url, response.selector.root, self.article_href,
                                    self.list_scope_css)

    def next_list_page(self, response: Response) -> str | None:
        return listing.next_page(response.url, response.selector.root, self.list_pager_css)

    def next_article_page(self, response: Response) -> str | None:
        """Page N+1 of a multi-page article, as the dialect's reader finds it; a page that
        cannot be decoded has none (it is rejected for its body)."""
        try:
            return self.reader().next_page(Page(response.url, response.body, response.headers))
        except (NotHtmlError, UndecodableError):
            return None

    def reader(self) -> Reader:
        """The page reader with this spider's own selectors (those it sets) before the dialect's."""
        selectors = {name: getattr(self, name) for name in Reader.SELECTORS if getattr(self, name, "")}
        return self.reader_class(site_name=self.site_name, **selectors)

    def extract_article(self, response: Response) -> ArticleItem:
        """The reader's reading of an article page, as an item for the pipelines."""
        try:
            reading = self.reader().read(response.url, response.body, response.headers)
        except (NotHtmlError, UndecodableError):
            return ArticleItem(site=self.name, url=response.url, fetched_url=response.url,
                               extraction_method=METHOD, field_sources={"body": METHOD})
        return self.item_from(reading, response.url)

    def item_from(self, reading: Reading, url: str) -> ArticleItem:
        fields = {name: getattr(reading, name) for name in ITEM_FIELDS}
        return ArticleItem(site=self.name, url=url, fetched_url=url,
                           mirror=urlsplit(url).hostname in self.mirror_hosts,
                           field_sources=dict(reading.sources), **fields)
