"""Source, author and editor from Chinese info lines and trailers, with role words dropped.

Policy for organisations credited as author ("作者:警安在线", "作者:阳湖网"): the
``author`` field keeps the credit as published, because that is the attribution the
page makes (corporate authorship).  Such a value is recognised as an organisation
(by its suffix: 网, 在线, 报, 社, 台, 局 …) so that it is never split into person names,
and it also fills ``source`` when the page names no source.  Person names are joined
by one space ("胡越 巢剑峰").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crawler.cleaning.lexicon import (
    AUTHOR_LABELS,
    BREADCRUMB,
    DATE_LABELS,
    EDITOR_LABELS,
    HOME_PATH,
    IGNORED_LABELS,
    NO_NAME_CREDITS,
    ROLE_WORDS,
    SOURCE_LABELS,
    all_forms,
    both_scripts,
    in_both_scripts,
)
from crawler.cleaning.text import normalize_line

_ROLE_OF: dict[str, str] = {}  # label -> the role it introduces
_NO_NAMES = all_forms(NO_NAME_CREDITS)
for _role, _labels in (("source", SOURCE_LABELS), ("author", AUTHOR_LABELS), ("editor", EDITOR_LABELS),
                       ("date", DATE_LABELS), ("ignored", IGNORED_LABELS)):
    for _label in _labels:
        for _form in all_forms([_label]):
            _ROLE_OF.setdefault(_form, _role)

# A label is a known word followed by a colon, slash or bar; one-character labels
# (文, 图, 摄) must not be the end of a longer word.
_SEPARATOR = r"\s*[:：/|｜]"
LABEL = re.compile(
    rf"(?P<label>{both_scripts([w for w in _ROLE_OF if len(w) > 1])}){_SEPARATOR}"
    rf"|(?<![\u4e00-\u9fff])(?P<short>{both_scripts(['文', '图', '摄'])}){_SEPARATOR}"
)
ROLE = re.compile(both_scripts(ROLE_WORDS))
_SPLIT = re.compile(r"[\s,，、;；/|｜]+")
_BRACKETS = "()（）[]【】<>《》〔〕"
_TRIM = _BRACKETS + " :：,，。;；|｜-—·•"
# Where the source filed from, in brackets after its name: 京华时报(北京).
_PLACE_AFTER = re.compile(r"(?<=[^\s(（])[(（][^()（）]{1,12}[)）]?$")

ORG_SUFFIXES = (
    "网", "在线", "报", "社", "台", "站", "刊", "杂志", "频道", "中心", "局", "厅", "部", "委", "院", "所",
    "队", "处", "办", "室", "组", "署", "司", "公司", "集团", "协会", "政府", "大学", "学校", "医院",
    "客户端", "公众号", "微信", "微博", "新闻", "传媒", "媒体", "时报", "融媒", "宣传", "馆", "省", "市",
    "县", "区", "镇", "街道", "社区", "村",
)
_ORG_SUFFIX = re.compile(rf"(?:{both_scripts(list(ORG_SUFFIXES))})$")
_HAS_WORD = re.compile(r"[\w\u4e00-\u9fff]")
_DIGITS_ONLY = re.compile(r"^[\d\s\-:/.年月日时分秒]+$")


@dataclass
class Byline:
    source: str | None = None
    author: str | None = None
    editor: str | None = None
    date: str | None = None

    def __bool__(self) -> bool:
        return any((self.source, self.author, self.editor, self.date))


def is_organisation(name: str) -> bool:
    """A credit that names a body (site, paper, bureau), not a person."""
    name = name.strip(_TRIM)
    return bool(_ORG_SUFFIX.search(name)) or (len(name) > 5 and " " not in name and not name.isascii())


def _tokens(value: str) -> list[str]:
    tokens = (token.strip(_TRIM) for token in _SPLIT.split(value))
    return [t for t in tokens if t and _HAS_WORD.search(t) and not _DIGITS_ONLY.match(t)]


def split_credits(value: str) -> tuple[list[str], list[str]]:
    """(person names, organisations) of a credit such as "新华社记者 张三 通讯员 李四"."""
    people: list[str] = []
    bodies: list[str] = []
    for token in _tokens(ROLE.sub(" ", value)):
        (bodies if is_organisation(token) else people).append(token)
    return people, bodies


def _join(names: list[str]) -> str | None:
    unique = [name for name in dict.fromkeys(names) if name not in _NO_NAMES]
    return " ".join(unique) or None


def _fields(text: str) -> list[tuple[str, str]]:
    """(role, value) pairs of a labelled line; unlabelled text that opens with a role word is an author credit."""
    matches = list(LABEL.finditer(text))
    if not matches:
        return [("author", text)] if _is_role_credit(text.strip(_TRIM)) else []
    pairs = []
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        label = match.group("label") or match.group("short")
        end = following.start() if following else len(text)
        pairs.append((_ROLE_OF.get(label, "author"), text[match.end():end].strip(_TRIM + " ")))
    return pairs


def parse_byline(text: str | None) -> Byline:
    """Split an info line or trailer into source, author, editor (and the raw date text)."""
    result = Byline()
    text = _with_colons(normalize_line(text or "").strip(_BRACKETS + " "))
    if not text or HOME_PATH.match(text) or BREADCRUMB.match(text):
        return result
    authors: list[str] = []
    editors: list[str] = []
    author_bodies: list[str] = []
    source_people: list[str] = []
    for role, value in _fields(text):
        if not value:
            continue
        if role == "source" and result.source is None:
            first, _, rest = value.partition(" ")
            result.source = _PLACE_AFTER.sub("", first).strip(_TRIM) or None
            if not any(char.isdigit() for char in rest):  # 网友评论 0 条: a counter, no people
                source_people += split_credits(rest)[0]
        elif role == "author":
            people, bodies = split_credits(value)
            authors += people
            author_bodies += bodies
        elif role == "editor":
            editors += split_credits(value)[0]
        elif role == "date" and result.date is None:
            result.date = value
    result.author = _join(authors) or _join(author_bodies) or _join(source_people)
    if result.source is None and author_bodies:
        result.source = author_bodies[0]
    result.editor = _join(editors)
    return result


_DATE_ONLY = re.compile(in_both_scripts(
    r"^[【\[(（]?\s*(?:发布|发表|更新)?(?:时间|日期)\s*[:：]\s*"
    r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?\s*(?:\d{1,2}[:：时]\d{1,2}(?:[:：分]\d{1,2}秒?)?分?)?\s*[】\])）]?$"
))
_COUNTER_ONLY = re.compile(rf"^(?:{both_scripts(IGNORED_LABELS)})\s*[:：]?\s*\d+\s*次?$")
MAX_BYLINE_CHARS = 80
# Closing credits set with spaces for colons ("编辑 王五 审核 赵六"), as many pages of today
# print them: editor labels, each before one to three short names, and nothing else.
_SPACED_EDITORS = re.compile(
    rf"^(?:(?:{both_scripts(EDITOR_LABELS)})\s+(?:[\u4e00-\u9fff]{{2,4}}(?:\s+|$)){{1,3}})+$")
_SPACED_LABEL = re.compile(rf"(?<![\u4e00-\u9fff])({both_scripts(EDITOR_LABELS)})\s+")
EDITOR_TRAILER = re.compile(
    r"[(（\[【]\s*(?:" + both_scripts(EDITOR_LABELS) + r")\s*[:：][^()（）\[\]【】]{0,30}[)）\]】]\s*$"
)


def is_byline_line(line: str) -> bool:
    """A whole line that is only credits (来源/作者/编辑 …), possibly with a date and a counter."""
    if len(line) > MAX_BYLINE_CHARS:
        return False
    stripped = _with_colons(line.strip(_BRACKETS + " "))
    if LABEL.match(stripped) is None and not _is_role_credit(stripped):
        return False
    byline = parse_byline(stripped)
    return bool(byline.source or byline.author or byline.editor)


def _is_role_credit(text: str) -> bool:
    """An unlabelled credit like "记者 张三 通讯员 李四": role words and short names only."""
    if not ROLE.match(text):
        return False
    people, bodies = split_credits(text)
    return bool(people) and not bodies and all(2 <= len(name) <= 4 for name in people)


def is_editor_line(line: str) -> bool:
    """A 责任编辑/编辑/审核/校对 trailer line, labelled with colons or with spaces."""
    stripped = _with_colons(line.strip(_BRACKETS + " "))
    match = LABEL.match(stripped)
    return (len(line) <= MAX_BYLINE_CHARS and match is not None
            and _ROLE_OF.get(match.group("label") or "", "") == "editor")


def _with_colons(line: str) -> str:
    """A line of editor credits set with spaces, with colons put after its labels."""
    return _SPACED_LABEL.sub(r"\1：", line) if _SPACED_EDITORS.match(line) else line


def is_date_line(line: str) -> bool:
    return bool(_DATE_ONLY.match(line))


def is_counter_line(line: str) -> bool:
    """A hit counter such as "访问统计: 297" or "阅读:189377"."""
    return bool(_COUNTER_ONLY.match(line))


def editor_of(line: str) -> str | None:
    """The editor a line credits: a credit line (责任编辑：王五; 来源：某报 编辑：王五), or a
    "（责任编辑：王五）" closing a paragraph."""
    if is_editor_line(line) or is_byline_line(line):
        return parse_byline(line).editor
    trailer = EDITOR_TRAILER.search(line)
    return parse_byline(trailer.group()).editor if trailer else None


def tidy_credit(value: str | None) -> str | None:
    """An author or editor credit without role words ("特约记者 薄雪飞" → "薄雪飞");
    an organisation is kept as published."""
    if not value or is_organisation(value):
        return value or None
    people, bodies = split_credits(value)
    return " ".join(dict.fromkeys(people or bodies)) or None
