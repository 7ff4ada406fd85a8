"""Subcommands of the ``crawler`` CLI, one module each.

A module here defines ``help`` (one line), ``add_arguments(parser)`` and
``run(args) -> int``; ``crawler.cli`` finds it by name.  A bad argument raises
``crawler.errors.ArgumentError``: one line on stderr, exit status 2.
"""


def check_files(paths: list[str]) -> None:
    """Every file named on the command line exists: a missing one is bad input (exit 2),
    found before any is read, rather than one error line among the results."""
    from pathlib import Path

    from crawler.errors import ArgumentError

    missing = [path for path in paths if not Path(path).is_file()]
    if missing:
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise ArgumentError(f"no such file: {missing[0]}{more}")
