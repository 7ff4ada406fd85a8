import re

import pytest

from crawler.cleaning.lexicon import in_both_scripts
from crawler.cleaning.pinyin import strip_pinyin
from crawler.cleaning.script import detect_script, to_simplified


@pytest.mark.parametrize("text,expected,count", [
    ("陽湖網(wǎng)", "陽湖網", 1),
    ("我的家鄉（xiāng）", "我的家鄉", 1),
    ("是發(fā)展的基石", "是發展的基石", 1),
    ("們(men)", "們", 1),                      # neutral-tone particle
    ("牛塘派出所副所長 王琎(jìn)", "牛塘派出所副所長 王琎(jìn)", 0),  # 琎 is the same in both scripts
    ("GDP(gdp)", "GDP(gdp)", 0),
    ("網(wang)", "網(wang)", 0),                 # no tone mark
    ("王(wáng)先生", "王(wáng)先生", 0),          # 王 is not a converted character
    ("破案率(%)", "破案率(%)", 0),
])
def test_pinyin_annotations_follow_the_mirror_rule(text, expected, count):
    assert strip_pinyin(text) == (expected, count)


def test_stripping_is_idempotent_on_repeated_annotations():
    once, _ = strip_pinyin("鄉(xiāng)(xiāng)")
    assert once == "鄉" and strip_pinyin(once) == (once, 0)


def test_script_detection():
    assert detect_script("于城市而言,平安是发展的基石。") == "zh-Hans"
    assert detect_script("於城市而言,平安是發展的基石。") == "zh-Hant"
    assert detect_script("GDP 2022") is None


def test_simplified_form_for_hashing_keeps_the_published_text_untouched():
    published = "武進過去的十年,改革發展波瀾壯闊"
    assert to_simplified(published) == "武进过去的十年,改革发展波澜壮阔"
    assert published == "武進過去的十年,改革發展波瀾壯闊"


@pytest.mark.parametrize("text", ["立即注册", "立即註冊", "請繼續閱讀", "请继续阅读", "請繼續閲讀", "審核：王五"])
def test_a_lexicon_pattern_matches_its_words_in_either_script_and_any_regional_form(text):
    """Written once in Simplified; OpenCC's forms (註冊, 閱讀) and Hong Kong's (閲讀) match too,
    and so does 審核, which real pages print where OpenCC writes 審覈."""
    pattern = re.compile(in_both_scripts(r"^(?:立即注册|请继续阅读|审核\s*[:：])"))
    assert pattern.match(text)


def test_a_lexicon_pattern_keeps_its_classes_and_escapes():
    pattern = re.compile(in_both_scripts(r"[^关]\[关\]"))
    assert pattern.fullmatch("x[關]") and not pattern.fullmatch("關[关]")
