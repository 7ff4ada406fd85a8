"""Exceptions with a meaning for the crawl's bookkeeping."""

from scrapy.exceptions import DropItem
from sqlalchemy.engine import make_url


class Rejected(DropItem):
    """An item that must not be stored as an article; it is recorded in ``rejects``."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class ArgumentError(ValueError):
    """A bad spider argument or setting, reported to the user in one line."""


def store_error_message(url: str, error: Exception) -> str:
    """One line naming the database and the cause, for an error the store raised."""
    parsed = make_url(url)
    sqlite = parsed.get_backend_name() == "sqlite" and parsed.database
    where = parsed.database if sqlite else parsed.render_as_string(hide_password=True)
    cause = getattr(error, "orig", None) or error
    return f"cannot write to {where}: {cause}"
