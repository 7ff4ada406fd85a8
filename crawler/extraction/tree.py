"""Page text to a cleaned lxml tree: what no extractor should ever read is removed first."""

from __future__ import annotations

import re

from lxml import etree, html

from crawler.cleaning.text import xml_safe

# Elements whose content is never article text.
_DROPPED_TAGS = ("script", "style", "noscript", "iframe", "frame", "frameset", "select", "option",
                 "textarea", "button", "input", "link", "svg", "canvas", "object", "embed",
                 "template", "map", "audio", "video", "head")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_HTML_TAG = re.compile(r"<\s*(?:!doctype\s+html|html|head|body|title|meta|div|p|table|span|a|br)\b", re.I)
_PARSER = html.HTMLParser(remove_comments=True, remove_pis=True, recover=True,
                          collect_ids=False)


class NotHtmlError(ValueError):
    """The text has no HTML document in it."""


def parse(text: str) -> html.HtmlElement:
    """Parse page text leniently.

    lxml refuses str input that keeps an XML encoding declaration, and text nodes with
    control characters, which some CMSs leave in their pages.
    """
    text = _XML_DECLARATION.sub("", text, count=1)
    if "\x00" in text or not _HTML_TAG.search(text):
        raise NotHtmlError("no HTML markup")
    root = etree.fromstring(xml_safe(text), _PARSER)
    if root is None or not isinstance(root.tag, str):
        raise NotHtmlError("no element")
    return root


def strip_invisible(root: etree._Element) -> None:
    """Drop scripts, forms controls, the head, and elements hidden by inline style or ``hidden``.

    Hidden elements go because publishers hide anti-copy strings and templates in them.
    """
    etree.strip_elements(root, *_DROPPED_TAGS, with_tail=False)
    hidden = [el for el in root.iter(etree.Element)
              if el is not root
              and (el.get("hidden") is not None or _HIDDEN_STYLE.search(el.get("style", "")))]
    for el in hidden:
        el.drop_tree()
