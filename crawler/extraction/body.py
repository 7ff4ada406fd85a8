"""Finding the article body: the subtree where punctuated prose outweighs links and furniture.

Every block gets a value: positive for prose (its non-link characters, more when dense
in punctuation), negative for link lists and short unpunctuated furniture.  Values add
up the tree; the element with the highest total is the tightest container that holds
the prose and as little else as possible.  Inside it, link lists and UI controls
(share, print, close, font size) are dropped, and so is a "related articles" box: its
heading and whatever follows it up to the next real paragraph.  A heading that
announces readers' comments or a copyright statement after the article ends the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from lxml import etree

from crawler.extraction.blocks import Block

_NAVIGATION_LINK_DENSITY = 0.5
# Least prose, in characters outside links, for a page to count as an article.
MIN_ARTICLE_PROSE = 80
_SHORT = 10
_CONTROL_LINE = re.compile(
    r"^[\s【\[(（]*(分享到|分享至|分享\s*[|｜]|打印|列印|关闭|關閉|返回顶部|返回首页|收藏|字号|字體|字体|"
    r"【?[大中小]】?\s*[大中小]|上一篇|下一篇|上一页|下一页|上一頁|下一頁|点击排行|我要评论|发表评论|"
    r"评论\s*\d*$|扫一扫|复制链接|推荐给朋友|纠错|告诉好友|浏览字号)")
_FURNITURE_LINE = re.compile(
    r"^[\s•·【\[(（]*(免责声明|免責聲明|版权声明|版權聲明|\S{0,8}版权\S{0,4}声明|声明\s*[:：]|聲明\s*[:：]|"
    r"凡注明|凡本网注明|本网注明|版权所有|版權所有|copyright|©|\S{0,4}ICP\S*备|备案号|转载请注明|"
    r"未经\S{0,12}(授权|许可)|责任编辑|責任編輯|责编|編輯\s*[:：]|编辑\s*[:：]|审核\s*[:：]|校对\s*[:：])",
    re.I)
_EDITOR_LINE = re.compile(r"(?:责任编辑|責任編輯|责编|编辑|編輯)\s*[:：]\s*(?P<name>[^\s)）】\]]{1,20})")
_BREADCRUMB = re.compile(r"当前位置|您的位置|现在的位置|所在位置|位置\s*[:：]")
_PATH_SEPARATORS = ">»›"
_HEADER_LINE = 60
_INFO_LABEL = re.compile(r"(来源|來源|作者|记者|記者|编辑|时间|時間|日期|发布|發布|阅读|浏览|点击|字号)\s*[:：]?"
                         r"|\d{4}\s*[-/年.]\s*\d{1,2}")
# Headings after which nothing more of the article comes: comments, copyright statements.
_END_HEADING = re.compile(
    r"^.{0,30}(已有\s*\d+\s*[件条个篇]\s*(评论|回复)|\d+\s*[条个篇]\s*(评论|回复)|网友评论|網友評論|"
    r"读者评论|最新评论|评论列表|comments?\b|版权\S{0,4}声明|版權\S{0,4}聲明|免责声明\s*[:：]?$)", re.I)
_BODY_BEFORE_END = 100
_ASIDE_HEADING = re.compile(
    r"^[\s【\[]*(相关阅读|相关新闻|相关文章|相关链接|相关报道|相關新聞|相關閱讀|相關文章|推荐阅读|推薦閱讀|"
    r"延伸阅读|延伸閱讀|猜你喜欢|热点推荐|热门推荐|熱門推薦|更多精彩|更多相关\S{0,4}|更多新闻|"
    r"其他\S{0,4}(新闻|新聞)|相关评论)\s*[】\]:：>]*\s*$")


@dataclass(slots=True)
class Body:
    container: etree._Element
    blocks: list[Block]
    prose_length: int
    editor: str | None

    @property
    def text(self) -> str:
        return "\n".join(block.text for block in self.blocks)


def block_value(block: Block, heed_names: bool = True) -> float:
    """How much a block looks like article prose (positive) or furniture (negative)."""
    if (block.link_density > _NAVIGATION_LINK_DENSITY or (heed_names and block.noisy)
            or _FURNITURE_LINE.match(block.text)):
        return -block.length
    own = block.length - block.link_length
    if block.punctuation == 0:
        return -own * 0.5 if own < 2 * _SHORT else own * 0.5
    density = block.punctuation / own
    return own * (1 + min(density * 10, 1.0))


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
    best = max(totals.values())
    container = max((element for element, value in totals.items() if value == best),
                    key=lambda element: -_depth(element))
    inside = _descendants(container)
    inner = [block for block in blocks if block.owner in inside]
    editor = next((match.group("name") for block in inner
                   if (match := _EDITOR_LINE.search(block.text)) and block.length < 40), None)
    kept = _without_header(_keep(inner), headline)
    prose_length = sum(block.length - block.link_length for block in kept if _is_prose(block))
    return Body(container, kept, prose_length, editor)


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
    kept: list[Block] = []
    in_aside = False
    for block in blocks:
        if (block.length < 60 and _END_HEADING.match(block.text)
                and sum(kept_block.length for kept_block in kept) >= _BODY_BEFORE_END):
            break
        if _ASIDE_HEADING.match(block.text):
            in_aside = True
            continue
        if in_aside and not (_is_prose(block) and block.length >= 2 * _SHORT):
            continue
        in_aside = False
        if (block.link_density > _NAVIGATION_LINK_DENSITY or _CONTROL_LINE.match(block.text)
                or _FURNITURE_LINE.match(block.text)):
            continue
        kept.append(block)
    return kept


def _without_header(blocks: list[Block], headline: str | None) -> list[Block]:
    """Drop the headline, breadcrumb and info line when the container starts with them."""
    for index, block in enumerate(blocks):
        if not (block.text == headline or _is_header_line(block.text)):
            return blocks[index:]
    return blocks


def _is_header_line(text: str) -> bool:
    """A breadcrumb (首页 > 国内 > 正文) or an info line; never a sentence."""
    if len(text) >= _HEADER_LINE or any(stop in text for stop in "。！？"):
        return False
    separators = sum(text.count(separator) for separator in _PATH_SEPARATORS)
    return bool(separators >= 2 or _BREADCRUMB.search(text) or _INFO_LABEL.search(text))


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
