"""Furniture inside an article container: hidden text, controls, trailers, related links, copyright.

:func:`strip_boilerplate` takes the container's HTML and returns cleaned HTML plus
the credits it found in info lines and trailers (they move to their fields).
Line-level rules run on the lines a reader would see (:func:`crawler.cleaning.text.segment`),
so they behave the same whether a trailer is a ``<p>``, a ``<div>`` or text after a ``<br>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import lxml.etree
import lxml.html

from crawler.cleaning.bylines import (
    EDITOR_TRAILER,
    Byline,
    is_byline_line,
    is_counter_line,
    is_date_line,
    is_editor_line,
    parse_byline,
)
from crawler.cleaning.lexicon import (
    BACK_LINK,
    CONTROL_FORMS,
    CONTROL_NAME,
    COPYRIGHT,
    PAGE_NUMBER,
    RELATED_HEADING,
)
from crawler.cleaning.pinyin import strip_pinyin
from crawler.cleaning.text import (
    BLOCK_TAGS,
    Line,
    hidden_classes,
    inner_html,
    is_hidden,
    normalize_line,
    parse_html,
    segment,
)

REMOVED_TAGS = ("script", "style", "form", "input", "button", "select", "textarea", "noscript",
                "iframe", "object", "embed", "link", "meta", "template")

_WHITE = {"#fff", "#ffffff", "white"}
FILE_NAME = re.compile(r"^[^\s/\\]{0,80}\.(?:png|jpe?g|gif|bmp|webp|tiff?|svg|heic)$", re.I)
_CONTROL_TOKEN = re.compile(r"[^\s【】\[\]|｜/·:：()（）>»<«]+")
MAX_COPYRIGHT_CHARS = 150
# How far into a sentence a notice may start and still be the line's subject.
NOTICE_OPENING = 15
MEDIA_TAGS = frozenset({"img", "video", "audio", "picture", "svg", "hr"})
_KEPT_EMPTY = frozenset({"br", "td", "th", "tr", "html", "body"}) | MEDIA_TAGS


@dataclass
class Stripped:
    html: str
    byline: Byline = field(default_factory=Byline)


def _is_white_junk(element) -> bool:
    """DedeCMS's white ``<font>`` junk strings inside an article container.  Only there: on a
    whole page white text may sit on a painted background and be read."""
    return element.tag == "font" and element.get("color", "").strip().lower() in _WHITE


def _is_control_box(element) -> bool:
    names = element.get("class", "").split() + element.get("id", "").split()
    return any(CONTROL_NAME.search(name) for name in names)


def _drop_furniture_elements(root, body) -> None:
    """Hidden elements, scripts/styles/forms and share/print widgets; their tails stay."""
    hidden = hidden_classes(root)
    doomed = [el for el in body.iter(lxml.etree.Element)
              if el.tag in REMOVED_TAGS or is_hidden(el, hidden) or _is_white_junk(el) or _is_control_box(el)
              or is_control_link(el)]
    for element in doomed:
        element.drop_tree()
    for image in body.iter("img"):
        for attribute in ("alt", "title"):
            if FILE_NAME.match(image.get(attribute, "").strip()):
                del image.attrib[attribute]


def is_control_link(element) -> bool:
    """A link that works the page (返回腾讯网首页>>, 返回搜狐，查看更多, 【打印】) set inside a line
    of text, where no line rule can see it: in a paragraph of prose, or alone beside a
    credit.  In a bar of such links it stays for the line rules, which judge the bar by
    all its links."""
    if element.tag != "a":
        return False
    text = element.text_content().strip()
    if not text or not (is_control_line(text) or BACK_LINK.match(text)):
        return False
    block = element.getparent()
    while block is not None and block.tag not in BLOCK_TAGS:
        block = block.getparent()
    return block is not None and (any(stop in block.text_content() for stop in "。！？")
                                  or len(block.findall(".//a")) == 1)


def is_control_line(text: str) -> bool:
    """A line of widget labels only: 【打印】【关闭】, 字号：大 中 小, 分享到 …"""
    longest = 0
    for token in _CONTROL_TOKEN.finditer(text):  # a line of prose ends at its first token
        if PAGE_NUMBER.match(token.group()):
            continue
        if token.group() not in CONTROL_FORMS:
            return False
        longest = max(longest, len(token.group()))
    return longest > 1


def is_file_name_line(text: str) -> bool:
    """A line that is only image file names, like "图片1.png"."""
    return all(FILE_NAME.match(token) for token in text.split())


def is_lost_text_line(text: str) -> bool:
    """A line of replacement characters only (U+FFFD): what the publisher's own encoding lost,
    an emoji or a symbol, with nothing left to read."""
    return bool(text) and not text.replace("\ufffd", "").strip()


def is_copyright_line(text: str) -> bool:
    """A copyright/ICP/reprint notice line; a sentence that mentions copyright further in is not one."""
    if len(text) > MAX_COPYRIGHT_CHARS:
        return False
    match = COPYRIGHT.search(text)
    return match is not None and (match.start() < NOTICE_OPENING or not any(stop in text for stop in "。！？"))


def _is_furniture(text: str) -> bool:
    return (is_control_line(text) or is_file_name_line(text) or is_copyright_line(text)
            or is_counter_line(text) or is_editor_line(text) or is_lost_text_line(text))


def _merge(into: Byline, found: Byline) -> None:
    into.source = into.source or found.source
    into.author = into.author or found.author
    into.date = into.date or found.date
    if found.editor:
        names = (into.editor or "").split() + found.editor.split()
        into.editor = " ".join(dict.fromkeys(names))


def _visible_text(line: Line) -> str:
    """The line as the text stage will see it, so that rules judge mirror copies alike."""
    return strip_pinyin(line.text)[0]


def _strip_lines(lines: list[Line], byline: Byline) -> None:
    content: list[Line] = []
    in_related = False
    for line in lines:
        text = _visible_text(line)
        if not text:
            continue
        if RELATED_HEADING.match(text):
            in_related = True
        elif in_related and line.is_links:
            pass
        elif _is_furniture(text):
            in_related = False
        else:
            in_related = False
            trailer = EDITOR_TRAILER.search(line.raw)
            if trailer:
                _merge(byline, parse_byline(trailer.group()))
                line.cut(trailer.start(), trailer.end())
            content.append(line)
            continue
        if is_editor_line(text):
            _merge(byline, parse_byline(text))
        line.remove()

    for edge in (content, content[::-1]):
        for line in edge:
            text = _visible_text(line)
            at_top = edge is content
            if is_byline_line(text) or (at_top and is_date_line(text)):
                _merge(byline, parse_byline(text))
                line.remove()
            elif text:
                break


def drop_empty_elements(body) -> None:
    """Elements left with no text and no media (empty paragraphs, emptied wrappers).

    An empty element that carried a line break (a block, or one holding a block or
    ``<br>``) becomes a ``<br>`` unless the break is redundant, so two lines never merge.
    """
    filled: set = set()
    breaking: set = set()
    empty = []
    for _event, element in lxml.etree.iterwalk(body, events=("end",)):
        has_text = bool(normalize_line(element.text or ""))
        for child in element:
            if child in filled or normalize_line(child.tail or ""):
                has_text = True
        if element.tag in BLOCK_TAGS or element.tag == "br" or any(child in breaking for child in element):
            breaking.add(element)
        if has_text or element.tag in MEDIA_TAGS:
            filled.add(element)
        elif element.tag not in _KEPT_EMPTY and element is not body:
            empty.append(element)
    for element in empty:
        if element.getparent() is None:
            continue
        if element in breaking and _break_is_needed(element):
            line_break = lxml.html.Element("br")
            line_break.tail = element.tail
            element.getparent().replace(element, line_break)
        else:
            element.drop_tree()


def _break_is_needed(element) -> bool:
    """True unless a block boundary already sits on one side of ``element`` (within a block parent)."""
    parent = element.getparent()
    if parent.tag not in BLOCK_TAGS and parent.tag != "body":
        return True
    previous, following = element.getprevious(), element.getnext()
    inline_before = (bool(normalize_line(parent.text or "")) if previous is None
                     else previous.tag not in BLOCK_TAGS or bool(normalize_line(previous.tail or "")))
    inline_after = bool(normalize_line(element.tail or "")) or (
        following is not None and following.tag not in BLOCK_TAGS)
    return inline_before and inline_after


def strip_boilerplate(html: str | None) -> Stripped:
    """Cleaned container HTML and the source/author/editor/date found in its furniture."""
    root = parse_html(html or "")
    body = None if root is None else root.find("body")
    if body is None:
        return Stripped("")
    byline = Byline()
    _drop_furniture_elements(root, body)
    _strip_lines(segment(body), byline)
    drop_empty_elements(body)
    return Stripped(inner_html(body).strip(), byline)
