"""Datasette with the project's plugins, on a corpus file not named news.db or demo.db.

Starts Datasette on 127.0.0.1, queries its JSON API and its HTML pages, and has headless
Chromium (Debian's ``chromium``) report what the first screen of a page shows.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from PIL import Image

from crawler.storage import Store
from tests.conftest import ROOT, execute

FILLER = "社区网格员走访居民，宣传消防安全知识，排查隐患，" * 12  # none of the searched terms
ARTICLES = [
    dict(site="a", url="https://a.example/1", title="民警破获电信诈骗案", published_at="2024-03-05T10:00:00+08:00",
         body="某区公安分局民警破获一起电信网络诈骗案件。" + FILLER, source="人民公安报"),
    dict(site="b", url="https://b.example/1", title="民警破获电信诈骗案", published_at="2024-03-06T10:00:00+08:00",
         body="某区公安分局民警破获一起电信网络诈骗案件。" + FILLER),
    dict(site="b", url="https://b.example/2", title="平安建设推进会", published_at="2024-03-01T10:00:00+08:00",
         body=FILLER + "会议部署平安建设，提醒防范诈骗。"),
    dict(site="c", url="https://c.example/1", title="警方破獲集團", published_at="2024-01-02T08:00:00+08:00",
         body="臺北市警察局破獲一個電信詐騙集團。" + FILLER),
    *(dict(site="abc"[n % 3], url=f"https://{'abc'[n % 3]}.example/f{n}", title=f"社区消防宣传第{n}期",
           published_at=f"2024-0{1 + n % 3}-1{n}T09:00:00+08:00", body=FILLER, source="区融媒体中心",
           body_html="<div><p>" + FILLER + "</p></div>")
      for n in range(8)),
]
LIST_COLUMNS = ["id", "title", "site", "published_at", "source", "body"]
DB_NAME = "corpus-2024"
SCREEN = (1280, 800)  # the first screen: a laptop browser's page area
# A test-only plugin: after the page loads, it writes into the page what lies wholly inside
# the first SCREEN pixels, for --dump-dom to read.
FIRST_SCREEN_PROBE = """
from datasette import hookimpl

SCRIPT = '''
window.addEventListener("load", function () {
  function seen(el) {
    var r = el.getBoundingClientRect();
    return el.checkVisibility() && r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0
      && r.bottom <= SCREEN_HEIGHT && r.right <= SCREEN_WIDTH;
  }
  function all(selector) { return Array.prototype.slice.call(document.querySelectorAll(selector)); }
  var report = {
    path: location.pathname + location.search,
    heading: document.querySelector("h1").textContent.trim(),
    headers: all("table.rows-and-columns thead th").filter(seen).map(function (th) {
      return th.getAttribute("data-column") || th.textContent.trim(); }),
    rows: all("table.rows-and-columns tbody tr").filter(seen).map(function (tr) {
      return Array.prototype.map.call(tr.cells, function (td) { return td.textContent.trim(); }); }),
    facets: all(".facet-info").filter(seen).map(function (f) { return f.getAttribute("data-column"); }),
    descriptions: all("dl.column-descriptions dt").filter(seen).length,
    marks: all("mark").filter(seen).map(function (m) { return m.textContent; }),
    width: window.innerWidth,
    wider_than_window: document.documentElement.scrollWidth > window.innerWidth
  };
  var out = document.createElement("pre");
  out.id = "first-screen";
  out.textContent = JSON.stringify(report);
  document.body.appendChild(out);
});
'''


@hookimpl
def extra_body_script():
    return SCRIPT
""".replace("SCREEN_HEIGHT", str(SCREEN[1])).replace("SCREEN_WIDTH", str(SCREEN[0]))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(command: list[str], port: int):
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(f"{base}/-/versions.json", timeout=1)
            return server, base
        except OSError:
            if server.poll() is not None:
                raise AssertionError(server.stdout.read()) from None
            time.sleep(0.2)
    server.terminate()
    raise AssertionError("datasette did not start within 30 s")


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("datasette") / f"{DB_NAME}.db"
    store = Store.migrated(f"sqlite:///{db}")
    store.upsert_articles(ARTICLES)
    run_id = store.start_run("a")
    store.finish_run(run_id, finish_reason="finished", pages_fetched=9)
    store.update_run(run_id, stats=json.dumps({"downloader/request_count": 9, "item_scraped_count": 4}),
                     alarms=json.dumps([{"kind": "zero_new", "message": "no new article, though 3 of the "
                                         "previous 4 runs brought some"}]))
    store.close()
    # the two identical stories form a reprint cluster
    execute(db, "UPDATE articles SET cluster_id = 1 WHERE title = ?", "民警破获电信诈骗案")
    return db


@pytest.fixture(scope="module")
def datasette(corpus_db, tmp_path_factory):
    """``datasette serve`` with the project's plugins and the first-screen probe (Datasette
    takes one plugins folder: the project's plugins are copied beside the probe)."""
    plugins = tmp_path_factory.mktemp("plugins")
    for plugin in (ROOT / "crawler" / "datasette_plugins").glob("*.py"):
        shutil.copy(plugin, plugins)
    (plugins / "first_screen_probe.py").write_text(FIRST_SCREEN_PROBE, encoding="utf-8")
    port = free_port()
    server, base = serve([sys.executable, "-m", "datasette", "serve", str(corpus_db),
                          "--plugins-dir", str(plugins), "--host", "127.0.0.1", "--port", str(port)], port)
    try:
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def get(base: str, path: str, **params):
    url = f"{base}{path}?{urllib.parse.urlencode(params)}"
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def rows(base: str, path: str, **params) -> list[dict]:
    return get(base, path, **params, _shape="array")


def page(base: str, path: str, **params) -> str:
    with urllib.request.urlopen(f"{base}{path}?{urllib.parse.urlencode(params)}", timeout=10) as response:
        return response.read().decode("utf-8")


def test_launcher_serves_any_file_name(corpus_db):
    port = free_port()
    server, base = serve([sys.executable, "-m", "crawler.cli", "datasette", "--db", str(corpus_db),
                          "--port", str(port)], port)
    try:
        found = rows(base, f"/{DB_NAME}/articles.json", _search="警察局")
        assert [row["url"] for row in found] == ["https://c.example/1"]
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.parametrize("db, message", [
    ("README.md", "README.md"),
    ("postgresql+psycopg://nobody@127.0.0.1/corpus", "Datasette reads SQLite files only"),
])
def test_launcher_refuses_what_it_cannot_serve(db, message):
    result = subprocess.run([sys.executable, "-m", "crawler.cli", "datasette", "--db", db],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr


@pytest.mark.parametrize("query, expected", [
    ("诈骗", {"https://a.example/1", "https://b.example/1", "https://b.example/2", "https://c.example/1"}),
    ("诈骗 民警", {"https://a.example/1", "https://b.example/1"}),
    ("骗", {"https://a.example/1", "https://b.example/1", "https://b.example/2", "https://c.example/1"}),
    ("平安建设", {"https://b.example/2"}),
    ("警察局", {"https://c.example/1"}),
    ("骗民", set()),
])
def test_table_search_box_finds_chinese_terms(datasette, query, expected):
    assert {row["url"] for row in rows(datasette, f"/{DB_NAME}/articles.json", _search=query)} == expected


def test_search_ranks_title_matches_first_and_marks_terms(datasette):
    found = rows(datasette, f"/{DB_NAME}/search.json", q="诈骗")
    assert len(found) == 4  # the two with the term in their title first, then the two with it in the body
    assert {row["url"] for row in found[:2]} == {"https://a.example/1", "https://b.example/1"}
    assert all("«诈骗»" in row["snippet"] or "«詐騙»" in row["snippet"] for row in found)
    both = rows(datasette, f"/{DB_NAME}/search.json", q="平安 诈骗")
    assert [row["url"] for row in both] == ["https://b.example/2"]
    assert "«诈骗»" in both[0]["snippet"] and "«平安»" in both[0]["snippet"]


def test_search_narrows_by_site_and_month(datasette):
    assert [r["url"] for r in rows(datasette, f"/{DB_NAME}/search.json", q="诈骗", site="b", month="2024-03")] \
        == ["https://b.example/1", "https://b.example/2"]
    assert [r["url"] for r in rows(datasette, f"/{DB_NAME}/search.json", q="诈骗", month="2024-01")] == \
        ["https://c.example/1"]


def test_search_box_leads_to_the_ranked_search(datasette):
    class Stay(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(Stay)
    url = f"{datasette}/{DB_NAME}/articles?" + urllib.parse.urlencode({"_search": "诈骗", "site": "b"})
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(url, timeout=10)
    assert redirect.value.code == 302
    assert redirect.value.headers["Location"] == f"/{DB_NAME}/search?" + urllib.parse.urlencode(
        {"q": "诈骗", "site": "b"})
    # what the search box of a page filtered on a site and a month sends, sort fields included
    form = {"_search": "诈骗", "_filter_column_1": "site", "_filter_op_1": "exact", "_filter_value_1": "b",
            "_filter_column_2": "published_at", "_filter_op_2": "startswith", "_filter_value_2": "2024-03",
            "_filter_column": "", "_filter_op": "exact", "_filter_value": "", "_sort": "published_at",
            "_sort_by_desc": "on", "_col": "title", "_nosuggest": "1"}
    with urllib.request.urlopen(f"{datasette}/{DB_NAME}/articles?{urllib.parse.urlencode(form)}",
                                timeout=10) as response:
        landed = urllib.parse.urlsplit(response.geturl())
        assert landed.path == f"/{DB_NAME}/search"
        assert urllib.parse.parse_qs(landed.query) == {"q": ["诈骗"], "site": ["b"], "month": ["2024-03"]}
        assert "<mark>诈骗</mark>" in response.read().decode("utf-8")


def test_search_as_table_rows_with_facets(datasette):
    ranked = page(datasette, f"/{DB_NAME}/search", q="诈骗", site="b")
    link = re.search(r"link\.href = (\"[^\"]+\");", ranked)
    assert link and json.loads(link.group(1)) == f"/{DB_NAME}/articles?" + urllib.parse.urlencode(
        {"_search": "诈骗", "_rank": "off", "site": "b"})
    listed = page(datasette, f"/{DB_NAME}/articles", _search="诈骗", _rank="off")
    assert "4 rows" in listed and "<mark>诈骗</mark>" in listed and "<mark>詐騙</mark>" in listed
    assert re.search(r'<input type="hidden" name="_rank" value="off">', listed)  # kept by the search box
    facets = get(datasette, f"/{DB_NAME}/articles.json", _search="诈骗", _rank="off")["facet_results"]
    assert {f["value"]: f["count"] for f in facets["site"]["results"]} == {"a": 1, "b": 2, "c": 1}


def test_facets_by_site_and_month(datasette):
    facets = get(datasette, f"/{DB_NAME}/articles.json")["facet_results"]
    assert {f["value"]: f["count"] for f in facets["site"]["results"]} == {"a": 4, "b": 5, "c": 3}
    months = facets["published_at"]
    assert months["type"] == "month"
    assert [(f["value"], f["count"]) for f in months["results"]] == [("2024-03", 5), ("2024-02", 3),
                                                                     ("2024-01", 4)]
    march = rows(datasette, f"/{DB_NAME}/articles.json", published_at__startswith="2024-03")
    assert len(march) == 5


def test_internal_tables_are_hidden(datasette):
    tables = {table["name"]: table["hidden"] for table in get(datasette, f"/{DB_NAME}.json")["tables"]}
    shown = {name for name, hidden in tables.items() if not hidden}
    assert shown == {"articles", "crawl_runs", "crawl_parts", "page_failures", "rejects"}
    assert {"pages", "articles_fts", "dedup_signatures", "dedup_bands", "dedup_deletions",
            "alembic_version"} <= set(tables)


def test_articles_page_lists_short_rows(datasette):
    listed = page(datasette, f"/{DB_NAME}/articles")
    assert re.findall(r'<th [^>]*data-column="(\w+)"', listed) == LIST_COLUMNS
    bodies = re.findall(r'<td class="col-body type-str">(.*?)</td>', listed, flags=re.S)
    assert len(bodies) == 12 and max(len(html.unescape(body)) for body in bodies) <= 61
    assert "Publication time, ISO 8601" in listed  # the descriptions stay, folded by a script
    # the JSON API keeps every column
    assert "body_html" in rows(datasette, f"/{DB_NAME}/articles.json")[0]


def test_a_row_page_shows_the_whole_article(datasette):
    whole = page(datasette, f"/{DB_NAME}/articles/1")
    assert html.escape(ARTICLES[0]["body"], quote=False) in whole


def test_crawl_runs_read_as_sentences(datasette):
    listed = page(datasette, f"/{DB_NAME}/crawl_runs")
    assert "<li>No new article, though 3 of the previous 4 runs brought some.</li>" in listed
    assert "zero_new" not in listed and "downloader/request_count" not in listed


def test_canned_latest_per_site(datasette):
    found = rows(datasette, f"/{DB_NAME}/latest_per_site.json", per_site="1")
    assert [(row["site"], row["url"]) for row in found] == [
        ("a", "https://a.example/1"), ("b", "https://b.example/1"), ("c", "https://c.example/f5")]


def test_canned_reprint_clusters(datasette):
    [cluster] = rows(datasette, f"/{DB_NAME}/reprint_clusters.json")
    assert (cluster["articles"], cluster["sites"], cluster["url"]) == (2, 2, "https://a.example/1")


# What a reader sees first, in a browser --------------------------------------------------

def chromium(*arguments: str, profile: Path) -> str:
    browser = shutil.which("chromium")
    assert browser, "headless Chromium is needed: apt-get install -y chromium"
    result = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--window-size={SCREEN[0]},{SCREEN[1] + 200}", "--virtual-time-budget=5000",
         f"--user-data-dir={profile}", *arguments],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def first_screen(url: str, profile: Path) -> dict:
    dom = chromium("--dump-dom", url, profile=profile)
    found = re.search(r'<pre id="first-screen">(.*?)</pre>', dom, flags=re.S)
    assert found, dom[-2000:]
    screen = json.loads(html.unescape(found.group(1)))
    assert screen["width"] == SCREEN[0]  # the page was laid out as wide as the screen
    return screen


def test_first_screen_of_the_articles_page(datasette, tmp_path):
    screen = first_screen(f"{datasette}/{DB_NAME}/articles", tmp_path / "profile")
    assert screen["heading"] == "articles"
    assert screen["headers"] == LIST_COLUMNS and not screen["wider_than_window"]
    assert set(screen["facets"]) == {"site", "published_at"}
    assert screen["descriptions"] == 0
    assert len(screen["rows"]) >= 4
    newest = screen["rows"][0]
    assert newest[1:5] == ["社区消防宣传第5期", "c", "2024-03-15 09:00", "区融媒体中心"]
    assert newest[5] == FILLER[:60] + "…"  # the body's start, not the whole body


def test_first_screen_of_a_search(datasette, tmp_path):
    url = f"{datasette}/{DB_NAME}/articles?" + urllib.parse.urlencode({"_search": "诈骗"})
    screen = first_screen(url, tmp_path / "profile")
    assert screen["path"].startswith(f"/{DB_NAME}/search?q=")
    assert screen["heading"] == "Search articles"
    assert screen["headers"] == ["id", "title", "site", "published_at", "snippet", "url"]
    assert len(screen["rows"]) >= 2
    assert {row[1] for row in screen["rows"][:2]} == {"民警破获电信诈骗案"}
    assert screen["marks"] and set(screen["marks"]) <= {"诈骗", "詐騙"}

    shot = tmp_path / "search.png"
    chromium(f"--screenshot={shot}", url, profile=tmp_path / "profile-shot")
    highlight = (0xFF, 0xE0, 0x66)  # the plugin's <mark> background
    top = Image.open(shot).convert("RGB").crop((0, 0, *SCREEN))
    assert dict((colour, n) for n, colour in top.getcolors(1 << 24)).get(highlight, 0) > 200
