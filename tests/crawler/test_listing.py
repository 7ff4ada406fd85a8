"""The article list and the next page of list pages: real ones, stock-template ones, and the
shapes the three CMSs' URL and pager code allow."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse

from crawler.listing import (
    EMPIRECMS_ARTICLE,
    PHPCMS_ARTICLE,
    TRS_ARTICLE,
    list_entries,
    looks_like_article,
    next_page,
    parse_page,
    trs_next_page,
    url_shape,
)
from spiders.empirecms import EmpireCMSSpider
from spiders.phpcms import PHPCMSSpider
from spiders.trs import TRSSpider

LISTS = Path(__file__).resolve().parents[2] / "fixtures" / "realcms_lists"
SIDECARS = sorted(LISTS.glob("*/*.json"))
PATTERNS = {"trs": TRS_ARTICLE, "empirecms": EMPIRECMS_ARTICLE, "phpcms": PHPCMS_ARTICLE}
DIALECTS = {"trs": TRSSpider, "empirecms": EmpireCMSSpider, "phpcms": PHPCMSSpider}


def saved(sidecar: Path):
    meta = json.loads(sidecar.read_text(encoding="utf-8"))
    return meta, sidecar.with_name(sidecar.name[:-len(".json")]).read_bytes()


def test_every_cms_has_list_pages():
    assert {sidecar.parent.name for sidecar in SIDECARS} == set(PATTERNS)


@pytest.mark.parametrize("pattern", ["dialect", "none"])
@pytest.mark.parametrize("sidecar", SIDECARS, ids=lambda path: f"{path.parent.name}/{path.stem}")
def test_saved_list_pages_give_their_articles_dates_and_next_page(sidecar, pattern):
    meta, body = saved(sidecar)
    root = parse_page(body)
    entries = list_entries(meta["url"], root, PATTERNS[meta["cms"]] if pattern == "dialect" else None)
    assert [entry.url for entry in entries] == meta["expected"]["links"]
    assert [entry.date and entry.date.isoformat() for entry in entries] == meta["expected"]["dates"]
    assert next_page(meta["url"], root) == meta["expected"]["next"]


@pytest.mark.parametrize("sidecar", SIDECARS, ids=lambda path: f"{path.parent.name}/{path.stem}")
def test_a_new_site_spider_with_only_a_name_reads_the_list(sidecar):
    """A subclass of the dialect base with nothing but ``name``/``start_urls``, as the README's
    "Adding a site" has a user write it."""
    meta, body = saved(sidecar)
    spider_class = type("NewSite", (DIALECTS[meta["cms"]],), {"name": "newsite", "start_urls": [meta["url"]]})
    response = HtmlResponse(meta["url"], body=body, headers={"Content-Type": meta["headers"]["Content-Type"][0]})
    spider = spider_class()
    assert [entry.url for entry in spider.list_entries(response)] == meta["expected"]["links"]
    assert spider.next_list_page(response) == meta["expected"]["next"]


def entries_html(count: int, shape: str, dated: bool = True) -> str:
    """``count`` list entries whose links are ``shape`` with ``{n}`` numbered from 100."""
    return "".join(f'<li><a href="{shape.format(n=100 + n)}">标题{n}</a>'
                   + (f"<span>2024-05-{n % 28 + 1:02d}</span>" if dated else "") + "</li>"
                   for n in range(count))


@pytest.mark.parametrize("sidebar_first", [True, False])
def test_a_related_news_box_of_the_same_shape_loses_to_the_list(sidebar_first):
    shape = "/news/2024-05-01/{n}.html"
    sidebar = f'<div class="box"><h3>相关新闻</h3><ul>{entries_html(4, shape)}</ul></div>'
    main = f'<div class="content"><ul>{entries_html(20, shape)}</ul></div>'
    page = f"<html><body>{sidebar + main if sidebar_first else main + sidebar}</body></html>"
    entries = list_entries("http://example.cn/news/", page, EMPIRECMS_ARTICLE)
    assert len(entries) == 20
    assert entries[0].url == "http://example.cn/news/2024-05-01/100.html"


def test_a_short_dated_list_beats_a_longer_undated_hot_list_in_the_sidebar():
    shape = "/a/{n}.html"
    page = (f'<div class="main"><ul>{entries_html(5, shape)}</ul></div>'
            f'<div class="hot-news"><ol>{entries_html(8, "/a/9{n}.html", dated=False)}</ol></div>')
    assert [entry.url for entry in list_entries("http://example.cn/a/", page)] == [
        f"http://example.cn/a/{n}.html" for n in range(100, 105)]


def test_a_list_of_worded_file_names_agrees_in_shape_and_is_read_whole():
    # Slug URLs (/a/ok.html, /a/report.html) differ letter by letter; a stray link to one of
    # them elsewhere in the list must not outscore the list itself.
    names = ["ok", "report", "notice", "meeting", "court"]
    items = "".join(f'<li><a href="/a/{name}.html">{name}</a><span>2024-05-0{n + 1}</span></li>'
                    for n, name in enumerate(names))
    page = f'<ul class="list"><a href="/a/ok.html">dup</a>{items}</ul>'
    entries = list_entries("http://example.cn/list/1.html", page, re.compile(r"/a/\w+\.html$"))
    assert [entry.url for entry in entries] == [f"http://example.cn/a/{name}.html" for name in names]


def test_header_nav_and_footer_links_are_never_the_list():
    links = entries_html(12, "/n/{n}.html")
    page = f"<header><ul>{links}</ul></header><main><ul>{entries_html(3, '/m/{n}.html')}</ul></main>"
    assert [entry.url for entry in list_entries("http://example.cn/", page)] == [
        f"http://example.cn/m/{n}.html" for n in range(100, 103)]


def test_a_list_split_into_several_uls_is_one_list():
    page = "".join(f"<ul>{entries_html(5, '/c/' + str(block) + '{n}.html')}</ul>" for block in range(4))
    assert len(list_entries("http://example.cn/c/", f"<div>{page}</div>")) == 20


def test_links_one_after_another_in_a_table_cell_are_a_list_with_the_dates_after_them():
    cell = "".join(f'<a href="/xw/2019{n:02d}01/{n}00.html">标题{n}</a> (2019-{n:02d}-01)<br>' for n in range(1, 13))
    page = (f'<table><tr><td class="list">{cell}</td></tr></table>'
            f'<ul class="box">{entries_html(4, "/xw/20190101/{n}9.html")}</ul>')
    entries = list_entries("http://example.cn/xw/", page, EMPIRECMS_ARTICLE)
    assert [(entry.url, entry.date) for entry in entries] == [
        (f"http://example.cn/xw/2019{n:02d}01/{n}00.html", date(2019, n, 1)) for n in range(1, 13)]


@pytest.mark.parametrize("entry, expected", [
    ('<li><span class="rt">2010-01-25 09:02:11</span>·<a href="/a/1.html">x</a></li>', date(2010, 1, 25)),
    ('<li><a href="/a/1.html">x</a> <span>2022-10-05</span></li>', date(2022, 10, 5)),
    ('<table><tr><td><a href="/a/1.html">x</a></td><td>2020-09-03</td></tr></table>', date(2020, 9, 3)),
    ('<li><a href="/a/1.html"><span class="date">2019-01-19</span>x</a></li>', date(2019, 1, 19)),
    ('<div><a href="/a/1.html">x</a><em>2021年3月4日</em></div>', date(2021, 3, 4)),
    ('<li><a href="/2019-09-25/1.html">x</a></li>', date(2019, 9, 25)),
    ('<li><a href="/a/1.html">2018年工作总结</a></li>', None),
    ('<li><a href="/a/1.html"><!-- title --><?php x?>x</a><!-- 2019-01-01 --></li>', None),
    ('<p><a href="/a/1.html">x</a><!-- c --></p>', None),
])
def test_the_date_is_read_beside_the_link(entry, expected):
    (found,) = list_entries("http://example.cn/", f"<html><body>{entry}</body></html>", EMPIRECMS_ARTICLE)
    assert found.date == expected


def test_a_site_scope_narrows_the_search_and_a_missing_scope_is_ignored():
    page = (f'<div class="side"><ul>{entries_html(3, "/s/{n}.html")}</ul></div>'
            f'<div class="other"><ul>{entries_html(9, "/o/{n}.html")}</ul></div>')
    assert len(list_entries("http://example.cn/", page, scope_css="div.side")) == 3
    assert len(list_entries("http://example.cn/", page, scope_css="td.news_list")) == 9


def test_a_site_url_rule_outside_the_dialect_pattern_still_gives_the_list():
    """PHPCMS URL rules are free-form: a site may publish ``{catdir}/{id}.html``."""
    page = f'<div class="col-left"><ul>{entries_html(6, "/ansys/64{n}.html")}</ul></div>'
    entries = list_entries("http://news.example.cn/ansys/", page, PHPCMS_ARTICLE, "div.col-left")
    assert [entry.url for entry in entries] == [f"http://news.example.cn/ansys/64{n}.html" for n in range(100, 106)]


@pytest.mark.parametrize("path", [
    "/zgls/9291.html", "/ym/xhy/532601.html", "/news/201909251301.html", "/content/1386024.html",
    "/news/2019-09-25/123.html", "/news/20190925/123.html", "/news/2019/0925/123.html",
    "/news/2019/09-25/123.htm", "/news/a/2019/09/25/art123.shtml", "/news/c4ca4238a0b923820dcc509a6f75849b.html",
    "/news/1/", "532601.php",
])
def test_empirecms_article_urls_of_every_newspath_and_file_name_setting(path):
    assert EMPIRECMS_ARTICLE.search(path)


@pytest.mark.parametrize("path", ["/news/index.html", "/news/index_2.html", "/news/9291_2.html", "/news/"])
def test_empirecms_list_pages_and_later_article_pages_are_not_articles(path):
    assert not EMPIRECMS_ARTICLE.search(path)


@pytest.mark.parametrize("url, is_article", [
    ("index.php?m=content&c=index&a=show&catid=6&id=30768", True),
    ("/6_2012/0112/30768.html", True),
    ("/html/2010/catdir_0720/1.html", True),
    ("/it/product/2010/0720/1.html", True),
    ("/show-1-2-1.html", True),
    ("index.php?m=content&c=index&a=lists&catid=6&page=2", False),
    ("/list-6-2.html", False),
    ("/zfdt/2.html", False),
])
def test_phpcms_article_urls_of_its_url_rules(url, is_article):
    assert bool(PHPCMS_ARTICLE.search(url)) is is_article


@pytest.mark.parametrize("url, is_article", [
    ("http://x.cn/a/202009/t20200903_2748784.html", True),
    ("http://x.cn/show.php?id=12", True),
    ("http://x.cn/xxgkgd/", False),
    ("http://x.cn/news/index_2.html", False),
    ("http://x.cn/index.php?m=content&a=lists&catid=6", False),
    ("javascript:void(0)", False),
])
def test_article_shape_without_a_dialect(url, is_article):
    assert looks_like_article(url) is is_article


def test_url_shapes_generalise_digits_only():
    assert url_shape("http://x.cn/a/202009/t20200903_27.html") == url_shape("http://x.cn/a/201905/t20190530_2380968.html")
    assert url_shape("http://x.cn/a/1.html") != url_shape("http://x.cn/b/1.html")


@pytest.mark.parametrize("script, expected", [
    ('createPageHTML(25, 0, "index", "shtml");', "index_1.shtml"),
    ("createPageHTML('page_div',5, 1,'fg','shtml',89);", "fg_2.shtml"),
    ('createPageHTML(5, 4, "index", "shtml");', None),
    ('var currentPage = 0;//所在页从0开始\nvar countPage = 2//共多少页\n'
     'document.write("<a href=\\"index"+"_" + nextPage + "."+"html\\">下一页</a>");', "index_1.html"),
    ('var currentPage = 1;\nvar countPage = 2//共多少页', None),
    ("var countPage = 20; // rows per page of some widget", None),
    ('var currentPage = 3;\nvar countPage = 5', "list_4.htm"),
    ("document.write('no pager');", None),
])
def test_both_forms_of_the_trs_pager_script(script, expected):
    assert trs_next_page(script, "http://x.cn/col/list_3.htm") == expected


def test_the_trs_script_decides_even_where_a_rendered_pager_says_otherwise():
    page = ('<script>var currentPage = 1; var countPage = 2</script>'
            '<a href="index_1.html">下一页</a>')
    assert next_page("http://x.cn/col/index_1.html", page) is None


@pytest.mark.parametrize("url, pager, expected", [
    # PHPCMS pages() on its last page: 下一页 links to the page itself.
    ("http://x.cn/col/?page=2",
     '<div id="pages"><a class="a1">40条</a> <a href="?page=1" class="a1">上一页</a> <a href="?page=1">1</a>'
     ' <span>2</span> <a href="?page=2" class="a1">下一页</a></div>', None),
    # A pager whose labels the site changed still numbers its pages.
    ("http://x.cn/col/index_2.html",
     '<div class="pages"><a href="index.html">1</a> <b>2</b> <a href="index_3.html">3</a> '
     '<a href="index_3.html">&gt;</a></div>', "http://x.cn/col/index_3.html"),
    ("http://x.cn/col/index_2.html", '<div class="page"><a href="javascript:void(0)">下一页</a></div>', None),
    ("http://x.cn/col/index_2.html", '<p><a href="index_3.html" title="下一页">»</a></p>',
     "http://x.cn/col/index_3.html"),
])
def test_next_page_from_pager_links(url, pager, expected):
    assert next_page(url, f"<html><body>{pager}</body></html>") == expected
