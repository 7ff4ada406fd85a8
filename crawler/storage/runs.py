"""Run history and rejects: what the frontier, health, reparse and the crawl summary read."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection, Row

from crawler.models import Article, CrawlPart, CrawlRun, Reject
from crawler.storage.database import table_of


def start_run(connection: Connection, spider: str, now: str) -> int:
    return connection.execute(
        table_of(CrawlRun).insert().returning(CrawlRun.id),
        {"spider": spider, "started_at": now, "pages_fetched": 0, "articles_new": 0,
         "articles_updated": 0, "articles_unchanged": 0, "rejects": 0, "generic_fallbacks": 0,
         "errors": 0, "alarms": "[]"}).scalar_one()


def update_run(connection: Connection, run_id: int, fields: dict) -> None:
    connection.execute(update(CrawlRun).where(CrawlRun.id == run_id).values(**fields))


def start_part(connection: Connection, run_id: int, worker: str, now: str) -> int:
    return connection.execute(table_of(CrawlPart).insert().returning(CrawlPart.id),
                              {"run_id": run_id, "worker": worker, "started_at": now}).scalar_one()


def finish_part(connection: Connection, part_id: int, fields: dict) -> None:
    connection.execute(update(CrawlPart).where(CrawlPart.id == part_id).values(**fields))


def part_stats(connection: Connection, run_id: int) -> list[dict]:
    """The Scrapy stats of every part of a crawl that reported them."""
    return [json.loads(stats) for stats in connection.scalars(select(CrawlPart.stats).where(CrawlPart.run_id == run_id))
            if stats is not None]


def add_reject(connection: Connection, spider: str, url: str, reason: str, run_id: int | None,
               now: str) -> None:
    connection.execute(table_of(Reject).insert(), {"spider": spider, "url": url, "reason": reason,
                                                   "run_id": run_id, "created_at": now})


def stored_urls(connection: Connection, site: str, urls: list[str]) -> dict[str, str]:
    """Those of ``urls`` stored as articles or rejected pages of the site, each with when it
    was published or seen ("" if unknown); an article's date wins over a rejection's."""
    found: dict[str, str] = {}
    for start in range(0, len(urls), 500):
        chunk = urls[start:start + 500]
        rows = [*connection.execute(select(Reject.url, func.max(Reject.created_at))
                                    .where(Reject.spider == site, Reject.url.in_(chunk)).group_by(Reject.url)),
                # by URL alone (unique), the site checked here: given the site too, SQLite's
                # planner walks every article of the site instead of the URL index
                *((url, when) for url, article_site, when in connection.execute(
                    select(Article.url, Article.site, func.coalesce(Article.published_at, Article.first_seen_at))
                    .where(Article.url.in_(chunk))) if article_site == site)]
        found.update((url, when or "") for url, when in rows)
    return found


def site_urls(connection: Connection, site: str) -> set[str]:
    """URLs of a site's stored articles and rejected pages."""
    urls = set(connection.scalars(select(Article.url).where(Article.site == site)))
    urls.update(connection.scalars(select(Reject.url).where(Reject.spider == site)))
    return urls


def previous_run(connection: Connection, spider: str, other_than: int | None):
    """The newest run of ``spider`` other than ``other_than`` (the running one)."""
    return connection.execute(
        select(CrawlRun).where(CrawlRun.spider == spider, CrawlRun.id != other_than)
        .order_by(CrawlRun.id.desc()).limit(1)).first()


def finished_runs(connection: Connection, spider: str, before_id: int | None, limit: int) -> Sequence[Row]:
    """The spider's finished runs with stats before ``before_id``, newest first."""
    query = select(CrawlRun).where(CrawlRun.spider == spider, CrawlRun.finish_reason == "finished",
                                   CrawlRun.stats.is_not(None))
    if before_id is not None:
        query = query.where(CrawlRun.id < before_id)
    return connection.execute(query.order_by(CrawlRun.id.desc()).limit(limit)).all()


def recent_runs(connection: Connection, spider: str, limit: int) -> Sequence[Row]:
    return connection.execute(select(CrawlRun).where(CrawlRun.spider == spider)
                              .order_by(CrawlRun.id.desc()).limit(limit)).all()


def run_spiders(connection: Connection) -> list[str]:
    return list(connection.scalars(select(CrawlRun.spider).distinct().order_by(CrawlRun.spider)))


def get_run(connection: Connection, run_id: int):
    return connection.execute(select(CrawlRun).where(CrawlRun.id == run_id)).first()
