"""A page as a sequence of text blocks, the unit the body finder scores.

A block is the text between two block-level boundaries (``<p>``, ``<div>``, ``<br>``,
``<td>``...), attached to the innermost block element that holds it.  Each block knows
how much of its text sits in links and how much punctuation it carries: Chinese prose
is dense in ``，。``, navigation and link lists are not.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd", "details",
    "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
    "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "li", "main", "menu", "nav", "ol",
    "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
SENTENCE_PUNCTUATION = frozenset("，。！？；、：“”,;!?")


@dataclass(slots=True)
class Block:
    owner: etree._Element
    text: str
    length: int
    link_length: int
    punctuation: int

    @property
    def link_density(self) -> float:
        return self.link_length / self.length if self.length else 0.0


def _visible_length(text: str) -> int:
    return len(text) - sum(text.count(space) for space in " \t\r\n\xa0\u3000")


def linearize(root: etree._Element) -> list[Block]:
    """The page's text blocks in reading order (empty ones skipped)."""
    blocks: list[Block] = []
    pieces: list[str] = []
    link_length = 0
    owners = [root]
    link_depth = 0

    def add(text: str) -> None:
        nonlocal link_length
        pieces.append(text)
        if link_depth:
            link_length += _visible_length(text)

    def flush() -> None:
        nonlocal link_length
        text = " ".join("".join(pieces).split())
        pieces.clear()
        if text:
            length = _visible_length(text)
            punctuation = sum(1 for char in text if char in SENTENCE_PUNCTUATION)
            blocks.append(Block(owners[-1], text, length, min(link_length, length), punctuation))
        link_length = 0

    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag
        if not isinstance(tag, str):
            continue
        if event == "start":
            if tag in BLOCK_TAGS:
                flush()
                owners.append(element)
            elif tag == "a":
                link_depth += 1
            if element.text:
                add(element.text)
        else:
            if tag in BLOCK_TAGS:
                flush()
                owners.pop()
            elif tag == "a":
                link_depth -= 1
            if element.tail and element is not root:
                add(element.tail)
    flush()
    return blocks
