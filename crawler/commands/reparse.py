"""crawler reparse: parse stored articles again from the raw pages kept in the database.

After a spider or a cleaning stage is fixed, the corpus can be brought up to date
without fetching anything: every stored article (and every rejected page) of the
named sites is served from ``pages`` (``FIXTURES=archive``) and goes through the
spider and the pipelines again; rows change only where the result differs.
"""

from __future__ import annotations

import argparse
import sys
from urllib.parse import urlsplit

from scrapy.spiderloader import get_spider_loader

from crawler.corpus import add_database_argument, database_url, format_table
from crawler.errors import ArgumentError
from crawler.runner import (
    check_spiders,
    project_settings,
    run_crawlers,
    runnable_spiders,
)
from crawler.runs import run_id_of
from crawler.storage import Store, StoreError, sqlite_path
from crawler.urls import canonical_url, url_rules

help = "parse stored articles again, offline, from the raw pages kept in the database"


def add_arguments(parser) -> None:
    parser.add_argument("spiders", nargs="*", metavar="SPIDER", help="sites to parse again")
    parser.add_argument("--all", action="store_true", help="every site spider")
    add_database_argument(parser)
    parser.add_argument("--log-level", default="WARNING", help="Scrapy log level (default WARNING)")


def pages_to_reparse(store: Store, spider_class) -> list[str]:
    """The raw pages behind a site's stored articles and rejects: one per canonical URL,
    the publisher's own page before a mirror's copy, page 1 before later pages."""
    rules = url_rules(spider_class)
    wanted = {canonical_url(url, **rules) for url in store.site_urls(spider_class.name)}
    mirrors = spider_class.mirror_hosts

    def rank(url: str) -> tuple:
        return urlsplit(url).hostname in mirrors, len(url), url

    chosen: dict[str, str] = {}
    for url in store.page_urls():
        key = canonical_url(url, **rules)
        if key in wanted and (key not in chosen or rank(url) < rank(chosen[key])):
            chosen[key] = url
    return sorted(chosen.values())


def run(args: argparse.Namespace) -> int:
    url = database_url(args.db)
    path = sqlite_path(url)
    if path is not None and not path.is_file():
        raise ArgumentError(f"no database at {path}")
    settings = project_settings(DATABASE_URL=url, FIXTURES="archive", LOG_LEVEL=args.log_level,
                                DOWNLOAD_DELAY=0, AUTOTHROTTLE_ENABLED=False)
    if args.all == bool(args.spiders):
        raise ArgumentError("name the spiders whose articles to parse again, or give --all (not both)")
    names = runnable_spiders(settings) if args.all else args.spiders
    check_spiders(names, settings)
    loader = get_spider_loader(settings)
    store = Store.migrated(url)
    try:
        per_spider = {}
        for name in names:
            urls = pages_to_reparse(store, loader.load(name))
            if urls:
                per_spider[name] = {"article_url": ",".join(urls)}
        if not per_spider:
            print("No stored page to parse again.")
            return 0
        crawlers = run_crawlers(list(per_spider), settings, per_spider=per_spider)
        rows = []
        for name, crawler in crawlers.items():
            run_id = run_id_of(crawler)
            run = store.run(run_id) if run_id is not None else None
            if run is None:
                raise StoreError(f"{store.name}: the {name} run was not recorded")
            rows.append((name, len(per_spider[name]["article_url"].split(",")), run.articles_new,
                         run.articles_updated, run.articles_unchanged, run.rejects,
                         run.finish_reason or "-"))
    finally:
        store.close()
    print("\n".join(format_table(("site", "pages", "new", "updated", "unchanged", "rejects", "finish"), rows)))
    failures = [crawler.stats.get_value("store/error") for crawler in crawlers.values()]
    for failure in filter(None, failures):
        print(f"crawler reparse: {failure}", file=sys.stderr)
    return 1 if any(failures) else 0
