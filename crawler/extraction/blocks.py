"""A page as a sequence of text blocks, the unit the body finder scores.

A block is the text between two block-level boundaries (``<p>``, ``<div>``, ``<br>``,
``<td>``...), attached to the innermost block element that holds it.  Each block knows
how much of its text sits in links and how much punctuation it carries: Chinese prose
is dense in ``，。``, navigation and link lists are not.  A block inside an element whose
class or id names furniture (comments, share bars, footers, sidebars, related links)
is marked ``noisy``, and one set in ``<pre>`` or ``<code>`` is marked ``code``.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from crawler.cleaning.lexicon import FURNITURE_NAME
from crawler.cleaning.text import BLOCK_TAGS as LINE_BREAKING
from crawler.cleaning.text import CELL_TAGS

# The line model of cleaning, with each table cell a block of its own: layout tables put
# the article in one cell and the navigation in the next.
BLOCK_TAGS = LINE_BREAKING | CELL_TAGS | {"br", "body", "html"}
_LISTS = frozenset({"ul", "ol"})
_LINK_LIST_ITEMS = 3
# Boxes a teaser is set in (a table's rows too, on older sites), and the most text one holds:
# the rows and columns of a layout often start with a link too (a logo, a breadcrumb), but
# hold far more.
_TEASER_BOXES = ("div", "dl", "dd", "section", "article", "tr")
_TEASER_LENGTH = 300
_TEASER_LABEL = 4
_SUMMARY_MARKS = "，。；！？"
SENTENCE_PUNCTUATION = frozenset("，。！？；、：“”,;!?")
_SENTENCE_STOPS = "。！？"
# A link holding blocks written in sentences is an article some sites wrap in a self-link;
# counted as link text it would look like navigation and lose to a comment form.
_LINKED_PROSE_STOPS = 2
_LINKED_PROSE_LENGTH = 100
_CODE_TAGS = frozenset({"pre", "code"})


@dataclass(slots=True)
class Block:
    owner: etree._Element
    text: str
    length: int
    link_length: int
    punctuation: int
    noisy: bool
    # Program text an article quotes: short lines without stops, braces and brackets, which
    # the furniture rules would read as teaser titles, placeholders and widgets.
    code: bool = False

    @property
    def link_density(self) -> float:
        return self.link_length / self.length if self.length else 0.0


def _visible_length(text: str) -> int:
    return len(text) - sum(text.count(space) for space in " \t\r\n\xa0\u3000")


def _names(element: etree._Element) -> str:
    return f"{element.get('class', '')} {element.get('id', '')}".strip()


def _is_link_list(element: etree._Element) -> bool:
    """A list with a link in every item: other articles, even when each item adds a date
    or a source beside its link."""
    items = [item for item in element if item.tag == "li"]
    return len(items) >= _LINK_LIST_ITEMS and all(
        (link := item.find(".//a")) is not None and (link.text_content() or "").strip()
        for item in items)


def teaser_boxes(root: etree._Element) -> set[etree._Element]:
    """Runs of like boxes (same parent, tag and first class) each led by a link: teasers,
    a linked headline over its summary.

    Their summaries are punctuated prose, and a column of them would outweigh a short
    article beside it, so their text counts as links.  Only the boxes: the posts between a
    forum's linked floor headers stay prose.
    """
    runs: dict[tuple, list[etree._Element]] = {}
    for box in root.iter(*_TEASER_BOXES):
        runs.setdefault((box.getparent(), box.tag, _first_class(box)), []).append(box)
    return {box for boxes in runs.values()
            if len(boxes) >= _LINK_LIST_ITEMS and all(map(_is_teaser, boxes)) for box in boxes}


def _first_class(box: etree._Element) -> str:
    """What makes boxes alike: their first class ("item i1" and "item i2" are both items)."""
    names = (box.get("class") or "").split()
    return names[0] if names else ""


def _is_teaser(box: etree._Element) -> bool:
    """A box whose first text is a link's, and which holds a summary's sentence and no more:
    a bar of the layout (a header with the date, a menu, a footer) is no teaser."""
    if not _starts_with_link(box):
        return False
    length, sentence = 0, False
    for piece in box.itertext():
        length += len(piece.strip())
        sentence = sentence or any(mark in piece for mark in _SUMMARY_MARKS)
        if length > _TEASER_LENGTH:
            return False
    return sentence


def _starts_with_link(element: etree._Element) -> bool:
    """Whether the first text inside ``element`` is a link's, past a label of a few
    characters (a channel's name, 视频, 图) set before it."""
    links, label = 0, 0
    for event, node in etree.iterwalk(element, events=("start", "end")):
        if not isinstance(node.tag, str):
            continue
        links += (node.tag == "a") * (1 if event == "start" else -1)
        text = node.text if event == "start" else (node.tail if node is not element else None)
        if text and text.strip():
            if links > 0:
                return True
            label += _visible_length(text)
            if label > _TEASER_LABEL:
                return False
    return False


def _is_linked_prose(link: etree._Element) -> bool:
    """A link around sentences of prose: an article some sites wrap in a self-link."""
    if len(link) == 0:  # a link of text only is a headline or a word, however long
        return False
    text = link.text_content()
    return (len(text) >= _LINKED_PROSE_LENGTH
            and sum(text.count(stop) for stop in _SENTENCE_STOPS) >= _LINKED_PROSE_STOPS)


def linearize(root: etree._Element) -> list[Block]:
    """The page's text blocks in reading order (empty ones skipped)."""
    blocks: list[Block] = []
    pieces: list[str] = []
    link_length = 0
    owners = [root]
    link_depth = 0
    noisy: list[etree._Element] = []
    link_lists: list[etree._Element] = []
    prose_links: list[bool] = []
    code_depth = 0
    teasers = teaser_boxes(root)

    def add(text: str) -> None:
        nonlocal link_length
        pieces.append(text)
        if link_depth or link_lists:
            link_length += _visible_length(text)

    def flush() -> None:
        nonlocal link_length
        text = " ".join("".join(pieces).split())
        pieces.clear()
        if text:
            length = _visible_length(text)
            punctuation = sum(1 for char in text if char in SENTENCE_PUNCTUATION)
            blocks.append(Block(owners[-1], text, length, min(link_length, length), punctuation,
                                bool(noisy), code_depth > 0))
        link_length = 0

    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag
        if not isinstance(tag, str):
            continue
        if event == "start":
            if tag in BLOCK_TAGS:
                flush()
                owners.append(element)
                names = _names(element)
                if names and FURNITURE_NAME.search(names):
                    noisy.append(element)
                if (tag in _LISTS and _is_link_list(element)) or element in teasers:
                    link_lists.append(element)
            elif tag == "a":
                prose_link = _is_linked_prose(element)
                prose_links.append(prose_link)
                link_depth += not prose_link
            code_depth += tag in _CODE_TAGS
            if element.text:
                add(element.text)
        else:
            if tag in BLOCK_TAGS:
                flush()
                owners.pop()
                if noisy and noisy[-1] is element:
                    noisy.pop()
                if link_lists and link_lists[-1] is element:
                    link_lists.pop()
            elif tag == "a":
                link_depth -= not prose_links.pop()
            code_depth -= tag in _CODE_TAGS
            if element.tail and element is not root:
                add(element.tail)
    flush()
    return blocks
