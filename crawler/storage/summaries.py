"""Read-only summaries of a corpus: what ``stats``, ``report``, ``dups`` and ``demo`` print."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Integer, case, cast, func, select
from sqlalchemy.engine import Connection

from crawler.models import Article, CrawlRun, PageFailure, Reject

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


def _count_where(condition):
    return func.sum(cast(case((condition, 1), else_=0), Integer))


def _cluster_sizes():
    return (select(Article.cluster_id, func.count().label("size"))
            .where(Article.cluster_id.is_not(None)).group_by(Article.cluster_id).subquery())


def articles_per_site_month(connection: Connection) -> list[tuple[str, str, int]]:
    """(site, YYYY-MM or 'undated', articles), by site then month."""
    month = func.coalesce(func.substr(Article.published_at, 1, 7), "undated")
    query = select(Article.site, month, func.count()).group_by(Article.site, month).order_by(
        Article.site, month)
    return [tuple(row) for row in connection.execute(query)]


def articles_per_site_day(connection: Connection, first_day: str, last_day: str) -> list[tuple[str, str, int]]:
    """(site, YYYY-MM-DD, articles) for publication days in [first_day, last_day]."""
    day = func.substr(Article.published_at, 1, 10)
    query = (select(Article.site, day, func.count())
             .where(day >= first_day, day <= last_day)
             .group_by(Article.site, day).order_by(Article.site, day))
    return [tuple(row) for row in connection.execute(query)]


def publication_span(connection: Connection) -> tuple[str | None, str | None]:
    """The first and the last publication day (YYYY-MM-DD) of the dated articles."""
    day = func.substr(Article.published_at, 1, 10)
    return tuple(connection.execute(select(func.min(day), func.max(day))).one())


@dataclass(frozen=True)
class Coverage:
    site: str
    articles: int
    present: dict[str, int]  # field -> articles where it is present

    def share(self, field: str) -> float:
        return self.present[field] / self.articles if self.articles else 0.0


def field_coverage(connection: Connection) -> list[Coverage]:
    counts = [_count_where(condition) for condition in COVERAGE_FIELDS.values()]
    query = select(Article.site, func.count(), *counts).group_by(Article.site).order_by(Article.site)
    return [Coverage(site, total, dict(zip(COVERAGE_FIELDS, (n or 0 for n in present), strict=True)))
            for site, total, *present in connection.execute(query)]


@dataclass(frozen=True)
class Duplicates:
    site: str
    articles: int
    in_clusters: int  # articles that share their cluster with another article


def duplicates_per_site(connection: Connection) -> list[Duplicates]:
    """Per site: articles, and how many belong to a reprint cluster of two or more."""
    sizes = _cluster_sizes()
    shared = func.sum(case((sizes.c.size > 1, 1), else_=0))
    query = (select(Article.site, func.count(), shared)
             .outerjoin(sizes, sizes.c.cluster_id == Article.cluster_id)
             .group_by(Article.site).order_by(Article.site))
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


def largest_clusters(connection: Connection, limit: int = 10) -> list[Cluster]:
    """Reprint clusters of two or more articles, largest first; title and URL of the canonical one."""
    sizes = _cluster_sizes()
    query = (select(sizes.c.cluster_id, sizes.c.size).where(sizes.c.size > 1)
             .order_by(sizes.c.size.desc(), sizes.c.cluster_id).limit(limit))
    clusters = []
    for cluster_id, size in connection.execute(query).all():
        members = connection.execute(
            select(Article.id, Article.site, Article.title, Article.url, Article.published_at)
            .where(Article.cluster_id == cluster_id)).all()
        canonical = next((m for m in members if m.id == cluster_id), members[0])
        dates = [m.published_at for m in members if m.published_at]
        clusters.append(Cluster(cluster_id, size, sorted({m.site for m in members}),
                                canonical.title, canonical.url, min(dates) if dates else None))
    return clusters


def cluster_members(connection: Connection, site: str | None) -> dict[int, list]:
    """Clusters of two or more articles (with an article of ``site``), as id -> member rows."""
    shared = select(Article.cluster_id).group_by(Article.cluster_id).having(func.count() > 1)
    if site is not None:
        shared = shared.where(Article.cluster_id.in_(select(Article.cluster_id).where(Article.site == site)))
    grouped: dict[int, list] = defaultdict(list)
    for row in connection.execute(
            select(Article.id, Article.cluster_id, Article.site, Article.url, Article.title,
                   Article.published_at, Article.first_seen_at).where(Article.cluster_id.in_(shared))):
        grouped[row.cluster_id].append(row)
    return dict(grouped)


def site_articles(connection: Connection, site: str) -> int:
    return connection.execute(select(func.count()).where(Article.site == site)).scalar_one()


def rejects_per_spider(connection: Connection, reasons: int = 3) -> list[tuple[str, int, list[tuple[str, int]]]]:
    """(spider, rejects, its most frequent reasons with counts)."""
    query = (select(Reject.spider, Reject.reason, func.count().label("n"))
             .group_by(Reject.spider, Reject.reason).order_by(Reject.spider, func.count().desc()))
    summary: dict[str, list[tuple[str, int]]] = {}
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


def last_runs(connection: Connection) -> list[Run]:
    """The newest ``crawl_runs`` row of each spider."""
    newest = select(func.max(CrawlRun.id)).group_by(CrawlRun.spider).scalar_subquery()
    query = select(CrawlRun).where(CrawlRun.id.in_(newest)).order_by(CrawlRun.spider)
    return [Run(row.spider, row.started_at, row.finished_at, row.finish_reason,
                row.pages_fetched, row.articles_new, row.articles_updated, row.rejects,
                row.errors, json.loads(row.alarms or "[]"))
            for row in connection.execute(query)]


def site_summary(connection: Connection) -> list[tuple]:
    """Per site: articles, dated, with source, with author, body characters, articles in
    a reprint cluster, rejects, newest publication day (sites with rejects only included)."""
    query = select(
        Article.site, func.count(), _count_where(Article.published_at.is_not(None)),
        _count_where(Article.source.is_not(None)), _count_where(Article.author.is_not(None)),
        func.sum(func.length(Article.body)), func.max(Article.published_at),
    ).group_by(Article.site).order_by(Article.site)
    rejects = dict(connection.execute(select(Reject.spider, func.count()).group_by(Reject.spider)).all())
    reprinted = {row.site: row.in_clusters for row in duplicates_per_site(connection)}
    rows = [(site, total, dated, sourced, authored, chars or 0, reprinted.get(site, 0),
             rejects.pop(site, 0), (newest or "")[:10])
            for site, total, dated, sourced, authored, chars, newest in connection.execute(query)]
    rows.extend((site, 0, 0, 0, 0, 0, 0, count, "") for site, count in sorted(rejects.items()))
    return rows


@dataclass(frozen=True)
class Failure:
    spider: str
    url: str
    state: str
    reason: str
    attempts: int
    last_failed_at: str
    next_try_at: str | None


def recent_failures(connection: Connection, limit: int = 20) -> list[Failure]:
    """The ``page_failures`` rows that failed last, newest first."""
    query = (select(PageFailure.spider, PageFailure.url, PageFailure.state, PageFailure.reason,
                    PageFailure.attempts, PageFailure.last_failed_at, PageFailure.next_try_at)
             .order_by(PageFailure.last_failed_at.desc(), PageFailure.id.desc()).limit(limit))
    return [Failure(*row) for row in connection.execute(query)]


def failures_per_spider(connection: Connection) -> dict[str, dict[str, int]]:
    """spider -> state (retry, gave_up, rejected) -> pages in ``page_failures``."""
    query = (select(PageFailure.spider, PageFailure.state, func.count())
             .group_by(PageFailure.spider, PageFailure.state).order_by(PageFailure.spider))
    counts: dict[str, dict[str, int]] = {}
    for spider, state, count in connection.execute(query):
        counts.setdefault(spider, {})[state] = count
    return counts
