"""Exceptions with a meaning for the crawl's bookkeeping.

``Rejected`` is a Scrapy ``DropItem``; it is made on first use (PEP 562), so that the
commands that only need ``ArgumentError`` do not import Scrapy.
"""


class ArgumentError(ValueError):
    """A bad spider argument or setting, reported to the user in one line."""


class StoreError(Exception):
    """The database cannot be used as asked; the message is one line for the user."""


def one_line_failure(name: str, error: BaseException) -> StoreError:
    """A database driver's error as a :class:`StoreError`: the database's name and the first
    line of the cause."""
    cause = str(error).strip().splitlines()
    return StoreError(f"{name}: {cause[0] if cause else type(error).__name__}")


def _rejected_class():
    from scrapy.exceptions import DropItem

    class Rejected(DropItem):
        """An item that must not be stored as an article; it is recorded in ``rejects``."""

        def __init__(self, reason: str):
            super().__init__(reason)
            self.reason = reason

    Rejected.__module__ = __name__
    Rejected.__qualname__ = "Rejected"  # pickled by name: rejections come back from workers
    return Rejected


def __getattr__(name: str):
    if name == "Rejected":
        globals()["Rejected"] = rejected = _rejected_class()
        return rejected
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def store_error_message(url: str, error: Exception) -> str:
    """One line naming the database and the cause, for an error the store raised."""
    from crawler.storage import database_name  # SQLAlchemy, only when a store failed

    if isinstance(error, StoreError):
        return f"cannot write to {error}"
    cause = getattr(error, "orig", None) or error
    return f"cannot write to {database_name(url)}: {cause}"


# Errors of a path that cannot be used as given (missing, not a folder, not writable): the
# user's input, exit status 2; other errors of a named file (a full disk) are the machine's.
_INPUT_ERRNOS = {"ENOENT", "ENOTDIR", "EISDIR", "EACCES", "EPERM", "EROFS", "EEXIST"}


def path_error(error: OSError) -> tuple[str, bool]:
    """One line for an ``OSError`` about a named file, and whether it is bad input."""
    import errno
    from pathlib import Path

    path = Path(error.filename)
    if error.errno == errno.ENOENT and not path.parent.is_dir():
        return f"cannot use {path}: its folder {path.parent} does not exist", True
    bad_input = error.errno is not None and errno.errorcode.get(error.errno, "") in _INPUT_ERRNOS
    return f"cannot use {path}: {error.strerror}", bad_input
