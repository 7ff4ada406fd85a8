"""Subcommands of the ``crawler`` CLI, one module each.

A module here defines ``help`` (one line), ``add_arguments(parser)`` and
``run(args) -> int``; ``crawler.cli`` finds it by name.  A bad argument raises
``crawler.errors.ArgumentError``: one line on stderr, exit status 2.
"""
