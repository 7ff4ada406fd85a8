"""Title, publication date, source and author: from meta tags first, then the info line.

Chinese CMSs put the article's metadata in ``<meta>`` tags (TRS ``PubDate``,
``ContentSource``; ``publishdate``; Open Graph ``article:published_time``) and, on
the page itself, in an info line near the headline: ``时间：2023-01-19 08:47
来源：人民公安报 作者：张三``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator, Sequence
from collections.abc import Set as AbstractSet
from datetime import datetime, time
from typing import Any

from lxml import etree

from crawler.cleaning.bylines import Byline, is_byline_line, parse_byline, tidy_credit
from crawler.cleaning.lexicon import BROKEN_TITLE, SITE_NAME, TAIL_NOTICE
from crawler.dates import SHANGHAI, date_from_url, iter_dates
from crawler.extraction.blocks import Block

_DATE_META = ("article:published_time", "og:article:published_time", "pubdate", "publishdate",
              "publish_date", "publish-date", "publishtime", "published_time", "datepublished",
              "dc.date.issued", "dc.date", "date", "og:release_date", "sailthru.date",
              "weibo:webpage:create_at", "firstpublishedtime")
# When the page was last changed: close to its publication, and the best clue left to the
# year of a date printed without one.
_MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified", "dateupdate", "lastmodified")
_TITLE_META = ("og:title", "articletitle", "title", "headline", "twitter:title")
_SOURCE_META = ("contentsource", "source", "og:article:source", "article:source")
_AUTHOR_META = ("author", "article:author", "og:article:author", "contentauthor")
_TITLE_SEPARATORS = re.compile(r"(\s*(?:_|\||｜|--|—+|-\s|\s-|–|::|»|›)\s*)")
_SITE_META = ("og:site_name", "application-name", "sitename", "site_name")
_TAG = re.compile(r"<[^>]*>")
# A publication time assigned as a Unix epoch of this century's first third (10 digits from 1).
_EPOCH_ASSIGNMENT = re.compile(
    r"(?:\bvar\s+ct|\bpub(?:lish)?_?(?:time|date)|\bcreate_?time)[\"']?\s*[=:]\s*[\"']?(1\d{9})(?!\d)", re.I)
_TEXT_OUTSIDE_LINKS = etree.XPath("//body//text()[not(ancestor::a)]")
_CHANNEL_NAME = 6
# A keyword list some CMSs append to the <title>: three or more short terms between commas.
_KEYWORDS = re.compile(r"^\s*[^,，。！？\s]{1,12}(?:\s*[,，、]\s*[^,，。！？\s]{1,12}){2,}\s*[,，]?\s*$")
_HOME = re.compile(r"^(?:https?://[^/]+)?/?(?:index\.\w+)?$", re.I)
_NOT_A_NAME = re.compile(r"[,，]|www\.|\.(?:com|cn|net)\b", re.I)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4"})
_HEADLINE_HEAD = 6  # characters, fewer of which are a word or a name, not a headline
_INFO_WINDOW = 6
_NEARBY = 15
_PARAGRAPH = 40
_SHORT_LINE = 80
_DATELINE = 40


def meta_values(root: etree._Element) -> dict[str, str]:
    """``<meta>`` name/property → content, names lowercased, first occurrence wins."""
    values: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if key and content and key not in values:
            values[key] = content
    for element in root.iter("time"):
        if element.get("datetime") and "datepublished" not in values:
            values["datepublished"] = element.get("datetime")
    for key, value in _script_dates(root):
        values.setdefault(key, value)
    return values


def _script_dates(root: etree._Element) -> Iterator[tuple[str, str]]:
    """Dates the page states only in its scripts, under the meta names they stand for: the
    schema.org ``datePublished``/``dateModified`` of its JSON-LD, and a publication time
    assigned as a Unix epoch (``var ct = "1581517074"``, ``publish_time: 1581517074``),
    which a page whose visible date a script writes relative to the reader's day (昨天, 3天前)
    holds as its only true date."""
    for script in root.iter("script"):
        text = script.text or ""
        if "ld+json" in (script.get("type") or ""):
            try:
                data = json.loads(text)
            except ValueError:
                continue
            for name, key in (("datePublished", "datepublished"), ("dateModified", "datemodified")):
                found = _json_value(data, name)
                if isinstance(found, str) and found.strip():
                    yield key, found.strip()
        elif match := _EPOCH_ASSIGNMENT.search(text):
            yield "datepublished", datetime.fromtimestamp(int(match[1]), SHANGHAI).isoformat()


def _json_value(data: Any, name: str) -> Any:
    """The first value of key ``name`` in nested JSON (objects and lists, as ``@graph`` holds them)."""
    if isinstance(data, dict):
        if name in data:
            return data[name]
        data = list(data.values())
    if isinstance(data, list):
        for value in data:
            if (found := _json_value(value, name)) is not None:
                return found
    return None


def _first(meta: dict[str, str], keys: Sequence[str]) -> str | None:
    return next((meta[key] for key in keys if meta.get(key)), None)


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


_QUOTES = str.maketrans({mark: '"' for mark in "“”„‟「」『』'‘’"})


def _loosely(text: str) -> str:
    """A headline as compared with its ``<title>`` copy, which templates write with other
    quotes, widths and spaces than the heading shows ("…" for “…”, : for ：)."""
    return "".join(unicodedata.normalize("NFKC", text).translate(_QUOTES).split())


def title(root: etree._Element, meta: dict[str, str]) -> str | None:
    """The headline: a heading that the ``<title>`` also carries, else the meta or ``<title>`` head.

    ``<title>`` usually reads ``headline_channel_site``; a heading element alone may be the
    site logo, so a heading is trusted when the ``<title>`` or meta title contains it, or
    when the ``<title>`` is broken (empty, a template, "无标题文档") and one ``<h1>`` is there.
    """
    page_title = _clean(_TAG.sub("", root.findtext(".//title") or ""))
    meta_title = _clean(_TAG.sub("", _first(meta, _TITLE_META) or ""))
    references = [text for text in (page_title, meta_title) if text and not _is_broken(text)]
    best = ""
    headings = [heading for heading in root.iter("h1", "h2", "h3") if not _is_logo(heading)]
    loose_references = [_loosely(reference) for reference in references]
    for heading in headings:
        text = _clean(heading.text_content())
        if len(text) > len(best) and len(text) >= 4 and any(_loosely(text) in ref for ref in loose_references):
            best = text
    if best:
        return best
    # The one heading of the highest level there is, the logo aside (a blog's name in an h1
    # over its post's h2).
    level = min((heading.tag for heading in headings), default=None)
    lone = [_clean(heading.text_content()) for heading in headings if heading.tag == level]
    lone_heading = lone[0] if len(lone) == 1 and len(lone[0]) >= 4 else None
    if not references:
        return lone_heading or page_title or meta_title or None
    sites = _site_names(root, meta)
    if meta_title and meta_title != page_title:
        found = _without_site(meta_title, sites, cut=False)
    else:
        shown = _shown_texts(root)
        found = _shown_head(page_title, shown) or _without_site(page_title, sites, cut=True, shown=set(shown))
    # A <title> that names only the site ("某某卫视-某某新闻") is no headline either.
    return lone_heading if lone_heading and _is_site_name(found, sites, by_length=False) else found


def _is_logo(heading: etree._Element) -> bool:
    """A heading that is one link to the home page: the site's logo or name, which the
    ``<title>`` of every page names too, never the headline."""
    text = _clean(heading.text_content())
    return any(_HOME.match(link.get("href") or "") and _clean(link.text_content()) == text
               for link in heading.iter("a"))


def _site_names(root: etree._Element, meta: dict[str, str]) -> list[str]:
    """What the page calls its site: the site-name meta, the text or logo of links to the
    home page, and the names its copyright and reprint notices give."""
    names = [_first(meta, _SITE_META) or ""]
    for link in root.iter("a"):
        if _HOME.match(link.get("href") or ""):
            names.append(link.text_content())
            names += [img.get("alt") or "" for img in link.iter("img")]
    names += [line for text in root.itertext() if TAIL_NOTICE.search(text)
              for line in text.splitlines()]
    return [name for name in ("".join(name.split()) for name in names) if len(name) >= 2]


def _is_broken(text: str) -> bool:
    return bool(BROKEN_TITLE.search(text))


def _shown_texts(root: etree._Element) -> list[str]:
    """The page's text nodes outside links, each as one spaced line, in reading order."""
    return [text for text in map(_clean, _TEXT_OUTSIDE_LINKS(root)) if text]


def _shown_head(page_title: str, shown: list[str]) -> str | None:
    """The longest text the page shows on its own that the ``<title>`` opens with, up to a
    space or a separator: the headline, where the site and channel follow it without a mark
    the separators know (``headline 东区办事处_中山网``, ``headline 某某研究院附属医院``).
    A text the page goes on from with the title's next words is a headline's first line."""
    heads = []
    for index, text in enumerate(shown):
        rest = page_title[len(text):]
        if (len(text) >= _HEADLINE_HEAD and rest and page_title.startswith(text)
                and (rest[0].isspace() or _TITLE_SEPARATORS.match(rest))):
            following = "".join(shown[index + 1].split()) if index + 1 < len(shown) else ""
            if not (following and "".join(rest.split()).startswith(following)):
                heads.append(text)
    return max(heads, key=len) if heads else None


def _without_site(text: str, sites: list[str], cut: bool, shown: AbstractSet[str] = frozenset()) -> str:
    """The title without the channel and site names a CMS appends (``headline_国内_某某网``,
    ``headline-EDN 电子技术设计``) or, as a path, puts first (``某某博客 » headline``); a " | "
    or "——" inside the headline itself stays.

    When no trailing part is a site name, ``cut`` says whether to keep only one part (a
    ``<title>``) or the whole (a meta title, which rarely carries the site).  The part kept
    is the longest the page also ``shown``s as a text of its own, outside links (its
    headline, set in a styled ``<div>``), else the first: a site that puts its name first
    without a known ending (``某某预测--headline``) shows that name only in its logo or links.
    """
    pieces = _TITLE_SEPARATORS.split(text)  # parts and, between them, their separators
    stripped = False
    while len(pieces) > 1 and _is_site_name(pieces[-1], sites):
        del pieces[-2:]
        stripped = True
    while len(pieces) > 1 and _is_site_name(pieces[0], sites, by_length=False):
        del pieces[:2]
        stripped = True
    if len(pieces) > 1:
        if stripped or not cut:
            return "".join(pieces).strip()
        parts = [part.strip() for part in pieces[::2] if part.strip()]
        on_page = [part for part in parts if _clean(part) in shown] if len(parts) > 1 else []
        return max(on_page, key=len) if on_page else (parts[0] if parts else text.strip())
    return _without_hyphened_site(pieces[0], sites).strip()


def _without_hyphened_site(text: str, sites: list[str]) -> str:
    """Channel and site names joined by bare hyphens (``headline-财经频道-某某网``), each one
    named as a site, and a list of keywords joined the same way (``headline-词一,词二,词三``):
    a short part after a bare hyphen may be the headline's own (``净利1900万-2900万``)."""
    while True:
        head, dash, tail = text.rpartition("-")
        if not (dash and len(head) >= 4 and (_is_site_name(tail, sites, by_length=False)
                                             or _KEYWORDS.match(tail))):
            return text
        text = head




def _is_site_name(part: str, sites: list[str], by_length: bool = True) -> bool:
    """A channel or site name: one the page gives itself, a domain, a name ending in 网,
    在线, 频道…, or (``by_length``) a label too short to be a headline."""
    name = "".join(part.split())
    return ((by_length and len(name) <= _CHANNEL_NAME) or bool(SITE_NAME.search(name))
            or any(name in site or (len(site) >= 4 and site in name) for site in sites))


def info_blocks(blocks: list[Block], body_blocks: list[Block], headline: str | None) -> list[Block]:
    """The few blocks where the info line sits: after the headline up to the first
    paragraph of prose, else just before the body."""
    positions = {id(block): index for index, block in enumerate(blocks)}
    body_start = positions.get(id(body_blocks[0]), len(blocks)) if body_blocks else len(blocks)
    start = _headline_copy(blocks, headline, body_start) if headline else None
    if start is None and body_blocks:
        start = max(0, body_start - _INFO_WINDOW)
    if start is None:
        return []
    window = []
    for block in blocks[start:start + _INFO_WINDOW]:
        if _is_paragraph(block):
            break
        window.append(block)
    return window


def _headline_copy(blocks: list[Block], headline: str, body_start: int) -> int | None:
    """Where the article's own copy of the headline sits: of the blocks that read it (a nav
    bar, a corpus wrapper and breadcrumbs repeat it), a heading, and the one nearest
    above the body; a copy below the body is used only when there is no other."""
    copies = [i for i, block in enumerate(blocks) if block.text == headline]
    if not copies and len(headline) >= 8:
        copies = [i for i, block in enumerate(blocks) if block.text.startswith(headline)]
    if not copies:
        return None
    above = [i for i in copies if i < body_start] or copies[:1]
    headings = [i for i in above if blocks[i].owner.tag in _HEADINGS]
    return max(headings or above)


def _is_paragraph(block: Block) -> bool:
    """A paragraph of prose; an info line long with its labels' colons (发布时间：… 来源：…
    浏览次数：…) is not one, so the info window does not stop short of it."""
    return block.length >= _PARAGRAPH and block.punctuation >= 2 and not is_byline_line(block.text)


def _body_head(body_blocks: list[Block]) -> list[Block]:
    """The body's opening lines up to its second paragraph: bylines and dates sit there."""
    head, paragraphs = [], 0
    for block in body_blocks:
        head.append(block)
        paragraphs += _is_paragraph(block)
        if paragraphs == 2:
            break
    return head


def nearby_blocks(blocks: list[Block], body_blocks: list[Block]) -> list[Block]:
    """Blocks around the body, nearest first, leaving out link lists (other articles' dates)."""
    if not body_blocks:
        return []
    positions = {id(block): index for index, block in enumerate(blocks)}
    start = positions.get(id(body_blocks[0]), 0)
    end = positions.get(id(body_blocks[-1]), start)
    around = []
    for distance in range(1, _NEARBY + 1):
        around += [blocks[i] for i in (start - distance, end + distance) if 0 <= i < len(blocks)]
    return [block for block in around if block.link_density <= 0.5]


def published_at(meta: dict[str, str], info: list[Block], body_blocks: list[Block],
                 nearby: list[Block], url: str | None) -> str | None:
    """The publication moment, by decreasing trust.

    A dated meta tag; a full date in the info line, at the edges of the body, then in
    the blocks nearest the body; the URL's date; a short dated line in the body (a
    signature, "posted on ..."); and only then a form without a year
    (``5月20日``, ``昨天 10:20``) in the info line: those are resolved against the URL,
    else the page's last-modified meta, else today, which is wrong for any old page that
    happens to say 今天.  The last-modified date itself comes last.
    """
    texts = [block.text for block in info + _body_head(body_blocks) + body_blocks[-3:] + nearby
             if not _is_narrative(block)]
    meta_date = _first(meta, _DATE_META)
    for text in [meta_date, *texts]:
        moment = next(iter_dates(text or "", url=url, yearless=False), None)
        if moment:
            return _with_info_time(moment, texts, url) if text is meta_date else moment.isoformat()
    day = date_from_url(url) if url else None
    if day:
        return datetime.combine(day, time(), SHANGHAI).isoformat()
    for block in body_blocks:
        moment = next(iter_dates(block.text, url=url, yearless=False), None)
        if moment and block.length < _SHORT_LINE:
            return moment.isoformat()
    modified = next(iter_dates(_first(meta, _MODIFIED_META) or "", yearless=False), None)
    for block in info:
        moment = next(iter_dates(block.text, url=url, reference=modified), None)
        if moment:
            return moment.isoformat()
    return modified.isoformat() if modified else None


def _is_narrative(block: Block) -> bool:
    """A sentence of the story: a date it mentions ("2011年12月8日，警方…") is an event's,
    not the dateline.  Datelines and signatures are short lines or carry no full stop."""
    return block.length > _DATELINE and any(stop in block.text for stop in "。！？")


def _with_info_time(moment: datetime, texts: list[str], url: str | None) -> str:
    """A meta date without a time borrows the time the info line gives for the same day."""
    if moment.timetz().replace(tzinfo=None) != time():
        return moment.isoformat()
    for text in texts:
        for candidate in iter_dates(text, url=url, yearless=False):
            if candidate.date() == moment.date():
                return candidate.isoformat()
    return moment.isoformat()


def _credits(info: list[Block]) -> Byline:
    """Source and author of the info line, read as the cleaning stages read a byline."""
    found = Byline()
    for block in info:
        byline = parse_byline(block.text)
        found.source = found.source or byline.source
        found.author = found.author or byline.author
    return found


def source(meta: dict[str, str], info: list[Block]) -> str | None:
    return _credits(info).source or _clean(_first(meta, _SOURCE_META)) or None


def author(meta: dict[str, str], info: list[Block]) -> str | None:
    """The info line's author, else a meta author that is a name, not a list of site names;
    role words dropped as a crawl drops them."""
    labelled = _credits(info).author
    if labelled:
        return labelled
    named = _clean(_first(meta, _AUTHOR_META))
    if not named or _NOT_A_NAME.search(named) or _is_publisher(named, meta):
        return None
    return tidy_credit(named)


def _is_publisher(name: str, meta: dict[str, str]) -> bool:
    """A portal's template names itself as every article's author (author 网易 beside
    copyright 网易版权所有): a name the page's copyright or site-name meta gives is its own."""
    return any(name in meta.get(key, "") for key in ("copyright", *_SITE_META))
