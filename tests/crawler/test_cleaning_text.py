from crawler.cleaning.text import html_to_text, normalize_text


def test_blocks_and_br_break_lines():
    html = "<div><p>第一段。</p><p>第二段<br/>第二行</p>尾声</div>"
    assert html_to_text(html) == "第一段。\n第二段\n第二行\n尾声"


def test_full_width_spaces_nbsp_indentation_and_crlf_collapse():
    html = "<p>\r\n\u3000\u3000于城市而言,平安是&nbsp;&nbsp;发展的基石。\r\n</p><p>\t  \u3000</p>"
    assert html_to_text(html) == "于城市而言,平安是 发展的基石。"


def test_source_line_break_inside_chinese_is_not_a_space():
    assert html_to_text("<p>于城市\n    而言 OK\n next</p>") == "于城市而言 OK next"


def test_full_width_punctuation_is_kept():
    assert html_to_text("<p>时间：2022年（注）！，</p>") == "时间：2022年（注）！，"


def test_scripts_styles_and_image_alt_never_reach_text():
    html = '<p>正文<script>var a="脚本";</script><style>.x{}</style><img alt="图片1.png" title="图片1.png">。</p>'
    assert html_to_text(html) == "正文。"


def test_table_rows_become_lines_with_cells_spaced():
    html = "<table><tr><th>项目</th><th>数量</th></tr><tr><td>破案</td><td>8起</td></tr></table>"
    assert html_to_text(html) == "项目 数量\n破案 8起"


def test_whole_pages_and_junk_do_not_break_parsing():
    assert html_to_text('<?xml version="1.0" encoding="gbk"?><html><body><p>甲</p></body></html>') == "甲"
    assert html_to_text("<!-- 注释 -->") == ""
    assert html_to_text("\x00\x01") == ""
    assert html_to_text(None) == ""


def test_normalize_text_drops_empty_lines_and_collapses():
    assert normalize_text("  甲\u3000乙 \r\n\r\n\xa0\n丙  ") == "甲 乙\n丙"
