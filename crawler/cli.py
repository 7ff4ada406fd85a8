"""The ``crawler`` command: every module in ``crawler.commands`` is a subcommand.

What goes wrong ends here in one line on stderr: a bad command line, argument or setting, or
a path that cannot be used as given (exit 2); a database, or a file, that fails (exit 1).  A
reader that closes the pipe early (``| head``) ends the command quietly.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import os
import pkgutil
import sys
from pathlib import Path

from crawler import commands
from crawler.errors import ArgumentError, StoreError, path_error

DESCRIPTION = """\
Crawl Chinese public-security and rule-of-law news sites into a clean, deduplicated,
searchable corpus (SQLite or PostgreSQL), and look inside it."""
EPILOG = """\
start with:  crawler demo            (every spider offline, into data/demo.db)
then:        crawler search 诈骗 --db data/demo.db
help on one command:  crawler COMMAND --help

exit status: 0 done; 1 a failure (a spider, the database); 2 bad input (command line,
argument, setting, file); 3 a crawl raised a health alarm; 75 a crawl is already running."""

EXIT_USAGE, EXIT_PIPE_CLOSED = 2, 141  # 141: as a shell reports a command stopped by SIGPIPE


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line naming the command, then exit status 2."""

    def error(self, message: str):
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see {self.prog} --help)\n")


def command_names() -> list[str]:
    return sorted(info.name for info in pkgutil.iter_modules(commands.__path__))


def static_help(name: str) -> str:
    """A command module's ``help`` string, read from its source without importing it
    (importing every command would load Scrapy, SQLAlchemy and numpy for ``--help``)."""
    tree = ast.parse((Path(commands.__path__[0]) / f"{name}.py").read_text("utf-8"))
    for node in tree.body:
        if (isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "help" for t in node.targets)
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
            return node.value.value
    return ""


class ShowVersion(argparse.Action):
    """``--version``: the installed version, looked up only when asked, since importing
    ``importlib.metadata`` costs more than the rest of ``crawler --help``."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, help="print the version and exit")

    def __call__(self, parser, namespace, values, option_string=None):
        from importlib.metadata import PackageNotFoundError, version

        try:
            installed = version("zhengfa-crawler")
        except PackageNotFoundError:  # run from a checkout that was never installed
            installed = "unknown (not installed)"
        print(f"crawler (zhengfa-crawler) {installed}")
        parser.exit()


def build_parser(chosen: str | None = None) -> argparse.ArgumentParser:
    """The parser; only the ``chosen`` command's module is imported, to add its arguments."""
    parser = OneLineParser(prog="crawler", description=DESCRIPTION, epilog=EPILOG,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action=ShowVersion)
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                       parser_class=OneLineParser)
    for name in command_names():
        if name != chosen:  # their help is read only for the list of commands
            subparsers.add_parser(name.replace("_", "-"), help=static_help(name) if chosen is None else None)
            continue
        module = importlib.import_module(f"{commands.__name__}.{name}")
        sub = subparsers.add_parser(name.replace("_", "-"), help=module.help, description=module.help)
        module.add_arguments(sub)
        sub.set_defaults(handler=module.run)
    return parser


def chosen_command(argv: list[str]) -> str | None:
    """The command named on the command line (the first argument not an option); none when
    there is none, or when ``--help`` before it asks for the list of commands."""
    for arg in argv:
        if arg in ("-h", "--help"):
            return None
        if not arg.startswith("-"):
            return arg.replace("-", "_")
    return None


def quiet_pipe_close() -> int:
    """The reader of stdout went away: stop writing, and let nothing more fail on exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return EXIT_PIPE_CLOSED


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(chosen_command(argv))
    args = parser.parse_args(argv)
    prefix = f"crawler {args.command}"
    try:
        return args.handler(args)
    except BrokenPipeError:
        return quiet_pipe_close()
    except ArgumentError as exc:
        print(f"{prefix}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except StoreError as exc:
        print(f"{prefix}: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        if exc.filename is None:
            raise
        message, bad_input = path_error(exc)
        print(f"{prefix}: {message}", file=sys.stderr)
        return EXIT_USAGE if bad_input else 1
    except KeyboardInterrupt:
        print(f"{prefix}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
