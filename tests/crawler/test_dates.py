from datetime import UTC, date, datetime

import pytest
import time_machine

from crawler.dates import date_from_url, iter_dates, parse_date

REFERENCE = datetime(2023, 5, 21, 12, 0)  # naive: read as Asia/Shanghai


@pytest.mark.parametrize("text, expected", [
    ("2023-01-19 08:47:00", "2023-01-19T08:47:00+08:00"),
    ("2023-01-19 08:47", "2023-01-19T08:47:00+08:00"),
    ("2023年1月19日 08:47", "2023-01-19T08:47:00+08:00"),
    ("2016年06月30日09时30分", "2016-06-30T09:30:00+08:00"),
    ("2016年6月30日 9时30分15秒", "2016-06-30T09:30:15+08:00"),
    ("发布时间：2023-01-19 08:47:00", "2023-01-19T08:47:00+08:00"),
    ("发布日期：2021-07-03", "2021-07-03T00:00:00+08:00"),
    ("时间:2022-10-03 19:45:54  来源:武进新闻  作者:阳湖网", "2022-10-03T19:45:54+08:00"),
    ("时间：2015-10-29 08:31:17\xa0\xa0来源：法治山东网", "2015-10-29T08:31:17+08:00"),
    ("日期:2019/12/05", "2019-12-05T00:00:00+08:00"),
    ("【发布日期:2010-01-18 13:35:36】", "2010-01-18T13:35:36+08:00"),
    ("【发布日期：2010-01-18】【字号：大 中 小】", "2010-01-18T00:00:00+08:00"),
    ("时间:2022-08-15作者:警安在线 阅读:189377", "2022-08-15T00:00:00+08:00"),
    ("2011-12-09 18:51国际在线论坛我要评论", "2011-12-09T18:51:00+08:00"),
    ("2012/01/16 10:43:00 来源：投资者报", "2012-01-16T10:43:00+08:00"),
    ("2012.01.05", "2012-01-05T00:00:00+08:00"),
    ("２０２３年０１月１９日　０８：４７", "2023-01-19T08:47:00+08:00"),
    ("发布时间：２０２２－１１－０２", "2022-11-02T00:00:00+08:00"),
    ("2012年01月05日 下午3:20", "2012-01-05T15:20:00+08:00"),
    ("2012年01月05日 上午10:20", "2012-01-05T10:20:00+08:00"),
    # Year last, US order, as ASP.NET prints it; a first number above 12 is the day.
    ("发布日期： 9/17/2004 5:54:13 AM", "2004-09-17T05:54:13+08:00"),
    ("7/5/2005 9:23:57 PM", "2005-07-05T21:23:57+08:00"),
    ("7/5/2005 12:10:00 AM", "2005-07-05T00:10:00+08:00"),
    ("25/12/2010", "2010-12-25T00:00:00+08:00"),
    ("2012年01月05日 晚上8点05分", "2012-01-05T20:05:00+08:00"),
    ("2020年11月18日上午11点30分", "2020-11-18T11:30:00+08:00"),
    ("本贴由大卫于2005年8月12日16:12:21在〖心灵体操〗发表", "2005-08-12T16:12:21+08:00"),
    ("2004-7-16 08:19", "2004-07-16T08:19:00+08:00"),
    ("2005-04-05 06:40更新 来源：转载文章", "2005-04-05T06:40:00+08:00"),
    ("稿件日期：20230119", "2023-01-19T00:00:00+08:00"),
    ("2023-01-19T08:47:00+08:00", "2023-01-19T08:47:00+08:00"),
    ("2023-01-19T00:47:00Z", "2023-01-19T08:47:00+08:00"),
    ("2023-01-18T20:47:00-04:00", "2023-01-19T08:47:00+08:00"),
    ("發佈時間：2011年12月30日 14:05", "2011-12-30T14:05:00+08:00"),
    ("(2016年06月30日)", "2016-06-30T00:00:00+08:00"),
    ("1995-01-01", "1995-01-01T00:00:00+08:00"),
    # Official documents date themselves in Chinese numerals.
    ("二〇二三年一月二日", "2023-01-02T00:00:00+08:00"),
    ("某某县人民政府 二○二二年十二月三十一日", "2022-12-31T00:00:00+08:00"),
    ("二O二二年十月二十日", "2022-10-20T00:00:00+08:00"),
])
def test_absolute_dates(text, expected):
    assert parse_date(text, reference=REFERENCE) == expected


@pytest.mark.parametrize("text", ["", "没有日期", "阅读:189377", "2023-13-45", "2月30日",
                                  "电话：021-52921234", "第2023期",
                                  "二〇二三年二月三十日", "二〇二三年十一月"])
def test_no_date(text):
    assert parse_date(text, reference=REFERENCE) is None


def test_first_date_wins():
    assert parse_date("更新 2021-03-04，原文 2020-01-02", reference=REFERENCE) == "2021-03-04T00:00:00+08:00"


class TestYearless:
    def test_takes_reference_year(self):
        assert parse_date("5月20日", reference=REFERENCE) == "2023-05-20T00:00:00+08:00"

    def test_with_time(self):
        assert parse_date("5月20日 18:10", reference=REFERENCE) == "2023-05-20T18:10:00+08:00"

    def test_takes_year_from_url(self):
        url = "https://app.wjyanghu.com/yhw/hotspot/wjxw/2021-05-20/118206.html"
        assert parse_date("5月20日", url=url, reference=REFERENCE) == "2021-05-20T00:00:00+08:00"

    def test_takes_year_from_a_nearby_date_when_the_url_has_none(self):
        near = date(2021, 5, 22)
        assert parse_date("5月20日", near=near, reference=REFERENCE) == "2021-05-20T00:00:00+08:00"
        assert parse_date("12月30日", near=date(2021, 1, 2), reference=REFERENCE) == "2020-12-30T00:00:00+08:00"
        url = "https://app.wjyanghu.com/yhw/hotspot/wjxw/2019-05-20/118206.html"
        assert parse_date("5月20日", url=url, near=near, reference=REFERENCE) == "2019-05-20T00:00:00+08:00"

    def test_later_month_than_reference_is_last_year(self):
        assert parse_date("12月30日", reference=REFERENCE) == "2022-12-30T00:00:00+08:00"

    def test_dashed_month_day_needs_a_time(self):
        assert parse_date("05-20 10:20", reference=REFERENCE) == "2023-05-20T10:20:00+08:00"
        assert parse_date("05-20", reference=REFERENCE) is None

    def test_dashed_month_day_after_a_date_label_needs_no_time(self):
        assert parse_date("发布时间：05-20", reference=REFERENCE) == "2023-05-20T00:00:00+08:00"
        assert parse_date("办理时间：3-5个工作日", reference=REFERENCE) is None

    def test_not_taken_from_a_full_date(self):
        assert parse_date("2019年5月20日", reference=REFERENCE) == "2019-05-20T00:00:00+08:00"


class TestRelative:
    @pytest.mark.parametrize("text, expected", [
        ("3小时前", "2023-05-21T09:00:00+08:00"),
        ("2分钟前", "2023-05-21T11:58:00+08:00"),
        ("2分鐘前", "2023-05-21T11:58:00+08:00"),
        ("30秒前", "2023-05-21T11:59:30+08:00"),
        ("3天前", "2023-05-18T12:00:00+08:00"),
        ("刚刚", "2023-05-21T12:00:00+08:00"),
        ("昨天 10:20", "2023-05-20T10:20:00+08:00"),
        ("前天 08:05", "2023-05-19T08:05:00+08:00"),
        ("今天 09:30", "2023-05-21T09:30:00+08:00"),
    ])
    def test_relative_to_reference(self, text, expected):
        assert parse_date(text, reference=REFERENCE) == expected

    def test_crosses_midnight(self):
        assert parse_date("3小时前", reference=datetime(2023, 5, 21, 1, 0)) == "2023-05-20T22:00:00+08:00"

    def test_aware_reference_is_converted(self):
        reference = datetime(2023, 5, 21, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai
        assert parse_date("刚刚", reference=reference) == "2023-05-21T12:00:00+08:00"

    def test_default_reference_is_the_clock(self):
        with time_machine.travel(datetime(2023, 5, 21, 4, 0, tzinfo=UTC), tick=False):  # 12:00 there
            assert parse_date("昨天 10:20") == "2023-05-20T10:20:00+08:00"
            assert parse_date("3小时前") == "2023-05-21T09:00:00+08:00"
            assert parse_date("2023-05-23 08:00") is None  # the future of that day


class TestRejected:
    def test_future(self):
        assert parse_date("2023-05-23 08:00", reference=REFERENCE) is None

    def test_within_a_day_of_reference_is_kept(self):
        assert parse_date("2023-05-22 08:00", reference=REFERENCE) == "2023-05-22T08:00:00+08:00"

    def test_before_1995(self):
        assert parse_date("1994-12-31 23:59", reference=REFERENCE) is None

    def test_implausible_first_date_is_not_replaced_by_a_later_one(self):
        assert parse_date("2099-01-01 发布于 2023-01-01", reference=REFERENCE) is None


def test_iter_dates_skips_implausible_and_can_require_a_year():
    text = "2099-01-01 昨天 10:20 2022-02-03"
    found = [moment.date().isoformat() for moment in iter_dates(text, reference=REFERENCE)]
    assert found == ["2023-05-20", "2022-02-03"]
    with_year = [moment.date().isoformat()
                 for moment in iter_dates(text, reference=REFERENCE, yearless=False)]
    assert with_year == ["2022-02-03"]


@pytest.mark.parametrize("url, expected", [
    ("https://app.wjyanghu.com/yhw/hotspot/wjxw/2022-10-03/118206.html", date(2022, 10, 3)),
    ("http://www.jszf.gov.cn/zyyg/jscawq_1/wuxi/202301/t20230119_3533419.shtml", date(2023, 1, 19)),
    ("http://www.fzsdzk.com/guonei/fazhi/zhengfazonghe/2015-10-29/28793.html", date(2015, 10, 29)),
    ("http://news.example.cn/2023/0119/c1001-3.html", date(2023, 1, 19)),
    ("http://www.example.gov.cn/art/2023/1/9/art_123_456.html", date(2023, 1, 9)),
    ("http://www.chinapeace.gov.cn/chinapeace/c100007/2023-01/19/content_12345.shtml", date(2023, 1, 19)),
    ("http://business.sohu.com/20040716/n221031086.shtml", date(2004, 7, 16)),
    ("http://www.example.cn/news/202301/abc.html", date(2023, 1, 1)),
    ("http://bynews.bjmu.edu.cn/200502/article/2005-07/4651.htm", date(2005, 2, 1)),
])
def test_date_from_url(url, expected):
    assert date_from_url(url) == expected


@pytest.mark.parametrize("url", [
    "http://www.zt.net.cn/index.php?m=content&c=index&a=show&catid=38&id=1235",
    "http://example.cn/2099-01-01/1.html",
    "http://example.cn/1990-01-01/1.html",
    "http://example.cn/news/12345678901.html",
    "",
])
def test_no_date_in_url(url):
    assert date_from_url(url) is None
