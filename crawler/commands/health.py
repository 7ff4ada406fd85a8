"""crawler health: per site, the last N runs with their coverage, fallbacks, errors and alarms."""

from __future__ import annotations

import argparse
import json

from crawler.corpus import add_database_argument, format_table, open_store
from crawler.errors import ArgumentError
from crawler.health import FIELDS, RunFacts

help = "print a table per site of its last runs: articles, field coverage, fallbacks, errors, alarms"

EXIT_ALARM = 3
HEADER = ("run", "started (UTC)", "status", "pages", "new", "rejects",
          *(name.replace("published_at", "date") for name in FIELDS), "generic", "http err", "alarms")


def add_arguments(parser) -> None:
    add_database_argument(parser)
    parser.add_argument("--runs", type=int, default=10, help="runs shown per site (default 10)")
    parser.add_argument("--site", action="append", default=[], metavar="SPIDER",
                        help="only this site (repeatable)")


def _pct(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "-"


def run_row(run) -> tuple[str, ...]:
    alarms = json.loads(run.alarms or "[]")
    head = (str(run.id), (run.started_at or "")[:19], run.finish_reason or "unfinished",
            str(run.pages_fetched), str(run.articles_new), str(run.rejects))
    if not run.stats:
        return (*head, *("-" for _ in FIELDS), "-", "-", "-")
    facts = RunFacts.from_stats(json.loads(run.stats))
    return (*head, *(_pct(facts.present[name], facts.items) for name in FIELDS),
            _pct(facts.generic, facts.items), _pct(facts.http_errors, facts.requests),
            str(len(alarms)) if alarms else "-")


def run(args: argparse.Namespace) -> int:
    if args.runs < 1:
        raise ArgumentError("--runs must be at least 1")
    store = open_store(args.db)
    alarmed = False
    try:
        for site in args.site or store.run_spiders():
            runs = store.recent_runs(site, args.runs)
            print(f"\n{site}: last {len(runs)} runs, newest first")
            if not runs:
                continue
            print("\n".join(format_table(HEADER, [run_row(run) for run in runs])))
            for run in runs:
                for alarm in json.loads(run.alarms or "[]"):
                    print(f"  run {run.id}: {alarm['message']}")
            alarmed |= json.loads(runs[0].alarms or "[]") != []
    finally:
        store.close()
    return EXIT_ALARM if alarmed else 0
