"""Schema revisions, read from the migration files without Alembic or SQLAlchemy, so that a
reading command checks a database's schema at the cost of a directory listing."""

from __future__ import annotations

import re
from pathlib import Path

from crawler.errors import ArgumentError, StoreError

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"

_REVISION_LINE = re.compile(r'^(revision|down_revision) = "(\w+)"', re.M)


def _revisions() -> dict[str, str | None]:
    """Each migration's revision and the one it revises."""
    found = {}
    for path in (MIGRATIONS / "versions").glob("[0-9]*.py"):
        fields = dict(_REVISION_LINE.findall(path.read_text("utf-8")))
        found[fields["revision"]] = fields.get("down_revision")
    return found


def known_revisions() -> set[str]:
    return set(_revisions())


def head_revision() -> str:
    revisions = _revisions()
    (head,) = set(revisions) - set(revisions.values())
    return head


def check_revision(revision: str | None, name: str) -> None:
    """Refuse, in one line, a database that is not a project database at the newest revision
    (``revision`` is its ``alembic_version``, None when it has none)."""
    if revision is None:  # a file given by mistake, as a missing one is: bad input
        raise ArgumentError(f"{name} is not a database of this project (no schema version); "
                            "a crawl or `crawler migrate` creates one")
    if revision not in known_revisions():
        raise StoreError(f"{name} has schema revision {revision}, unknown to this version of the project")
    if revision != head_revision():
        raise StoreError(f"{name} has an older schema (revision {revision}); "
                         f"upgrade it with `crawler migrate --db {name}`")
