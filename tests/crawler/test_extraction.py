import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.decoding import UndecodableError
from crawler.extraction import ARTICLE, LISTING, NotHtmlError, extract
from crawler.items import ArticleItem, PageReadings
from pipelines.bylines import BylinesPipeline

PARAGRAPHS = [
    "今年以来，临港区在深入推进平安建设中，从“小案”中积累“大平安”，以“天网”护航群众安全，"
    "用“警灯闪烁”赢得人心，不仅有效地提升了人民群众的安全感，也提升了满意度。",
    "组建多元群防群治队伍、警种联合制定科学的商圈巡防路线，使用智慧科技手段延伸防控触角，"
    "见缝插针式做好安全防范宣传。",
    "去年以来，江阴公安准确把握形势、前移警务阵地，不断做强警种主战职能，积极履行好街面巡逻防控责任。",
]
NAV = "".join(f'<li><a href="/c{i}/">栏目{i}</a></li>' for i in range(12))
SIDEBAR = "".join(f'<li><a href="/a/{i}.html">平安建设工作纪实第{i}篇报道</a> 2022-10-0{i % 9 + 1}</li>'
                  for i in range(10))


INFO_LINE = "时间：2015-10-29 08:31:17&nbsp;&nbsp;来源：法治山东网&nbsp;&nbsp;作者：特约记者 薄雪飞"


def article_page(*, head="", info=INFO_LINE, body_extra="", charset="utf-8") -> str:
    paragraphs = "".join(f"<p>{text}<span style=\"display:none\">x7Q法治山东网</span></p>"
                         for text in PARAGRAPHS)
    return f"""<!DOCTYPE html><html><head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>临港区深化平安建设工作纪实_政法综治_法治山东网</title>{head}
<script>var title = "不是正文，脚本里的字。";</script>
<style>.hide{{display:none}}</style></head>
<body>
<div class="header"><ul class="nav">{NAV}</ul><div class="search">热门关键词：平安</div></div>
<div class="position">您当前的位置：<a href="/">首页</a> &gt; <a href="/guonei/">国内</a> &gt; 政法综治</div>
<div class="main">
  <h1>临港区深化平安建设工作纪实</h1>
  <div class="info">{info}</div>
  <div class="share">分享到：<a href="#">微信</a><a href="#">微博</a></div>
  <div id="text">{paragraphs}
    <p><img src="/d/file/2015/10/a.jpg" alt="巡逻民警"></p>
    <p><img data-original="//img.example.cn/b.png" src="/images/loading.gif"></p>
    {body_extra}
    <p>（责任编辑：王五）</p>
  </div>
  <div class="related"><h3>相关阅读</h3><ul>{SIDEBAR}</ul></div>
  <div class="print">【打印本页】【关闭窗口】</div>
</div>
<div class="side"><h3>栏目热门</h3><ul>{SIDEBAR}</ul></div>
<div class="footer">版权所有：法治山东网 鲁ICP备12345678号</div>
</body></html>"""


def list_page() -> str:
    items = "".join(
        f'<li><a href="/yhw/hotspot/wjxw/2024-12-{day:02d}/1{day:05d}.html" title="武进新闻2024121{day}">'
        f"武进新闻202412{day:02d}：平安建设在行动，群防群治见成效</a><span>2024-12-{day:02d}</span></li>"
        for day in range(1, 21))
    return f"""<html><head><meta charset="utf-8"><title>武进新闻_阳湖网</title></head><body>
<ul class="nav">{NAV}</ul><div class="list"><ul>{items}</ul></div>
<div class="epages"><a href="index_2.html">下一页</a> <a href="index_9.html">尾页</a></div>
<div class="footer">版权所有 阳湖网</div></body></html>"""


URL = "http://www.fzsdzk.com/guonei/fazhi/zhengfazonghe/2015-10-29/28793.html"


@pytest.fixture(scope="module")
def result():
    return extract(article_page().encode("utf-8"), URL)


class TestArticle:
    def test_body_is_the_paragraphs_one_a_line(self, result):
        assert result["body"] == "\n".join(PARAGRAPHS)

    def test_furniture_is_not_in_the_body(self, result):
        for furniture in ("栏目", "分享到", "相关阅读", "打印", "版权所有", "责任编辑", "您当前的位置",
                          "时间", "脚本里的字", "x7Q"):
            assert furniture not in result["body"]

    def test_title_is_the_heading_the_title_tag_carries(self, result):
        assert result["title"] == "临港区深化平安建设工作纪实"

    def test_info_line_fields(self, result):
        assert result["published_at"] == "2015-10-29T08:31:17+08:00"
        assert result["source"] == "法治山东网"
        assert result["author"] == "薄雪飞"
        assert result["editor"] == "王五"

    def test_credits_are_read_as_a_crawl_stores_them(self, result):
        """One byline reader for both paths: the role word goes in both (特约记者 薄雪飞 → 薄雪飞)."""
        item = ArticleItem(site="fzsdzk", url=URL, readings=PageReadings(
            byline_text="时间：2015-10-29 08:31:17 来源：法治山东网 作者：特约记者 薄雪飞"))
        BylinesPipeline().process_item(item)
        assert (result["author"], result["source"]) == (item.author, item.source)

    def test_images_are_absolute_and_prefer_lazy_sources(self, result):
        assert result["images"] == [
            {"src": "http://www.fzsdzk.com/d/file/2015/10/a.jpg", "alt": "巡逻民警"},
            {"src": "http://img.example.cn/b.png", "alt": ""},
        ]

    def test_body_html_is_the_container(self, result):
        assert result["body_html"].startswith('<div id="text">')
        assert PARAGRAPHS[1] in result["body_html"]

    def test_kind_and_method(self, result):
        assert result["page_type"] == ARTICLE
        assert result["method"] == "generic"


def test_gbk_page_declared_gb2312():
    result = extract(article_page(charset="gb2312").encode("gbk"), URL)
    assert result["body"] == "\n".join(PARAGRAPHS)
    assert result["title"] == "临港区深化平安建设工作纪实"


def test_meta_date_comes_first_and_borrows_the_info_line_time():
    head = '<meta name="PubDate" content="2015-10-29">'
    assert extract(article_page(head=head).encode(), URL)["published_at"] == "2015-10-29T08:31:17+08:00"
    head = '<meta property="article:published_time" content="2015-10-28T10:00:00+08:00">'
    assert extract(article_page(head=head).encode(), URL)["published_at"] == "2015-10-28T10:00:00+08:00"


def test_a_date_only_the_scripts_state_is_read_before_a_relative_one_on_the_page():
    """A script writes the visible date relative to the reader's day (昨天); the page holds its
    true date as an epoch in a script, or as JSON-LD."""
    epoch = '<script>var nickname = "临港公安"; var ct = "1581517074";</script>'
    page = article_page(info="昨天 来源：临港公安", head=epoch)
    assert extract(page.encode())["published_at"] == "2020-02-12T22:17:54+08:00"
    linked = ('<script type="application/ld+json">{"@context": "https://schema.org", "@graph": '
              '[{"@type": "NewsArticle", "datePublished": "2015-10-28T10:00:00+08:00"}]}</script>')
    assert extract(article_page(info="来源：法治山东网", head=linked).encode())["published_at"] == (
        "2015-10-28T10:00:00+08:00")
    broken = '<script type="application/ld+json">{"datePublished": </script><script>var count = 1581517074;</script>'
    assert extract(article_page(info="来源：法治山东网", head=broken).encode())["published_at"] is None


def test_url_date_when_the_page_shows_none():
    page = article_page(info="来源：法治山东网")
    assert extract(page.encode(), URL)["published_at"] == "2015-10-29T00:00:00+08:00"
    assert extract(page.encode())["published_at"] is None


def test_an_old_page_saying_today_gets_no_date_from_it():
    page = article_page(info="来源：法治山东网", body_extra="<p>今天，民警再次走访了商户。</p>")
    assert extract(page.encode())["published_at"] is None


def test_comments_after_the_article_are_not_body():
    comments = ("<h3>网友评论</h3>" +
                "".join(f"<p>网友{i}：说得好，平安建设需要大家共同参与，点赞！</p>" for i in range(5)))
    result = extract(article_page(body_extra=comments).encode(), URL)
    assert result["body"] == "\n".join(PARAGRAPHS)


def test_article_inside_an_element_named_like_furniture():
    page = article_page().replace('<div id="text">', '<div class="js_img_share_area">')
    assert extract(page.encode(), URL)["body"] == "\n".join(PARAGRAPHS)


def test_short_opening_sentence_with_a_date_stays_in_the_body():
    page = article_page().replace(PARAGRAPHS[0], "2012年是中国龙年。")
    assert extract(page.encode(), URL)["body"].split("\n")[0] == "2012年是中国龙年。"


def test_list_page_is_not_an_article():
    result = extract(list_page().encode(), "https://app.wjyanghu.com/yhw/hotspot/wjxw/index.html")
    assert result["page_type"] == LISTING


def test_page_without_prose_is_not_an_article():
    result = extract("<html><body><h1>404 页面不存在</h1><a href='/'>返回首页</a></body></html>".encode())
    assert result["page_type"] == LISTING
    assert result["body"] == ""


def test_short_notice_is_still_an_article():
    page = ("<html><head><title>关于春节假期的通知_公告</title></head><body><h1>关于春节假期的通知</h1>"
            "<div class='content'><p>根据国务院办公厅通知精神，现将2023年春节放假安排通知如下：1月21日至27日放假调休，"
            "共7天。1月28日（星期六）、1月29日（星期日）上班。节假日期间，各单位要妥善安排好值班和安全保卫等工作。</p>"
            f"</div><ul>{NAV}</ul></body></html>")
    assert extract(page.encode())["page_type"] == ARTICLE


def test_not_html():
    with pytest.raises(NotHtmlError):
        extract("只是一段文字，没有标签。".encode())


def test_undecodable_bytes():
    with pytest.raises(UndecodableError):
        extract(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)


@pytest.mark.parametrize("page", [
    b"<html></html>", b"<p>", b"<html><body><div><div><div></div></div></div></body></html>",
    b"<?xml version='1.0' encoding='utf-8'?><html><body><p>\xe4\xbd\xa0\xe5\xa5\xbd</p></body></html>",
    b"<html><body>" + b"<div>" * 3000 + "文字，".encode() * 50 + b"</body></html>",
    b'<html><body><p style="display:none">x</p>\x1f\x0b</body></html>',  # control characters
])
def test_odd_pages_do_not_crash(page):
    result = extract(page)
    assert set(result) >= {"title", "published_at", "author", "source", "body", "body_html",
                           "images", "method", "page_type"}


MARKUP = st.lists(st.one_of(st.sampled_from(["<p>", "</p>", "<div style='display:none'>", "</div>", "<br>",
                                             "<h1>", "<a href='/x'>", "</a>", "<table><tr><td>"]),
                            st.text(max_size=20)), max_size=30)


@settings(max_examples=200, deadline=None)
@given(MARKUP, st.sampled_from(["utf-8", "gb18030", "big5"]))
def test_any_markup_is_extracted_or_refused_with_a_known_error(parts, encoding):
    page = ("<html><body>" + "".join(parts)).encode(encoding, "replace")
    try:
        result = extract(page, "http://www.example.cn/a/2023-01-19/1.html")
    except (NotHtmlError, UndecodableError):
        return
    assert result["page_type"] in (ARTICLE, LISTING)


SHORT_ARTICLE = ("美联储宣布，11月美国的工业产出环比下降0.2%，这主要与汽车及部件业的产出大幅下降有关。"
                 "跌幅超出市场普遍预期。")
TEASERS = "".join(
    f"<div class='item'><h3><a href='/t/{i}.html'>专题{i}</a></h3>"
    f"<p>第{i}个专题的导语：美航母抵近，日部署爱国者，中国能否力挽危局？各方都在观望。</p></div>"
    for i in range(2))


def test_a_short_article_under_its_headline_beats_a_richer_teaser_strip():
    page = f"""<html><head><title>美国工业产出环比下降_财经</title></head><body>
<ul class="nav">{NAV}</ul><div class="focus">{TEASERS}</div>
<div class="main"><div class="left"><h1>美国工业产出环比下降</h1>
<div class="info">2011年12月15日 23:39</div><div id="real"><p>{SHORT_ARTICLE}</p></div></div>
<div class="right"><ul>{SIDEBAR}</ul></div></div></body></html>"""
    assert extract(page.encode())["body"] == SHORT_ARTICLE


def test_a_teaser_beside_the_article_in_the_same_column_is_left_out():
    page = f"""<html><head><title>临港区深化平安建设工作纪实_法治山东网</title></head><body>
<div class="middle"><div class="article"><h1>临港区深化平安建设工作纪实</h1>
<div>{''.join(f'<p>{text}</p>' for text in PARAGRAPHS)}</div></div>
<div class="magazine"><h3>杂志</h3>{TEASERS.split("</div>")[0]}</div></div>
<ul class="nav">{NAV}</ul></body></html>"""
    assert extract(page.encode())["body"] == "\n".join(PARAGRAPHS)


def test_a_column_of_teasers_beside_a_short_article_counts_as_links():
    """Each teaser box (a linked headline over its summary) is punctuated prose: six of them
    outweigh a two-paragraph article, and without this their common parent, the page, won."""
    teasers = "".join(f"<div class='item'><h4><a href='/s/{i}.html'>某地开展第{i}次反诈宣传活动</a></h4>"
                      f"<p>近日，某地公安机关深入社区、学校、企业，开展形式多样的反诈宣传活动，发放宣传资料{i}00余份，"
                      "现场解答群众咨询，取得良好效果。</p></div>" for i in range(6))
    page = f"""<html><head><title>临港区深化平安建设工作纪实</title></head><body><ul class="nav">{NAV}</ul>
<div class="l"><h1>临港区深化平安建设工作纪实</h1><p>发布日期：2023-07-12</p>
<div class="c">{''.join(f'<p>{text}</p>' for text in PARAGRAPHS[:2])}</div></div>
<div class="r"><h3>图说政法</h3>{teasers}</div></body></html>"""
    assert extract(page.encode())["body"] == "\n".join(PARAGRAPHS[:2])


@pytest.mark.parametrize("box", [
    "<div class='item'><span class='tag'>社会</span><h4><a href='/s/{i}.html'>{title}</a></h4><p>{summary}</p></div>",
    "<div class='item i{i}'><h4><a href='/s/{i}.html'>{title}</a></h4><p>{summary}</p></div>",
])
def test_teasers_with_a_channel_label_first_or_a_class_of_their_own_are_teasers_too(box):
    """Templates put a channel's name before the headline, and number their boxes' classes."""
    teasers = "".join(box.format(i=i, title=f"某地开展第{i}次反诈宣传活动",
                                 summary=f"近日，某地公安机关深入社区、学校、企业，开展形式多样的反诈宣传活动，发放宣传资料{i}00余份，"
                                         "现场解答群众咨询，取得良好效果。") for i in range(6))
    page = f"""<html><head><title>临港区深化平安建设工作纪实</title></head><body><ul class="nav">{NAV}</ul>
<div class="l"><h1>临港区深化平安建设工作纪实</h1><p>发布日期：2023-07-12</p>
<div class="c">{''.join(f'<p>{text}</p>' for text in PARAGRAPHS[:2])}</div></div>
<div class="r">{teasers}</div></body></html>"""
    assert extract(page.encode())["body"] == "\n".join(PARAGRAPHS[:2])


def test_bars_of_the_layout_led_by_a_link_are_no_teasers():
    """A header bar with the site's menu and the day's date, a menu, a footer: short boxes led
    by a link, but without a summary's sentence; read as teasers, the date went with them."""
    bars = ("<div><a href='/'>首页</a> | <a href='/sz/'>时事</a> <span>2006年12月27日（京港台时间）</span></div>"
            "<div><a href='/reg'>注册</a> | <a href='/login'>登入</a></div>"
            "<div><a href='/about'>关于我们</a> 投稿中心 广告刊登</div>")
    page = f"""<html><head><title>临港区深化平安建设工作纪实</title></head><body>{bars}
<div class="post"><h2>临港区深化平安建设工作纪实</h2>{''.join(f'<p>{text}</p>' for text in PARAGRAPHS)}</div>
</body></html>"""
    assert extract(page.encode())["published_at"].startswith("2006-12-27")


def test_a_column_of_teaser_rows_in_a_layout_table_counts_as_links():
    rows = "".join(f"<tr><td><a href='/s/{i}.html'>某地开展第{i}次反诈宣传活动</a><br>"
                   f"近日，某地公安机关深入社区、学校，开展反诈宣传活动，发放资料{i}00余份，取得良好效果。</td></tr>"
                   for i in range(6))
    article = "<br><br>".join(PARAGRAPHS[:2])
    page = f"""<html><head><title>临港区深化平安建设工作纪实</title></head><body><ul class="nav">{NAV}</ul>
<table><tr><td><table><tr><td>临港区深化平安建设工作纪实</td></tr><tr><td>2023-07-12 来源：本站</td></tr>
<tr><td>{article}</td></tr></table></td><td><table>{rows}</table></td></tr></table></body></html>"""
    assert extract(page.encode())["body"] == "\n".join(PARAGRAPHS[:2])


def test_posts_between_linked_floor_headers_stay_prose():
    """A thread's floor headers (楼层 links) are like boxes led by a link; the posts between them
    are not teasers and still make the body."""
    floors = "".join(f"<div class='floor'><a href='#f{i}'>第{i}楼</a> 2005-08-2{i} 20:56</div>"
                     f"<div>{PARAGRAPHS[i % 3]}</div>" for i in range(4))
    page = f"""<html><head><title>临港区深化平安建设工作纪实</title></head><body><ul class="nav">{NAV}</ul>
<div class="thread">{floors}</div></body></html>"""
    assert PARAGRAPHS[0] in extract(page.encode())["body"]


POSTS = [
    ("昨天去金矿玩", "2005-03-21 01:20:44", "距墨尔本西北约110公里处，是当年发现第一块天然黄金的地方，"
     "现在是维多利亚州最受游客欢迎的观光城市。"),
    ("长发剪了，感觉很轻松", "2005-03-18 01:58:01", "头发留的很长很长了，每天总是花很多时间去梳头，"
     "以前总为一头美丽的长发而骄傲，但是时间久了，也觉得烦了，所以就想去剪了。" * 3),
    ("雪意，雪花，雪景", "2005-03-15 16:47:37", "也许今年澳洲的冬天，我再去雪山看看那美丽的树林，"
     "以及被雪埋盖的精致小房子，最后送你一首我经常爱唱的歌曲。" * 4),
]


def test_a_page_of_dated_posts_gives_the_first_post():
    posts = "".join(
        f"<div class='post'><div class='post-title'><span>{title}</span> <span>{day}</span></div>"
        f"<div class='post-body'>{text}</div><div>由海姑娘张贴</div></div>"
        for title, day, text in POSTS)
    page = f"<html><head><title>海姑娘的博客</title></head><body><div class='posts'>{posts}</div></body></html>"
    result = extract(page.encode())
    assert result["body"].split("\n")[-2:] == [POSTS[0][2], "由海姑娘张贴"]
    assert result["published_at"] == "2005-03-21T01:20:44+08:00"


def test_sections_that_open_with_a_dated_sentence_are_not_posts():
    sections = "".join(f"<div class='section'><p>{day}，{text}</p><p>{text}</p></div>"
                       for _, day, text in POSTS)
    page = f"<html><head><title>大事记</title></head><body><div class='text'>{sections}</div></body></html>"
    assert len(extract(page.encode())["body"].split("\n")) == 2 * len(POSTS)


def test_footer_notices_after_the_last_paragraph_are_cut():
    footer = ("<p>(內容由新浪北京提供。未經授權，不得轉載。)</p>"
              "<p>云南日报网 滇ICP备11000491号-1 All Rights Reserved</p><p>联系电话：0871-64166935</p>"
              "<p>股價資料：</p><p>19:02</p>")
    result = extract(article_page(body_extra=footer).encode(), URL)
    assert result["body"] == "\n".join(PARAGRAPHS)


def test_a_paragraph_that_mentions_copyright_late_in_a_sentence_stays():
    closing = "美国唱片工会表示：播客在使用其它音乐时，一定要获得版权所有者或制作人的许可，否则可能引发法律纠纷。"
    result = extract(article_page(body_extra=f"<p>{closing}</p>").encode(), URL)
    assert result["body"] == "\n".join([*PARAGRAPHS, closing])


def test_a_banner_before_the_headline_inside_the_container_is_dropped():
    page = f"""<html><head><title>临港区深化平安建设工作纪实_法治山东网</title></head><body>
<div class="content"><p>原创版权禁止商业转载 授权</p><p>订阅《手机报》，天下大事尽在掌握！</p>
<p>临港区深化平安建设工作纪实</p><p>2015-10-29 08:31:17 来源：法治山东网</p>
{''.join(f'<p>{text}</p>' for text in PARAGRAPHS)}</div></body></html>"""
    assert extract(page.encode())["body"] == "\n".join(PARAGRAPHS)


def test_a_list_of_links_with_dates_beside_them_is_not_body():
    others = "".join(f"<li><a href='/a/{i}.html'>別等了！華碩否認變形金剛有3G版本之{i}</a>"
                     f"<cite>【北京新浪網】2012-01-17 21:{i:02d}</cite></li>" for i in range(5))
    page = (article_page().replace('<div id="text">', '<div class="wrap"><div id="text">')
            .replace('<div class="related">', f'<ul>{others}</ul></div><div class="related">'))
    assert extract(page.encode(), URL)["body"] == "\n".join(PARAGRAPHS)
