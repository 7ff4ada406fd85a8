"""HTML to plain text, one paragraph a line, the way a reader sees the page.

The same line segmentation serves the cleaners: a :class:`Line` knows which text
nodes it was made of, so a furniture line found in the text can be cut out of the
HTML itself.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import lxml.etree
import lxml.html

# Elements whose start and end break the line, as they do in a browser.
BLOCK_TAGS = frozenset(
    "address article aside blockquote center dd details dialog dir div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main menu nav ol p pre section summary "
    "table tbody thead tfoot tr ul caption".split()
)
# Elements whose content a reader never sees as article text.
SKIPPED_TAGS = frozenset(
    "script style noscript template head title iframe frame frameset object embed select option "
    "textarea button input link svg canvas audio video map".split()
)
# Table cells: in a layout table each is a column of its own; in running text a space.
CELL_TAGS = frozenset({"td", "th"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# CSS rules, and the selector of a class on its own (``.Kbq482``), as DedeCMS's RndString
# hides its junk strings.
_CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_LONE_CLASS = re.compile(r"^\.([A-Za-z_][\w-]*)$")

_WHITESPACE = re.compile(r"\s+")
_LETTER = re.compile(r"[^\W\d_]")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
# A source line break between two CJK characters is not a space (CSS Text 3 segment-break rule).
_CJK_SEGMENT_BREAK = re.compile(rf"(?<=[{_CJK}])[ \t\u3000\xa0]*[\r\n]\s*(?=[{_CJK}])")
# Characters that XML (hence lxml) refuses in text.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def normalize_line(text: str) -> str:
    """Collapse every kind of whitespace (full-width, no-break, CR/LF, tabs) to single spaces."""
    text = _INVISIBLE.sub("", text)
    if "\n" in text or "\r" in text:
        text = _CJK_SEGMENT_BREAK.sub("", text)
    return _WHITESPACE.sub(" ", text).strip()


def count_letters(text: str) -> int:
    """Letters and Han characters, leaving out digits, punctuation and spaces (dates, bullets)."""
    return len(_LETTER.findall(text))


def normalize_text(text: str) -> str:
    """Normalise each line and drop the empty ones; full-width punctuation is left as published."""
    lines = (normalize_line(line) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def xml_safe(text: str) -> str:
    """``text`` without the control characters and lone surrogates that lxml refuses in a tree."""
    return _XML_ILLEGAL.sub("", text)


def parse_html(html: str) -> lxml.html.HtmlElement | None:
    """Parse a fragment or a whole page into a document; ``None`` when there is nothing to parse."""
    html = xml_safe(html)
    if not html.strip():
        return None
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        return lxml.html.document_fromstring(html.encode("utf-8"), parser=parser)
    except lxml.etree.ParserError:  # markup with no content at all
        return None


def hidden_classes(root) -> set[str]:
    """Classes that a ``<style>`` rule of the page hides: publishers hide anti-copy strings that way.

    Only a rule that hides the class itself, everywhere: a class hidden inside another
    (``.a .b``) or on small screens (``@media (max-width: 980px)``) is read on the page.
    """
    css = _without_conditional_blocks("\n".join(style.text or "" for style in root.iter("style")))
    hidden: set[str] = set()
    for selectors, declarations in _CSS_RULE.findall(css):
        if _HIDDEN_STYLE.search(declarations):
            hidden.update(match.group(1) for selector in selectors.rsplit(";", 1)[-1].split(",")
                          if (match := _LONE_CLASS.match(selector.strip())))
    return hidden


def _without_conditional_blocks(css: str) -> str:
    """``css`` without its ``@media``/``@supports`` blocks (braces nest one level deeper there)."""
    out, depth, at_rule = [], 0, False
    for piece in re.split(r"([{}])", css):
        if piece == "{":
            depth += 1
        elif piece == "}":
            depth = max(depth - 1, 0)
            if depth == 0 and at_rule:
                at_rule = False
                continue
        elif depth == 0 and "@" in piece.rsplit(";", 1)[-1]:  # "@charset ...;" has no block
            out.append(piece[:piece.rfind("@")])
            at_rule = True
        if not at_rule:
            out.append(piece)
    return "".join(out)


def is_hidden(element, hidden: set[str]) -> bool:
    """An element no reader sees: hidden by inline style, ``hidden``, or a class a style rule hides."""
    if _HIDDEN_STYLE.search(element.get("style", "")) or element.get("hidden") is not None:
        return True
    return bool(hidden) and not hidden.isdisjoint(element.get("class", "").split())


def inner_html(element) -> str:
    """The serialised content of ``element``, without the element's own tags."""
    head = html_lib.escape(element.text, quote=False) if element.text else ""
    return head + "".join(lxml.html.tostring(child, encoding="unicode") for child in element)


def map_text(html: str, convert: Callable[[str], str]) -> str:
    """``html`` with ``convert`` applied to every text node; the markup is left as it is."""
    root = parse_html(html)
    body = None if root is None else root.find("body")
    if body is None:
        return html
    for element in body.iter():
        if element.text:
            element.text = convert(element.text)
        if element.tail:
            element.tail = convert(element.tail)
    return inner_html(body).strip()


@dataclass
class Line:
    """One visual line: the text nodes it is made of and the inline elements wholly inside it."""

    pieces: list[tuple[lxml.etree._Element, str]] = field(default_factory=list)
    elements: list[lxml.etree._Element] = field(default_factory=list)
    linked_chars: int = 0

    @property
    def raw(self) -> str:
        return "".join(getattr(node, attr) or "" for node, attr in self.pieces)

    @property
    def text(self) -> str:
        return normalize_line(self.raw)

    @property
    def is_links(self) -> bool:
        """True when the words of the line are essentially link text (an item of a link list)."""
        return self.linked_chars > 0 and self.linked_chars >= 0.8 * count_letters(self.raw)

    def cut(self, start: int, end: int) -> None:
        """Delete ``raw[start:end]`` from the underlying text nodes."""
        offset = 0
        for node, attr in self.pieces:
            value = getattr(node, attr) or ""
            if node is _SPACE:
                offset += len(value)
                continue
            lo, hi = max(start - offset, 0), min(end - offset, len(value))
            if lo < hi:
                setattr(node, attr, value[:lo] + value[hi:] or None)
            offset += len(value)

    def remove(self) -> None:
        """Delete the whole line, including images and other inline elements inside it."""
        self.cut(0, len(self.raw))
        for element in self.elements:
            if element.getparent() is not None:
                element.drop_tree()


def segment(root: lxml.etree._Element) -> list[Line]:
    """Split a tree into visual lines: blocks and ``<br>`` break lines; hidden-by-nature tags are skipped."""
    lines: list[Line] = [Line()]
    started: dict[lxml.etree._Element, int] = {}
    link_depth = 0

    def add(node, attr: str) -> None:
        value = getattr(node, attr)
        if value:
            lines[-1].pieces.append((node, attr))
            if link_depth:
                lines[-1].linked_chars += count_letters(value)

    def break_line() -> None:
        if lines[-1].pieces or lines[-1].elements:
            lines.append(Line())

    walker = lxml.etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in SKIPPED_TAGS:
                walker.skip_subtree()
                continue
            if tag in BLOCK_TAGS or tag == "br":
                break_line()
            elif tag in CELL_TAGS:
                lines[-1].pieces.append((_SPACE, "text"))
            else:
                started[element] = len(lines)
            if tag == "a":
                link_depth += 1
            if tag:
                add(element, "text")
        else:
            if tag == "a":
                link_depth -= 1
            if tag in BLOCK_TAGS:
                break_line()
            elif tag in CELL_TAGS:
                lines[-1].pieces.append((_SPACE, "text"))
            elif started.pop(element, None) == len(lines) and tag:
                lines[-1].elements.append(element)
            add(element, "tail")
    return [line for line in lines if line.pieces or line.elements]


# A detached element whose text is one space: separates table cells without touching the tree.
_SPACE = lxml.etree.Element("span")
_SPACE.text = " "


def element_to_text(root: lxml.etree._Element) -> str:
    """Text of a parsed tree, one line per paragraph; image alt text never appears."""
    texts = (line.text for line in segment(root))
    return "\n".join(text for text in texts if text)


def html_to_text(html: str | None) -> str:
    """Clean text of an HTML fragment, one paragraph a line, whitespace collapsed."""
    if not html:
        return ""
    root = parse_html(html)
    return "" if root is None else element_to_text(root)
