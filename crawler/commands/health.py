"""crawler health: per site, the last N runs with their coverage, fallbacks, errors and alarms."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from crawler.health import FIELDS, RunFacts
from crawler.models import CrawlRun
from crawler.runner import project_settings
from crawler.storage import Store

help = "print a table per site of its last runs: articles, field coverage, fallbacks, errors, alarms"

EXIT_ALARM = 3
HEADER = ("run", "started (UTC)", "status", "pages", "new", "rejects",
          *(name.replace("published_at", "date") for name in FIELDS), "generic", "http err", "alarms")


def add_arguments(parser) -> None:
    parser.add_argument("--db", type=Path, default=None,
                        help="SQLite file to read (default: the DATABASE_URL setting)")
    parser.add_argument("--runs", type=int, default=10, help="runs shown per site (default 10)")
    parser.add_argument("--site", action="append", default=[], metavar="SPIDER",
                        help="only this site (repeatable)")


def _pct(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "-"


def run_row(run: CrawlRun) -> tuple[str, ...]:
    alarms = json.loads(run.alarms or "[]")
    head = (str(run.id), (run.started_at or "")[:19], run.finish_reason or "unfinished",
            str(run.pages_fetched), str(run.articles_new), str(run.rejects))
    if not run.stats:
        return (*head, *("-" for _ in FIELDS), "-", "-", "-")
    facts = RunFacts.from_stats(json.loads(run.stats))
    return (*head, *(_pct(facts.present[name], facts.items) for name in FIELDS),
            _pct(facts.generic, facts.items), _pct(facts.http_errors, facts.requests),
            str(len(alarms)) if alarms else "-")


def print_table(rows: list[tuple[str, ...]]) -> None:
    table = [HEADER, *rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(HEADER))]
    for number, row in enumerate(table):
        print("  ".join(value.ljust(width) if i in (1, 2) else value.rjust(width)
                        for i, (value, width) in enumerate(zip(row, widths))))
        if number == 0:
            print("  ".join("-" * width for width in widths))


def run(args) -> int:
    url = f"sqlite:///{args.db.resolve()}" if args.db else project_settings().get("DATABASE_URL")
    store = Store(url)
    alarmed = False
    with store.session() as session:
        sites = args.site or list(session.scalars(select(CrawlRun.spider).distinct().order_by(CrawlRun.spider)))
        for site in sites:
            runs = list(session.scalars(select(CrawlRun).where(CrawlRun.spider == site)
                                        .order_by(CrawlRun.id.desc()).limit(args.runs)))
            print(f"\n{site}: last {len(runs)} runs, newest first")
            if not runs:
                continue
            print_table([run_row(run) for run in runs])
            for run in runs:
                for alarm in json.loads(run.alarms or "[]"):
                    print(f"  run {run.id}: {alarm['message']}")
            alarmed |= json.loads(runs[0].alarms or "[]") != []
    store.close()
    return EXIT_ALARM if alarmed else 0
