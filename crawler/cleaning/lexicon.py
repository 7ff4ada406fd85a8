"""The furniture vocabulary of Chinese news pages, in one place for cleaning and extraction.

Every word list and pattern is written once, in Simplified; :func:`both_scripts` and
:func:`in_both_scripts` add the Traditional forms, so a rule fixed here holds for the crawl's
cleaning stages (:mod:`crawler.cleaning.boilerplate`, :mod:`crawler.cleaning.bylines`) and for
the generic extractor (:mod:`crawler.extraction`) alike, in either script.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from crawler.cleaning.script import traditional_forms


def all_forms(words: Iterable[str]) -> frozenset[str]:
    """The words as written, in Simplified, and their Traditional forms."""
    return frozenset(form for word in words for form in (word, *traditional_forms(word)))


def both_scripts(words: list[str]) -> str:
    """Regex alternation of words in both scripts, longest first."""
    return "|".join(sorted(map(re.escape, all_forms(words)), key=len, reverse=True))


_HAN_CHAR = re.compile("[\u4e00-\u9fff]")


def in_both_scripts(pattern: str) -> str:
    """A regex written in Simplified, made to match the same words in Traditional too: each
    Han character becomes a class of its forms (关 → [关關]), those of the whole pattern's
    conversion (注册 → 註冊) and its own, so the pattern stays one pattern, no slower to
    search (three whole copies of it made the extractor a third slower).

    A character class may still name a form no converter gives (讚 beside 贊): the only
    Traditional character written by hand here."""
    converted = [form for form in traditional_forms(pattern) if len(form) == len(pattern)]
    out, in_class, escaped = [], False, False
    for index, char in enumerate(pattern):
        if escaped or char == "\\":
            out.append(char)
            escaped = not escaped
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        forms = ""
        if _HAN_CHAR.match(char):
            forms = "".join(sorted(({form[index] for form in converted} | traditional_forms(char)) - {char}))
        out.append(char if not forms else char + forms if in_class else f"[{char}{forms}]")
    return "".join(out)


# Credits: the labels of an info line or trailer, and the role words before a name.
ROLE_WORDS = [
    "本报记者", "本网记者", "本台记者", "本刊记者", "特约记者", "见习记者", "实习记者", "首席记者",
    "融媒体记者", "摄影记者", "全媒体记者", "驻站记者", "记者", "特约通讯员", "通讯员", "实习生",
    "摄影", "摄像", "编译", "整理", "撰稿", "撰文", "图文", "文图", "采写", "报道",
]
SOURCE_LABELS = ["本文来源", "文章来源", "信息来源", "新闻来源", "稿件来源", "来源", "稿源", "出处", "转自", "转载自",
                 "供稿单位", "供稿"]
AUTHOR_LABELS = ["作者", "撰稿人", "文/图", "图/文", "文字", "图片", "文", "图", "摄", *ROLE_WORDS]
EDITOR_LABELS = ["责任编辑", "责编", "网络编辑", "值班编辑", "实习编辑", "见习编辑", "编辑", "审核", "审校", "校对",
                 "终审", "初审", "复审", "一审", "二审", "三审", "编审", "签发", "监制"]
DATE_LABELS = ["发布时间", "发表时间", "发布日期", "更新时间", "时间", "日期"]
IGNORED_LABELS = ["阅读次数", "阅读量", "阅读数", "阅读", "浏览次数", "浏览人次", "点击次数", "访问次数",
                  "浏览量", "浏览", "点击数", "点击量", "点击",
                  "访问统计", "访问量", "字号", "字体", "发布者", "发布人", "评论",
                  "关键字", "关键词", "标签"]
# What a template fills a credit with when it has none ("作者：未知"): no name.
NO_NAME_CREDITS = ["未知", "佚名", "不详", "匿名", "暂无", "无"]
# Any info-line label: what tells an info line from a sentence.
INFO_LABELS = [*SOURCE_LABELS, "作者", "记者", *EDITOR_LABELS, *DATE_LABELS, *IGNORED_LABELS, "发布"]

# Labels of an article's own summary, set above its body ("摘要：…", "核心提示：…").
SUMMARY_LABELS = ["内容摘要", "内容提要", "摘要", "提要", "核心提示", "导读", "导语"]
SUMMARY = re.compile(r"^[\s【\[]*(?:" + both_scripts(SUMMARY_LABELS) + r")\s*[】\]]?\s*[:：]")

# Headings of a box of other articles; what follows them is links, not the article.
RELATED_HEADINGS = [
    "相关阅读", "相关新闻", "推荐阅读", "相关文章", "相关链接", "延伸阅读", "相关推荐", "推荐资讯", "热点推荐",
    "热门推荐", "猜你喜欢", "更多阅读", "往期回顾", "往期精彩", "热点新闻", "热门文章", "相关报道", "更多精彩",
    "更多新闻", "相关评论", "相关专题", "热门点击", "点击排行", "精彩推荐", "今日推荐", "图片新闻", "热点排行",
    "延展阅读", "扩展阅读", "拓展阅读", "相关稿件", "大家都在看",
]
# The marks a heading of such a box may be set between (※相關新聞》, ■相关阅读).
_HEADING_MARKS = ">›»·•※■□▲△◆◇★☆●○▶►"
RELATED_HEADING = re.compile(
    rf"^[{_HEADING_MARKS}\s]*[【\[]?\s*(?:" + both_scripts(RELATED_HEADINGS)
    + r"|" + in_both_scripts(r"更多相关\S{0,4}|\S{0,8}推荐") + r")\s*[】\]]?\s*[:：>》]*\s*$")
# The same heading with one other article's title after it on its line ("相关阅读：…").
RELATED_LINE = re.compile(
    rf"^[{_HEADING_MARKS}\s]*[【\[]?\s*(?:" + both_scripts(RELATED_HEADINGS) + r")\s*[】\]]?\s*[:：》]")

# Widget labels: a line made only of these is a control bar (打印 关闭 字号 大 中 小).
CONTROL_WORDS = frozenset(
    "打印 打印本页 打印此页 打印本文 打印文章 关闭 关闭窗口 关闭本页 关闭页面 分享 分享到 收藏 加入收藏 收藏本页 "
    "返回顶部 返回首页 返回列表 返回 顶部 字号 字体 大 中 小 默认 来顶一下 顶一下 踩一下 发表评论 我要评论 纠错 "
    "我要纠错 复制链接 扫一扫 微信扫一扫 手机扫一扫 分享到微信 放大 缩小 朗读 下载 打印页面 视力保护色 举报 "
    "推荐 点赞 在看 关注 +关注 "
    # an article's pager (共3页: 上一页 1 2 3 下一页), its page numbers read apart
    "上一页 下一页 首页 尾页 末页 前一页 后一页 "
    # the accessibility and language toolbar of government sites
    "无障碍 无障碍浏览 无障碍阅读 长者模式 关怀模式 关怀版 适老模式 适老版 简体 繁体 简体版 繁体版 登录 注册 "
    # share buttons named by the network they post to
    "新浪微博 腾讯微博 腾讯空间 QQ空间 人人网 开心网 豆瓣网 微信好友 朋友圈 QQ好友 百度贴吧 "
    "A+ A-".split()
)
CONTROL_FORMS = all_forms(CONTROL_WORDS)
# A pager's page numbers and counts (3, 共3页, 第2页, 2/3), neutral in a line of controls.
PAGE_NUMBER = re.compile(in_both_scripts(r"^(?:\d{1,4}|[共第]\s*\d{1,4}\s*页|\d{1,4}/\d{1,4})$"))
# Openings of a control line that goes on with other text (分享到：微信 微博; 上一篇：…).
CONTROL_OPENINGS = ["分享到", "分享至", "打印", "关闭", "返回顶部", "返回首页", "收藏", "字号", "字体", "上一篇",
                    "下一篇", "上一页", "下一页", "点击排行", "我要评论", "发表评论", "扫一扫", "复制链接",
                    "推荐给朋友", "纠错", "告诉好友", "浏览字号", "自动播放"]
# A link back to the site's front page or the top, however the site names itself (返回腾讯网首页>>,
# 返回搜狐，查看更多).
BACK_LINK = re.compile(r"^\W*(?:" + both_scripts(["返回", "回到"]) + r")\S{0,8}?(?:"
                       + both_scripts(["首页", "顶部", "列表", "目录", "查看更多"]) + r")\W*$")
# A button with its count beside it (推荐99, 点赞 12).
COUNTED_CONTROLS = ["推荐", "点赞", "举报", "在看", "评论"]
CONTROL_OPENING = re.compile(
    r"^[\s【\[(（]*(?:" + both_scripts(CONTROL_OPENINGS) + r"|分享\s*[|｜]|分享(?:工具)?$"
    r"|(?:" + both_scripts(COUNTED_CONTROLS) + r")\s*\d*$"
    r"|【?[大中小]】?\s*[大中小])")

# Footer notices: copyright, ICP registration, reprint and licence terms, disclaimers.  Safe
# on any short line: a sentence of an article does not say these.
COPYRIGHT = re.compile(in_both_scripts(
    r"版权所有|©|\(c\)\s*\d{4}|copyright|all rights reserved|icp[备证]|公网安备|备案号|备案信息"
    r"|免责声明|未经.{0,12}(?:授权|许可|同意).{0,12}(?:转载|复制|使用|镜像)"),
    re.I,
)
# Looser notice wording (未经许可, 举报电话, 凡注明…), trusted only after the article's last
# sentence, where a police report's "未经许可擅自…" cannot be.
TAIL_NOTICE = re.compile(COPYRIGHT.pattern + "|" + in_both_scripts(
    r"ICP\S{0,3}[备证]|未经\S{0,12}(?:授权|许可|允许)|非经(?:允许|授权)|不得转载|禁止\S{0,4}转载"
    r"|转载\S{0,2}请\S{0,2}注明|凡\S{0,6}(?:注明|标注)|本网注明|举报电话|许可证编号|^.{0,8}声明\s*[:：]"
    # the site's masthead credits (网站主办：…, 技术支持：…) and its takedown offer (如有侵权请联系…)
    r"|^\S{0,4}(?:主办|承办|协办|技术支持|网站标识码|运行维护|运维)(?:单位)?\s*[:：]|如有侵权|若有侵权|侵权请?联系"),
    re.I)
# Legal notices written as whole paragraphs: a heading that names them opens a tail to drop.
LEGAL_NOTICES = ["免责声明", "版权声明", "反侵权公告", "侵权声明", "法律声明", "版权说明", "转载声明",
                 "特别声明", "郑重声明"]
LEGAL_NOTICE = re.compile(r"^[\s【\[(（]*(?:" + both_scripts(LEGAL_NOTICES) + r")")

# The site announcing its own page on a network: "正式登陆Facebook专页", "也开了Google plus page".
# Not an official account (公众号, 账号): police news reports bureaus opening those.
_SITE_PAGE = (r"(?:" + both_scripts(["登陆", "开设", "开通", "进驻", "开了"]) + r")\S{0,8}?"
              r"(?:facebook|twitter|google\s*(?:plus|\+)|instagram|youtube|微博)\s*\S{0,4}?"
              r"(?:" + both_scripts(["专页", "粉丝团", "粉丝页"]) + r"|page)")
# Prompts to log in, register, follow or download: the site speaking, never the article.
PROMPTS = re.compile(in_both_scripts(
    r"(?:已有|没有)(?:帐号|账号)|马上登录|立即登录|请先登录|登录后|免费注册|立即注册|注册新用户|忘记密码"
    r"|关注我们|扫码关注|扫描\S{0,4}二维码|长按二维码|长按识别|下载\S{0,6}(?:客户端|APP)"
    r"|打开\S{0,4}(?:客户端|APP)\S{0,4}(?:阅读|查看|观看)|点击\S{0,8}阅读原文|点个赞"
    r"|关注\S{0,8}(?:微信|公众号|微博|Facebook|脸书|粉丝页|专页)"
    r"|(?:facebook|脸书|twitter|微博|微信|LINE)\S{0,12}(?:专页|粉丝团).{0,80}(?:like|[赞讚]好|按[赞讚]|关注|追踪|加入)"
    r"|follow\s*(?:us|我们)|like us on|facebook\.com/|" + _SITE_PAGE +
    r"|请(?:继续)?关注\s*\S{0,12}\s*(?:www\.|https?://)|^(?:更多|相关)\S{0,6}请(?:继续)?关注"
    r"|点\S{0,2}[【「“\[]?在看|回复\s*【|点击菜单栏|正文已结束"), re.I)

# A blog post's own footer: its trackback address and its read and comment counts.
POST_FOOTER = re.compile(in_both_scripts(
    r"trackback|引用通告|已被(?:阅读|浏览)\s*\d+\s*次|(?:阅读|评论)(?:数|量)?\s*[(（]\d+[)）]"), re.I)
# A teaser of another article: a summary cut short with a link to the rest ("……[全文]").
TEASER = re.compile(in_both_scripts(r"(?:\.{2,}|…+)\s*[\[【(（]?\s*(?:阅读全文|全文|详细|详情)\s*[\]】)）]?$"
                                    r"|[\[【]\s*(?:全文|详细)\s*[\]】]$"))

# Widgets after the article: reactions, counters whose template was never filled in.
REACTIONS = re.compile(in_both_scripts(
    r"(?:这篇|本篇|此篇|本文)\S{0,4}(?:新闻|文章)?\S{0,4}(?:让|令)(?:您|你)(?:觉得|感到)"
    r"|(?:您|你)(?:看|读)(?:完|了)?\S{0,6}(?:心情|感受)|心情指数|表态一下|^(?:分享|发表|选择)(?:您的|你的)?心情$"
    r"|_[A-Z]{3,}_|\{\$?[A-Za-z_]+\}|\$\{[A-Za-z_]+\}|^不感兴趣$"))

# Headings after which nothing more of the article comes: comments, copyright statements.
COMMENT_HEADING = re.compile(in_both_scripts(
    r"^.{0,30}(?:已有\s*(?:\d+|_[A-Z]+_)\s*[件条个篇位人]\S{0,4}\s*(?:评论|回复|参与)"
    r"|\d+\s*[条个篇]\s*(?:评论|回复)|(?:网友|读者|最新|热门|精彩)评论|(?:网友|最新|热门)跟[帖贴]|评论列表|comments?\b"
    r"|版权\S{0,4}声明|免责声明\s*[:：]?$)"), re.I)
# A comment thread appended to the article: "网友 某某 对《…》的评论:", "某某 发表于 …".
COMMENT_OPENING = re.compile(in_both_scripts(
    r"^.{0,30}对\s*[《“\"]?.{1,60}[》”\"]?\s*(?:的评论|发表评论)\s*[:：]"
    r"|^.{0,20}网友\S{0,16}(?:评论|留言)\s*[:：]|^.{0,30}发表于\s*\d{4}"))

# Page titles: a <title> that is a template or a placeholder, never the headline ("无标题文档",
# "{$title}"), and the endings of a channel or site name a CMS appends to the headline
# ("_国内_某某网").
BROKEN_TITLES = ["无标题", "untitled", "新建网页", "新闻详情", "详细内容", "内容页", "正文", "文章页", "document"]
BROKEN_TITLE = re.compile(r"^(?:" + both_scripts(BROKEN_TITLES) + r")|[{}$]|^\W*$", re.I)
SITE_NAME_ENDINGS = ["网", "网站", "在线", "频道", "门户", "官网", "政府", "首页", "论坛", "博客", "新闻", "日报",
                     "晚报", "时报", "电视台", "卫视", "电台", "客户端"]
SITE_NAME = re.compile(r"(?:" + both_scripts(SITE_NAME_ENDINGS) + r")$|\.(?:com|cn|net|org)\b|^www\.", re.I)

# Breadcrumb openings ("当前位置：首页 > 国内 > 正文").
BREADCRUMB_WORDS = ["当前位置", "您的位置", "现在的位置", "所在位置"]
BREADCRUMB = re.compile(r"(?:" + both_scripts(BREADCRUMB_WORDS) + r")|位置\s*[:：]")
# A path from the front page however it is set ("首页 > 国内 > 正文", "首页 / 图片 / 正文"): a
# breadcrumb, whose items are channel names, never credits (图片 / 正文 is no photo credit).
HOME_PATH = re.compile(r"^\W*(?:" + both_scripts(["网站首页", "首页", "主页"]) + r")\s*[/>»›＞|｜]")

# Class or id words of page furniture: comments, share bars, footers, sidebars, related links.
FURNITURE_NAME = re.compile(
    r"(?:^|[\s_-])(?:comments?|cmt|reply|replies|discuss|pinglun|gentie|tie|footer|foot|copyright|"
    r"share|bdshare|jiathis|sidebar|side|aside|nav|navbar|menu|breadcrumbs?|crumbs?|position|"
    r"related|relate|recommend|tuijian|xgxw|hot|hotnews|rank|ranking|tags?|login|ads?|advert|"
    r"banner|guanggao|sponsor|widget|toolbar|tools?|pager|pagination|subscribe|qrcode|erweima|"
    r"vote|poll|survey|toupiao|mood|xinqing|digg)"
    r"(?=$|[\s_\d-])", re.I)
# Class or id of a control box (share, print, close, font size) that cleaning drops whole.
CONTROL_NAME = re.compile(r"share|jiathis|bdshare|^print$|^close$|^fontsize$|^font-size$", re.I)
