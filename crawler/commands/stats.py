"""crawler stats: what the corpus holds, per site."""

from __future__ import annotations

import argparse

from crawler.corpus import add_database_argument, format_table, open_store
from crawler.storage.summaries import COVERAGE_FIELDS

help = "print articles per site and month, duplicates, rejects, last runs and field coverage"


def add_arguments(parser) -> None:
    add_database_argument(parser)


def print_table(title: str, header: tuple[str, ...], rows: list[tuple]) -> None:
    print(f"\n{title}")
    if not rows:
        print("  (none)")
        return
    for line in format_table(header, rows):
        print("  " + line)


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def run(args: argparse.Namespace) -> int:
    store = open_store(args.db)
    try:
        months = store.articles_per_site_month()
        duplicates = store.duplicates_per_site()
        rejects = store.rejects_per_spider()
        runs = store.last_runs()
        coverage = store.field_coverage()
    finally:
        store.close()

    total = sum(row.articles for row in duplicates)
    source = store.name
    print(f"{total} articles from {len(duplicates)} sites in {source}")
    print_table("Articles per site and month", ("site", "month", "articles"), months)
    print_table("Duplicates (articles sharing a reprint cluster with another)",
                ("site", "articles", "in clusters", "share"),
                [(d.site, d.articles, d.in_clusters, percent(d.in_clusters, d.articles))
                 for d in duplicates])
    print_table("Rejects", ("spider", "rejects", "most frequent reasons"),
                [(spider, count, "; ".join(f"{reason} ({n})" for reason, n in reasons))
                 for spider, count, reasons in rejects])
    print_table("Last run of each spider",
                ("spider", "started", "finish", "pages", "new", "updated", "rejects", "errors",
                 "alarms"),
                [(r.spider, r.started_at, r.finish_reason or "running", r.pages_fetched,
                  r.articles_new, r.articles_updated, r.rejects, r.errors, len(r.alarms))
                 for r in runs])
    print_table("Field coverage (share of articles with the field)",
                ("site", "articles", *COVERAGE_FIELDS),
                [(c.site, c.articles, *(percent(c.present[f], c.articles) for f in COVERAGE_FIELDS))
                 for c in coverage])
    return 0
