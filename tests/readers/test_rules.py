"""The readers' sanity rules, on small pages written for these tests (the failures real TRS,
EmpireCMS and PHPCMS installations showed: logo and sidebar headings, markup in meta titles,
dates only from the URL, link lists taken for bodies)."""

from __future__ import annotations

from crawler.readers import EmpireCMSReader, Reader, TRSReader, detect_cms
from crawler.readers.base import agrees, strip_site_suffix, without_info_tail

URL = "http://www.example.gov.cn/xw/202301/t20230119_1234.shtml"
PROSE = "<p>" + "民警深入社区开展巡逻防控，向群众宣传防范电信诈骗知识，提醒大家保管好财物。" * 3 + "</p>"


def page(head: str = "", body: str = "") -> bytes:
    return f"<html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>".encode()


def test_a_logo_or_sidebar_heading_loses_to_the_headline_that_title_agrees_with():
    html = page("<title>城区开展夜间巡逻_要闻_示例网</title>",
                "<h1>示例网</h1><div class='side'><h1>相关新闻</h1></div>"
                f"<h2>城区开展夜间巡逻</h2><div class='TRS_Editor'>{PROSE}</div>")
    reading = TRSReader().read(URL, html)
    assert reading.title == "城区开展夜间巡逻" and reading.sources["title"] == "trs:h2"


def test_markup_inside_meta_article_title_is_dropped():
    html = page("<meta name='ArticleTitle' content='&lt;font color=red&gt;城区开展夜间巡逻&lt;/font&gt;'>"
                "<title>城区开展夜间巡逻</title>", f"<div class='TRS_Editor'>{PROSE}</div>")
    reading = TRSReader().read(URL, html)
    assert reading.title == "城区开展夜间巡逻" and reading.sources["title"] == "trs:meta ArticleTitle"


def test_a_page_without_heading_takes_the_title_head_without_the_site_suffix():
    html = page("<title>城区开展夜间巡逻 - 示例市人民政府网</title>", f"<div class='TRS_Editor'>{PROSE}</div>")
    reading = TRSReader().read(URL, html)
    assert reading.title == "城区开展夜间巡逻" and reading.sources["title"] == "page:<title>"


def test_pubdate_with_a_time_beats_the_day_of_the_url():
    html = page("<meta name='PubDate' content='2023-01-19 08:47'><title>城区开展夜间巡逻</title>",
                f"<h1>城区开展夜间巡逻</h1><div class='TRS_Editor'>{PROSE}</div>")
    reading = TRSReader().read(URL, html)
    assert reading.published_at == "2023-01-19T08:47:00+08:00"
    assert reading.sources["published_at"] == "trs:meta PubDate"


def test_a_day_only_the_url_gives_is_left_to_the_dates_stage():
    html = page("<title>城区开展夜间巡逻</title>", f"<h1>城区开展夜间巡逻</h1><div class='TRS_Editor'>{PROSE}</div>")
    assert TRSReader().read(URL, html).published_at is None


def test_a_body_selector_that_matches_a_link_list_loses_to_the_generic_extractor():
    links = "".join(f"<li><a href='/a/{i}.html'>第{i}条其他新闻的标题在这里</a></li>" for i in range(12))
    html = page("<title>城区开展夜间巡逻</title>",
                f"<h1>城区开展夜间巡逻</h1><td id='text'><ul>{links}</ul></td><div class='main'>{PROSE * 2}</div>")
    reading = EmpireCMSReader().read("http://www.example.cn/xw/2023-01-19/12.html", html)
    assert reading.extraction_method == "generic" and reading.sources["body"] == "generic"
    assert "巡逻防控" in reading.body_html and "其他新闻" not in reading.body_html


def test_site_selectors_come_before_the_dialects():
    html = page("<title>城区开展夜间巡逻</title>",
                f"<h1>城区开展夜间巡逻</h1><div class='TRS_Editor'>{PROSE}</div><div class='mine'>{PROSE}</div>")
    reading = TRSReader(body_css="div.mine").read(URL, html)
    assert reading.sources["body"] == "site:div.mine"


def test_title_agreement_and_suffix_rules():
    assert agrees("城区开展夜间巡逻", "城区开展夜间巡逻_要闻_示例网")
    assert not agrees("示例网", "城区开展夜间巡逻_要闻_示例网")  # the site suffix, not the headline
    assert strip_site_suffix("阿里发布AI芯片：一块顶十块GPU-EDN 电子技术设计") == "阿里发布AI芯片：一块顶十块GPU"
    assert strip_site_suffix("为建设凝聚力量——热烈祝贺大会开幕") == "为建设凝聚力量——热烈祝贺大会开幕"


def test_a_trailing_info_line_and_controls_leave_the_fallback_body():
    lines = ["正文第一段。", "正文最后一段。", "A+", "发布日期：2019-09-23 14:34:05 所属分类： 头条"]
    assert without_info_tail(lines) == ["正文第一段。", "正文最后一段。"]
    assert without_info_tail(["正文。", "（综合整理自新华网等）"]) == ["正文。", "（综合整理自新华网等）"]


def test_the_generic_reader_has_no_selectors_and_the_dialect_is_detected():
    html = page("<title>城区开展夜间巡逻</title>", f"<h1>城区开展夜间巡逻</h1><div class='TRS_Editor'>{PROSE}</div>")
    assert Reader().read(URL, html).extraction_method == "generic"
    assert detect_cms(html.decode(), URL)[0] == "trs"
    assert detect_cms("<html><body><p>hello</p></body></html>")[0] == "generic"


def test_font_size_controls_in_the_info_line_never_become_credits():
    from crawler.commands.probe import probe
    from crawler.fixtures import SavedResponse
    html = page("<title>城区开展夜间巡逻</title>",
                "<div id='Article'><h1>城区开展夜间巡逻</h1>"
                "<div class='pubdate'>2008-06-01 10:20 来源：示例日报 文字大小：【大】【中】【小】 [打印]</div>"
                f"<div class='content'>{PROSE}</div></div>")
    fields = probe(SavedResponse("http://www.example.cn/html/2008/0601/12.html", 200, {}, html), "phpcms")
    stored = fields["article"]["fields"]
    assert stored["source"] == "示例日报" and stored["published_at"] == "2008-06-01T10:20:00+08:00"
    assert "【" not in (stored["author"] or "") and "大" not in (stored["author"] or "")


def test_an_included_header_with_its_own_document_end_does_not_hide_the_article():
    # some CMSs include a header template that closes </body></html> before the article
    html = ("<html><head><meta charset='utf-8'><title>城区开展夜间巡逻</title></head><body>"
            "<div class='top'>示例网</div></body></html>"
            f"<h2>城区开展夜间巡逻</h2><div class='TRS_Editor'>{PROSE}</div></body></html>").encode()
    reading = TRSReader().read(URL, html)
    assert "民警深入社区" in reading.body_html and reading.sources["body"].startswith("trs")
