"""crawler datasette: browse a corpus file in Datasette with the project's plugins."""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from pathlib import Path

from crawler.corpus import add_database_argument, database_url, open_store
from crawler.errors import ArgumentError

help = "serve a corpus database in Datasette: Chinese search, readable article list, facets"

PLUGINS = Path(__file__).resolve().parent.parent / "datasette_plugins"


def add_arguments(parser) -> None:
    add_database_argument(parser)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8001, help="port to listen on (default 8001)")


def sqlite_file(url: str) -> str:
    if not url.startswith("sqlite:///"):
        raise ArgumentError("Datasette reads SQLite files only; for PostgreSQL use psql or another SQL client")
    return url[len("sqlite:///"):]


def run(args: argparse.Namespace) -> int:
    """Check the file, then become the Datasette server (it never returns on success)."""
    path = sqlite_file(database_url(args.db))
    if importlib.util.find_spec("datasette") is None:
        print("crawler datasette: Datasette is not installed: pip install -e '.[datasette]'", file=sys.stderr)
        return 1
    open_store(path).close()  # refuses, in one line, a file that is not a corpus database
    command = [sys.executable, "-m", "datasette", "serve", path, "--plugins-dir", str(PLUGINS),
               "--host", args.host, "--port", str(args.port)]
    sys.stdout.flush()
    os.execv(sys.executable, command)
