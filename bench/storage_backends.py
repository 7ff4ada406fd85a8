"""SQLite and PostgreSQL side by side: upsert cost per article (search index included) and
search latency by term length, on one synthetic corpus.

    python bench/storage_backends.py                          # 100k articles
    python bench/storage_backends.py --articles 20000 --postgres postgresql+psycopg://postgres@127.0.0.1/postgres

Both stores get the same articles through ``Store.upsert_articles`` in batches of the
crawl's size (``STORE_BATCH_SIZE``), the backends taking turns batch by batch so that
a busy machine slows both alike; then each query runs on both in turn.  The corpus is
the one of ``bench/search_speed.py``.  PostgreSQL gets a database of its own, dropped
at the end.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent))
from search_speed import QUERIES, VOCABULARY, article

from crawler.addon import SETTINGS
from crawler.storage import Store

STORE_BATCH_SIZE = SETTINGS["STORE_BATCH_SIZE"]

REPEATS = 5
COLUMNS = ("site", "url", "title", "published_at", "body")


def items(count: int, body_chars: int):
    rng = random.Random(8)
    ranks = list(range(1, len(VOCABULARY) + 1))
    rng.shuffle(ranks)
    weights = [1 / rank for rank in ranks]
    for number in range(count):
        yield dict(zip(COLUMNS, article(rng, weights, number, body_chars), strict=True))


def fill(stores: dict[str, Store], count: int, body_chars: int) -> dict[str, float]:
    """Store the corpus in every store, batch by batch in turn; seconds spent per store."""
    spent = dict.fromkeys(stores, 0.0)
    batch = []
    for item in items(count, body_chars):
        batch.append(item)
        if len(batch) == STORE_BATCH_SIZE:
            for name, store in stores.items():
                started = time.perf_counter()
                store.upsert_articles(batch)
                spent[name] += time.perf_counter() - started
            batch = []
    for name, store in stores.items():
        if batch:
            started = time.perf_counter()
            store.upsert_articles(batch)
            spent[name] += time.perf_counter() - started
    return spent


def search_latency(stores: dict[str, Store]) -> None:
    print(f"\nsearch: median ms over {REPEATS} runs of each query (hits, limit 20)")
    for length in (1, 2, 4):
        times = {name: [] for name in stores}
        cells = {name: [] for name in stores}
        for query in QUERIES[length]:
            for name, store in stores.items():
                runs, hits = [], 0
                for _ in range(REPEATS):
                    started = time.perf_counter()
                    hits = len(store.search(query))
                    runs.append((time.perf_counter() - started) * 1000)
                times[name].append(statistics.median(runs))
                cells[name].append(f"{query} {statistics.median(runs):.1f} ({hits})")
        for name in stores:
            print(f"  {length} char  {name:10}  median {statistics.median(times[name]):7.1f} ms | "
                  + "  ".join(cells[name]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--body-chars", type=int, default=600, help="approximate body length")
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
                        help="a PostgreSQL server URL on which a scratch database may be created")
    args = parser.parse_args()
    name = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    with tempfile.TemporaryDirectory() as tmp:
        stores = {"sqlite": Store.migrated(f"sqlite:///{Path(tmp) / 'bench.db'}"),
                  "postgresql": Store.migrated(make_url(args.postgres).set(database=name)
                                               .render_as_string(hide_password=False))}
        try:
            spent = fill(stores, args.articles, args.body_chars)
            print(f"{args.articles} articles (~{args.body_chars} body chars), batches of "
                  f"{STORE_BATCH_SIZE}, search index included:")
            for store_name, seconds in spent.items():
                print(f"  upsert  {store_name:10}  {seconds * 1e6 / args.articles:7.0f} µs per article "
                      f"({seconds:.1f} s in all)")
            search_latency(stores)
        finally:
            for store in stores.values():
                store.close()
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
