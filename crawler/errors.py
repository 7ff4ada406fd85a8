"""Exceptions with a meaning for the crawl's bookkeeping.

``Rejected`` is a Scrapy ``DropItem``; it is made on first use (PEP 562), so that the
commands that only need ``ArgumentError`` do not import Scrapy.
"""


class ArgumentError(ValueError):
    """A bad spider argument or setting, reported to the user in one line."""


def _rejected_class():
    from scrapy.exceptions import DropItem

    class Rejected(DropItem):
        """An item that must not be stored as an article; it is recorded in ``rejects``."""

        def __init__(self, reason: str):
            super().__init__(reason)
            self.reason = reason

    Rejected.__module__ = __name__
    return Rejected


def __getattr__(name: str):
    if name == "Rejected":
        globals()["Rejected"] = rejected = _rejected_class()
        return rejected
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
