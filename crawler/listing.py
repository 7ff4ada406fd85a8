"""Column list pages: which links are the article list, the date beside each, the next page.

A pure function of (URL, page): no Scrapy, so tests and ``bench/lists.py`` run it on
saved pages, and the spiders call it on their responses' lxml trees.

**The article list** is found by structure, not by a scope selector that a template may
not have (``body`` as the scope took sidebar links on a real TRS page):

1. Candidates are the links whose URL has the shape of an article (the dialect's
   ``article_href`` pattern, or, without one, :func:`looks_like_article`), outside
   ``header``/``nav``/``footer``/``aside`` elements.
2. Each candidate belongs to an *entry*: the largest ancestor, at most four levels up,
   that holds no other article's link (the ``li`` or ``tr`` of a list; the link itself
   where links follow each other in one cell, separated by ``<br>``). Entries that
   share a parent form a group, and groups of one tag under one grandparent merge
   (lists split into several ``ul`` of five items).
3. A group scores its number of entries whose link has the group's most common *URL
   shape* (the path template with every digit run generalised, so ``./202009/
   t20200903_2748784.html`` and ``./201905/t20190530_2380968.html`` agree), counted
   double when the entry shows a date, and halved inside an element whose class or id
   names furniture (``side``, ``hot``, ``rank``, ``related`` …). The best group is the
   list: a 20-entry dated list beats a 4- or 10-link sidebar or "相关新闻" box of the same
   shape, on every stock template of the three dialects (EmpireCMS 最后更新/热门点击,
   PHPCMS 频道总排行/本月排行) and on the real pages in ``fixtures/realcms_lists/``.

**Dates beside each link** are read, in order, from the entry's text outside the link
(``<li><span class="rt">date</span>·<a>``, a sibling ``td``), the text or element right
after the link (``<a>…</a>(2019-01-19)<br>``, ``<a>…</a><span>date</span>``), the link's
own child elements (``<a><span class="date">…</span>title</a>``), then the URL.

**The next page**, in order of authority:

1. TRS WCM's pager script, which raw HTML carries instead of pager links (see
   :func:`script_pager`);
2. the anchor labelled 下一页 (every stock pager of the three CMSs prints it: EmpireCMS
   ``sys_ShowListMorePage`` in ``div.epages``, exported templates' ``div.pagelist``, and
   ``sys_ShowListPage`` in ``table.list_page``; PHPCMS ``pages()`` in ``div#pages``); a
   下一页 that leads back to the page itself is PHPCMS's last page, not a next page;
3. the link numbered one more than the current page, which a pager shows as plain
   text (``<b>2</b>``, ``<span>2</span>``, ``<font>2</font>``): a pager whose labels a
   site renamed still numbers its pages.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree
from lxml.html import HtmlElement
from w3lib.url import canonicalize_url

from crawler.dates import date_from_url, iter_dates
from crawler.decoding import decode_html

# --- Article URL shapes of the dialects ------------------------------------------

#: TRS WCM publishes a document at ``{channel}/{YYYYMM}/t{YYYYMMDD}_{docid}.{ext}``
#: (``.shtml``/``.html``/``.htm``): jszf's URLs, the real Ordos list page in
#: ``fixtures/realcms_lists/trs/``, mee.gov.cn and nmg.gov.cn articles.
TRS_ARTICLE = re.compile(r"(?:^|/)t\d{8}_\d+\.s?html?$")

#: EmpireCMS writes an article to ``/{class path or custom dir}/{newspath}/{prefix}{name}{ext}``.
#: ``eadmin/admin/AddClass.php`` (EmpireCMS 8.0, repository voidfeng/EmpireCMS) offers
#: ``newspath`` ``Y-m-d`` (the default: ``/2019-09-25/123.html``), ``Y/m-d``, ``Y/m/d``,
#: ``Ymd`` (``/20190925/123.html``) or none (``/zgls/9291.html``, ``/ym/xhy/532601.html``),
#: and the field takes any date format, so ``Y/md`` (``/2019/0925/123.html``) too; the
#: name is the info ID, ``time()`` + ID, ``date()`` + ID (``/news/201909251301.html``), a
#: public ID, a 32- or 16-digit MD5, or an ID directory (``/1/``); an optional prefix;
#: ``.html``, ``.htm``, ``.php`` or ``.shtml``. Page N of a split article is ``ID_N``, and
#: list pages are ``index.html``/``index_N.html``, which this never matches.
EMPIRECMS_ARTICLE = re.compile(
    r"(?:^|/)(?!index[._])[A-Za-z_-]*(?:\d+|[0-9a-f]{16}|[0-9a-f]{32})(?:\.(?:s?html?|php)|/)$")

#: PHPCMS v9's URL rules (``install/main/phpcms_db.sql``, table ``phpcms_urlrule``,
#: repository source-hunter/phpcms v9.6.0): dynamic ``index.php?m=content&c=index&a=show
#: &catid={catid}&id={id}``; static ``{year}/{catdir}_{month}{day}/{id}.html`` and
#: ``{categorydir}{catdir}/{year}/{month}{day}/{id}.html``, and sites' own rules in the
#: same variables such as ``{catid}_{year}/{month}{day}/{id}.html`` (``/6_2012/0112/30768.html``);
#: pseudo-static ``show-{catid}-{id}-{page}.html`` and ``content-…``.
PHPCMS_ARTICLE = re.compile(
    r"[?&]a=show&(?:.*&)?id=\d+"
    r"|(?:^|/)(?:\d+_)?(?:19|20)\d{2}/(?:[\w-]+_)?\d{4}/\d+\.html$"
    r"|(?:^|/)(?:show|content)-\d+-\d+(?:-1)?\.html$")

_LIST_FILE = re.compile(r"(?:^|/)(?:index|list|default)(?:[_-]\d+)*\.\w+$|/$", re.I)
_DIGITS = re.compile(r"\d+")
_OUTSIDE_CONTENT = {"header", "nav", "footer", "aside"}
# Class or id words of page furniture: substrings, and whole words that are too short to
# look for inside other words ("hot" is in "photo").
_FURNITURE_PART = re.compile(r"side|rank|relat|recommend|tuijian|footer|header|friend|menu|nav|xgxw|xgwz")
_FURNITURE_WORDS = {"hot", "foot", "ad", "ads", "tj", "links", "flink", "banner"}
_NOT_A_PAGE = re.compile(r"^(?:javascript:|#|mailto:)", re.I)
_NEXT_LABEL = re.compile(r"^[\s\[【<(（]*(?:下一页|下页|后一页|next(?:\s*page)?)[\s\]】>)）»›]*$", re.I)
_CURRENT_NUMBER_TAGS = ("b", "strong", "span", "font", "em")


@dataclass(frozen=True)
class ListEntry:
    """An article link on a list page, with the date the list shows beside it."""

    url: str
    date: date | None = None


def parse_list_date(text: str | None) -> date | None:
    """The first full date shown in a list entry (the project's one date parser reads it)."""
    moment = next(iter_dates(text or "", yearless=False), None)
    return moment.date() if moment else None


def parse_page(body: bytes | str, headers=None) -> lxml.html.HtmlElement:
    """The lxml tree of a saved page, its bytes decoded by the project's decoder."""
    text = body if isinstance(body, str) else decode_html(body, headers)[0]
    return lxml.html.document_fromstring(text or "<html></html>")


# --- The article list --------------------------------------------------------------


def looks_like_article(url: str) -> bool:
    """Without a dialect pattern: a page URL whose file name or query carries a number,
    and which is not a list or index page."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", ""):
        return False
    if parts.query and re.search(r"(?:^|&)(?:id|aid|docid|newsid|articleid|contentid|infoid)=\d+",
                                 parts.query, re.I):
        return not re.search(r"(?:^|&)a=lists?\b", parts.query)
    name = parts.path.rsplit("/", 1)[-1]
    return bool(re.search(r"\d{2,}", name)) and not _LIST_FILE.search(parts.path)


def url_shape(url: str) -> str:
    """The URL's path template with digit runs generalised (and query keys kept), so the
    links of one list agree: ``/a/202009/t20200903_27.html`` is ``/a/#/t#_#.html``.  A file
    name without digits is a slug, generalised whole: ``/a/ok.html`` is ``/a/*.html``, so
    that a list of worded names agrees as well as a list of numbered ones."""
    parts = urlsplit(url)
    keys = "&".join(sorted(pair.split("=", 1)[0] for pair in parts.query.split("&") if pair))
    folder, _, name = parts.path.rpartition("/")
    stem, dot, extension = name.partition(".")
    if stem and not _DIGITS.search(stem):
        name = f"*{dot}{extension}"
    return f"{parts.netloc}{_DIGITS.sub('#', folder)}/{_DIGITS.sub('#', name)}?{keys}"


def list_entries(url: str, page, article_href: re.Pattern | None = None,
                 scope_css: str = "") -> list[ListEntry]:
    """The article list of a list page (``page``: an lxml tree, text or bytes), in page
    order, each link with the date shown beside it (else the URL's date).

    ``scope_css`` narrows the search to the site's list container where it exists; a
    scope that matches nothing, or holds no article link, is ignored. Where no link has
    the ``article_href`` shape (a site's own URL rule, such as PHPCMS's free-form
    ``{catdir}/{id}.html``), any article-shaped URL is taken.
    """
    root = page if isinstance(page, etree._Element) else parse_page(page)
    scopes = [*(root.cssselect(scope_css) if scope_css else []), root]
    for pattern in dict.fromkeys([article_href, None]):
        for scope in scopes:
            group = _best_group(url, scope, pattern)
            if group:
                return [ListEntry(link_url, _entry_date(anchor, entry) or date_from_url(link_url))
                        for link_url, anchor, entry in group]
    return []


def _candidates(url: str, scope, article_href: re.Pattern | None):
    """(absolute URL, anchor) of every article-shaped link in ``scope``, outside page furniture."""
    for anchor in scope.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or _NOT_A_PAGE.match(href):
            continue
        if any(ancestor.tag in _OUTSIDE_CONTENT for ancestor in anchor.iterancestors()):
            continue
        absolute = urljoin(url, href)
        if article_href.search(href) if article_href else looks_like_article(absolute):
            yield absolute, anchor


def _entries(candidates: list[tuple[str, HtmlElement]]) -> Iterator[tuple[str, HtmlElement, HtmlElement]]:
    """(URL, anchor, entry) per candidate. An entry is the largest ancestor (at most four
    levels up) that holds no other article's link: the ``li`` or ``tr`` of a list, or the
    link itself where links follow each other in one cell, separated by ``<br>``."""
    below: dict = {}
    for link_url, anchor in candidates:
        for node in (anchor, *anchor.iterancestors()):
            below.setdefault(node, set()).add(canonicalize_url(link_url))
    for link_url, anchor in candidates:
        entry = anchor
        for _ in range(4):
            parent = entry.getparent()
            if parent is None or len(below[parent]) > 1:
                break
            entry = parent
        yield link_url, anchor, entry


def _group_key(entry):
    """Entries under one parent are one group; parents of one tag under one grandparent merge."""
    parent = entry.getparent()
    grandparent = parent.getparent() if parent is not None else None
    if parent is not None and grandparent is not None and parent.tag in ("ul", "ol", "tbody", "table"):
        return grandparent, parent.tag, entry.tag
    return parent, None, entry.tag


def _best_group(url: str, scope, article_href):
    groups: dict = {}
    for link_url, anchor, entry in _entries(list(_candidates(url, scope, article_href))):
        members = groups.setdefault(_group_key(entry), {})
        members.setdefault(canonicalize_url(link_url), (link_url, anchor, entry))
    best, best_score = None, 0.0
    for members in groups.values():
        score = _score(list(members.values()))
        if score > best_score:
            best, best_score = list(members.values()), score
    return best


def _score(members) -> float:
    shapes = Counter(url_shape(link_url) for link_url, _, _ in members)
    shape = shapes.most_common(1)[0][0]
    entries = {id(entry): entry for link_url, anchor, entry in members if url_shape(link_url) == shape}
    dated = sum(1 for link_url, anchor, entry in members
                if url_shape(link_url) == shape and _entry_date(anchor, entry))
    score: float = len(entries) + min(dated, len(entries))
    container = members[0][2].getparent()
    if container is not None and _is_furniture(container):
        score /= 2
    return score


def _is_furniture(element) -> bool:
    for node in (element, *element.iterancestors()):
        names = f"{node.get('class') or ''} {node.get('id') or ''}".lower()
        if _FURNITURE_PART.search(names) or _FURNITURE_WORDS.intersection(re.split(r"[\W_]+", names)):
            return True
    return False


def _text(node) -> str:
    """An element's text; nothing for a comment or processing instruction."""
    return " ".join(node.itertext()) if node is not None and isinstance(node.tag, str) else ""


def _entry_date(anchor, entry) -> date | None:
    if entry is not anchor:
        found = parse_list_date("".join(_text_outside(entry, anchor)))
        if found:
            return found
    following = anchor.getnext()
    beside = f"{anchor.tail or ''} {_text(following) if following is not None and following.tag != 'a' else ''}"
    return parse_list_date(beside) or parse_list_date(" ".join(map(_text, anchor.iterchildren())))


def _text_outside(element, skip):
    """The text of ``element`` without the text of its descendant ``skip``."""
    if element is skip:
        return
    yield element.text or ""
    for child in element:
        if isinstance(child.tag, str):
            yield from _text_outside(child, skip)
        yield " " + (child.tail or "")


# --- The next list page --------------------------------------------------------------


@dataclass(frozen=True)
class ScriptPager:
    """A TRS pager script: page count, current page counted from 0, file stem and extension."""

    total: int
    current: int
    stem: str | None
    ext: str | None

    def next_name(self, current_url: str = "") -> str | None:
        """The file name of the next page (page k+1 is ``{stem}_{k}.{ext}``), None on the last."""
        if self.current + 1 >= self.total:
            return None
        stem, ext = self.stem, self.ext
        name = urlsplit(current_url).path.rsplit("/", 1)[-1]
        if not stem or not ext:
            match = re.match(r"([A-Za-z]\w*?)(?:_\d+)?\.(\w+)$", name)
            stem = stem or (match[1] if match else "index")
            ext = ext or (match[2] if match else "html")
        return f"{stem}_{self.current + 1}.{ext}"


# ``createPageHTML(total, current, "stem", "ext")``, optionally after a container id
# (``createPageHTML('page_div', 5, 1, 'fg', 'shtml', 89)``): TRS WCM's pager call, seen by
# public crawlers of jszf-style, Wuhan and NDRC list pages.
_CREATE_PAGE_HTML = re.compile(
    r"createPageHTML\(\s*(?:['\"][^'\"]*['\"]\s*,\s*)?(\d+)\s*,\s*(\d+)\s*,\s*['\"]([\w-]+)['\"]"
    r"\s*,\s*['\"](\w+)['\"]")
# The inline form of the same pager (the real Ordos list page in fixtures/realcms_lists/trs/,
# and TRS article pagers): ``var currentPage = 0;//所在页从0开始`` … ``var countPage = 2//共多少页``,
# then ``document.write`` of links built as ``"index" + "_" + nextPage + "." + "html"``.
_COUNT_PAGE = re.compile(r"\bvar\s+countPage\s*=\s*(\d+)")
_CURRENT_PAGE = re.compile(r"\bvar\s+currentPage\s*=\s*(\d+)")
_WRITTEN_LINK = re.compile(
    r"""([A-Za-z]\w*)['"]\s*\+\s*['"]_['"]\s*\+\s*(?:nextPage|prevPage|i|\(?countPage\s*-\s*1\)?)\s*"""
    r"""\+\s*['"]\.(?:['"]\s*\+\s*['"])?(\w+)""")


def script_pager(script_text: str) -> ScriptPager | None:
    """The TRS pager a page's scripts draw, in either of its two forms, or None."""
    match = _CREATE_PAGE_HTML.search(script_text)
    if match:
        return ScriptPager(int(match[1]), int(match[2]), match[3], match[4])
    # Both variables, as TRS declares them: a lone ``countPage`` is some other script's.
    count, current = _COUNT_PAGE.search(script_text), _CURRENT_PAGE.search(script_text)
    if not (count and current):
        return None
    written = _WRITTEN_LINK.search(script_text)
    return ScriptPager(int(count[1]), int(current[1]),
                       written[1] if written else None, written[2] if written else None)


def trs_next_page(script_text: str, current_url: str = "") -> str | None:
    """The file name of the next list page that a TRS pager script points to, or None."""
    pager = script_pager(script_text)
    return pager.next_name(current_url) if pager else None


def next_page(url: str, page, pager_css: str = "") -> str | None:
    """The absolute URL of the next list page, or None on the last page.

    ``pager_css`` names the site's pager container where it exists; otherwise the whole
    page is searched.
    """
    root = page if isinstance(page, etree._Element) else parse_page(page)
    scripts = " ".join(" ".join(script.itertext()) for script in root.iter("script"))
    pager = script_pager(scripts)
    if pager:
        name = pager.next_name(url)
        return urljoin(url, name) if name else None
    scope = (root.cssselect(pager_css) if pager_css else []) or [root]
    href = _labelled_href(scope)
    return _elsewhere(url, href) if href else numbered_next(url, scope)


def _anchors(scope):
    for container in scope:
        for anchor in container.iter("a"):
            href = (anchor.get("href") or "").strip()
            if href and not _NOT_A_PAGE.match(href):
                yield anchor, href


def _elsewhere(url: str, href: str) -> str | None:
    target = urljoin(url, href)
    return None if canonicalize_url(target) == canonicalize_url(url) else target


def _labelled_href(scope) -> str | None:
    for anchor, href in _anchors(scope):
        label = re.sub(r"\s+", " ", " ".join(anchor.itertext())).strip()
        if _NEXT_LABEL.match(label) or _NEXT_LABEL.match(anchor.get("title") or "-"):
            return href
    return None


def labelled_next(url: str, scope) -> str | None:
    """The target of the 下一页 anchor in ``scope`` (elements), unless it is this page."""
    href = _labelled_href(scope)
    return _elsewhere(url, href) if href else None


def numbered_next(url: str, scope) -> str | None:
    """The link numbered N+1 where a pager shows the current page N as plain text."""
    for container in scope:
        for current in container.iter(*_CURRENT_NUMBER_TAGS):
            number = (current.text or "").strip()
            if not number.isdigit() or len(current) or current.getparent().tag == "a":
                continue
            for following in current.itersiblings():
                if following.tag == "a" and "".join(following.itertext()).strip() == str(int(number) + 1):
                    href = (following.get("href") or "").strip()
                    return _elsewhere(url, href) if href and not _NOT_A_PAGE.match(href) else None
                if following.tag == "a" and "".join(following.itertext()).strip().isdigit():
                    break
    return None
