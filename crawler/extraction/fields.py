"""Title, publication date, source and author: from meta tags first, then the info line.

Chinese CMSs put the article's metadata in ``<meta>`` tags (TRS ``PubDate``,
``ContentSource``; ``publishdate``; Open Graph ``article:published_time``) and, on
the page itself, in an info line near the headline: ``时间：2023-01-19 08:47
来源：人民公安报 作者：张三``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, time

from lxml import etree

from crawler.dates import SHANGHAI, date_from_url, iter_dates
from crawler.extraction.blocks import Block

_DATE_META = ("article:published_time", "og:article:published_time", "pubdate", "publishdate",
              "publish_date", "publish-date", "publishtime", "published_time", "datepublished",
              "dc.date.issued", "dc.date", "date", "og:release_date", "sailthru.date",
              "weibo:webpage:create_at", "firstpublishedtime")
_TITLE_META = ("og:title", "articletitle", "title", "headline", "twitter:title")
_SOURCE_META = ("contentsource", "source", "og:article:source", "article:source")
_AUTHOR_META = ("author", "article:author", "og:article:author", "contentauthor")
_TITLE_SEPARATORS = re.compile(r"\s*(?:_|\||｜|--|—|-\s|\s-|–|::)\s*")
_LABEL_VALUE = r"\s*[:：]\s*(?P<value>[^\s:：|｜/【】\[\]()（）]{1,40}(?:\s[^\s:：|｜/【】\[\]]{1,10})?)"
_SOURCE_LINE = re.compile(r"(?:来源|來源|稿源|出处)" + _LABEL_VALUE)
_AUTHOR_LINE = re.compile(r"(?:作者|撰稿|文|记者)" + _LABEL_VALUE)
_NEXT_LABEL = re.compile(r"(?:来源|來源|作者|编辑|責任編輯|责任编辑|时间|日期|发布|阅读|浏览|点击|字号)")
_INFO_WINDOW = 6


def meta_values(root: etree._Element) -> dict[str, str]:
    """``<meta>`` name/property → content, names lowercased, first occurrence wins."""
    values: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if key and content and key not in values:
            values[key] = content
    for time in root.iter("time"):
        if time.get("datetime") and "datepublished" not in values:
            values["datepublished"] = time.get("datetime")
    return values


def _first(meta: dict[str, str], keys: Sequence[str]) -> str | None:
    return next((meta[key] for key in keys if meta.get(key)), None)


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def title(root: etree._Element, meta: dict[str, str]) -> str | None:
    """The headline: a heading that the ``<title>`` also carries, else the meta or ``<title>`` head.

    ``<title>`` usually reads ``headline_channel_site``; a heading element alone may be the
    site logo, so a heading is trusted when the ``<title>`` or meta title contains it.
    """
    page_title = _clean(root.findtext(".//title"))
    meta_title = _clean(_first(meta, _TITLE_META))
    references = [text for text in (page_title, meta_title) if text]
    best = ""
    for heading in root.iter("h1", "h2", "h3"):
        text = _clean(heading.text_content())
        if len(text) > len(best) and len(text) >= 4 and any(text in ref for ref in references):
            best = text
    if best:
        return best
    if meta_title and meta_title != page_title:
        return meta_title
    if page_title:
        parts = [part for part in _TITLE_SEPARATORS.split(page_title) if part]
        return parts[0] if parts else page_title
    return None


def info_blocks(blocks: list[Block], body_blocks: list[Block], headline: str | None) -> list[Block]:
    """The few blocks where the info line sits: after the headline, else just before the body."""
    if headline:
        for index, block in enumerate(blocks):
            if block.text == headline or (len(headline) >= 8 and block.text.startswith(headline)):
                return blocks[index:index + _INFO_WINDOW]
    if body_blocks:
        try:
            start = blocks.index(body_blocks[0])
        except ValueError:
            return []
        return blocks[max(0, start - _INFO_WINDOW):start + 2]
    return []


def published_at(meta: dict[str, str], info: list[Block], body_blocks: list[Block],
                 url: str | None) -> str | None:
    """Meta date, else the first date in the info line, else at the edges of the body, else the URL."""
    candidates = [_first(meta, _DATE_META)]
    candidates += [block.text for block in info]
    candidates += [block.text for block in body_blocks[:2] + body_blocks[-3:]]
    for text in candidates:
        if not text:
            continue
        moment = next(iter_dates(text, url=url), None)
        if moment:
            return moment.isoformat()
    day = date_from_url(url) if url else None
    return datetime.combine(day, time(), SHANGHAI).isoformat() if day else None


def _labelled(pattern: re.Pattern, info: list[Block]) -> str | None:
    for block in info:
        match = pattern.search(block.text)
        if match:
            value = _NEXT_LABEL.split(match.group("value"))[0].strip()
            if value:
                return value
    return None


def source(meta: dict[str, str], info: list[Block]) -> str | None:
    return _labelled(_SOURCE_LINE, info) or _clean(_first(meta, _SOURCE_META)) or None


def author(meta: dict[str, str], info: list[Block]) -> str | None:
    return _labelled(_AUTHOR_LINE, info) or _clean(_first(meta, _AUTHOR_META)) or None
