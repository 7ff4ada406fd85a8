import pytest

from crawler.cleaning.bylines import (
    is_byline_line,
    is_counter_line,
    is_date_line,
    is_editor_line,
    is_organisation,
    parse_byline,
)

CASES = [
    # (line, source, author, editor)
    ("来源：人民公安报", "人民公安报", None, None),
    ("来源:常州日报 胡越 巢剑峰", "常州日报", "胡越 巢剑峰", None),
    ("作者：特约记者 薄雪飞", None, "薄雪飞", None),
    ("记者 张三 通讯员 李四", None, "张三 李四", None),
    ("(责任编辑：王五)", None, None, "王五"),
    ("（责任编辑：王五）", None, None, "王五"),
    ("时间:2015-10-29 08:31:17  来源:法治山东网  作者:特约记者 薄雪飞", "法治山东网", "薄雪飞", None),
    ("时间：2022-10-03 19:45:54\xa0\xa0来源：武进新闻\xa0\xa0作者：阳湖网", "武进新闻", "阳湖网", None),
    ("時間:2022-10-03 19:45:54  來源:武進新聞  作者:陽湖網", "武進新聞", "陽湖網", None),
    ("本报记者：张三 李四", None, "张三 李四", None),
    ("文/张三 图/李四", None, "张三 李四", None),
    ("编辑：张三 审核：李四 校对：王五", None, None, "张三 李四 王五"),
    ("责编：刘洋", None, None, "刘洋"),
    ("来源：江苏法制报 记者 张三", "江苏法制报", "张三", None),
    ("通讯员 王二 本报记者 赵六", None, "王二 赵六", None),
    ("來源:人民公安報 記者 王小明", "人民公安報", "王小明", None),
    # Traditional labels as Taiwan and Hong Kong print them, not only as OpenCC's standard
    # writes them (審覈, 本臺記者).
    ("本台記者 陳明", None, "陳明", None),
    ("編輯：張三 審核：李四", None, None, "張三 李四"),
    ("新华社记者：张三", None, "张三", None),
    ("稿源：江阴市公安局", "江阴市公安局", None, None),
    ("文章来源：中国长安网  发布时间：2023-01-19", "中国长安网", None, None),
    ("来源: 法治日报 作者: 见习记者 陈明 通讯员 韩磊、周洁", "法治日报", "陈明 韩磊 周洁", None),
    # Closing credits set with spaces for colons, as many pages of today print them.
    ("编辑 刘洋 校对 李铭", None, None, "刘洋 李铭"),
    ("實習編輯 賈淼", None, None, "賈淼"),
    ("文字：张三 图片：李四 编辑：王五", None, "张三 李四", "王五"),
    # The keywords an info line lists after its source are no one's names.
    ("来源：燕赵晚报 关键词：住宅租赁;自有物业 作者： 2012-01-12", "燕赵晚报", None, None),
]


@pytest.mark.parametrize("line,source,author,editor", CASES)
def test_credits_are_split_and_roles_dropped(line, source, author, editor):
    byline = parse_byline(line)
    assert (byline.source, byline.author, byline.editor) == (source, author, editor)


def test_site_name_as_author_is_kept_as_author_and_fills_an_empty_source():
    byline = parse_byline("时间:2022-08-15作者:警安在线 阅读:189377")
    assert byline.author == "警安在线"
    assert byline.source == "警安在线"
    assert byline.date == "2022-08-15"


def test_organisation_author_does_not_displace_a_named_source():
    byline = parse_byline("来源：武进新闻 作者：阳湖网")
    assert (byline.source, byline.author) == ("武进新闻", "阳湖网")


@pytest.mark.parametrize("name,expected", [
    ("警安在线", True), ("阳湖网", True), ("人民公安报", True), ("江阴市公安局", True),
    ("薄雪飞", False), ("胡越", False), ("王五", False),
])
def test_organisations_are_told_from_people(name, expected):
    assert is_organisation(name) is expected


def test_prose_that_starts_with_a_role_word_is_not_a_byline():
    assert not is_byline_line("记者从市公安局获悉,今年以来全市刑事案件同比下降。")
    assert parse_byline("记者从市公安局获悉。").author is None
    assert not is_byline_line("来源于群众的力量是无穷的。")


def test_a_breadcrumb_is_no_byline_and_a_placeholder_is_no_name():
    """图片 / 正文 in a path from the front page is no photo credit; 作者：未知 names nobody."""
    assert parse_byline("首页 / 图片 / 正文") == parse_byline("")
    assert parse_byline("当前位置：首页 > 图片：专题") == parse_byline("")
    assert parse_byline("图片/新华社").source == "新华社"
    assert parse_byline("作者：未知 责任编辑：王五") == parse_byline("责任编辑：王五")
    assert parse_byline("作者：佚名").author is None and parse_byline("作者：李四").author == "李四"


def test_a_counter_after_the_source_names_nobody():
    assert parse_byline("来源: 第一财经日报 网友评论 0 条") == parse_byline("来源: 第一财经日报")
    assert parse_byline("来源：人民网 张三").author == "张三"


def test_where_the_source_filed_from_is_no_part_of_its_name():
    assert parse_byline("来源：京华时报(北京) 有0人参与").source == "京华时报"
    assert parse_byline("来源：（人民公安报）").source == "人民公安报"


def test_line_classifiers():
    assert is_byline_line("来源:人民公安报")
    assert is_editor_line("审核：李四")
    assert not is_editor_line("来源:人民公安报")
    assert is_date_line("【发布日期:2010-01-18 13:35:36】")
    assert not is_date_line("时间：2023年5月1日上午9时 地点：区公安分局")
    assert is_editor_line("编辑 刘洋 审核 李铭")
    assert not is_editor_line("编辑 刘洋说，这篇稿子要改")
    assert is_counter_line("访问统计: 297")
    assert is_counter_line("阅读次数：1234")
    assert not is_counter_line("阅读:《平安中国建设纲要》")
