"""The ``crawler`` command: every module in ``crawler.commands`` is a subcommand."""

from __future__ import annotations

import argparse
import ast
import importlib
import pkgutil
import sys
from pathlib import Path

from crawler import commands
from crawler.errors import ArgumentError, StoreError


def command_names() -> list[str]:
    return sorted(info.name for info in pkgutil.iter_modules(commands.__path__))


def static_help(name: str) -> str:
    """A command module's ``help`` string, read from its source without importing it
    (importing every command would load Scrapy, SQLAlchemy and numpy for ``--help``)."""
    tree = ast.parse((Path(commands.__path__[0]) / f"{name}.py").read_text("utf-8"))
    for node in tree.body:
        if (isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "help" for t in node.targets)
                and isinstance(node.value, ast.Constant)):
            return node.value.value
    return ""


def build_parser(chosen: str | None = None) -> argparse.ArgumentParser:
    """The parser; only the ``chosen`` command's module is imported, to add its arguments."""
    parser = argparse.ArgumentParser(prog="crawler", description=__doc__)
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in command_names():
        if name != chosen:
            subparsers.add_parser(name.replace("_", "-"), help=static_help(name))
            continue
        module = importlib.import_module(f"{commands.__name__}.{name}")
        sub = subparsers.add_parser(name.replace("_", "-"), help=module.help, description=module.help)
        module.add_arguments(sub)
        sub.set_defaults(handler=module.run)
    return parser


def chosen_command(argv: list[str]) -> str | None:
    """The command named on the command line (the first argument not an option), if any."""
    first = next((arg for arg in argv if not arg.startswith("-")), None)
    return first.replace("-", "_") if first else None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(chosen_command(argv))
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except ArgumentError as exc:
        print(f"crawler {args.command}: {exc}", file=sys.stderr)
        return 2
    except StoreError as exc:
        print(f"crawler {args.command}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"crawler {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
