"""The ``page_failures`` table: pages that did not become articles, with why, how often
and when they are tried again (``crawler.failures`` decides what is a passing failure)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Connection, Row

from crawler import clock
from crawler.addon import SETTINGS
from crawler.models import PageFailure
from crawler.storage.articles import insert_for
from crawler.storage.database import table_of

RETRY, GAVE_UP, REJECTED = "retry", "gave_up", "rejected"
_TABLE = table_of(PageFailure)


def iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class RetryPolicy:
    """How often a passing failure is tried again, from the ``FAILURE_*`` settings."""

    max_attempts: int = SETTINGS["FAILURE_MAX_ATTEMPTS"]
    delay: float = SETTINGS["FAILURE_RETRY_DELAY"]  # seconds before the first retry; doubled after each attempt

    @classmethod
    def from_settings(cls, settings) -> RetryPolicy:
        return cls(max(1, settings.getint("FAILURE_MAX_ATTEMPTS")),
                   settings.getfloat("FAILURE_RETRY_DELAY"))

    def next_try(self, attempts: int, now: datetime) -> datetime:
        return now + timedelta(seconds=self.delay * 2 ** (attempts - 1))


def record(connection: Connection, spider: str, url: str, reason: str, *, passing: bool,
           policy: RetryPolicy, run_id: int | None, request: dict | None):
    """Count one more failed attempt at ``url``; return its row (state, attempts).  The row is
    made with ``ON CONFLICT DO NOTHING`` and then locked, so concurrent writers count once each."""
    now = clock.now()
    connection.execute(insert_for(connection)(_TABLE).values(
        spider=spider, url=url, state=RETRY, reason=reason, attempts=0, first_failed_at=iso(now),
        last_failed_at=iso(now), request="{}").on_conflict_do_nothing())
    query = select(_TABLE).where(_TABLE.c.spider == spider, _TABLE.c.url == url)
    if connection.dialect.name == "postgresql":
        query = query.with_for_update()
    attempts = connection.execute(query).one().attempts + 1
    if not passing:
        state, next_try = REJECTED, None
    elif attempts >= policy.max_attempts:
        state, next_try = GAVE_UP, None
    else:
        state, next_try = RETRY, iso(policy.next_try(attempts, now))
    connection.execute(update(_TABLE).where(_TABLE.c.spider == spider, _TABLE.c.url == url).values(
        attempts=attempts, run_id=run_id, reason=reason, last_failed_at=iso(now), state=state,
        next_try_at=next_try, request=json.dumps(request or {}, ensure_ascii=False, sort_keys=True)))
    return connection.execute(query).one()


def due(connection: Connection, spider: str) -> Sequence[Row]:
    """The spider's passing failures whose next try has come, oldest first."""
    now = iso(clock.now())
    return connection.execute(select(_TABLE).where(
        _TABLE.c.spider == spider, _TABLE.c.state == RETRY, _TABLE.c.next_try_at <= now)
        .order_by(_TABLE.c.last_failed_at)).all()


def clear(connection: Connection, spider: str, urls: set[str]) -> None:
    """Forget the failures of pages that became articles."""
    connection.execute(delete(_TABLE).where(_TABLE.c.spider == spider, _TABLE.c.url.in_(sorted(urls))))
