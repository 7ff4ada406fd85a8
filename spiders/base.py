"""The base spider: column list pages lead to article pages, which become ``ArticleItem``s.

CMS-dialect spiders (``spiders/trs.py``, …) fill in how a list page names its
articles and its next page, and where an article keeps its title, info line and
body.  A site's spider sets its start URLs and overrides only what differs.
Extraction (``extract_article``, ``list_entries``) is a pure function of a
response, so tests call it on saved pages without running a crawl.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from datetime import date
from html import escape
from urllib.parse import urlsplit

import lxml.html
import scrapy
from scrapy.http import Response
from w3lib.url import canonicalize_url

from crawler.dates import date_from_url, iter_dates
from crawler.decoding import UndecodableError
from crawler.errors import ArgumentError
from crawler.extraction import ARTICLE, METHOD, NotHtmlError, extract
from crawler.incremental import frontier_for
from crawler.items import ArticleItem

NEXT_LABELS = {"下一页", "下页", "下一页>", "下一页>>", "next", "Next"}
HOME_LABELS = {"首页", "主页", "网站首页", "返回首页", "home"}
_INTEGER = re.compile(r"\d+")
_VIEWS = re.compile(r"(?:阅读|浏览|点击|访问|人气)(?:量|数|次数|统计)?\s*[:：]?\s*(\d+)")


@dataclass(frozen=True)
class ListEntry:
    """An article link on a list page, with the date the list shows beside it."""

    url: str
    date: date | None = None


def parse_list_date(text: str | None) -> date | None:
    """The first full date shown in a list entry (the project's one date parser reads it)."""
    moment = next(iter_dates(text or "", yearless=False), None)
    return moment.date() if moment else None


def next_link(response: Response, pager_css: str) -> str | None:
    """The absolute URL of the "下一页" anchor inside ``pager_css``, if there is one."""
    if not pager_css:
        return None
    for link in response.css(pager_css).css("a[href]"):
        if _clean_text(link.xpath(".//text()").getall()) in NEXT_LABELS:
            url = response.urljoin(attribute(link, "href"))
            # PHPCMS links "下一页" to the current page on the last page.
            return None if canonicalize_url(url) == canonicalize_url(response.url) else url
    return None


def attribute(selector, name: str) -> str:
    """One attribute of an element, read alone: parsel's ``.attrib`` reads them all, and
    raises on an attribute name with a control character in it."""
    return selector.root.get(name) or ""


def drop_elements(html: str, css: str) -> str:
    """``html`` without the elements that ``css`` matches."""
    if not css:
        return html
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for element in root.cssselect(css):
        element.drop_tree()
    return (root.text or "") + "".join(lxml.html.tostring(child, encoding="unicode") for child in root)


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

    # Where a list page keeps its article links: anchors inside ``list_scope_css`` whose
    # href matches ``article_href``; the pager's "下一页" link inside ``list_pager_css``.
    list_scope_css = "body"
    article_href: re.Pattern = re.compile(r"$^")
    list_pager_css = ""

    # Where an article page keeps its parts (CSS selectors; dialects set them).  Elements
    # matching ``body_drop_css`` (in-article pagers and the like) are cut from the body;
    # ``article_pager_css`` holds the "下一页" link of a multi-page article.
    title_css = "h1"
    info_css = ""
    body_css = ""
    section_css = ""
    views_css = ""
    subtitle_css = ""
    body_drop_css = ""
    article_pager_css = ""

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

    def is_wanted(self, entry: ListEntry) -> bool:
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

    def list_entries(self, response: Response) -> list[ListEntry]:
        """Article links of a list page, each with the date shown beside it (or in its URL)."""
        entries: dict[str, ListEntry] = {}
        for link in response.css(self.list_scope_css).css("a[href]"):
            href = attribute(link, "href").strip()
            if not self.article_href.search(href):
                continue
            url = response.urljoin(href)
            beside = " ".join(link.xpath("following-sibling::*[1]//text()").getall())
            row = " ".join(link.xpath("ancestor::*[self::li or self::tr][1]//text()").getall())
            entries.setdefault(url, ListEntry(url, parse_list_date(beside) or parse_list_date(row)
                                              or date_from_url(url)))
        return list(entries.values())

    def next_list_page(self, response: Response) -> str | None:
        return next_link(response, self.list_pager_css)

    def next_article_page(self, response: Response) -> str | None:
        return next_link(response, self.article_pager_css)

    def extract_article(self, response: Response) -> ArticleItem:
        info = _clean_text(response.css(self.info_css).xpath("string()").getall()) if self.info_css else None
        body = response.css(self.body_css)[:1] if self.body_css else []
        if not body or not "".join(body.xpath(".//text()").getall()).strip():
            return self.extract_generic(response)
        body_html = drop_elements(body[0].get(), self.body_drop_css)
        subtitle = _clean_text(response.css(self.subtitle_css).xpath("string()").getall()) if self.subtitle_css else ""
        if body_html and subtitle:
            body_html = f"<h2>{escape(subtitle)}</h2>\n{body_html}"
        return ArticleItem(
            site=self.name,
            url=response.url,
            fetched_url=response.url,
            title=self.extract_title(response),
            date_text=info or None,
            byline_text=info or None,
            section=self.extract_section(response),
            body_html=body_html,
            images=self.extract_images(response, body[0]),
            views=self.extract_views(response, info),
            mirror=urlsplit(response.url).hostname in self.mirror_hosts,
        )

    def extract_generic(self, response: Response, found: dict | None = None) -> ArticleItem:
        """The generic extractor's reading of a page (``found``, if already read) whose body
        selector found nothing.  A page it does not take for an article keeps no body, so
        validation rejects it."""
        if found is None:
            try:
                found = extract(response.body, response.url, response.headers)
            except (NotHtmlError, UndecodableError):
                return ArticleItem(site=self.name, url=response.url, fetched_url=response.url,
                                   extraction_method=METHOD)
        is_article = found["page_type"] == ARTICLE
        return ArticleItem(
            site=self.name,
            url=response.url,
            fetched_url=response.url,
            title=self.extract_title(response) or found["title"],
            published_at=found["published_at"],
            source=found["source"],
            author=found["author"],
            editor=found["editor"],
            section=self.extract_section(response),
            body_html=found["body_html"] if is_article else None,
            images=found["images"] if is_article else [],
            views=self.extract_views(response),
            extraction_method=METHOD,
            mirror=urlsplit(response.url).hostname in self.mirror_hosts,
        )

    def extract_title(self, response: Response) -> str | None:
        for node in response.css(self.title_css):
            text = _clean_text(node.xpath("string()").getall())
            if text:
                return text
        return None

    def extract_section(self, response: Response) -> str | None:
        """The breadcrumb path below the site's home, joined with ' > '."""
        if not self.section_css:
            return None
        crumbs = [_clean_text([text]) for text in response.css(self.section_css).getall()]
        crumbs = [crumb for crumb in crumbs if crumb]
        while crumbs and (crumbs[0].lower() in HOME_LABELS or crumbs[0] == self.site_name):
            crumbs.pop(0)
        return " > ".join(crumbs) or None

    @staticmethod
    def extract_images(response: Response, container) -> list[dict]:
        """Images of the article body, with absolute URLs (file-name alts are cleared by the
        boilerplate stage, with the rest of such furniture)."""
        images = []
        for img in container.css("img"):
            src = attribute(img, "src") or attribute(img, "data-src")
            if not src or src.startswith("data:"):
                continue
            alt = (attribute(img, "alt") or attribute(img, "title") or "").strip()
            image = {"src": response.urljoin(src), "alt": alt}
            if image not in images:
                images.append(image)
        return images

    def extract_views(self, response: Response, info: str | None = None) -> int | None:
        """The read counter: the ``views_css`` element, else a 阅读/浏览/点击 count in the info line."""
        if self.views_css:
            match = _INTEGER.search(" ".join(response.css(self.views_css).xpath("string()").getall()))
        else:
            match = _VIEWS.search(info or "")
        return int(match.group(match.lastindex or 0)) if match else None
