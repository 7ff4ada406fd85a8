from crawler.cleaning.boilerplate import strip_boilerplate
from crawler.cleaning.text import html_to_text


def clean(html):
    stripped = strip_boilerplate(html)
    return html_to_text(stripped.html), stripped.byline


def test_inline_hidden_elements_go_but_their_tail_text_stays():
    text, _ = clean('<p>幸福来自平安<span style="display:none">WDg法治快讯网</span></p>'
                    '<p>第二段<span style="visibility: hidden">隐藏</span>结尾</p>')
    assert text == "幸福来自平安\n第二段结尾"


def test_empirecms_anti_copy_span_before_br():
    text, _ = clean('<td id="text">第一句<span style="display:none">k9Z法治快讯网</span><br />第二句</td>')
    assert text == "第一句\n第二句"


def test_dedecms_class_hidden_by_a_style_rule():
    html = ("<style>.Kbq482 { display:none; }</style><p>正文一<span class='Kbq482'>本文来自织梦</span></p>"
            "<p>正文二<font color='#FFFFFF'>织梦内容管理系统</font></p>")
    text, _ = clean(html)
    assert text == "正文一\n正文二"


def test_scripts_styles_and_forms_are_removed():
    html = ("<p>正文</p><script>document.write('x')</script><style>p{}</style>"
            "<form id='saypl'>用户名:<input name='username'>验证码:<textarea></textarea>匿名发表</form>")
    assert clean(html)[0] == "正文"


def test_share_print_close_and_font_size_controls_are_removed():
    html = ("<p>正文内容。</p><div class='bdsharebuttonbox'><a class='bds_weixin'>微信</a></div>"
            "<p>【打印本页】 【关闭窗口】</p><div>字号：大 中 小</div><p>[打印] [关闭]</p><p>分享到：</p>")
    assert clean(html)[0] == "正文内容。"


def test_an_articles_pager_goes_but_a_line_of_numbers_or_a_sentence_about_pages_stays():
    """A pager (共3页: 上一页 1 2 3 下一页) is controls with page numbers between them; numbers
    alone are no control, and prose that mentions pages is prose."""
    html = ("<p>正文内容。</p><div class='page'>共3页: 上一页 <a>1</a> <a>2</a> <a>3</a> <a>下一页</a></div>"
            "<p>第2页 / 共5页 <a>首页</a> <a>尾页</a></p><p>1 2 3</p><p>报告共3页，下一页是附表。</p>")
    assert clean(html)[0] == "正文内容。\n1 2 3\n报告共3页，下一页是附表。"


def test_a_link_that_works_the_page_goes_even_inside_the_last_paragraph():
    """Sites put 返回…首页>> in the article's last paragraph, where no line rule can see it;
    a link of the story's own stays."""
    html = ("<p>详见<a href='/a/1.html'>《关于开展平安建设的通知》</a>。</p>"
            "<p>整顿仍将持续。<a href='http://www.fzsd.cn/'><span>返回法治山东网首页&gt;&gt;</span></a></p>"
            "<p>全文完。<a href='#top'>回到顶部</a> <a href='javascript:print()'>【打印】</a></p>")
    assert clean(html)[0] == "详见《关于开展平安建设的通知》。\n整顿仍将持续。\n全文完。"


def test_a_line_of_characters_the_pages_encoding_lost_is_removed():
    assert clean("<p>第一段。</p><p>\ufffd\ufffd\ufffd</p><p>第二段，有\ufffd也留。</p>")[0] == \
        "第一段。\n第二段，有\ufffd也留。"


def test_editor_trailers_move_to_editor():
    html = "<p>正文内容。</p><p>责任编辑：王五</p><p>审核：李四　校对：赵六</p>"
    text, byline = clean(html)
    assert text == "正文内容。"
    assert byline.editor == "王五 李四 赵六"


def test_parenthesised_editor_at_the_end_of_the_last_paragraph():
    text, byline = clean("<td>最后一段文字。<br>(责任编辑：<span>王五</span>)</td>")
    assert text == "最后一段文字。"
    assert byline.editor == "王五"
    text, byline = clean("<p>最后一段文字。（责任编辑：王五）</p>")
    assert (text, byline.editor) == ("最后一段文字。", "王五")


def test_trailing_source_line_moves_to_source_and_author():
    text, byline = clean("<p>正文。</p><p>\u3000\u3000来源:常州日报 胡越 巢剑峰</p><p>&nbsp;</p>")
    assert text == "正文。"
    assert (byline.source, byline.author) == ("常州日报", "胡越 巢剑峰")


def test_a_source_line_in_the_middle_of_the_body_is_content():
    html = "<p>第一段。</p><p>来源:人民公安报</p><p>第三段。</p>"
    text, byline = clean(html)
    assert text == "第一段。\n来源:人民公安报\n第三段。"
    assert byline.source is None


def test_leading_info_and_date_lines_are_removed():
    html = "<p>【发布日期:2010-01-18 13:35:36】</p><p>时间:2022-08-15作者:警安在线 阅读:189377</p><p>正文。</p>"
    text, byline = clean(html)
    assert text == "正文。"
    assert byline.date == "2010-01-18 13:35:36"
    assert byline.author == "警安在线"


def test_an_event_time_opening_a_notice_is_kept():
    assert clean("<p>时间：2023年5月1日上午9时</p><p>地点：区公安分局</p>")[0] == (
        "时间：2023年5月1日上午9时\n地点：区公安分局")


def test_related_reading_blocks_are_removed_with_their_links():
    html = ("<p>正文。</p><div><h3>相关阅读</h3><ul><li><a href='/1'>一醉驾,一袭警</a></li>"
            "<li>• <a href='/2'>当假警察遇上真警察</a> 2022-08-01</li></ul></div><p>【推荐阅读】</p>"
            "<p><a href='/3'>家中有这种黑盒子,报警!</a></p>")
    assert clean(html)[0] == "正文。"


def test_a_link_in_a_sentence_after_the_related_block_is_kept():
    html = "<p>相关新闻：</p><p><a href='/1'>旧闻</a></p><p>详见<a href='/2'>通告</a>,请群众周知相关安排。</p>"
    assert clean(html)[0] == "详见通告,请群众周知相关安排。"


def test_copyright_icp_and_filing_lines_are_removed():
    html = ("<p>正文。</p><p>Copyright © 2019 警安在线 版权所有 All Rights Reserved</p>"
            "<p>京ICP备19046744号-1</p><p>苏公网安备 32010202010000号</p><p>备案信息</p>")
    assert clean(html)[0] == "正文。"


def test_empty_paragraphs_are_removed_from_the_html():
    stripped = strip_boilerplate("<p>正文。</p><p>&nbsp;</p><p>\u3000</p><p><br></p><div><span> </span></div>")
    assert stripped.html == "<p>正文。</p>"


def test_file_name_alts_and_lines_never_reach_the_body():
    html = ('<p><img src="/u/a.png" alt="图片1.png" title="图片1.png"></p><p>图片2.png</p>'
            '<p><img src="/u/b.jpg" alt="民警巡逻"></p><p>图为民警在商圈巡逻。</p>')
    stripped = strip_boilerplate(html)
    assert "图片1.png" not in stripped.html and "图片2.png" not in stripped.html
    assert 'alt="民警巡逻"' in stripped.html
    assert html_to_text(stripped.html) == "图为民警在商圈巡逻。"


def test_headings_tables_and_captions_are_kept():
    html = ("<h2>党建引领 多元共治</h2><p>正文。</p><table><tr><td>破案</td><td>61起</td></tr></table>"
            "<figure><img src='x.jpg'><figcaption>民警在崇安寺商圈开展夜间巡逻</figcaption></figure>")
    assert clean(html)[0] == "党建引领 多元共治\n正文。\n破案 61起\n民警在崇安寺商圈开展夜间巡逻"


def test_nothing_to_clean():
    assert strip_boilerplate("").html == ""
    assert strip_boilerplate(None).html == ""
    assert strip_boilerplate("<script>x</script>").html == ""


def test_a_class_hidden_only_on_small_screens_or_inside_another_is_read():
    """Responsive pages hide their desktop table on phones; that text is on the page."""
    html = ('<style>@charset "utf-8"; .junk{display:none} @media screen and (max-width:980px){ .desk{display:none;} }'
            " .menu .desk2 {display:none}</style><p>正文<span class='junk'>织梦</span></p>"
            "<p class='desk'>索引号：001</p><p class='desk2'>发文机关：某市人民政府</p>")
    assert clean(html)[0] == "正文\n索引号：001\n发文机关：某市人民政府"
