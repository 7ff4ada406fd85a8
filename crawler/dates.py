"""Chinese publication dates to ISO 8601 in Asia/Shanghai time.

Generic date parsers misread the Chinese forms (``2016年06月30日09时30分``,
``4月20日 18:10``, ``3小时前``), so those are matched here by hand; ISO 8601 strings
with an offset, calendar checks and time zones are left to the standard library.
A date before 1995 or more than a day after the reference time is not a
publication date and is rejected.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from crawler import clock

SHANGHAI = ZoneInfo("Asia/Shanghai")
EARLIEST = date(1995, 1, 1)
FUTURE_SLACK = timedelta(days=1)

_TIME = (
    r"(?:\s*(?:T|\s)\s*|\s*)"
    r"(?P<ampm>上午|下午|晚上|晚间|凌晨|早上|中午|AM|PM|am|pm)?\s*"
    r"(?P<H>[01]?\d|2[0-3])\s*(?::|时|點|点)\s*(?P<M>[0-5]?\d)"
    r"(?:\s*(?::|分)\s*(?P<S>[0-5]?\d)?)?"
)
_ISO_WITH_OFFSET = re.compile(
    r"(?<!\d)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})")
_FULL = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*"
    r"(?P<d>\d{1,2})(?!\d)\s*[日号號]?" rf"(?:{_TIME})?")
# Year last, as ASP.NET pages print it in the US order: 7/5/2005 9:23:57 PM.  A first
# number above 12 can only be a day (day/month/year).
_YEAR_LAST = re.compile(
    r"(?<![\d/.-])(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>(?:19|20)\d{2})(?![\d/])"
    r"(?:\s+(?P<H>[01]?\d|2[0-3]):(?P<M>[0-5]\d)(?::(?P<S>[0-5]\d))?(?:\s*(?P<ampm>AM|PM|am|pm))?)?")
# Written in Chinese numerals, as official documents sign and date themselves:
# 二〇二四年一月二日, 二○二三年十二月三十一日.
_CHINESE_DIGIT = {char: value for value, chars in enumerate(
    ("〇○零OＯ", "一", "二", "三", "四", "五", "六", "七", "八", "九")) for char in chars}
_CHINESE_NUMERAL = r"[〇○零OＯ一二三四五六七八九]"
_CHINESE_FULL = re.compile(
    rf"(?P<y>{_CHINESE_NUMERAL}{{4}})\s*年\s*(?P<m>十[一二]?|[一二三四五六七八九])\s*月"
    r"\s*(?P<d>[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])\s*[日号號]")
_COMPACT = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)")
_MONTH_DAY = re.compile(
    r"(?<![\d年/.-])(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号號]" rf"(?:{_TIME})?")
_DASHED_MONTH_DAY_TIME = re.compile(
    r"(?<![\d/.-])(?P<m>[01]?\d)-(?P<d>[0-3]?\d)\s+" r"(?P<H>[01]?\d|2[0-3]):(?P<M>[0-5]\d)(?!\d)")
# A month and day alone after a date label (发布时间：10-08), as portals print this year's
# articles; without the label "10-08" may be a score or a range.
_LABELLED_MONTH_DAY = re.compile(
    r"(?:时间|時間|日期)\s*[:：]\s*(?P<m>[01]?\d)-(?P<d>[0-3]?\d)(?![\d:\-\u4e00-\u9fff])" rf"(?:{_TIME})?")
_RELATIVE = re.compile(
    r"(?P<now>刚刚|剛剛|刚才|剛才)"
    r"|(?P<n>\d+)\s*(?P<unit>秒|分钟|分鐘|分|小时|小時|个小时|個小時|天|日)\s*前"
    r"|(?P<day>今天|今日|昨天|昨日|前天)" rf"(?:{_TIME})?")
_DAYS_BACK = {"今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2}
_UNIT = {"秒": "seconds", "分钟": "minutes", "分鐘": "minutes", "分": "minutes",
         "小时": "hours", "小時": "hours", "个小时": "hours", "個小時": "hours",
         "天": "days", "日": "days"}
_PM = {"下午", "晚上", "晚间", "PM", "pm"}

_URL_PATTERNS = (
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)(?!\d)"),
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})-(?P<m>[01]\d)/(?P<d>[0-3]\d)(?=/)"),
    re.compile(r"(?<![\dA-Za-z])t?(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?=[_/.-]|$)"),
    re.compile(r"/(?P<y>(?:19|20)\d{2})/(?P<m>[01]\d)(?P<d>[0-3]\d)/"),
    re.compile(r"/(?P<y>(?:19|20)\d{2})/(?P<m>[01]?\d)/(?P<d>[0-3]?\d)/"),
    re.compile(r"/(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)/"),
    re.compile(r"/(?P<y>(?:19|20)\d{2})-(?P<m>[01]\d)/"),
    re.compile(r"/(?P<y>(?:19|20)\d{2})/(?P<m>[01]?\d)/"),
)


def now_in_shanghai() -> datetime:
    return clock.now(SHANGHAI)


def _as_shanghai(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=SHANGHAI)
    return moment.astimezone(SHANGHAI)


def _calendar_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _clock(match: re.Match) -> time:
    """The time of day a match gives; midnight when it gives none."""
    if not match.group("H"):
        return time()
    hour, minute = int(match.group("H")), int(match.group("M"))
    groups = match.groupdict()
    if groups.get("ampm") in _PM and hour < 12:
        hour += 12
    elif groups.get("ampm") in ("AM", "am") and hour == 12:
        hour = 0
    return time(hour, minute, int(groups.get("S") or 0))


def date_from_url(url: str) -> date | None:
    """The date an article URL carries (``/2022-10-03/``, ``t20230119_``, ``/202301/``...).

    A URL that gives only a month (``/202301/``) yields the first of that month:
    enough to supply the year of a year-less date.
    """
    path = re.sub(r"^[a-z]+://[^/]+", "", url or "", flags=re.I)
    for pattern in _URL_PATTERNS:
        for match in pattern.finditer(path):
            found = _calendar_date(int(match.group("y")), int(match.group("m")),
                                   int(match.groupdict().get("d") or 1))
            if found and EARLIEST <= found <= now_in_shanghai().date() + FUTURE_SLACK:
                return found
    return None


def _candidates(text: str, url: str | None, reference: datetime, yearless: bool = True,
                near: date | None = None) -> Iterator[tuple[int, datetime]]:
    """Every date-like match in ``text`` as ``(position, moment)``, unordered."""
    for match in _ISO_WITH_OFFSET.finditer(text):
        try:
            yield match.start(), datetime.fromisoformat(match.group().replace("Z", "+00:00"))
        except ValueError:
            continue
    for match in _FULL.finditer(text):
        day = _calendar_date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
        if day:
            yield match.start(), datetime.combine(day, _clock(match))
    for match in _YEAR_LAST.finditer(text):
        first, second = int(match.group("m")), int(match.group("d"))
        month, day_of_month = (second, first) if first > 12 else (first, second)
        found = _calendar_date(int(match.group("y")), month, day_of_month)
        if found:
            yield match.start(), datetime.combine(found, _clock(match))
    for match in _CHINESE_FULL.finditer(text):
        day = _calendar_date(*(_chinese_number(match.group(key)) for key in "ymd"))
        if day:
            yield match.start(), datetime.combine(day, time())
    for match in _COMPACT.finditer(text):
        day = _calendar_date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
        if day:
            yield match.start(), datetime.combine(day, time())
    if not yearless:
        return
    for pattern in (_MONTH_DAY, _DASHED_MONTH_DAY_TIME, _LABELLED_MONTH_DAY):
        for match in pattern.finditer(text):
            moment = _without_year(match, url, reference, near)
            if moment:
                yield match.start(), moment
    for match in _RELATIVE.finditer(text):
        yield match.start(), _relative(match, reference)


def _chinese_number(numerals: str) -> int:
    """二〇二四 → 2024 (digit by digit); 十二 → 12, 二十三 → 23 (tens and units)."""
    if "十" not in numerals:
        return int("".join(str(_CHINESE_DIGIT[char]) for char in numerals))
    tens, _, units = numerals.partition("十")
    return (_CHINESE_DIGIT[tens] if tens else 1) * 10 + (_CHINESE_DIGIT[units] if units else 0)


def _without_year(match: re.Match, url: str | None, reference: datetime,
                  near: date | None) -> datetime | None:
    """A month-day date: the year comes from the URL; else it is the latest year that puts
    the date no later than ``near`` (the list page's date), or than the reference time."""
    clock = _clock(match)
    month, day = int(match.group("m")), int(match.group("d"))
    url_date = date_from_url(url) if url else None
    if url_date:
        found = _calendar_date(url_date.year, month, day)
        return datetime.combine(found, clock) if found else None
    latest = datetime.combine(near, time(), SHANGHAI) if near else reference
    for year in (latest.year, latest.year - 1):
        found = _calendar_date(year, month, day)
        if found:
            moment = datetime.combine(found, clock, SHANGHAI)
            if moment <= latest + FUTURE_SLACK:
                return moment
    return None


def _relative(match: re.Match, reference: datetime) -> datetime:
    if match.group("now"):
        return reference
    if match.group("n"):
        return reference - timedelta(**{_UNIT[match.group("unit")]: int(match.group("n"))})
    day = reference.date() - timedelta(days=_DAYS_BACK[match.group("day")])
    return datetime.combine(day, _clock(match))


def _in_order(text: str, url: str | None, reference: datetime, yearless: bool = True,
              near: date | None = None) -> Iterator[datetime]:
    normalised = unicodedata.normalize("NFKC", text)
    candidates = _candidates(normalised, url, reference, yearless, near)
    for _, moment in sorted(candidates, key=lambda c: c[0]):
        yield _as_shanghai(moment).replace(microsecond=0)


def _plausible(moment: datetime, reference: datetime) -> bool:
    return moment.date() >= EARLIEST and moment <= reference + FUTURE_SLACK


def iter_dates(text: str, *, url: str | None = None, reference: datetime | None = None,
               yearless: bool = True) -> Iterator[datetime]:
    """Plausible publication moments in ``text``, in reading order, aware in Asia/Shanghai.

    ``yearless=False`` skips the forms that borrow their year or day from elsewhere
    (``5月20日``, ``昨天``, ``3小时前``), for callers that have better evidence to try first.
    """
    reference = _as_shanghai(reference or now_in_shanghai())
    return (moment for moment in _in_order(text or "", url, reference, yearless)
            if _plausible(moment, reference))


def parse_date(text: str, *, url: str | None = None, near: date | None = None,
               reference: datetime | None = None) -> str | None:
    """The first date in ``text`` as ISO 8601 with +08:00, or None.

    A year-less date (``5月20日``) takes its year from ``url``, else from ``near``, a
    date known to be close such as the one the list page shows.  The first date found
    decides: if it is implausible (future or before 1995) the answer is None rather
    than some later date of the same text.
    """
    reference = _as_shanghai(reference or now_in_shanghai())
    moment = next(_in_order(text or "", url, reference, near=near), None)
    if moment is None or not _plausible(moment, reference):
        return None
    return moment.isoformat()
