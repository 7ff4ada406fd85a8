"""Page readers: the article fields of one page, field by field from the best evidence.

A reader is a pure function of (URL, body bytes, headers), with no crawl machinery, in
the spirit of web-poet page objects: spiders keep crawl policy, readers keep markup
knowledge.  For every field a reader gathers candidates in decreasing order of trust and
keeps the first that passes its sanity rule:

1. the site's own selectors (what a site spider overrides);
2. what real installations of the dialect share (the dialect reader's selectors and
   markers, each documented with its evidence in the dialect's module);
3. page-wide signals: ``<title>``, ``og:``/publication meta tags, the headline nearest
   the body and the info line under it;
4. the generic extractor (:func:`crawler.extraction.extract`).

Sanity rules: a title must agree with ``<title>``/``og:title`` (it starts it, or is
inside it without being its site suffix) or be the headline nearest the body, so a
logo or sidebar ``h1`` loses; a title carries no markup and no site suffix; a date that
shows a time beats one that shows only the day; a body container that is mostly links or
empty loses to the generic extractor, whose trimmed text is then the body.

Every chosen field records where it came from (``Reading.sources``: ``site``, the
dialect's name, ``page`` or ``generic``, with the selector or signal after a colon).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from copy import deepcopy
from dataclasses import dataclass, field
from functools import cached_property
from html import escape
from typing import Generic, TypeVar
from urllib.parse import urljoin

import lxml.etree
import lxml.html
from parsel import Selector

from crawler.cleaning.lexicon import CONTROL_FORMS, both_scripts
from crawler.dates import date_from_url, iter_dates, parse_date
from crawler.decoding import UndecodableError, decode_html
from crawler.extraction import ARTICLE, METHOD, NotHtmlError, extract
from crawler.extraction.tree import without_document_end
from crawler.urls import canonical_url

NEXT_LABELS = {"下一页", "下页", "下一页>", "下一页>>", "next", "Next"}
HOME_LABELS = {"首页", "主页", "网站首页", "返回首页", "home"}


def attribute(selector, name: str) -> str:
    """One attribute of an element, read alone: parsel's ``.attrib`` reads them all, and
    raises on an attribute name with a control character in it."""
    return selector.root.get(name) or ""


GENERIC = METHOD
PAGE = "page"
SITE = "site"

_SPACE = re.compile(r"\s+")
_TIME = re.compile(r"\d{1,2}\s*(?:[:：]|时)\s*\d{2}")
# Separators between a headline and the site name in <title>; a lone hyphen or dash
# counts only between spaces, or before a name with no sentence punctuation.
_TITLE_SUFFIX = re.compile(r"\s*(?:_|\||｜|--|\s[-–—]\s|-(?=[^-，。！？；：“”]{2,30}$))\s*")
_INFO_LABEL = re.compile(both_scripts(["来源", "作者", "记者", "编辑", "发布", "时间", "日期"])
                         + r"|\d{4}\s*[-年/.]\s*\d{1,2}")
_CONTROL_PUNCTUATION = re.compile(r"[【】\[\]|｜:：()（）]")
_CONTROL_CLASS = re.compile(r"share|print|priter|font|zoom|size|close|tool", re.I)
_CONTROL_TOKENS = re.compile(r"[\s【】\[\]]+")
_SENTENCE_END = re.compile(r"[。！？!?…]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_TAIL_MAX_CHARS = 60
_INFO_MAX_CHARS = 200
_INFO_WINDOW = 40  # elements after the headline
_VIEWS = re.compile(r"(?:阅读|浏览|点击|访问|人气)(?:量|数|次数|统计)?\s*[:：]?\s*(\d+)")
_INTEGER = re.compile(r"\d+")
_HEADLINE_SCAN = 1000  # characters, spaces included, of an element that may hold the headline alone
MAX_LINK_SHARE = 0.5  # a body container with more of its text in links is a link list
T = TypeVar("T")


def clean_text(parts) -> str:
    """Text pieces joined with single spaces."""
    if isinstance(parts, str):
        parts = [parts]
    return _SPACE.sub(" ", " ".join(part.strip() for part in parts if part and part.strip())).strip()


# Compiled once: an XPath given as a string is compiled at every call, which cost more
# than the evaluation on the small elements (links) most calls get.
_TEXT = lxml.etree.XPath(".//text()")
_VISIBLE_TEXT = lxml.etree.XPath(".//text()[not(ancestor::script) and not(ancestor::style)]")


def _visible_text(element) -> str:
    return clean_text(_VISIBLE_TEXT(element))


def without_markup(text: str) -> str:
    """Text as a reader sees it: tags (even escaped ones inside a meta value) removed."""
    if "<" not in text:
        return clean_text(text)
    try:
        return clean_text(lxml.html.fragment_fromstring(text, create_parent="div").text_content())
    except Exception:  # lxml raises several types on junk; a regex is enough for a title
        return clean_text(re.sub(r"<[^>]*>", " ", text))


def drop_elements(html: str, css: str) -> str:
    """``html`` without the elements that ``css`` matches."""
    if not css:
        return html
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for element in root.cssselect(css):
        element.drop_tree()
    return (root.text or "") + "".join(lxml.html.tostring(child, encoding="unicode") for child in root)


@dataclass(frozen=True)
class Candidate(Generic[T]):
    """One reading of a field (a text, or a body container) and the evidence it came from."""

    value: T
    source: str


@dataclass
class Reading:
    """What a reader found on one page: the raw article fields and where each came from.

    ``date_text``/``byline_text`` are raw strings for the pipelines to parse;
    ``sources`` maps a field name to its evidence.
    """

    url: str
    cms: str
    title: str | None = None
    published_at: str | None = None
    date_text: str | None = None
    byline_text: str | None = None
    source: str | None = None
    author: str | None = None
    editor: str | None = None
    section: str | None = None
    body_html: str | None = None
    images: list[dict] = field(default_factory=list)
    views: int | None = None
    extraction_method: str = SITE
    sources: dict[str, str] = field(default_factory=dict)


class Page:
    """One decoded page, with the lookups readers share (parsed once)."""

    def __init__(self, url: str, body: bytes, headers: Mapping | None = None):
        self.url = url
        self.raw = body
        self.headers = headers
        self.text, self.encoding = decode_html(body, headers)
        # an included template's own </body></html> would end the page before the article
        self.selector = Selector(text=without_document_end(self.text), base_url=url)

    def css(self, query: str):
        return self.selector.css(query) if query else []

    def texts(self, query: str) -> list[str]:
        """The clean visible text of each element ``query`` matches, empty ones left out."""
        found = []
        for node in self.css(query):
            text = clean_text(node.get()) if isinstance(node.root, str) else _visible_text(node.root)
            if text:
                found.append(text)
        return found

    @cached_property
    def meta(self) -> dict[str, str]:
        """``<meta>`` name/property → content, names lowercased, first non-empty wins."""
        values: dict[str, str] = {}
        for node in self.selector.xpath("//meta"):
            key = (attribute(node, "name") or attribute(node, "property")).strip().lower()
            content = attribute(node, "content").strip()
            if key and content and key not in values:
                values[key] = content
        return values

    @cached_property
    def title_tag(self) -> str:
        return clean_text(self.selector.xpath("//title//text()").getall())

    @cached_property
    def generic(self) -> dict | None:
        """The generic extractor's reading, or None for a page it cannot read."""
        try:
            return extract(self.raw, self.url, self.headers)
        except (NotHtmlError, UndecodableError):
            return None


    @cached_property
    def headline(self) -> Candidate[str] | None:
        return nearest_headline(self)

    def join(self, href: str) -> str:
        return _urljoin(self.url, href)


def read_article(reader: Reader, url: str, body: bytes,
                 headers: Mapping | None = None) -> tuple[Reading | None, str | None]:
    """The reading of an article page and the URL of its next page, from one decoding and
    parsing of it (None, None for a page that is not HTML or cannot be decoded)."""
    try:
        page = Page(url, body, headers)
    except (NotHtmlError, UndecodableError):
        return None, None
    return reader.read_page(page), reader.next_page(page)


def _urljoin(base: str, href: str) -> str:
    return urljoin(base, href.strip())


class Reader:
    """The generic reader: page-wide signals and the generic extractor only.

    Dialect readers subclass it and set the dialect's selectors; a site spider passes
    its own selectors (``Reader(title_css=…)``), which are tried before the dialect's.
    """

    cms = GENERIC
    SELECTORS = ("title_css", "info_css", "body_css", "section_css", "views_css", "subtitle_css",
                 "body_drop_css")
    title_css = ""
    info_css = ""
    body_css = ""
    section_css = ""
    views_css = ""
    subtitle_css = ""
    body_drop_css = ""
    site_name = ""

    def __init__(self, site_name: str = "", **selectors: str):
        unknown = set(selectors) - set(self.SELECTORS)
        if unknown:
            raise TypeError(f"unknown selectors: {', '.join(sorted(unknown))}")
        self.site_name = site_name or self.site_name
        self.site = {name: value for name, value in selectors.items() if value}

    # Layers of selectors: the site's, then the dialect's ---------------------------

    def layers(self, name: str) -> Iterator[tuple[str, str]]:
        """(label, selector) for each alternative of the site's selector ``name``, then the dialect's."""
        seen = set()
        for label, selectors in ((SITE, self.site.get(name, "")), (self.cms, getattr(type(self), name))):
            for css in (part.strip() for part in selectors.split(",")):
                if css and css not in seen:
                    seen.add(css)
                    yield label, css

    def css_of(self, name: str) -> str:
        return self.site.get(name) or getattr(type(self), name)

    # Reading ----------------------------------------------------------------------

    def read(self, url: str, body: bytes, headers: Mapping | None = None) -> Reading:
        """The article fields of a page.  Raises ``NotHtmlError``/``UndecodableError``
        for input that is not an HTML page."""
        return self.read_page(Page(url, body, headers))

    def read_page(self, page: Page) -> Reading:
        """The article fields of a decoded page (a crawl decodes each page once, for these
        and for its next page)."""
        reading = Reading(url=page.url, cms=self.cms)
        chosen = self.body(page)
        if chosen is None:
            self._fill_from_generic(page, reading)
        else:
            container = chosen.value
            html = drop_elements(container.get(), ", ".join(css for _, css in self.layers("body_drop_css")))
            subtitle = self.first_text(page, "subtitle_css")
            if html and subtitle:
                html = f"<h2>{escape(subtitle.value)}</h2>\n{html}"
            reading.body_html = html
            reading.images = self.images(page, container)
            reading.sources["body"] = reading.sources["images"] = chosen.source
        self._choose(reading, "title", self.title(page))
        info = self.info(page)
        if info:
            reading.date_text = reading.byline_text = info.value
            reading.sources["info_line"] = info.source
        date = self.published(page, info)
        if date:
            reading.published_at, reading.sources["published_at"] = date.value, date.source
        for name, candidate in self.credits(page).items():
            if candidate and not getattr(reading, name):
                self._choose(reading, name, candidate)
        self._choose(reading, "section", self.section(page))
        reading.views = self.views(page, info.value if info else None)
        return reading

    @staticmethod
    def _choose(reading: Reading, name: str, candidate: Candidate[str] | None) -> None:
        if candidate is not None and candidate.value:
            setattr(reading, name, candidate.value)
            reading.sources[name] = candidate.source

    def _fill_from_generic(self, page: Page, reading: Reading) -> None:
        """The generic extractor's trimmed text as the body: never its raw container,
        which still holds the breadcrumb, headline, info line or footer it trimmed off."""
        reading.extraction_method = GENERIC
        found = page.generic
        if not found or found["page_type"] != ARTICLE or not found["body"].strip():
            return  # not an article page (a list, an index): no body, so validation rejects it
        lines = without_info_tail([line for line in found["body"].splitlines() if line.strip()])
        reading.body_html = "\n".join(f"<p>{escape(line)}</p>" for line in lines)
        reading.images = found["images"]
        reading.sources["body"] = reading.sources["images"] = GENERIC
        for name in ("source", "author", "editor"):
            if found[name]:
                setattr(reading, name, found[name])
                reading.sources[name] = GENERIC

    # Fields -------------------------------------------------------------------------

    def first_text(self, page: Page, name: str) -> Candidate[str] | None:
        for label, css in self.layers(name):
            texts = page.texts(css)
            if texts:
                return Candidate(texts[0], f"{label}:{css}")
        return None

    def body_candidates(self, page: Page) -> Iterator[Candidate[Selector]]:
        """Body containers from the selectors, the fullest match of each selector first."""
        for label, css in self.layers("body_css"):
            nodes = page.css(css)
            if len(nodes) > 1:  # most selectors match one element: no text to measure then
                nodes = sorted(nodes, key=lambda node: -len(_visible_text(node.root)))
            for node in nodes[:1]:
                yield Candidate(node, f"{label}:{css}")

    def body(self, page: Page) -> Candidate[Selector] | None:
        """The first usable body container, else None."""
        for candidate in self.body_candidates(page):
            if is_usable_body(candidate.value.root):
                return candidate
        return None

    def title_candidates(self, page: Page) -> Iterator[Candidate[str]]:
        for label, css in self.layers("title_css"):
            for text in page.texts(css):
                yield Candidate(text, f"{label}:{css}")
        yield from self.dialect_titles(page)

    def dialect_titles(self, page: Page) -> Iterator[Candidate[str]]:
        return iter(())

    def title(self, page: Page) -> Candidate[str] | None:
        """The first candidate that agrees with the page's title signals; else the headline
        nearest the body, the head of ``<title>``, the generic extractor's title."""
        references = [text for text in (page.title_tag, clean_text(page.meta.get("og:title", ""))) if text]
        candidates = [Candidate(without_markup(c.value), c.source) for c in self.title_candidates(page)]
        candidates = [c for c in candidates if c.value]
        for candidate in candidates:
            if not references or any(agrees(candidate.value, ref) for ref in references):
                return Candidate(strip_site_suffix(candidate.value, self.site_name), candidate.source)
        if page.headline:
            return page.headline
        if page.title_tag:
            return Candidate(strip_site_suffix(page.title_tag, self.site_name), f"{PAGE}:<title>")
        if candidates:
            return candidates[0]
        found = page.generic
        return Candidate(found["title"], GENERIC) if found and found["title"] else None

    def info_candidates(self, page: Page) -> Iterator[Candidate[str]]:
        for label, css in self.layers("info_css"):
            texts = [without_controls(clean_text(node.get()) if isinstance(node.root, str)
                                      else _visible_text(without_control_elements(node.root)))
                     for node in page.css(css)]
            texts = [text for text in texts if text]
            if texts:
                yield Candidate(" ".join(texts), f"{label}:{css}")

    def info(self, page: Page) -> Candidate[str] | None:
        """The info line (date, source, author): the selectors', else the one under the headline;
        without the font-size, print and share controls templates put in it (a PHPCMS 2008
        template's "文字大小：【大】【中】【小】" once became the stored source)."""
        return next(iter(self.info_candidates(page)), None) or info_under_headline(page)

    def date_candidates(self, page: Page, info: Candidate[str] | None) -> Iterator[Candidate[str]]:
        if info:
            yield info
        for key in ("article:published_time", "og:article:published_time", "publishdate", "pubdate"):
            if page.meta.get(key):
                yield Candidate(page.meta[key], f"{PAGE}:meta {key}")
        found = page.generic
        if found and found["published_at"]:
            yield Candidate(found["published_at"], GENERIC)

    def published(self, page: Page, info: Candidate[str] | None) -> Candidate[str] | None:
        """The first candidate date that shows a time, else the first that shows a day.
        A date only the URL gives is left to the dates stage, after list dates."""
        days: list[Candidate[str]] = []
        for candidate in self.date_candidates(page, info):
            moment = next(iter_dates(candidate.value, url=page.url, yearless=False), None)
            if moment is None or not parse_date(moment.isoformat()):
                continue
            if candidate.source == GENERIC:
                shows_time = moment.time().isoformat() != "00:00:00"
                if not shows_time and moment.date() == date_from_url(page.url):
                    continue  # the extractor's reading of the URL: the list date comes first
            else:
                shows_time = bool(_TIME.search(candidate.value))
            if shows_time:
                return Candidate(moment.isoformat(), candidate.source)
            days.append(Candidate(moment.isoformat(), candidate.source))
        return days[0] if days else None

    def credits(self, page: Page) -> dict[str, Candidate[str] | None]:
        """Source/author/editor given apart from the info line (meta tags, say)."""
        return {}

    def section(self, page: Page) -> Candidate[str] | None:
        """The breadcrumb path below the site's home, joined with ' > '."""
        for label, css in self.layers("section_css"):
            crumbs = [clean_text(text) for text in page.css(css).getall()]
            crumbs = [crumb for crumb in crumbs if crumb and crumb not in (">", "»", "›")]
            while crumbs and (crumbs[0].lower() in HOME_LABELS or crumbs[0] == self.site_name):
                crumbs.pop(0)
            if crumbs:
                return Candidate(" > ".join(crumbs), f"{label}:{css}")
        return None

    def views(self, page: Page, info: str | None) -> int | None:
        """The read counter: the ``views_css`` element, else a 阅读/浏览/点击 count in the info line."""
        css = self.css_of("views_css")
        if css:
            match = _INTEGER.search(" ".join(page.texts(css)))
        else:
            match = _VIEWS.search(info or "")
        return int(match.group(match.lastindex or 0)) if match else None

    def next_page(self, page: Page) -> str | None:
        """Page N+1 of a multi-page article: a 下一页 link to another page of the same
        article (``ID_2.html``, ``&page=2`` …: the same canonical URL), never the next article."""
        here = None  # the page's canonical URL, once a link is labelled 下一页
        for link in page.selector.root.iter("a"):  # lxml's own walk: a parsel selector per link cost more
            href = link.get("href")
            if href is not None and clean_text(_TEXT(link)) in NEXT_LABELS:
                url = page.join(href)
                here = here or canonical_url(page.url)
                if url != page.url and canonical_url(url) == here:
                    return url
        return None

    @staticmethod
    def images(page: Page, container) -> list[dict]:
        """Images of the article body, with absolute URLs."""
        images = []
        for img in container.css("img"):
            src = attribute(img, "src") or attribute(img, "data-src")
            if not src or src.startswith("data:"):
                continue
            alt = (attribute(img, "alt") or attribute(img, "title")).strip()
            image = {"src": _urljoin(page.url, src), "alt": alt}
            if image not in images:
                images.append(image)
        return images


# Sanity rules --------------------------------------------------------------------------


def is_usable_body(element) -> bool:
    """A container with text, not mostly links (a link list, a pager, a related box)."""
    text = "".join(_visible_text(element).split())
    if not text:
        return False
    links = "".join("".join(_visible_text(a).split()) for a in element.xpath(".//a"))
    return len(links) <= MAX_LINK_SHARE * len(text)


def agrees(title: str, reference: str) -> bool:
    """``title`` is the page's headline by ``reference`` (a ``<title>`` or ``og:title``):
    it starts it, or sits inside it but is not its trailing site name."""
    title, reference = "".join(title.split()), "".join(reference.split())
    if len(title) < 4 or not reference:
        return False
    if reference.startswith(title) or title.startswith(reference):
        return True
    return title in reference and not reference.endswith(title)


def strip_site_suffix(title: str, site_name: str = "") -> str:
    """``headline_channel_site`` → ``headline``; a title without a separator is kept."""
    parts = [part for part in _TITLE_SUFFIX.split(title) if part]
    head = parts[0] if parts else title
    if site_name and head.endswith(site_name) and head != site_name:
        head = head[: -len(site_name)].rstrip(" -_|｜")
    return head.strip() or title


def without_info_tail(lines: list[str]) -> list[str]:
    """The extractor's lines without a trailing info line or control that templates put
    after the body: a short line with no sentence end that shows a date
    (``发布日期：… 所属分类：…``), or a few characters without a Han one (``A+``)."""
    lines = list(lines)
    while len(lines) > 1:
        last = lines[-1].strip()
        if len(last) > _TAIL_MAX_CHARS or _SENTENCE_END.search(last):
            break
        dated = next(iter_dates(last, yearless=False), None) is not None
        if not (dated or (len(last) <= 4 and not _HAN.search(last))):
            break
        lines.pop()
    return lines


def nearest_headline(page: Page) -> Candidate[str] | None:
    """The longest short element whose whole text starts ``<title>``: the headline as the
    page shows it, wherever its template put it."""
    reference = "".join(page.title_tag.split())
    if not reference:
        return None
    best = None
    for element in page.selector.root.iter():
        if not isinstance(element.tag, str) or element.tag in ("title", "script", "style", "head", "html"):
            continue
        # The visible text is the text content where no script or style is inside: the
        # cheap check rules out most elements (every large container) before the exact one.
        if element.find(".//script") is None and element.find(".//style") is None:
            content = element.text_content()
            if len(content) > _HEADLINE_SCAN or not _is_headline_part("".join(content.split()), reference):
                continue
        text = _visible_text(element)
        squeezed = "".join(text.split())
        if _is_headline_part(squeezed, reference):
            if best is None or len(squeezed) > len("".join(best.split())):
                best = text
    return Candidate(best, f"{PAGE}:headline") if best else None


def _is_headline_part(squeezed: str, reference: str) -> bool:
    return 6 <= len(squeezed) <= 100 and reference.startswith(squeezed)


def info_under_headline(page: Page) -> Candidate[str] | None:
    """The first short element after the headline that reads like an info line
    (a date, 来源, 作者 …): where templates of every dialect put it."""
    headline = page.headline
    if headline is None:
        return None
    squeezed = "".join(headline.value.split())
    after = None
    for element in page.selector.root.iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style"):
            continue
        text = _visible_text(element)
        if after is None:
            after = 0 if "".join(text.split()) == squeezed else None
            continue
        after += 1
        if after > _INFO_WINDOW:
            break
        if text and len(text) <= _INFO_MAX_CHARS and _INFO_LABEL.search(text):
            return Candidate(without_controls(_Info(element).innermost()), f"{PAGE}:info under headline")
    return None


class _Info:
    """An info-line element, narrowed to the child that holds all its labels (the
    ``li`` with date and source, not the ``ul`` that adds the print and font controls)."""

    def __init__(self, element):
        self.element = element

    @staticmethod
    def labels(text: str) -> set[str]:
        return set(_INFO_LABEL.findall(text))

    def innermost(self) -> str:
        element, text = self.element, _visible_text(self.element)
        while True:
            wanted = self.labels(text)
            child = next((child for child in element if isinstance(child.tag, str)
                          and self.labels(_visible_text(child)) == wanted), None)
            if child is None:
                return _visible_text(without_control_elements(element))
            element, text = child, _visible_text(child)


def without_control_elements(element):
    """A copy of ``element`` without the share, print and font-size widgets inside it
    (``span.font`` on cjn.cn, ``span.article-zoom`` on shanxi.gov.cn, ``div.bdsharebuttonbox``)."""
    copy = deepcopy(element)
    for child in list(copy.iterdescendants()):
        names = f"{child.get('class') or ''} {child.get('id') or ''}"
        if _CONTROL_CLASS.search(names) and child.getparent() is not None:
            child.drop_tree()
    return copy


def without_controls(text: str) -> str:
    """An info line without the page controls that share its element (打印, 字号, 分享 …)."""
    tokens = [token for token in _CONTROL_TOKENS.split(text) if token]
    control = [_CONTROL_PUNCTUATION.sub("", token) in CONTROL_FORMS for token in tokens]
    # a label whose values are all controls ("文字大小：【大】【中】【小】") is a control too
    for index in range(len(tokens) - 1, -1, -1):
        if tokens[index][-1] in ":：" and index + 1 < len(tokens) and control[index + 1]:
            control[index] = True
    return " ".join(token for token, is_control in zip(tokens, control, strict=True) if not is_control)
