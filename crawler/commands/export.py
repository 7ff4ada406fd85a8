"""crawler export: articles to JSON Lines, CSV or Parquet, streamed in batches.

Rows are read and written a batch at a time, so memory stays flat however large the
corpus; the progress bar appears only when stderr is a terminal.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tqdm import tqdm

from crawler.corpus import add_database_argument, open_store, parse_day
from crawler.errors import ArgumentError
from crawler.models import Article

help = "export articles to JSON Lines, CSV or Parquet (streamed; filters by site and date)"

BATCH = 1000
COLUMNS = [column.name for column in Article.__table__.columns if column.name != "body_html"]
INTEGER_COLUMNS = {"id", "views", "cluster_id"}


def add_arguments(parser) -> None:
    parser.add_argument("out", help="file to write; '-' writes JSON Lines or CSV to stdout")
    parser.add_argument("--format", choices=("jsonl", "csv", "parquet"),
                        help="default: from the file name's extension")
    parser.add_argument("--site", help="only this site")
    parser.add_argument("--since", help="only articles published on or after YYYY-MM-DD")
    parser.add_argument("--html", action="store_true", help="also export body_html (large)")
    add_database_argument(parser)


def output_format(args) -> str:
    chosen = args.format or Path(args.out).suffix.lstrip(".").lower()
    if chosen not in ("jsonl", "csv", "parquet"):
        raise ArgumentError("give --format jsonl, csv or parquet (or an OUT ending in one of them)")
    if chosen == "parquet" and args.out == "-":
        raise ArgumentError("parquet cannot be written to stdout; give a file name")
    return chosen


@contextmanager
def text_output(out: str):
    if out == "-":
        yield sys.stdout
    else:
        with open(out, "w", encoding="utf-8", newline="") as stream:
            yield stream


def write_jsonl(rows: Iterator[list[dict]], out: str, progress) -> None:
    with text_output(out) as stream:
        for batch in rows:
            for row in batch:
                row["images"] = json.loads(row["images"] or "[]")
                stream.write(json.dumps(row, ensure_ascii=False) + "\n")
            progress.update(len(batch))


def write_csv(rows: Iterator[list[dict]], out: str, columns: list[str], progress) -> None:
    with text_output(out) as stream:
        writer = csv.DictWriter(stream, fieldnames=columns)
        writer.writeheader()
        for batch in rows:
            writer.writerows(batch)
            progress.update(len(batch))


def write_parquet(rows: Iterator[list[dict]], out: str, columns: list[str], progress) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ArgumentError("parquet export needs pyarrow: pip install 'zhengfa-crawler[parquet]'") from None

    schema = pa.schema([(name, pa.int64() if name in INTEGER_COLUMNS else pa.string())
                        for name in columns])
    with open(out, "wb") as stream, pq.ParquetWriter(stream, schema, compression="zstd") as writer:
        for batch in rows:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            progress.update(len(batch))


def run(args: argparse.Namespace) -> int:
    chosen = output_format(args)
    since = parse_day(args.since)
    columns = [*COLUMNS, "body_html"] if args.html else COLUMNS
    store = open_store(args.db)
    try:
        total = store.count_articles(args.site, since)
        with tqdm(total=total, unit=" articles", file=sys.stderr,
                  disable=not sys.stderr.isatty()) as progress:
            rows = store.article_batches(columns, args.site, since, BATCH)
            if chosen == "jsonl":
                write_jsonl(rows, args.out, progress)
            elif chosen == "csv":
                write_csv(rows, args.out, columns, progress)
            else:
                write_parquet(rows, args.out, columns, progress)
    finally:
        store.close()
    if args.out != "-":
        print(f"{total} articles written to {args.out} ({chosen})", file=sys.stderr)
    return 0
