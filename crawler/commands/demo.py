"""crawler demo: every spider, offline, on the bundled fixtures, into SQLite."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from crawler.corpus import duplicates_per_site, format_table
from crawler.models import Article, Reject
from crawler.runner import project_settings, run_spiders, runnable_spiders
from crawler.storage import Store, check_database_url

help = "run every spider offline on the bundled fixtures into SQLite and print a table per site"

DEFAULT_DB = Path("data/demo.db")


def add_arguments(parser) -> None:
    parser.add_argument("--db", type=Path, default=None,
                        help=f"SQLite file to write (default: a fresh {DEFAULT_DB}; a given file is "
                             "updated in place, never deleted)")
    parser.add_argument("--log-level", default="WARNING", type=str.upper,
                        choices=["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"],
                        help="Scrapy log level (default WARNING)")


def fresh(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def summary_rows(store: Store) -> list[tuple]:
    """One row per site: articles, field coverage, articles in a reprint cluster, rejects."""
    with store.session() as session:
        def count_where(condition):
            return func.sum(func.iif(condition, 1, 0))
        query = select(
            Article.site,
            func.count(),
            count_where(Article.published_at.is_not(None)),
            count_where(Article.source.is_not(None)),
            count_where(Article.author.is_not(None)),
            func.sum(func.length(Article.body)),
            func.max(Article.published_at),
        ).group_by(Article.site).order_by(Article.site)
        rejects = dict(session.execute(select(Reject.spider, func.count()).group_by(Reject.spider)).all())
        reprinted = {row.site: row.in_clusters for row in duplicates_per_site(store.engine)}
        rows = []
        for site, total, dated, sourced, authored, chars, newest in session.execute(query):
            rows.append((site, total, dated, sourced, authored, chars or 0, reprinted.get(site, 0),
                         rejects.pop(site, 0), (newest or "")[:10]))
        rows.extend((site, 0, 0, 0, 0, 0, 0, count, "") for site, count in sorted(rejects.items()))
        return rows


def print_table(rows: list[tuple]) -> None:
    header = ("site", "articles", "dated", "source", "author", "body chars", "reprints", "rejects",
              "newest")
    print("\n".join(format_table(header, rows)))


def run(args) -> int:
    path = args.db or DEFAULT_DB
    url = f"sqlite:///{path.resolve()}"
    check_database_url(url)
    if args.db is None:
        fresh(path)
    settings = project_settings(FIXTURES="replay", DATABASE_URL=url, LOG_LEVEL=args.log_level,
                                DOWNLOAD_DELAY=0, AUTOTHROTTLE_ENABLED=False)
    names = runnable_spiders(settings)
    run_spiders(names, settings)
    store = Store(url)
    print(f"Offline demo: {len(names)} spiders replayed from fixtures into {path}")
    print_table(summary_rows(store))
    store.close()
    return 0
