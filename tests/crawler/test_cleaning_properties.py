"""Cleaning never raises on arbitrary HTML, and cleaning its own output changes nothing."""

import html as html_lib

from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.cleaning.boilerplate import strip_boilerplate
from crawler.cleaning.pinyin import strip_pinyin
from crawler.cleaning.text import html_to_text

TAGS = ["p", "div", "span", "br", "a", "td", "tr", "table", "script", "style", "font", "h3", "li", "ul", "img"]
WORDS = ["正文", "来源：", "人民公安报", "责任编辑：", "王五", "相关阅读", "打印", "关闭", "版权所有", "ICP备",
         "图片1.png", "&nbsp;", "\u3000", "\r\n", "記者", "鄉(xiāng)", "(", "）", "<", ">", "&", " "]
ATTRS = ["", ' style="display:none"', ' class="Abc123"', ' alt="图片1.png"', ' href="/x"', ' color="#FFFFFF"']


@st.composite
def html_soup(draw):
    """Tag soup made of the markup and words the cleaners look for, plus arbitrary text."""
    parts = []
    for _ in range(draw(st.integers(0, 30))):
        kind = draw(st.integers(0, 3))
        if kind == 0:
            parts.append(f"<{draw(st.sampled_from(TAGS))}{draw(st.sampled_from(ATTRS))}>")
        elif kind == 1:
            parts.append(f"</{draw(st.sampled_from(TAGS))}>")
        elif kind == 2:
            parts.append(draw(st.sampled_from(WORDS)))
        else:
            parts.append(draw(st.text(max_size=12)))
    if draw(st.booleans()):
        parts.insert(0, "<style>.Abc123{display:none}</style>")
    return "".join(parts)


def clean_body(html: str) -> str:
    """The body-producing chain of the cleaning stages."""
    return strip_pinyin(html_to_text(strip_boilerplate(html).html))[0]


def as_paragraphs(text: str) -> str:
    return "".join(f"<p>{html_lib.escape(line)}</p>" for line in text.splitlines())


@settings(max_examples=300, deadline=None)
@given(st.one_of(html_soup(), st.text(max_size=200)))
def test_cleaning_never_raises_and_is_idempotent(html):
    body = clean_body(html)
    assert clean_body(as_paragraphs(body)) == body
    assert clean_body(strip_boilerplate(html).html) == body
