"""Generic article extraction for Chinese news pages, for sites no spider knows yet.

``extract(body, url, headers)`` decodes the bytes, finds the article body by text and
punctuation density, reads title, date, source and author from meta tags and the
info line, and says whether the page is an article at all (``page_type``): a list or
index page must never be stored as an article.
"""

from __future__ import annotations

from collections.abc import Mapping

from lxml import html

from crawler.decoding import decode_html
from crawler.extraction import fields
from crawler.extraction.blocks import linearize
from crawler.extraction.body import MIN_ARTICLE_PROSE, find_body, images
from crawler.extraction.tree import NotHtmlError, parse, strip_invisible

ARTICLE = "article"
LISTING = "list"
METHOD = "generic"

__all__ = ["ARTICLE", "LISTING", "METHOD", "NotHtmlError", "extract"]


def extract(body: bytes, url: str | None = None, headers: Mapping | None = None) -> dict:
    """Article fields of one page.

    Keys: title, published_at (ISO 8601, +08:00), author, source, editor, body (one paragraph
    a line), body_html, images ([{src, alt}], absolute), method ("generic") and
    page_type ("article" or "list").  Raises ``NotHtmlError`` for input with no markup
    and ``crawler.decoding.UndecodableError`` for bytes that are not text.
    """
    text, _ = decode_html(body, headers)
    root = parse(text)
    meta = fields.meta_values(root)
    base_url = root.find(".//base")
    base_url = (base_url.get("href") if base_url is not None else None) or url
    headline = fields.title(root, meta)
    strip_invisible(root)
    blocks = linearize(root)
    found = find_body(root, blocks, headline)
    body_blocks = found.blocks if found else []
    info = fields.info_blocks(blocks, body_blocks, headline)
    info += [block for block in (found.lead if found else []) if block not in info]
    is_article = found is not None and found.prose_length >= MIN_ARTICLE_PROSE
    credited = info + (found.closing_credits if found else [])  # credits: the info line's, then the closing line's
    return {
        "title": headline,
        "published_at": fields.published_at(meta, info, body_blocks,
                                            fields.nearby_blocks(blocks, body_blocks), url),
        "author": fields.author(meta, credited),
        "source": fields.source(meta, credited),
        "editor": found.editor if found else None,
        "body": found.text if found else "",
        "body_html": html.tostring(found.container, encoding="unicode") if found else "",
        "images": images(found.container, base_url) if found else [],
        "method": METHOD,
        "page_type": ARTICLE if is_article else LISTING,
    }
