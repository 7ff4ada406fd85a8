"""``crawler probe`` on article and list pages, and the readers' in-article pagers."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from crawler.commands.probe import load_page, probe
from crawler.fixtures import open_fixture
from crawler.readers.trs import next_page_file
from spiders.fzsdzk import FzsdzkSpider
from spiders.wjga import WjgaSpider
from tests.conftest import ROOT

FIXTURES = ROOT / "fixtures"
JSZF = "https://www.jszf.gov.cn/zyyg/jscawq_1/wuxi/"


def test_a_list_page_gives_its_article_links_dates_and_next_page():
    result = probe(load_page(FIXTURES / "jszf" / "index.shtml.json"))
    assert result["cms"] == "trs" and result["page_type"] == "list"
    entries = {entry["url"]: entry["date"] for entry in result["list"]["entries"]}
    assert entries[JSZF + "202301/t20230119_3533419.shtml"] == "2023-01-19"
    assert entries[JSZF + "202301/t20230116_3531002.shtml"] == "2023-01-16"
    assert result["list"]["next_page"] == JSZF + "index_1.shtml"


def test_an_article_page_gives_the_stored_fields_and_their_sources():
    result = probe(load_page(FIXTURES / "cmsdefault" / "phpcms" / "show_12_345.html"))
    assert result["cms"] == "phpcms" and result["page_type"] == "article"
    fields, sources = result["article"]["fields"], result["article"]["sources"]
    # the stock show.html h1 also holds date, source and counters: the title is its own text
    assert fields["title"] == "城区警务站开展夜间巡逻" and sources["title"].startswith("phpcms:")
    assert (fields["published_at"], fields["source"]) == ("2023-05-18T21:06:12+08:00", "示例日报")
    assert "延伸阅读" not in fields["body"] and "上一篇" not in fields["body"]


def test_the_command_prints_one_line_per_page_and_fails_on_an_unreadable_one(tmp_path):
    raw = tmp_path / "page.html"
    raw.write_bytes((FIXTURES / "cmsdefault" / "empirecms" / "1203.html").read_bytes())
    binary = tmp_path / "photo.html"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    command = [sys.executable, "-m", "crawler.cli", "probe", "--cms", "empirecms", "--url",
               "http://www.example-fz.cn/fzdt/2023-05-18/1203.html", str(raw)]
    result = subprocess.run([*command, str(binary)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    first, second = [json.loads(line) for line in result.stdout.splitlines()]
    assert first["article"]["fields"]["author"] == "周明" and first["cms"] == "empirecms"
    assert "error" in second and result.returncode == 1
    missing = subprocess.run([*command, str(tmp_path / "missing.html")], cwd=ROOT, capture_output=True,
                             text=True, timeout=120)
    assert missing.returncode == 2 and missing.stdout == ""
    assert missing.stderr == f"crawler probe: no such file: {tmp_path / 'missing.html'}\n"


@pytest.mark.parametrize("script, stem, expected", [
    ('createPageHTML(3, 0, "t20230119_3533419", "shtml");', "t20230119_3533419", "t20230119_3533419_1.shtml"),
    ("var countPage = 3;\nvar currentPage = 1;\ncreatePageHTML(countPage, currentPage, \"t1_2\", \"html\");",
     "t1_2", "t1_2_2.html"),
    ("var currentPage = 0; var countPage = 2; document.write(pager);", "t20200101_9", "t20200101_9_1.shtml"),
    ("var currentPage = 1; var countPage = 2; document.write(pager);", "t20200101_9", None),
    ("document.write('no pager');", "t20200101_9", None),
])
def test_trs_in_article_pager_scripts(script, stem, expected):
    assert next_page_file(script, stem, "shtml") == expected


def test_in_article_next_page_links_of_empirecms_and_phpcms():
    column = "http://fzsdzk.com/guonei/fazhi/zhengfazonghe/2015-11-02/"
    spider = FzsdzkSpider()
    assert spider.next_article_page(open_fixture("fzsdzk", column + "28856.html")) == column + "28856_2.html"
    assert spider.next_article_page(open_fixture("fzsdzk", column + "28856_2.html")) is None
    show = "http://www.zt.net.cn/index.php?m=content&c=index&a=show&catid=38&id=1250"
    assert WjgaSpider().next_article_page(open_fixture("wjga", show)) == show + "&page=2"
    # a 下一篇 (next article) link is never taken for the article's next page
    assert WjgaSpider().next_article_page(open_fixture("wjga", show.replace("1250", "1235"))) is None
