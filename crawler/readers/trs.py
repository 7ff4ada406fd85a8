"""TRS WCM: what real installations share.

Evidence (real pages in ``fixtures/realcms/trs/`` and the five-site fixtures):

- ``<meta name="ArticleTitle|PubDate|ContentSource|ColumnName">`` are written by the
  WCM publishing engine on every article page (www.shanxi.gov.cn 2019, www.jszf.gov.cn);
  ``ArticleTitle`` may hold the editor's markup (``<br>``, ``<font>``), so it is read as
  text.  ``PubDate`` shows the minute (``2019-09-18 06:23``): it beats the day that the
  URL's ``tYYYYMMDD_`` gives.
- The body is the editor's container: ``div.TRS_Editor`` (cjn.cn 2020, cmse.gov.cn 2012,
  shanxi.gov.cn 2019), ``div.TRS_UEDITOR`` (newer WCM with UEditor) or
  ``div.Custom_UnionStyle`` (documents pasted from Word).  A page may carry several
  (an abstract box and the body): the fullest is the body.
- The headline is not reliably an ``h1``: shanxi.gov.cn's only ``h1`` is the site logo and
  its headline an ``h2``; cmse.gov.cn has a ``div.title``; so a heading counts only when
  it agrees with ``<title>``/``ArticleTitle`` (see :mod:`crawler.readers.base`).
- The date line sits under the headline (``span.pub-time`` on cjn.cn, ``div.pubDate`` on
  cmse.gov.cn, ``li.article-infos-source`` on shanxi.gov.cn): found as the info line
  under the headline.
- Multi-page articles print no pager links: a script calls
  ``createPageHTML(total, current, stem, ext)`` (literal arguments), or sets
  ``var countPage = N`` / ``var currentPage = N`` and writes the pager with
  ``document.write``; page N+1 of ``t…_ID.shtml`` is ``t…_ID_N.shtml`` (pages count from 0).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from crawler.readers.base import Candidate, Page, Reader, without_markup

_CREATE_PAGE_HTML = re.compile(
    r"createPageHTML\(\s*(?:['\"][^'\"]*['\"]\s*,\s*)?(\w+)\s*,\s*(\w+)\s*,\s*['\"]([\w-]+)['\"]\s*,"
    r"\s*['\"](\w+)['\"]")
_VARIABLE = r"var\s+{}\s*=\s*['\"]?(\d+)"
_ARTICLE_FILE = re.compile(r"/(t\d{8}_\d+)(?:_\d+)?\.(s?html?)$")


def _number(token: str, script: str) -> int | None:
    """A literal argument, or the value a ``var NAME = N`` gives it."""
    if token.isdigit():
        return int(token)
    match = re.search(_VARIABLE.format(re.escape(token)), script)
    return int(match[1]) if match else None


def next_page_file(script: str, stem: str | None = None, ext: str = "shtml") -> str | None:
    """The file name of the next page a TRS pager script describes, or None on the last.

    ``stem``/``ext`` are the current file's, used when the script gives no call but only
    ``var countPage``/``var currentPage``.
    """
    match = _CREATE_PAGE_HTML.search(script)
    if match:
        total, current = _number(match[1], script), _number(match[2], script)
        stem, ext = match[3], match[4]
    else:
        total = _number("countPage", script)
        current = _number("currentPage", script) or 0
    if total is None or current is None or stem is None or current + 1 >= total:
        return None
    return f"{stem}_{current + 1}.{ext}"


class TRSReader(Reader):
    cms = "trs"
    title_css = "h1, h2, div.title, td.title"
    body_css = "div.TRS_Editor, div.TRS_UEDITOR, div.Custom_UnionStyle"
    section_css = "div.position a::text"

    def dialect_titles(self, page: Page) -> Iterator[Candidate[str]]:
        meta = page.meta.get("articletitle")
        if meta and without_markup(meta):
            yield Candidate(without_markup(meta), "trs:meta ArticleTitle")
        yield from super().dialect_titles(page)

    def date_candidates(self, page: Page, info):
        if info:
            yield info
        if page.meta.get("pubdate"):
            yield Candidate(page.meta["pubdate"], "trs:meta PubDate")
        yield from super().date_candidates(page, None)

    def credits(self, page: Page) -> dict[str, Candidate[str] | None]:
        source = page.meta.get("contentsource")
        return {"source": Candidate(without_markup(source), "trs:meta ContentSource") if source else None}

    def section(self, page: Page) -> Candidate[str] | None:
        column = page.meta.get("columnname")
        return super().section(page) or (Candidate(column, "trs:meta ColumnName") if column else None)

    def next_page(self, page: Page) -> str | None:
        """Page N+1 of a multi-page article, from its pager script, else from a 下一页 link."""
        match = _ARTICLE_FILE.search(page.url.split("?", 1)[0])
        if match:
            script = " ".join(page.selector.xpath("//script/text()").getall())
            name = next_page_file(script, match[1], match[2])
            if name:
                return page.join(name)
        return super().next_page(page)
