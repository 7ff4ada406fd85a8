"""Page text to a cleaned lxml tree: what no extractor should ever read is removed first."""

from __future__ import annotations

import re

from lxml import etree, html

from crawler.cleaning.boilerplate import is_control_link
from crawler.cleaning.text import SKIPPED_TAGS, hidden_classes, is_hidden, xml_safe

# A form a reader fills in (a poll, a survey, a comment box) is never article text.  But
# some sites wrap the whole page, or the article with its "mail this" box, in one <form>,
# and a questionnaire article has checkboxes: a form written in sentences, or holding
# half the page's sentences, is kept.
_FILLED_IN = ".//textarea|.//input[@type='radio' or @type='checkbox' or @type='RADIO' or @type='CHECKBOX']"
_FORM_SENTENCES = 8
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
# A header template included with its own </body></html> must not end the page: the parser
# drops whatever follows a document's end tags, here the whole article.
_DOCUMENT_END = re.compile(r"</\s*(?:body|html)\s*>", re.I)
_HTML_TAG = re.compile(r"<\s*(?:!doctype\s+html|html|head|body|title|meta|div|p|table|span|a|br)\b", re.I)
_PARSER = html.HTMLParser(remove_comments=True, remove_pis=True, recover=True,
                          collect_ids=False)


class NotHtmlError(ValueError):
    """The text has no HTML document in it."""


def without_document_end(text: str) -> str:
    """The page without its ``</body>``/``</html>`` tags, which the parser adds back at the end."""
    return _DOCUMENT_END.sub("", text)


def parse(text: str) -> html.HtmlElement:
    """Parse page text leniently.

    lxml refuses str input that keeps an XML encoding declaration, and text nodes with
    control characters, which some CMSs leave in their pages.  End tags of the document are
    dropped (the parser closes it anyway), so that an included fragment's cannot end it early.
    """
    text = without_document_end(_XML_DECLARATION.sub("", text, count=1))
    if "\x00" in text or not _HTML_TAG.search(text):
        raise NotHtmlError("no HTML markup")
    root = etree.fromstring(xml_safe(text), _PARSER)
    if root is None or not isinstance(root.tag, str):
        raise NotHtmlError("no element")
    return root


def strip_invisible(root: etree._Element) -> None:
    """Drop what a reader never sees as article text: scripts, form controls, the head, polls
    and comment forms, a link that works the page set inside a line of text (…。返回首页>>),
    and elements hidden by inline style, ``hidden``, or a class that a ``<style>`` rule
    hides (publishers hide anti-copy strings and templates in them)."""
    hidden = hidden_classes(root)
    page_sentences = _sentences(root)
    forms = [form for form in root.iter("form") if form.xpath(_FILLED_IN)
             and _sentences(form) < min(_FORM_SENTENCES, page_sentences / 2)]
    etree.strip_elements(root, *SKIPPED_TAGS, with_tail=False)
    doomed = forms + [el for el in root.iter(etree.Element)
                      if el is not root and (is_hidden(el, hidden) or is_control_link(el))]
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()


def _sentences(element: etree._Element) -> int:
    text = element.text_content()
    return sum(text.count(stop) for stop in "。！？")
