"""URL canonicalisation: every address of one page maps to one ``articles.url``."""


import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.urls import canonical_url, request_url, url_rules
from spiders.base import NewsSpider

WJYANGHU = {"host_aliases": {"m.youngwriting.cn": "app.wjyanghu.com"}, "https_hosts": {"app.wjyanghu.com"}}
ARTICLE_A = "https://app.wjyanghu.com/yhw/hotspot/wjxw/2022-10-03/118206.html"
PHPCMS_SHOW = "http://www.zt.net.cn/index.php?a=show&c=index&catid=38&id=1235&m=content"


@pytest.mark.parametrize("variant", [
    "http://m.youngwriting.cn/yhw/hotspot/wjxw/2022-10-03/118206.html",   # mirror host, http
    "http://app.wjyanghu.com/yhw/hotspot/wjxw/2022-10-03/118206.html",    # scheme
    "HTTPS://App.WJYanghu.com:443/yhw/hotspot/wjxw/2022-10-03/118206.html",  # case, default port
    "https://app.wjyanghu.com./yhw/hotspot/wjxw/2022-10-03/118206.html",  # trailing dot
    "https://app.wjyanghu.com/yhw/hotspot/wjxw/2022-10-03/118206.html#comments",
    "https://app.wjyanghu.com/yhw/hotspot/wjxw/2022-10-03/118206.html?utm_source=wechat&from=timeline",
    "https://app.wjyanghu.com/yhw/hotspot/wjxw/2022-10-03/118206_2.html",  # EmpireCMS page 2
])
def test_addresses_of_one_empirecms_page_are_one_url(variant):
    assert canonical_url(variant, **WJYANGHU) == ARTICLE_A


def test_phpcms_article_keeps_its_content_parameters_in_any_order_and_drops_page_and_tracking():
    for variant in ["http://www.zt.net.cn/index.php?m=content&c=index&a=show&catid=38&id=1235",
                    "http://www.zt.net.cn/index.php?id=1235&catid=38&a=show&c=index&m=content",
                    "http://www.zt.net.cn/index.php?m=content&c=index&a=show&catid=38&id=1235&page=3",
                    "http://www.zt.net.cn/index.php?m=content&c=index&a=show&catid=38&id=1235&spm=a.b&share=1"]:
        assert canonical_url(variant) == PHPCMS_SHOW
    assert canonical_url("http://www.zt.net.cn/index.php?m=content&c=index&a=show&catid=38&id=1236") != PHPCMS_SHOW


def test_phpcms_list_pages_stay_distinct():
    first = canonical_url("http://www.zt.net.cn/index.php?m=content&c=index&a=lists&catid=38")
    second = canonical_url("http://www.zt.net.cn/index.php?m=content&c=index&a=lists&catid=38&page=2")
    assert first != second and "page=2" in second


def test_trs_page_suffix_goes_but_the_document_id_stays():
    page_one = "https://www.jszf.gov.cn/zyyg/jscawq_1/wuxi/202301/t20230119_3533419.shtml"
    rules = {"https_hosts": {"www.jszf.gov.cn"}}
    assert canonical_url(page_one, **rules) == page_one
    assert canonical_url(page_one.replace(".shtml", "_1.shtml"), **rules) == page_one


def test_phpcms_pseudo_static_pages_map_to_page_one():
    assert canonical_url("http://example.cn/show-38-1235-3.html") == "http://example.cn/show-38-1235-1.html"


@pytest.mark.parametrize("index_file", ["index.html", "index.shtml", "index.htm", "default.aspx", "Default.htm"])
def test_default_index_files_are_the_directory(index_file):
    assert canonical_url(f"http://fzsdzk.com/guonei/fazhi/{index_file}") == "http://fzsdzk.com/guonei/fazhi/"


def test_list_page_numbers_are_not_in_article_suffixes():
    assert canonical_url("http://fzsdzk.com/guonei/fazhi/index_2.html") == "http://fzsdzk.com/guonei/fazhi/index_2.html"


def test_gbk_percent_escapes_in_a_query_survive():
    assert canonical_url("http://example.cn/search.php?q=%D6%D0%CE%C4") == "http://example.cn/search.php?q=%D6%D0%CE%C4"


def test_chinese_host_and_path_are_encoded_one_way():
    raw = canonical_url("http://法治山东新闻网.com/国内/1.html")
    escaped = canonical_url("http://xn--xhq326a68g8jhyd269inf7a.com/%E5%9B%BD%E5%86%85/1.html")
    assert raw == escaped


def test_non_http_and_unparseable_urls_are_left_alone():
    assert canonical_url("mailto:fzsdxwzk@126.com") == "mailto:fzsdxwzk@126.com"
    assert canonical_url("http://example.cn:port/") == "http://example.cn:port/"


def test_url_rules_take_declared_hosts_and_https_start_urls():
    class Spider(NewsSpider):
        host_aliases = {"m.youngwriting.cn": "app.wjyanghu.com"}
        https_hosts = {"a.example"}
        start_urls = ["https://www.jszf.gov.cn/zyyg/index.shtml", "http://fzsdzk.com/"]

    rules = url_rules(Spider)
    assert rules["host_aliases"] == {"m.youngwriting.cn": "app.wjyanghu.com"}
    assert rules["https_hosts"] == {"a.example", "www.jszf.gov.cn"}
    assert url_rules(NewsSpider) == {"host_aliases": {}, "https_hosts": set()}


segment = st.text(alphabet="abcXYZ019-_.~%中文", min_size=0, max_size=8)
urls = st.builds(
    lambda scheme, host, port, path, query, fragment: f"{scheme}://{host}{port}/{path}{query}{fragment}",
    st.sampled_from(["http", "https", "HTTP"]),
    st.sampled_from(["app.wjyanghu.com", "m.youngwriting.cn", "WWW.jszf.gov.cn", "例子.中国"]),
    st.sampled_from(["", ":80", ":443", ":8080"]),
    st.lists(segment, max_size=4).map("/".join),
    st.lists(st.tuples(st.sampled_from(["id", "utm_medium", "page", "a", "from", "q"]), segment),
             max_size=4).map(lambda pairs: "?" + "&".join(f"{k}={v}" for k, v in pairs) if pairs else ""),
    st.sampled_from(["", "#top", "#"]),
)


@given(urls)
def test_canonical_form_is_a_fixed_point(url):
    once = canonical_url(url, **WJYANGHU)
    assert canonical_url(once, **WJYANGHU) == once
    assert "#" not in once and "utm_medium" not in once and "m.youngwriting.cn" not in once


def test_a_link_a_gbk_page_cannot_encode_still_makes_a_request():
    """A stray character in one link (U+FFFD where the page's bytes were broken) made
    Scrapy's request fail, and with it the list page's other links."""
    from scrapy import Request

    url = request_url("http://a.cn/list/index_2.html?q=公安\ufffd&p=1#top\ufffd", "gbk")
    assert url == "http://a.cn/list/index_2.html?q=公安%26%2365533%3B&p=1"
    assert Request(url, encoding="gbk").url == "http://a.cn/list/index_2.html?q=%B9%AB%B0%B2%26%2365533%3B&p=1"
    assert request_url("http://a.cn/a.html?q=公安#p2", "gbk") == "http://a.cn/a.html?q=公安"
    assert request_url("http://a.cn/a.html?q=\ufffd", "gb18030") == "http://a.cn/a.html?q=\ufffd"
