"""Finding the article body: the subtree where punctuated prose outweighs links and furniture.

Every block gets a value: positive for prose (its non-link characters, more when dense
in punctuation), negative for link lists and short unpunctuated furniture.  Values add
up the tree; the element with the highest total is the tightest container that holds
the prose and as little else as possible.  Inside it, link lists and UI controls
(share, print, close, font size) are dropped, and so is a "related articles" box: its
heading and whatever follows it up to the next real paragraph.  A heading that
announces readers' comments or a copyright statement after the article ends the body.

Totals alone misjudge some pages, so the headline steers the choice: a short article
just below it beats a richer teaser strip elsewhere, and the tightest element around
it wins over a column that adds teasers to the article.  A page of dated posts (a
blog's month, a thread) gives its first post.  Edges are trimmed last: whatever sits
before the headline inside the container, and a footer of copyright, licence or
reprint notices after the last sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urljoin

from lxml import etree

from crawler.cleaning.boilerplate import NOTICE_OPENING, is_control_line, is_copyright_line, is_lost_text_line
from crawler.cleaning.bylines import editor_of, is_byline_line, is_counter_line, is_date_line, is_editor_line
from crawler.cleaning.lexicon import (
    BREADCRUMB,
    COMMENT_HEADING,
    COMMENT_OPENING,
    CONTROL_OPENING,
    INFO_LABELS,
    LEGAL_NOTICE,
    POST_FOOTER,
    PROMPTS,
    REACTIONS,
    RELATED_HEADING,
    RELATED_LINE,
    SUMMARY,
    TAIL_NOTICE,
    TEASER,
    both_scripts,
)
from crawler.dates import iter_dates
from crawler.extraction.blocks import Block

_NAVIGATION_LINK_DENSITY = 0.5
# Least prose, in characters outside links, for a page to count as an article.
MIN_ARTICLE_PROSE = 80
_SHORT = 10
_PATH_SEPARATORS = ">»›"
_HEADER_LINE = 60
_HEADLINE_PART = 4
_OWN_HEADER_LINES = 8
_SUMMARY_REACH = 4
_INFO_LABEL = re.compile(r"(?:" + both_scripts(INFO_LABELS) + r")\s*[:：]?|\d{4}\s*[-/年.]\s*\d{1,2}")
_BARE_DATE = re.compile(r"^\W*\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?\W*$")
_BODY_BEFORE_END = 100
_HEADINGS = frozenset({"h1", "h2", "h3"})
# How many blocks below the headline a body may start, and how much poorer it may be
# than the richest box on the page and still be preferred.
_HEADLINE_REACH = 20
_HEADLINE_SHARE = 0.5
# The share of the richest box's value that the element around the headline must hold.
_HEADLINE_HOLDS = 0.8
# A date line is short; posts side by side must make up most of their container.
_DATE_LINE = 40
_POSTS_SHARE = 0.6
_POST_PARAGRAPH = 40
_YEAR = re.compile(r"(?:19|20)\d\d")
# Short lines the site adds around every article: account and follow prompts, reaction
# widgets, counters left as template placeholders.
_PROMPT_LINE = 60
# At the body's edges, before its first line of its own or after its last sentence, a longer
# one goes too: "…已开设Facebook专页，快点Like我们的专页！", "…下载客户端还能获得专享福利哦！"
# Inside the story it stays, where a police report may tell readers to follow an account.
_EDGE_PROMPT = 150
_LEADING_MARKS = " •·【[(（"
_BULLETS = "·•●○◎◆◇■□▪▫►▶▸"
# Fewer one-character lines in a row are apart (是 and 否 in a flowchart's cells).
_VERTICAL_LABEL = 3
_SPACED_HEADING = 12
# A run of this many short lines without commas, stops or colons closing a body is a grid
# of teaser titles.
_TEASER_TITLES = 5
_TEASER_TITLE = 16
_CLAUSE_MARKS = "，。；、：,;:"
# A caption is a line under a picture; longer text beside an image is prose.
_CAPTION = 100
_IMAGE_REACH = 3
# Lines after the body's last that may still be its credits; further on, a comment's or a
# teaser's byline.
_CLOSING_CREDITS = 3


@dataclass(slots=True)
class Body:
    container: etree._Element
    blocks: list[Block]
    prose_length: int
    editor: str | None
    # The container's lines above the body that trimming took away (its headline, credits
    # and date): where a post's or a repost's own info line is.
    lead: list[Block]
    # Credit lines just after the body's last line, which trimming took away (记者 张三, （作者：
    # 李四）): the article's credits when no info line gives them.
    closing_credits: list[Block]

    @property
    def text(self) -> str:
        return "\n".join(block.text for block in self.blocks)


def block_value(block: Block, heed_names: bool = True) -> float:
    """How much a block looks like article prose (positive) or furniture (negative)."""
    if (block.link_density > _NAVIGATION_LINK_DENSITY or (heed_names and block.noisy)
            or _is_notice_line(block.text)):
        return -block.length
    own = block.length - block.link_length
    if block.punctuation == 0:
        return -own * 0.5 if own < 2 * _SHORT else own * 0.5
    density = block.punctuation / own
    return own * (1 + min(density * 10, 1.0))


def _is_notice_line(text: str) -> bool:
    """The same copyright, editor and counter lines that cleaning drops, or a notice's opening."""
    opening = text.lstrip(_LEADING_MARKS)
    return (is_copyright_line(text) or is_editor_line(text) or is_counter_line(text) or is_lost_text_line(text)
            or bool(TAIL_NOTICE.match(opening) or LEGAL_NOTICE.match(opening)))


def is_furniture_line(text: str) -> bool:
    """A line of the site's, not of the article: a notice, or a short prompt or widget.

    Prompts (登录, 关注我们), widgets (这篇新闻让您觉得？, 已有_COUNT_位), a post's trackback and
    read count, a related-reading line with its one title, and teasers of other articles
    (……[全文]) are dropped but do not count against their box: a short article that ends in
    one must still win.
    """
    return (_is_notice_line(text) or bool(TEASER.search(text))
            or (len(text) <= _PROMPT_LINE and _is_short_furniture(text)))


def _is_short_furniture(text: str) -> bool:
    return bool(PROMPTS.search(text) or REACTIONS.search(text) or POST_FOOTER.search(text)
                or (RELATED_LINE.match(text) and not _is_sentence_text(text)))


def _is_control(text: str) -> bool:
    return bool(CONTROL_OPENING.match(text)) or is_control_line(text)


def _is_prose(block: Block) -> bool:
    return block.punctuation > 0 and block.link_density <= _NAVIGATION_LINK_DENSITY


def find_body(root: etree._Element, blocks: list[Block], headline: str | None = None) -> Body | None:
    """The body container and its blocks, or None when the page has no prose at all.

    Furniture class names count against a block, unless heeding them leaves less than
    an article's worth of prose (a site that names its article ``img_share_area``).
    """
    body = _find(root, blocks, headline, heed_names=True)
    if body is None or body.prose_length < MIN_ARTICLE_PROSE:
        unnamed = _find(root, blocks, headline, heed_names=False)
        if unnamed is not None and (body is None or unnamed.prose_length > body.prose_length):
            return unnamed
    return body


def _find(root: etree._Element, blocks: list[Block], headline: str | None,
          heed_names: bool) -> Body | None:
    totals = _block_totals(blocks, heed_names)
    if not any(value > 0 for value in totals.values()):
        return None
    for element in reversed(list(root.iter(etree.Element))):
        value = totals.get(element)
        parent = element.getparent()
        if value and parent is not None:
            totals[parent] = totals.get(parent, 0.0) + value
    container = _richest(totals)
    anchor = _headline_index(blocks, headline)
    if anchor is not None:
        container = _under_headline(container, totals, blocks, anchor)
    container = _first_post(container, totals, blocks)
    inside = _descendants(container)
    inner = [block for block in blocks if block.owner in inside]
    inner = _summary_above(blocks, inner) + inner
    editor = next((name for block in inner if (name := editor_of(block.text))), None)
    kept = _without_teaser_titles(_without_credits(_without_header(_keep(_without_tail(inner)), headline)))
    kept = _without_labels_of_pictures(kept, container)
    prose_length = sum(block.length - block.link_length for block in kept if _is_prose(block))
    lead = inner[:next((i for i, block in enumerate(inner) if block is kept[0]), 0)] if kept else []
    last = max((i for i, block in enumerate(inner) if kept and block is kept[-1]), default=len(inner))
    credits = [block for block in inner[last + 1:last + 1 + _CLOSING_CREDITS] if is_byline_line(block.text)]
    return Body(container, kept, prose_length, editor, lead, credits)


def _summary_above(blocks: list[Block], inner: list[Block]) -> list[Block]:
    """The article's own summary (摘要：…, 核心提示：…) when it sits just above the body's
    container, in a box of its own between the headline and the text."""
    if not inner:
        return []
    start = next(index for index, block in enumerate(blocks) if block is inner[0])
    for index in range(start - 1, max(start - _SUMMARY_REACH, 0) - 1, -1):
        block = blocks[index]
        if SUMMARY.match(block.text) and _is_prose(block):
            return [block]
    return []


def _richest(totals: dict[etree._Element, float],
             among: Iterable[etree._Element] | None = None) -> etree._Element:
    """The element with the highest total; the deepest of equals is the tightest container."""
    elements = list(totals if among is None else among)
    best = max(totals[element] for element in elements)
    return max((element for element in elements if totals[element] == best),
               key=_depth)


def _headline_index(blocks: list[Block], headline: str | None) -> int | None:
    """Where the headline sits among the blocks: a heading that reads it, else the first
    block that does."""
    if not headline:
        return None
    matches = [index for index, block in enumerate(blocks) if block.text == headline]
    return next((index for index in matches if blocks[index].owner.tag in _HEADINGS),
                matches[0] if matches else None)


def _first_blocks(blocks: list[Block]) -> dict[etree._Element, int]:
    """Each element that holds text → the index of its first block."""
    first: dict[etree._Element, int] = {}
    for index, block in enumerate(blocks):
        for element in (block.owner, *block.owner.iterancestors()):
            if element in first:
                break
            first[element] = index
    return first


def _under_headline(container: etree._Element, totals: dict[etree._Element, float],
                    blocks: list[Block], anchor: int) -> etree._Element:
    """The article's own element, found from where its headline sits.

    A short article loses on raw totals to a teaser strip or a sidebar of summaries:
    what follows the headline within a few blocks is the article unless it is far
    poorer.  And when the richest box holds the headline, the tightest element around
    the headline that has nearly all its value is the article, the rest of the box a
    column of teasers.
    """
    headline_owner = blocks[anchor].owner
    if container is headline_owner:
        return container
    if container in headline_owner.iterancestors():
        for element in headline_owner.iterancestors():
            if element is container or totals.get(element, 0.0) >= _HEADLINE_HOLDS * totals[container]:
                return element
    first = _first_blocks(blocks)
    if anchor < first.get(container, -1) <= anchor + _HEADLINE_REACH:
        return container
    near = [element for element, index in first.items()
            if anchor < index <= anchor + _HEADLINE_REACH and totals.get(element, 0.0) > 0]
    if not near:
        return container
    candidate = _richest(totals, near)
    return candidate if totals[candidate] >= _HEADLINE_SHARE * totals[container] else container


def _first_post(container: etree._Element, totals: dict[etree._Element, float],
                blocks: list[Block]) -> etree._Element:
    """Of several dated posts side by side (a blog's page of posts, a thread), the first.

    A post is a child of the container holding prose and a short dated line that ends
    no sentence (a post's title and time); a paragraph that mentions a date is not one.
    """
    children = {child: i for i, child in enumerate(container.iterchildren(etree.Element))
                if totals.get(child, 0.0) > 0}
    if len(children) < 2:
        return container
    dated, prosaic = set(), set()
    for block in blocks:
        child = _child_holding(container, block.owner)
        if child not in children:
            continue
        if block.length >= _POST_PARAGRAPH and _is_prose(block):
            prosaic.add(child)
        elif _is_date_line(block):
            dated.add(child)
    posts = sorted(dated & prosaic, key=children.__getitem__)
    if len(posts) < 2 or sum(totals[post] for post in posts) < _POSTS_SHARE * totals[container]:
        return container
    return posts[0]


def _child_holding(container: etree._Element, element: etree._Element) -> etree._Element | None:
    """The child of ``container`` that ``element`` is or sits in; None when outside it."""
    for ancestor in element.iterancestors():
        if ancestor is container:
            return element
        element = ancestor
    return None


def _is_date_line(block: Block) -> bool:
    return (block.length <= _DATE_LINE and _YEAR.search(block.text) is not None
            and not any(stop in block.text for stop in "。！？")
            and next(iter_dates(block.text, yearless=False), None) is not None)


def _block_totals(blocks: list[Block], heed_names: bool) -> dict[etree._Element, float]:
    totals: dict[etree._Element, float] = {}
    for block in blocks:
        totals[block.owner] = totals.get(block.owner, 0.0) + block_value(block, heed_names)
    return totals


def _depth(element: etree._Element) -> int:
    return sum(1 for _ in element.iterancestors())


def _descendants(element: etree._Element) -> set[etree._Element]:
    return set(element.iter(etree.Element))


def _keep(blocks) -> list[Block]:
    """The article's blocks: furniture lines out, a related-links box skipped, and the end
    where comments, a comment thread or a legal notice begin."""
    kept: list[Block] = []
    in_aside = False
    dropped = False  # since the last block kept
    for block in _with_vertical_labels_joined(blocks):
        if block.code:  # program text quoted by the article, however much it looks like a widget
            kept.append(block)
            dropped = False
            continue
        if _ends_article(block) and sum(kept_block.length for kept_block in kept) >= _BODY_BEFORE_END:
            break
        if RELATED_HEADING.match(_unspaced(block)) or (in_aside and (
                _is_listed_item(block) or not (_is_prose(block) and block.length >= 2 * _SHORT))):
            in_aside, dropped = True, True
            continue
        in_aside = False
        if (block.link_density > _NAVIGATION_LINK_DENSITY or _is_control(block.text)
                or is_furniture_line(block.text) or _is_bullet(block)):
            dropped = True
            continue
        if dropped and kept and _is_dangling_label(kept[-1]):
            kept.pop()  # a box's label (今日焦点：) whose links went as furniture: no text of its own
        kept.append(block)
        dropped = False
    return kept


def _with_vertical_labels_joined(blocks: list[Block]) -> list[Block]:
    """A run of lines of one Han character each (今<br>日<br>推<br>荐: a box's label set
    vertically) as the one line it reads as, so that it is judged as a heading."""
    joined: list[Block] = []
    run: list[Block] = []
    for block in [*blocks, None]:
        if block is not None and not block.code and len(block.text) == 1 and "\u4e00" <= block.text <= "\u9fff":
            run.append(block)
            continue
        if len(run) >= _VERTICAL_LABEL:
            joined.append(Block(run[0].owner, "".join(part.text for part in run), len(run),
                                sum(part.link_length for part in run), 0, any(part.noisy for part in run)))
        else:
            joined += run
        run = []
        if block is not None:
            joined.append(block)
    return joined


def _ends_article(block: Block) -> bool:
    """A heading of comments, a reaction widget (这篇新闻让您觉得？ and its buttons after it),
    the first line of a comment thread, or a legal notice's heading."""
    if block.length < 60 and (COMMENT_HEADING.match(block.text) or REACTIONS.search(block.text)):
        return True
    return bool(COMMENT_OPENING.match(block.text) or LEGAL_NOTICE.match(_unspaced(block).lstrip(_LEADING_MARKS)))


def _unspaced(block: Block) -> str:
    """A short heading without the spaces some sites set between its characters
    (``郑 重 声 明``, ``相 关 阅 读``), so that the word lists read it; longer text as it is."""
    return "".join(block.text.split()) if block.length <= _SPACED_HEADING else block.text


def _is_listed_item(block: Block) -> bool:
    """An item of a related-links box: a link with its date or source beside it, not a sentence.

    Such items carry commas and dates, which made them pass for prose and end the box early.
    """
    return (block.link_length > 0 and not any(stop in block.text for stop in "。！？")
            and next(iter_dates(block.text, yearless=False), None) is not None)


def _without_header(blocks: list[Block], headline: str | None) -> list[Block]:
    """Drop the headline, breadcrumb and info line when the container starts with them.

    Whatever comes before the headline (a banner, a reprint notice) goes with it, as
    long as it is less than the prose after it.
    """
    at = _headline_index(blocks, headline)  # the heading's copy: a metadata table above may name the title too
    if at is not None and _prose(blocks[:at]) < _prose(blocks[at + 1:]):
        blocks = blocks[at:]
    blocks = blocks[_own_header_end(blocks):]
    for index, block in enumerate(blocks):
        if not (block.text == headline or _is_header_line(block.text) or _is_letterless(block)
                or _is_headline_part(block, headline)):
            return blocks[index:]
    return blocks


def _own_header_end(blocks: list[Block]) -> int:
    """Where the article's own header ends when the page's headline is not the article's
    (a blog's name over a post, a repost with its paper's title, subtitle and bylines):
    the leading short lines without a full stop, up to the last credit or date among them."""
    end = 0
    for index, block in enumerate(blocks[:_OWN_HEADER_LINES]):
        if block.length >= _HEADER_LINE or "。" in block.text:
            break
        if is_byline_line(block.text) or _is_date_line(block) or _is_header_line(block.text):
            end = index + 1
    return end


def _is_headline_part(block: Block, headline: str | None) -> bool:
    """One line of a headline set on two (a title and its subtitle, or a long title broken
    in two), which matches the whole headline in neither."""
    if not headline:
        return False
    text = "".join(block.text.split())
    return len(text) >= _HEADLINE_PART and text in "".join(headline.split())


def _without_credits(blocks: list[Block]) -> list[Block]:
    """Credit lines at the body's edges (来源/作者/编辑, a date line on top) go, as cleaning
    takes them out of a crawled body: both paths store the same text.  So do the site's
    prompts above the article and what else closes a body without being of it
    (:func:`_is_closing_furniture`)."""
    start, end = 0, len(blocks)
    while start < end and (is_byline_line(blocks[start].text) or is_date_line(blocks[start].text)
                           or _is_edge_prompt(blocks[start])):
        start += 1
    while end > start and _is_closing_furniture(blocks[end - 1]):
        end -= 1
    return blocks[start:end]


def _is_closing_furniture(block: Block) -> bool:
    """What may end a body but is no part of it: a credit, a date line that says more than
    its date (``发布日期：… 所属分类：…``), a label whose widget is gone, a counter's digits.
    A bare date stays: it signs a notice."""
    return not block.code and (
        is_byline_line(block.text) or (_is_date_line(block) and not _BARE_DATE.match(block.text))
        or _is_dangling_label(block) or _is_letterless(block))


def _without_tail(blocks: list[Block]) -> list[Block]:
    """Cut the site's footer off the end: from a copyright, licence or reprint notice on,
    when no sentence of prose follows it."""
    cut = len(blocks)
    for index in range(len(blocks) - 1, -1, -1):
        block = blocks[index]
        if _is_notice(block):
            cut = index
        elif _is_sentence(block):
            break
    while cut and (_is_letterless(blocks[cut - 1]) or _is_dangling_label(blocks[cut - 1])):
        cut -= 1
    return blocks[:cut]


def _without_teaser_titles(blocks: list[Block]) -> list[Block]:
    """Cut a grid of other articles' titles off the end: many short lines in a row, none
    with a comma, a stop or a colon (a title may ask or exclaim) or a number that would
    make it a list item.  A shorter run stays, since an article may end in a few short
    lines (a signature), and so does a run that a line ending in a colon opens: a list the
    article announces (获奖名单：)."""
    start = len(blocks)
    while start and _is_teaser_title(blocks[start - 1]):
        start -= 1
    if len(blocks) - start < _TEASER_TITLES or not start or blocks[start - 1].text.rstrip().endswith((":", "：")):
        return blocks
    return blocks[:start]


def _without_labels_of_pictures(blocks: list[Block], container: etree._Element) -> list[Block]:
    """Drop a caption that only repeats its picture's alt text, and one caption set alike
    under several pictures: the picture's label, not the article's text, which hand-made
    article texts leave out.  A caption that says something once stays (dropping every
    caption lost more text than it saved), and so does a line repeated elsewhere than under
    a picture (a heading listed in the article's contents)."""
    alts = {_squeezed(img.get("alt") or "") for img in container.iter("img")} - {""}
    seen: dict[str, list[bool]] = {}
    for block in blocks:
        if block.length <= _CAPTION and _is_label_line(block.text):
            seen.setdefault(_squeezed(block.text), []).append(_follows_image(block.owner))
    labels = alts | {text for text, under_pictures in seen.items()
                     if len(under_pictures) > 1 and all(under_pictures)}
    return [block for block in blocks
            if not (block.length <= _CAPTION and _squeezed(block.text) in labels)]


def _squeezed(text: str) -> str:
    return "".join(text.split())


def _is_label_line(text: str) -> bool:
    """A line that names, not tells: no clause marks, no question or exclamation."""
    return not any(mark in text for mark in _CLAUSE_MARKS + "！？!?")


def _follows_image(element: etree._Element) -> bool:
    """The element is a short box that holds a picture or comes right after one: after its
    own preceding sibling, or its short parent's, a few levels up.  A long element holding
    the caption's line is the text itself, not a picture's box."""
    for _ in range(_IMAGE_REACH):
        if len(element.text_content()) > _CAPTION:
            return False
        if element.find(".//img") is not None:
            return True
        previous = element.getprevious()
        while previous is not None and not isinstance(previous.tag, str):
            previous = previous.getprevious()
        if previous is not None:
            return previous.tag == "img" or previous.find(".//img") is not None
        element = element.getparent()
        if element is None:
            return False
    return False


def _is_teaser_title(block: Block) -> bool:
    text = block.text
    return (not block.code and _SHORT // 2 <= block.length <= _TEASER_TITLE
            and not any(mark in text for mark in _CLAUSE_MARKS) and not text[0].isdigit())


def _is_letterless(block: Block) -> bool:
    """Digits and signs only: a clock, a counter, a bullet; never a line of text or code."""
    return not block.code and not any(char.isalpha() for char in block.text)


def _is_bullet(block: Block) -> bool:
    """A list item's bullet left alone (``·``): its link went as furniture."""
    return not block.code and block.length <= 2 and not block.text.strip(_BULLETS + " ")


def _is_dangling_label(block: Block) -> bool:
    """A short label whose value is missing (``股價資料：``): the widget it named is gone."""
    return not block.code and block.length <= _SHORT and block.text.rstrip().endswith((":", "："))


def _is_notice(block: Block) -> bool:
    """A footer notice or a closing call to follow the site; a paragraph that merely
    mentions copyright further in is not one."""
    if _is_edge_prompt(block):
        return True
    match = TAIL_NOTICE.search(block.text)
    return match is not None and (match.start() < NOTICE_OPENING or not _is_sentence(block))


def _is_edge_prompt(block: Block) -> bool:
    return block.length <= _EDGE_PROMPT and bool(PROMPTS.search(block.text))


def _is_sentence(block: Block) -> bool:
    return block.length >= _POST_PARAGRAPH and _is_sentence_text(block.text)


def _is_sentence_text(text: str) -> bool:
    return any(stop in text for stop in "。！？")


def _prose(blocks: list[Block]) -> int:
    return sum(block.length - block.link_length for block in blocks if _is_prose(block))


def _is_header_line(text: str) -> bool:
    """A breadcrumb (首页 > 国内 > 正文) or an info line; never a sentence."""
    if len(text) >= _HEADER_LINE or any(stop in text for stop in "。！？"):
        return False
    separators = sum(text.count(separator) for separator in _PATH_SEPARATORS)
    return bool(separators >= 2 or BREADCRUMB.search(text) or _INFO_LABEL.search(text))


def images(container: etree._Element, base_url: str | None) -> list[dict]:
    """Images of the body as ``{src, alt}`` with absolute URLs; lazy-load attributes first."""
    found: list[dict] = []
    seen: set[str] = set()
    for img in container.iter("img"):
        src = next((img.get(name) for name in ("data-original", "data-src", "src") if img.get(name)),
                   None)
        if not src or src.startswith("data:"):
            continue
        src = urljoin(base_url, src.strip()) if base_url else src.strip()
        if src in seen:
            continue
        seen.add(src)
        found.append({"src": src, "alt": (img.get("alt") or img.get("title") or "").strip()})
    return found
