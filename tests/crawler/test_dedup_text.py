"""The normalised text behind ``content_hash`` and the shingles."""

import opencc

from crawler.dedup.text import content_hash, normalise_text

BODY = "浙江公安机关纵深推进“百日行动”，擦亮平安底色。\n\n截至目前，全省共投入巡防力量76.8万人次。"


def test_normalisation_folds_width_script_and_whitespace():
    assert normalise_text("平安 建设（試點）：\n第一段\u3000\t结束！") == "平安建设(试点):第一段结束!"


def test_layout_width_and_script_variants_share_one_hash():
    traditional = opencc.OpenCC("s2t").convert(BODY)
    relaid = BODY.replace("\n\n", "\n").replace("，", ", ")
    assert traditional != BODY
    assert content_hash(traditional) == content_hash(relaid) == content_hash(BODY)


def test_a_changed_word_changes_the_hash():
    assert content_hash(BODY.replace("76.8", "76.9")) != content_hash(BODY)


def test_no_text_has_no_hash():
    assert content_hash(None) is None
    assert content_hash("") is None
    assert content_hash(" \n\u3000 ") is None
