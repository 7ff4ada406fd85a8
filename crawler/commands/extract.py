"""``crawler extract [--url URL] FILE...``: run the generic extractor on saved pages."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from crawler.commands import check_files
from crawler.decoding import UndecodableError
from crawler.errors import ArgumentError
from crawler.extraction import NotHtmlError, extract

help = "extract article fields from saved HTML files, one JSON line per file"


def add_arguments(parser) -> None:
    parser.add_argument("--url", help="the pages' URL: resolves image links and URL dates "
                        "(with several files, it applies to all of them)")
    parser.add_argument("files", nargs="+", metavar="FILE", help="saved page bytes")


def _line(path: str, url: str | None) -> dict:
    """One file's JSON object; a file that cannot be read or is not HTML gets an ``error``."""
    try:
        result = extract(Path(path).read_bytes(), url)
    except (OSError, UndecodableError, NotHtmlError) as error:
        return {"path": path, "error": f"{type(error).__name__}: {error}"}
    return {"path": path, **result}


def run(args: argparse.Namespace) -> int:
    """Exit status 1 when a page could not be read (its line has an ``error``), as ``probe``."""
    if args.url and not args.url.startswith(("http://", "https://")):
        raise ArgumentError(f"--url must be an http(s) URL, not {args.url!r}")
    check_files(args.files)
    failed = 0
    for path in args.files:
        line = _line(path, args.url)
        failed += "error" in line
        print(json.dumps(line, ensure_ascii=False), flush=True)
    return 1 if failed else 0
