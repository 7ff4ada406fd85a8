"""Read-only summaries of a corpus database, shared by ``crawler stats`` and ``crawler report``."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Integer, case, cast, func, select
from sqlalchemy.engine import Engine

from crawler.errors import ArgumentError
from crawler.models import Article, CrawlRun, Reject
from crawler.storage import Store, sqlite_path

# Fields whose coverage tells whether a site's parsing still works, with what "present" means.
COVERAGE_FIELDS = {
    "title": Article.title.is_not(None) & (Article.title != ""),
    "published_at": Article.published_at.is_not(None),
    "source": Article.source.is_not(None) & (Article.source != ""),
    "author": Article.author.is_not(None) & (Article.author != ""),
    "editor": Article.editor.is_not(None) & (Article.editor != ""),
    "section": Article.section.is_not(None) & (Article.section != ""),
    "body": Article.body.is_not(None) & (Article.body != ""),
    "images": Article.images.is_not(None) & (Article.images != "[]"),
    "views": Article.views.is_not(None),
}


def add_database_argument(parser) -> None:
    parser.add_argument("--db", help="SQLite file or SQLAlchemy URL to read "
                                     "(default: the DATABASE_URL setting, data/news.db)")


def open_store(db: str | None) -> Store:
    """The store named on the command line, or the project's; a missing SQLite file is an error."""
    if db is None:
        from crawler.runner import project_settings  # Scrapy, only when no --db is given

        url = project_settings().get("DATABASE_URL")
    elif "://" in db:
        url = db
    else:
        url = f"sqlite:///{Path(db).resolve()}"
    path = sqlite_path(url)
    if path is not None and not path.exists():
        raise ArgumentError(f"no database at {path}")
    return Store(url)


_NUMERIC_CELL = re.compile(r"-|-?[\d.,]+%?")


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes: Han characters and full-width forms take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def format_table(header: tuple[str, ...], rows: list[tuple]) -> list[str]:
    """Lines of a plain-text table aligned by display width, so Chinese cells line up.

    A column whose cells are all numbers, shares or ``-`` is right-aligned; others left.
    """
    table = [header] + [tuple("" if value is None else str(value) for value in row) for row in rows]
    widths = [max(display_width(row[i]) for row in table) for i in range(len(header))]
    numeric = [all(_NUMERIC_CELL.fullmatch(row[i]) for row in table[1:]) for i in range(len(header))]

    def line(row):
        cells = [(" " * (width - display_width(value)) + value) if right
                 else (value + " " * (width - display_width(value)))
                 for value, width, right in zip(row, widths, numeric)]
        return "  ".join(cells).rstrip()

    return [line(table[0]), "  ".join("-" * width for width in widths), *map(line, table[1:])]


def parse_day(value: str | None, name: str = "--since") -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise ArgumentError(f"{name} must be a date as YYYY-MM-DD, not {value!r}") from None


def _cluster_sizes():
    return (select(Article.cluster_id, func.count().label("size"))
            .where(Article.cluster_id.is_not(None)).group_by(Article.cluster_id).subquery())


def articles_per_site_month(engine: Engine) -> list[tuple[str, str, int]]:
    """(site, YYYY-MM or 'undated', articles), by site then month."""
    month = func.coalesce(func.substr(Article.published_at, 1, 7), "undated")
    query = select(Article.site, month, func.count()).group_by(Article.site, month).order_by(
        Article.site, month)
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(query)]


def articles_per_site_day(engine: Engine, first_day: str, last_day: str) -> list[tuple[str, str, int]]:
    """(site, YYYY-MM-DD, articles) for publication days in [first_day, last_day]."""
    day = func.substr(Article.published_at, 1, 10)
    query = (select(Article.site, day, func.count())
             .where(day >= first_day, day <= last_day)
             .group_by(Article.site, day).order_by(Article.site, day))
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(query)]


def newest_day(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return connection.scalar(select(func.max(func.substr(Article.published_at, 1, 10))))


@dataclass(frozen=True)
class Coverage:
    site: str
    articles: int
    present: dict[str, int]  # field -> articles where it is present

    def share(self, field: str) -> float:
        return self.present[field] / self.articles if self.articles else 0.0


def field_coverage(engine: Engine) -> list[Coverage]:
    counts = [func.sum(cast(case((condition, 1), else_=0), Integer)) for condition in
              COVERAGE_FIELDS.values()]
    query = select(Article.site, func.count(), *counts).group_by(Article.site).order_by(Article.site)
    with engine.connect() as connection:
        return [Coverage(site, total, dict(zip(COVERAGE_FIELDS, (n or 0 for n in present))))
                for site, total, *present in connection.execute(query)]


@dataclass(frozen=True)
class Duplicates:
    site: str
    articles: int
    in_clusters: int  # articles that share their cluster with another article


def duplicates_per_site(engine: Engine) -> list[Duplicates]:
    """Per site: articles, and how many belong to a reprint cluster of two or more."""
    sizes = _cluster_sizes()
    shared = func.sum(case((sizes.c.size > 1, 1), else_=0))
    query = (select(Article.site, func.count(), shared)
             .outerjoin(sizes, sizes.c.cluster_id == Article.cluster_id)
             .group_by(Article.site).order_by(Article.site))
    with engine.connect() as connection:
        return [Duplicates(site, total, in_clusters or 0)
                for site, total, in_clusters in connection.execute(query)]


@dataclass(frozen=True)
class Cluster:
    cluster_id: int
    size: int
    sites: list[str]
    title: str | None
    url: str | None
    first_published: str | None


def largest_clusters(engine: Engine, limit: int = 10) -> list[Cluster]:
    """Reprint clusters of two or more articles, largest first; title and URL of the canonical one."""
    sizes = _cluster_sizes()
    query = (select(sizes.c.cluster_id, sizes.c.size).where(sizes.c.size > 1)
             .order_by(sizes.c.size.desc(), sizes.c.cluster_id).limit(limit))
    clusters = []
    with engine.connect() as connection:
        for cluster_id, size in connection.execute(query).all():
            members = connection.execute(
                select(Article.id, Article.site, Article.title, Article.url, Article.published_at)
                .where(Article.cluster_id == cluster_id)).all()
            canonical = next((m for m in members if m.id == cluster_id), members[0])
            dates = [m.published_at for m in members if m.published_at]
            clusters.append(Cluster(cluster_id, size, sorted({m.site for m in members}),
                                    canonical.title, canonical.url, min(dates) if dates else None))
    return clusters


def rejects_per_spider(engine: Engine, reasons: int = 3) -> list[tuple[str, int, list[tuple[str, int]]]]:
    """(spider, rejects, its most frequent reasons with counts)."""
    query = (select(Reject.spider, Reject.reason, func.count().label("n"))
             .group_by(Reject.spider, Reject.reason).order_by(Reject.spider, func.count().desc()))
    summary: dict[str, list[tuple[str, int]]] = {}
    with engine.connect() as connection:
        for spider, reason, count in connection.execute(query):
            summary.setdefault(spider, []).append((reason, count))
    return [(spider, sum(n for _, n in rows), rows[:reasons]) for spider, rows in summary.items()]


@dataclass(frozen=True)
class Run:
    spider: str
    started_at: str
    finished_at: str | None
    finish_reason: str | None
    pages_fetched: int
    articles_new: int
    articles_updated: int
    rejects: int
    errors: int
    alarms: list


def last_runs(engine: Engine) -> list[Run]:
    """The newest ``crawl_runs`` row of each spider."""
    newest = select(func.max(CrawlRun.id)).group_by(CrawlRun.spider).scalar_subquery()
    query = select(CrawlRun).where(CrawlRun.id.in_(newest)).order_by(CrawlRun.spider)
    with engine.connect() as connection:
        return [Run(row.spider, row.started_at, row.finished_at, row.finish_reason,
                    row.pages_fetched, row.articles_new, row.articles_updated, row.rejects,
                    row.errors, json.loads(row.alarms or "[]"))
                for row in connection.execute(query)]
