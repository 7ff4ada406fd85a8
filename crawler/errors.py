"""Exceptions with a meaning for the crawl's bookkeeping."""

from scrapy.exceptions import DropItem


class Rejected(DropItem):
    """An item that must not be stored as an article; it is recorded in ``rejects``."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class ArgumentError(ValueError):
    """A bad spider argument or setting, reported to the user in one line."""
