"""The extractor's general rules for furniture met on unseen pages, each on a small page written for it."""

from crawler.extraction import extract

PARAGRAPHS = [
    "今年以来，临港区在深入推进平安建设中，从“小案”中积累“大平安”，以“天网”护航群众安全，"
    "用“警灯闪烁”赢得人心，不仅有效地提升了人民群众的安全感，也提升了满意度。",
    "组建多元群防群治队伍、警种联合制定科学的商圈巡防路线，使用智慧科技手段延伸防控触角，"
    "见缝插针式做好安全防范宣传。",
    "去年以来，江阴公安准确把握形势、前移警务阵地，不断做强警种主战职能，积极履行好街面巡逻防控责任。",
]
BODY = "\n".join(PARAGRAPHS)
TITLE = "临港区深化平安建设工作纪实"
NAV = "".join(f'<li><a href="/c{i}/">栏目{i}</a></li>' for i in range(12))


def page(article: str, *, head: str = "", after: str = "", before: str = "") -> bytes:
    return f"""<html><head><meta charset="utf-8"><title>{TITLE}_法治山东网</title>{head}</head><body>
<ul class="nav">{NAV}</ul>{before}<div class="main"><h1>{TITLE}</h1>
<div class="info">2015-10-29 08:31 来源：法治山东网</div>{article}{after}</div>
<div class="footer">版权所有：法治山东网</div></body></html>""".encode()


def paragraphs(extra: str = "") -> str:
    return "<div class='text'>" + "".join(f"<p>{text}</p>" for text in PARAGRAPHS) + extra + "</div>"


def test_text_hidden_by_a_class_rule_in_a_style_element_is_left_out():
    article = paragraphs().replace("</p>", "<span class='a7x'>x7Q法治山东网</span></p>", 1)
    result = extract(page(article, head="<style>.a7x { display: none }</style>"))
    assert result["body"] == BODY


def test_a_poll_after_the_article_is_left_out():
    poll = ("<form action='/vote'><p>您认为本地治安状况如何？</p>"
            "<p><input type='radio' name='v'>很好 <input type='radio' name='v'>一般，还需加强</p>"
            "<p><input type='checkbox' name='w'>巡逻，防控，宣传</p><input type='submit' value='投票'></form>")
    assert extract(page(paragraphs(poll)))["body"] == BODY


def test_a_comment_form_with_its_posting_rules_is_left_out():
    form = ("<form action='/comment'><p>发表评论：</p><textarea name='c'></textarea>"
            "<p>请遵守互联网相关政策法规，文明发言，严禁发布色情、暴力、反动的言论。</p>"
            "<p>用户名：<input name='u'> 密码：<input name='p'> 匿名发表</p></form>")
    assert extract(page(paragraphs(form)))["body"] == BODY


def test_an_article_wrapped_in_a_form_is_kept():
    """Some sites wrap the article with its "mail this article" box in one <form>."""
    article = ("<form action='/mail'>" + paragraphs() +
               "<p>推荐给好友：<input name='to'><textarea name='note'></textarea></p></form>")
    assert extract(page(article))["body"] == BODY


def test_an_article_inside_one_self_link_is_the_body():
    """Link density would call it navigation and choose the comment box beside it."""
    article = "<div class='text'><a href='/a/28793.html'>" + "".join(
        f"<p>{text}</p>" for text in PARAGRAPHS) + "</a></div>"
    comments = ("<div class='box'><p>网友留言：临港区的治安越来越好了，点赞，感谢民警的辛勤付出！</p>"
                "<p>以上留言仅代表网友个人观点，与本网立场无关。</p></div>")
    assert extract(page(article, after=comments))["body"] == BODY


def test_account_and_follow_prompts_are_left_out():
    prompts = ("<p>已有帐号？马上登录</p><p>关注我们的微信公众号，获取更多资讯</p>"
               "<p>下载法治山东客户端，随时随地看新闻</p>")
    assert extract(page(paragraphs(prompts)))["body"] == BODY


def test_app_and_official_account_reading_prompts_are_left_out():
    """What today's sites and their official-account reposts end with; in Traditional too,
    in Hong Kong's form (閲) as well as OpenCC's (閱)."""
    prompts = ("<p>打开APP，阅读更多精彩内容</p><p>点击下方“阅读原文”了解更多</p><p>喜欢就点个赞吧</p>"
               "<p>打開APP，閲讀更多精彩內容</p>")
    assert extract(page(paragraphs(prompts)))["body"] == BODY


def test_reaction_widgets_and_placeholder_counters_are_left_out():
    widgets = "<p>这篇新闻让您觉得？</p><p>感动 愤怒 搞笑 难过</p><p>已有_COUNT_位用户评论</p>"
    assert extract(page(paragraphs(widgets)))["body"] == BODY


def test_an_appended_comment_thread_ends_the_article():
    thread = ("<p>老张 对《临港区深化平安建设工作纪实》的评论：</p>"
              "<p>写得很好，我们小区的巡逻确实多了，晚上出门也放心了，希望继续坚持下去。</p>"
              "<p>小李 对《临港区深化平安建设工作纪实》的评论：</p>"
              "<p>派出所的民警很负责，上次丢了电动车，三天就找回来了，真心感谢。</p>")
    assert extract(page(paragraphs(thread)))["body"] == BODY


def test_a_legal_notice_in_full_sentences_ends_the_article():
    notice = ("<p>免责声明：本网转载的文章，仅代表作者个人观点，与本网无关。其原创性以及文中陈述文字和内容"
              "未经本站证实，对本文以及其中全部或者部分内容、文字的真实性、完整性、及时性本站不作任何保证或承诺。</p>"
              "<p>如因作品内容、版权和其它问题需要同本网联系的，请在发表之日起30日内进行。</p>")
    assert extract(page(paragraphs(notice)))["body"] == BODY


def test_a_related_box_whose_items_carry_dates_and_commas_is_left_out():
    items = "".join(f"<p><a href='/a/{i}.html'>江阴：共巡守澄，让城市更美好之{i}</a> (2015-10-2{i} 08:3{i})</p>"
                    for i in range(4))
    related = f"<p>相关新闻</p>{items}"
    assert extract(page(paragraphs(related)))["body"] == BODY


def test_the_info_line_is_read_below_the_headings_copy_of_the_headline():
    """The headline also sits in a nav bar, next to another date: the heading's line is the dateline."""
    before = f"<div class='crumb'><p>{TITLE}</p><p>2009-01-01 热门</p></div>"
    result = extract(page(paragraphs(), before=before))
    assert result["published_at"] == "2015-10-29T08:31:00+08:00"


def test_an_info_line_long_with_its_labels_is_still_read_for_the_source():
    """A government template's info line (date, source, counter, font and print controls)
    has as many colons as a sentence has commas: it is not the body's first paragraph."""
    info = ("<div class='info'>发布时间：2024-05-06 10:20 来源：临港区公安分局 浏览次数：<span>123</span>"
            " 【字体：<a>大</a> <a>中</a> <a>小</a>】 【<a>打印</a>】</div>")
    html = (f"<html><head><title>{TITLE}</title></head><body><div class='nav'>{NAV}</div>"
            f"<h1>{TITLE}</h1>{info}<div class='content'>{paragraphs()}<div class='pages'>"
            "<p>上一篇：<a href='/a/0.html'>临港区开展反诈宣传进社区活动</a></p>"
            "<p>下一篇：<a href='/a/2.html'>临港区公安分局召开党委会议</a></p></div></div>"
            "<div class='footer'>版权所有：临港区公安分局</div></body></html>")
    result = extract(html.encode())
    assert (result["source"], result["published_at"]) == ("临港区公安分局", "2024-05-06T10:20:00+08:00")
    assert result["body"] == BODY


def test_a_disclosure_pages_metadata_table_that_names_the_title_goes_with_the_header():
    """An information-disclosure page (信息公开) sets a table of index number, issuer and
    title above the heading: the heading's copy of the headline ends the header, not the
    table's."""
    table = ("<table class='meta'><tr><td>索引号：</td><td>113200000140/2024-00123</td><td>分类：</td>"
             f"<td>公安</td></tr><tr><td>名称：</td><td>{TITLE}</td></tr>"
             "<tr><td>文号：</td><td></td><td>主题词：</td><td></td></tr></table>")
    html = (f"<html><head><title>{TITLE}</title></head><body><ul>{NAV}</ul><div class='main'>{table}"
            f"<h1>{TITLE}</h1>{paragraphs()}</div></body></html>")
    assert extract(html.encode())["body"] == BODY


def test_a_date_in_a_sentence_of_the_story_is_not_the_dateline():
    story = ("<div class='text'><p>2011年12月8日，临港区公安分局接到群众报警称，一辆电动车在小区内被盗，"
             "民警随即展开调查，很快锁定了嫌疑人，追回了被盗车辆，受到群众好评。</p>"
             + "".join(f"<p>{text}</p>" for text in PARAGRAPHS) + "</div>")
    html = f"""<html><head><title>{TITLE}</title></head><body><h1>{TITLE}</h1>{story}
<p>（2011-12-20 发布）</p></body></html>"""
    assert extract(html.encode())["published_at"] == "2011-12-20T00:00:00+08:00"


def titled(title: str, body: str = "", head: str = "") -> str:
    html = (f"<html><head><title>{title}</title>{head}</head><body>{body}"
            + paragraphs() + "</body></html>")
    return extract(html.encode())["title"]


def test_a_site_suffix_joined_by_a_bare_hyphen_is_stripped_when_the_page_names_its_site():
    home = "<div class='logo'><a href='http://www.example.cn/'>电子技术设计</a></div>"
    assert titled("阿里发布最强AI芯片：性能领先同行-EXA 电子技术设计", home) == "阿里发布最强AI芯片：性能领先同行"


def test_a_site_suffix_named_by_the_reprint_notice_is_stripped():
    notice = "<p>本文为EXA电子技术设计原创文章，禁止转载。</p>"
    assert titled("江阴公安共巡守澄 - EXA电子技术设计", paragraphs(notice)) == "江阴公安共巡守澄"


def test_a_bar_inside_the_headline_is_kept_when_only_the_site_follows():
    assert titled("专访 | 江阴公安：共巡守澄让城市更美好_国内_法治山东网") == "专访 | 江阴公安：共巡守澄让城市更美好"


def test_a_meta_title_with_markup_in_it_is_read_without_the_tags():
    head = '<meta name="ArticleTitle" content="凝聚强大智慧和力量<div>——热烈祝贺会议开幕</div>">'
    assert titled("凝聚强大智慧和力量——热烈祝贺会议开幕_某市人民政府网", head=head) == (
        "凝聚强大智慧和力量——热烈祝贺会议开幕")


def test_a_broken_title_does_not_beat_the_one_h1():
    assert titled("无标题文档", f"<h1>{TITLE}</h1>") == TITLE
    assert titled("{$title}_法治山东网", f"<h1>{TITLE}</h1>") == TITLE


def test_a_closing_call_to_like_the_sites_page_is_cut_but_a_story_about_an_account_stays():
    closing = ("<p>本网现已开设Facebook专页，让你即时掌握本地新闻及天气、交通等生活资讯，"
               "快点到Facebook Like我们的专页！</p>")
    assert extract(page(paragraphs(closing)))["body"] == BODY
    story = ("<p>市公安局开通了“平安临港”微信公众号，市民关注后可在线办理户籍业务，查询交通违法记录，"
             "还能一键报警，受到广大群众欢迎。</p>")
    assert extract(page(paragraphs(story + "<p>" + PARAGRAPHS[0] + "</p>")))["body"].count("微信公众号") == 1


def test_a_mood_widget_and_a_marked_related_heading_are_left_out():
    tail = "<p>分享心情</p><p>&gt; 相关专题：</p><p><a href='/zt/1.html'>平安建设专题</a></p>"
    assert extract(page(paragraphs(tail)))["body"] == BODY


def test_credit_lines_at_the_bodys_edges_go_as_cleaning_takes_them_out():
    article = ("<div class='text'><p>记者 张三 通讯员 李四</p>" + "".join(f"<p>{text}</p>" for text in PARAGRAPHS)
               + "<p>来源：法治日报 编辑：王五</p></div>")
    result = extract(page(article))
    assert result["body"] == BODY
    assert result["editor"] == "王五"


def test_a_credit_closing_the_body_gives_the_author_the_info_line_does_not():
    article = paragraphs("<p>记者 刘洋</p>") + "<p>相关新闻</p><p>记者 赵六 报道的另一篇稿件</p>"
    result = extract(page(article))
    assert result["body"] == BODY and result["author"] == "刘洋"


def test_a_portal_naming_itself_the_author_in_its_meta_gives_no_author():
    head = "<meta name='author' content='法治山东'><meta name='copyright' content='法治山东版权所有'>"
    assert extract(page(paragraphs(), head=head))["author"] is None
    person = "<meta name='author' content='刘洋'><meta name='copyright' content='法治山东版权所有'>"
    assert extract(page(paragraphs(), head=person))["author"] == "刘洋"


def test_channel_and_site_joined_by_bare_hyphens_are_stripped_but_a_range_in_the_headline_stays():
    """A CMS joins ``headline-channel-site`` with bare hyphens; a part like ``2900万`` is the headline's."""
    assert titled("临港区净利1900万-2900万-财经频道-法治山东网") == "临港区净利1900万-2900万"


def test_a_headline_set_on_two_lines_is_not_body():
    """Title and subtitle as two lines above the info line: neither equals the whole headline."""
    html = (f"<html><head><title>{TITLE}——平安建设纪实_法治山东网</title></head><body>"
            f"<div class='main'><p>{TITLE}</p><p>——平安建设纪实</p><p>发布日期：2015-10-29 08:31</p>"
            + paragraphs() + "</div></body></html>")
    assert extract(html.encode())["body"] == BODY


def blog_post(header: str) -> bytes:
    links = "".join(f"<li><a href='/c{i}/'>栏目{i}</a></li>" for i in range(8))
    return ("<html><head><title>海风的博客</title></head><body><h1>海风的博客</h1>"
            f"<ul>{links}</ul><div class='post'>" + header
            + "".join(f"<p>{text}</p>" for text in PARAGRAPHS) + "</div></body></html>").encode()


def test_a_blog_posts_own_title_and_time_are_not_body():
    """On a blog the page's headline is the blog's name; the post opens with its title and time."""
    assert extract(blog_post("<p>周末去海边走走 (图)</p><p>2005-03-21 01:20:44</p>"))["body"] == BODY


def test_a_reposted_storys_title_subtitle_and_bylines_are_not_body():
    """A repost keeps its paper's header; the last credit line before the first full stop ends it."""
    header = ("<p>谁来为无序拆房“埋单”？</p><p>拆房屡出命案 管理形同虚设</p>"
              "<p>本报记者 王燕平 方云凤</p><p>2003-7-24 钱江晚报</p>")
    assert extract(blog_post(header))["body"] == BODY
    dated = blog_post(header).replace(
        b"</div></body>", "<p>- 作者： 海风 访问统计： 2005年08月30日, 星期二 13:22</p></div></body>".encode())
    assert extract(dated)["published_at"].startswith("2003-07-24"), "the header's date, not the blog's footer"


def test_a_legal_notice_heading_set_with_spaces_between_its_characters_ends_the_article():
    notice = ("<p>郑 重 声 明</p><p>1. 任何言论纯属作者个人观点，与本站无关；</p>"
              "<p>2. 任何转载或转贴都应注明真实作者和真实出处；</p>")
    assert extract(page(paragraphs(notice)))["body"] == BODY


def test_a_posts_trackback_and_read_count_are_left_out():
    footer = ("<p>(本文发表于首页批评与建议, 已被阅读178次)</p>"
              "<p>本文引用通告地址: http://blog.example.cn/trackback/1700</p>")
    assert extract(page(paragraphs(footer)))["body"] == BODY


def test_a_teaser_of_another_article_and_a_recommendation_box_are_left_out():
    """A summary cut short with a link to the rest, and a "本周…推荐" heading with its items."""
    tail = ("<p>新闻：</p><p>某县警方破获一起电信诈骗案，民警经过连续三个月的侦查，终于查明了……[全文]</p>"
            "<p>本周编辑推荐:</p><p><a href='/a/1.html'>平安建设</a></p><p>搜索商机</p>")
    assert extract(page(paragraphs(tail)))["body"] == BODY


def test_a_call_to_follow_a_web_address_goes_but_a_sentence_asking_to_follow_notices_stays():
    closing = "<p>（更多内容请继续关注 法治山东网 www.example.cn）</p>"
    assert extract(page(paragraphs(closing)))["body"] == BODY
    advice = "<p>铁路部门提醒，春节客流集中，建议旅客尽早出行，具体详情请关注相关车站公告或拨打客服热线咨询。</p>"
    assert extract(page(paragraphs(advice)))["body"].endswith("拨打客服热线咨询。")


def test_a_site_name_put_first_as_a_path_is_stripped():
    """Blogs title a post ``某某博客 » headline``; a column name before a bar is no site (``专访 | …``)."""
    assert titled("海风博客 » 江阴公安共巡守澄") == "江阴公安共巡守澄"
    assert titled("法治在线 » 专访 | 江阴公安共巡守澄_国内_法治山东网") == "专访 | 江阴公安共巡守澄"


def test_a_closing_credit_in_brackets_labelled_this_articles_source_goes():
    """"本文来源" is a source label like "来源", in cleaning and in the extractor alike."""
    result = extract(page(paragraphs("<p>(本文来源：法治日报)</p>")))
    assert result["body"] == BODY


def test_buttons_with_their_counts_and_a_feedback_dialog_after_the_article_are_left_out():
    tail = ("<p>阅读数(15878）</p><p>不感兴趣</p><p>广告软文</p><p>重复、旧闻</p><p>其他问题，我要吐槽</p>"
            "<p>感谢您的反馈，我们将会减少此类文章的推荐</p><p>推荐99</p><p>举报</p><p>+1</p>")
    assert extract(page(paragraphs(tail)))["body"] == BODY


def test_a_date_line_that_closes_the_body_goes_but_a_bare_date_signing_a_notice_stays():
    closing = "<p>A+</p><p>发布日期：2019-09-23 14:34:05 所属分类： 头条</p>"
    assert extract(page(paragraphs(closing)))["body"] == BODY
    signed = "<p>临港区人民政府</p><p>2022年1月27日</p>"
    assert extract(page(paragraphs(signed)))["body"].endswith("临港区人民政府\n2022年1月27日")


def test_a_related_reading_line_and_a_call_to_follow_a_section_are_left_out():
    tail = "<p>相关阅读：临港区平安建设再获表彰</p><p>相关资讯请关注:平安建设专区</p>"
    assert extract(page(paragraphs(tail)))["body"] == BODY


def test_an_official_accounts_prompts_around_a_reposted_article_are_left_out():
    """Articles reposted from an official account bring its prompts (在看, 回复【…】, 扫码)."""
    prompts = ("<p>回复【垃圾分类】查看投放指南</p><p>点击菜单栏【便民服务】解锁更多服务！</p>"
               "<p>看都看完了，点【在看】试试</p><p>扫描下方二维码解锁更多技能</p><p>正文已结束，您可以按alt+4进行评论</p>")
    assert extract(page("<p>关注</p>" + paragraphs(prompts)))["body"] == BODY


def test_the_articles_own_summary_in_a_box_above_the_text_is_body():
    """CMSs set "摘要：" or "核心提示：" in a box of its own between the headline and the text."""
    summary = "<div class='summary'><b>核心提示：</b>临港区从“小案”中积累“大平安”，群众安全感、满意度双提升。</div>"
    html = (f"<html><head><title>{TITLE}_法治山东网</title></head><body><div class='head'><h1>{TITLE}</h1>"
            f"<div class='info'>2015-10-29 08:31</div></div>{summary}<div class='column'>{paragraphs()}"
            f"<ul>{NAV * 3}</ul></div></body></html>")
    assert extract(html.encode())["body"] == (
        "核心提示：临港区从“小案”中积累“大平安”，群众安全感、满意度双提升。\n" + BODY)


def test_a_site_name_put_first_without_a_known_ending_yields_to_the_part_the_page_shows():
    """``某某预测--headline``: the page shows its headline as a text of its own (a styled div,
    no heading), and its name only in links and its logo; without such a text the first part
    stays the title, as on most sites, which put the headline first."""
    logo = "<a href='/zl/'>平安临港观察</a>"
    shown = f"{logo}<div class='title-text'>{TITLE}</div>" + paragraphs()
    assert titled(f"平安临港观察--{TITLE}", shown) == TITLE
    assert titled(f"平安临港观察--{TITLE}", logo + paragraphs()) == "平安临港观察"
    assert titled(f"{TITLE}--平安临港观察", f"<div>平安临港观察</div><div>{TITLE}</div>") == TITLE


def test_a_channel_after_the_headline_with_only_a_space_goes_when_the_page_shows_the_headline_alone():
    """``headline 临港区公安分局_法治山东网``: the page shows the headline as a text of its own, and
    the title goes on past it with a space; a headline set on two lines keeps its second."""
    shown = f"<div class='tit'>{TITLE}</div><div>2015-10-29</div>" + paragraphs()
    assert titled(f"{TITLE} 临港区公安分局_法治山东网", shown) == TITLE
    two_lines = "<div class='tit'>临港区深化平安建设<br>工作纪实</div>" + paragraphs()
    assert titled("临港区深化平安建设 工作纪实_法治山东网", two_lines) == "临港区深化平安建设 工作纪实"


def test_a_keyword_list_joined_to_the_title_by_a_bare_hyphen_is_stripped():
    assert titled("临港区深化平安建设-平安建设,巡逻防控,智慧警务,临港区") == "临港区深化平安建设"


def test_a_title_that_names_only_the_site_yields_to_the_one_h1():
    assert titled("法治卫视-法治新闻", f"<h1>{TITLE}</h1>") == TITLE


def test_a_heading_that_the_title_carries_with_other_quotes_is_the_headline_as_shown():
    """Templates write the <title> copy with straight quotes and narrow colons."""
    assert titled('"平安夜巡"守护万家灯火_法治山东网', "<h1>“平安夜巡”守护万家灯火</h1>") == "“平安夜巡”守护万家灯火"


def test_a_logo_heading_that_the_site_title_names_is_no_headline():
    """Every page's <title> names the site, so its logo in an <h1> matched it and won."""
    logo = "<h1 class='logo'><a href='/'>平安临港</a></h1>"
    assert titled("平安临港 - 临港区公安局官方网站", f"{logo}<h1>{TITLE}</h1>") == TITLE


def test_the_sites_masthead_credits_after_the_article_are_cut():
    """Government sites' footers name who runs the site, and offer a takedown in a sentence."""
    footer = ("<div class='bottom'><p>网站主办：临港区委政法委员会 承办：临港区委政法委宣传处</p>"
              "<p>本网站部分内容来源于网络，如有侵权请联系我们删除。</p>"
              "<p>技术支持：某某网络科技有限公司</p></div>")
    assert extract(page(paragraphs(footer)))["body"] == BODY


def test_a_header_template_included_with_its_own_end_tags_does_not_end_the_page():
    """The parser drops whatever follows </html>; an included header brings one mid-page."""
    html = page(paragraphs(), before="<div class='header'>法治山东网</div></body></html><!--end header-->")
    assert extract(html)["body"] == BODY


def test_a_grid_of_other_articles_titles_closing_the_body_is_cut_but_a_short_run_stays():
    """Titles without their links (the links sit on pictures) look like short paragraphs."""
    grid = "".join(f"<p>{title}</p>" for title in (
        "留学生机场遇险记", "女市长撑起家族企业?", "特型演员稀缺怎么办", "色贪官十大致命软肋", "老街坊的新年愿望",
        "春运首日见闻录"))
    assert extract(page(paragraphs(grid)))["body"] == BODY
    signature = "<p>临港区公安分局</p><p>临港区综治办</p><p>二〇一五年十月</p>"
    assert extract(page(paragraphs(signature)))["body"].endswith("临港区综治办\n二〇一五年十月")


def test_a_box_inside_the_body_goes_with_its_vertical_label_bullets_and_label():
    """A box of other stories between paragraphs: its links go as link text, which left its
    label set one character a line (今<br>日<br>推<br>荐), its items' bullets in cells of
    their own, and a label whose links were all it had (今日焦点：)."""
    links = "".join(f"<tr><td>·</td><td><a href='/a{i}.html'>临港区又一批民警获表彰{i}</a></td></tr>"
                    for i in range(4))
    vertical = "<table><tr><td><b>今<br>日<br>推<br>荐</b></td><td>" + links.replace("tr>", "p>") + "</td></tr></table>"
    focus = f"<p>今日焦点：</p><table>{links}</table>"
    article = ("<div class='text'>" + f"<p>{PARAGRAPHS[0]}</p>" + vertical + f"<p>{PARAGRAPHS[1]}</p>" + focus
               + f"<p>{PARAGRAPHS[2]}</p></div>")
    assert extract(page(article))["body"] == BODY


def test_lines_of_one_character_each_stay_apart_below_three_and_a_labelled_value_stays():
    inside = "<p>是</p><p>否</p><p>咨询电话：</p><p>0510-86861234</p>"
    article = paragraphs().replace("</p>", "</p>" + inside, 1)
    lines = extract(page(article))["body"].splitlines()
    assert lines[1:5] == ["是", "否", "咨询电话：", "0510-86861234"]


def test_a_list_the_article_announces_and_a_quoted_reply_stay():
    names = "".join(f"<p>{name}</p>" for name in (
        "张建国（市公安局刑警支队）", "李卫东（临港派出所）", "王海燕（交警大队）", "赵志刚（巡特警支队）",
        "陈晓明（网安支队）"))
    announced = "<p>获得表彰的民警名单：</p>" + names
    assert extract(page(paragraphs(announced)))["body"].endswith("陈晓明（网安支队）")
    reply = "<p>民警回复“马上到”</p>"
    assert "民警回复“马上到”" in extract(page(paragraphs(reply)))["body"]


def test_captions_that_repeat_a_pictures_alt_or_label_several_pictures_alike_are_left_out():
    """Such a caption is the picture's label; a caption that says something once stays."""
    pictures = ("<p><img src='/1.jpg' alt='巡逻现场'></p><p>巡逻现场</p>"
                "<p><img src='/2.jpg'></p><p>临港区公安分局供图</p>"
                "<p><img src='/3.jpg'></p><p>临港区公安分局供图</p>")
    assert extract(page(paragraphs(pictures)))["body"] == BODY
    told = "<p><img src='/4.jpg'></p><p>民警在商圈巡逻，提醒商户做好防盗。</p>"
    assert extract(page(paragraphs(told)))["body"] == BODY + "\n民警在商圈巡逻，提醒商户做好防盗。"


def test_a_heading_listed_in_the_articles_contents_stays_though_a_picture_precedes_it():
    contents = "<p>本文目录</p><p>巡逻防控在前</p><p>科技支撑在后</p>"
    sections = ("<p>巡逻防控在前</p><p>" + PARAGRAPHS[0] + "</p><p><img src='/1.jpg'></p>"
                "<p>科技支撑在后</p><p>" + PARAGRAPHS[1] + "</p>")
    body = extract(page("<div class='text'>" + contents + sections + "</div>"))["body"]
    assert body.split("\n").count("科技支撑在后") == 2


def test_a_government_sites_accessibility_toolbar_and_read_counter_are_left_out():
    """Set as plain text, not links, they would pass for short lines of the article."""
    toolbar = "<p>无障碍 长者模式 简体 繁體</p>"
    counter = "<p>阅读次数：1234</p><p>编辑 刘洋 审核 李铭</p>"
    assert extract(page(toolbar + paragraphs(counter)))["body"] == BODY


def test_a_related_box_under_a_marked_heading_and_share_buttons_named_by_network_are_left_out():
    """Marks around the heading (※…》) hid it from the heading list; share buttons set as text
    pass for short lines."""
    share = "<p>新浪微博</p><p>腾讯空间</p><p>人人网</p>"
    related = ("<p>※相關新聞》</p><p><a href='/a/1.html'>江阴警方破获一起盗窃案</a></p>"
               "<p><a href='/a/2.html'>临港区开展平安宣传</a></p>")
    assert extract(page(paragraphs(share + related)))["body"] == BODY
    extended = "<p>延展阅读</p><p><a href='/a/3.html'>商圈巡防路线公布</a></p>"
    assert extract(page(paragraphs(extended)))["body"] == BODY


def test_a_date_printed_without_its_year_takes_the_year_of_the_pages_last_change():
    """Portals print this year's articles as 发布时间：10-08; today's year would be wrong for
    any page read a year later."""
    html = page(paragraphs(), head="<meta itemprop='dateUpdate' content='2019-10-08 12:00:57'>")
    html = html.replace("2015-10-29 08:31 来源".encode(), "发布时间：10-08 来源".encode())
    assert extract(html)["published_at"].startswith("2019-10-08")
    undated = html.replace("发布时间：10-08 来源".encode(), "来源".encode())
    assert extract(undated)["published_at"] == "2019-10-08T12:00:57+08:00"


def test_program_text_the_article_quotes_is_kept_to_its_end():
    """Code lines are short, stopless and full of braces: read as prose they passed for
    teaser titles, counters and template placeholders (an f-string's {x}), and a
    placeholder ended the article in the middle of a listing."""
    code = ("<pre><code>def greet(x):<br>    print(f'你好，{x}')<br>names = []<br>for name in names:<br>"
            "    greet(name)<br>print('结束')<br>}<br></code></pre>")
    article = paragraphs().replace("</p>", "</p>" + code, 1)
    listing = ["def greet(x):", "print(f'你好，{x}')", "names = []", "for name in names:",
               "greet(name)", "print('结束')", "}"]
    assert extract(page(article))["body"].splitlines() == PARAGRAPHS[:1] + listing + PARAGRAPHS[1:]
    assert extract(page(paragraphs(code)))["body"].splitlines() == PARAGRAPHS + listing


def test_the_sites_prompts_at_the_bodys_edges_go_even_when_long_but_stay_inside_the_story():
    """Above the first line and below the last sentence, a prompt of a sentence or two is
    still the site speaking (an app's offer, its new page on a network); inside the story a
    police report may tell readers to install an app."""
    offer = ("<p>新品第一时间免费试玩，还有众多达人分享生活经验，快来法治山东众测，体验最前沿的产品吧！"
             "下载客户端还能获得专享福利哦！</p>")
    pages = ("<p>除了微博外，法治山东网正式登陆Facebook专页，我们希望以此机会，天天为更多不同的朋友带来第一手政法新闻，"
             "务求令大家知得更多。</p><p>我们也开了Google plus page，如有account的你，也可follow 我们吧！</p>")
    advice = ("警方提醒，广大市民可下载国家反诈中心APP，接到自称公检法工作人员的陌生来电，切勿转账汇款，"
              "遇到可疑情况请及时拨打110报警。")
    text = "<div class='text'>" + offer + "".join(
        f"<p>{line}</p>" for line in [PARAGRAPHS[0], advice, *PARAGRAPHS[1:]]) + pages + "</div>"
    assert extract(page(text))["body"].splitlines() == [PARAGRAPHS[0], advice, *PARAGRAPHS[1:]]


def test_a_link_back_to_the_front_page_inside_the_last_paragraph_is_left_out():
    """Inside the last paragraph it is out of reach of every line rule; the cleaning stages
    drop it the same way."""
    back = "<a href='http://www.fzsd.cn/'><span>返回法治山东网首页&gt;&gt;</span></a>"
    article = paragraphs().replace("</p></div>", back + "</p></div>")
    assert extract(page(article))["body"] == BODY
    credit = "<p>作者：余毅菁<a href='http://www.fzsd.cn/'>返回法治山东网，查看更多</a></p>"
    assert extract(page(paragraphs(credit)))["body"] == BODY


def test_a_line_the_pages_encoding_lost_and_a_video_players_autoplay_label_are_left_out():
    """A publisher's page with its emoji turned into U+FFFD keeps lines of nothing but those;
    a portal's video player sets 自动播放 before the video's title."""
    article = paragraphs().replace("</p>", "</p><p>\ufffd\ufffd\ufffd\ufffd</p>", 1)
    before = "<div class='text'><p>自动播放 临港区平安建设纪实：视频</p>"
    assert extract(page(article.replace("<div class='text'>", before, 1)))["body"] == BODY
