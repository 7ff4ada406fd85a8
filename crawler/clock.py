"""The project's one clock.

Every "now" the crawler reasons with (relative dates such as 昨天, the refresh window,
``Retry-After`` waits, stored timestamps) is read here, so that one frozen clock
(time-machine, in the tests) moves them all together.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo


def now(tz: tzinfo = UTC) -> datetime:
    """The current moment, aware, in ``tz`` (UTC unless given)."""
    return datetime.now(tz)


def utc_timestamp() -> str:
    """Now in UTC as ISO 8601 to the second, the form stored timestamps take."""
    return now().replace(microsecond=0).isoformat()
