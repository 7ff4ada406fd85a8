"""The ``crawler`` command: every module in ``crawler.commands`` is a subcommand."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from crawler import commands
from crawler.errors import ArgumentError
from crawler.storage import StoreError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="crawler", description=__doc__)
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        sub = subparsers.add_parser(info.name.replace("_", "-"), help=module.help,
                                    description=module.help)
        module.add_arguments(sub)
        sub.set_defaults(handler=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
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
