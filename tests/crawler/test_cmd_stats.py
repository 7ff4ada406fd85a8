"""crawler stats and the corpus summaries behind it (shared with crawler report)."""

from __future__ import annotations

import json

import pytest

from crawler.cli import main
from crawler.corpus import display_width, format_table
from crawler.storage import Store
from tests.conftest import execute


def article(site, number, published_at, **fields):
    return dict(site=site, url=f"https://{site}.example/{number}", title=f"{site} {number}",
                published_at=published_at, body="正文", **fields)


@pytest.fixture
def store(database_url):
    store = Store.migrated(database_url)
    store.upsert_articles([
        article("a", 1, "2024-01-05T10:00:00+08:00", source="人民公安报", author="张三"),
        article("a", 2, "2024-01-20T10:00:00+08:00", source="人民公安报"),
        article("a", 3, "2024-02-01T10:00:00+08:00"),
        article("b", 1, "2024-01-06T10:00:00+08:00", images=[{"src": "x.jpg", "alt": ""}]),
        article("b", 2, None),
    ])
    # a-1, b-1 and a-3 are one story; b-2 stands alone
    for url, cluster in (("https://a.example/1", 1), ("https://b.example/1", 1),
                         ("https://a.example/3", 1), ("https://a.example/2", 2),
                         ("https://b.example/2", 5)):
        execute(store.url, "UPDATE articles SET cluster_id = ? WHERE url = ?", cluster, url)
    first = store.start_run("a")
    store.finish_run(first, finish_reason="finished", pages_fetched=9)
    second = store.start_run("a")
    store.finish_run(second, finish_reason="closespider_errorcount", pages_fetched=4, errors=3)
    store.update_run(second, alarms=json.dumps(["no articles from column 12"], ensure_ascii=False))
    store.add_reject("b", "https://b.example/9", "no body")
    store.add_reject("b", "https://b.example/8", "no body")
    store.add_reject("b", "https://b.example/7", "not an article")
    yield store
    store.close()


def test_articles_per_site_and_month(store):
    assert store.articles_per_site_month() == [
        ("a", "2024-01", 2), ("a", "2024-02", 1), ("b", "2024-01", 1), ("b", "undated", 1)]


def test_duplicates_count_articles_in_clusters_of_two_or_more(store):
    assert [(d.site, d.articles, d.in_clusters) for d in store.duplicates_per_site()] == [
        ("a", 3, 2), ("b", 2, 1)]
    [cluster] = store.largest_clusters()
    assert (cluster.cluster_id, cluster.size, cluster.sites, cluster.url) == (
        1, 3, ["a", "b"], "https://a.example/1")


def test_last_run_of_each_spider_with_alarms(store):
    [run] = store.last_runs()
    assert (run.spider, run.finish_reason, run.pages_fetched, run.alarms) == (
        "a", "closespider_errorcount", 4, ["no articles from column 12"])


def test_rejects_grouped_by_reason(store):
    assert store.rejects_per_spider() == [("b", 3, [("no body", 2), ("not an article", 1)])]


def test_field_coverage(store):
    coverage = {c.site: c for c in store.field_coverage()}
    assert coverage["a"].present["source"] == 2 and coverage["a"].present["author"] == 1
    assert coverage["b"].share("published_at") == 0.5 and coverage["b"].share("images") == 0.5


def test_stats_command_prints_every_section(store, capsys):
    assert main(["stats", "--db", store.url]) == 0
    out = capsys.readouterr().out
    assert out.startswith("5 articles from 2 sites")
    lines = [line.split() for line in out.splitlines()]
    assert ["a", "2024-01", "2"] in lines and ["b", "undated", "1"] in lines
    assert ["a", "3", "2", "67%"] in lines                        # duplicates
    assert "no body (2); not an article (1)" in out               # rejects
    assert any(line[:1] == ["a"] and "closespider_errorcount" in line and line[-1] == "1"
               for line in lines)                                  # last run, one alarm
    assert ["b", "2", "100%", "50%", "0%", "0%", "0%", "0%", "100%", "50%", "0%"] in lines


def test_stats_on_a_missing_database_is_a_usage_error(tmp_path, capsys):
    assert main(["stats", "--db", str(tmp_path / "none.db")]) == 2
    assert "no database at" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()


def test_tables_line_up_by_display_width_with_chinese_cells():
    lines = format_table(("spider", "rejects", "most frequent reasons"),
                         [("jszf", 12, "正文过短，疑似模板变化 (12)"), ("wjyanghu", 3, "no body (3)")])
    # Text columns are left-aligned, numbers right-aligned, and the Han cell takes two columns
    # per character, so the reason column starts at the same screen column on every line.
    starts = {display_width(line[:line.index(reason)]) for line, reason in
              zip(lines[2:], ("正文过短", "no body"), strict=True)}
    assert len(starts) == 1
    assert lines[2].startswith("jszf     ") and lines[2].split()[1] == "12"
    assert display_width(lines[2]) == display_width(lines[1]), "the rule spans the widest cell"
