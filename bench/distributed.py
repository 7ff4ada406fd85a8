"""A shared crawl (``DISTRIBUTED=redis``) with 1, 2 and 4 workers on a local site.

The site (``tests/distributed/site.py``, generated) holds its start page back until every
worker has opened (so start-up is not timed as crawling), then answers every request after
a fixed delay; each worker keeps few requests in flight, so one worker is bound by the
server's latency, and more workers go faster until the site's shared budget
(``DISTRIBUTED_DOWNLOAD_DELAY``) caps them all together.  Rounds interleave the
worker counts.  Printed per run: seconds from the site's first to its last request
(and from starting the workers to their exit, start-up included), requests per second
seen by the site over that span, its busiest second, and the articles stored.

    python bench/distributed.py [--articles 200] [--response-delay 0.2] [--budget 0.05]
                                [--concurrency 2] [--rounds 2] [--redis redis://127.0.0.1:6379/0]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.storage import Store  # noqa: E402
from tests.distributed.site import ArticleSite  # noqa: E402

WORKERS = (1, 2, 4)


def crawl_once(workers: int, args, folder: Path) -> dict:
    site = ArticleSite(articles=args.articles, delay=args.response_delay, gated=True)
    db = folder / f"run-{uuid.uuid4().hex[:8]}.db"
    Store.migrated(f"sqlite:///{db}").close()
    prefix = f"bench-distributed-{uuid.uuid4().hex[:12]}"
    command = [sys.executable, "-m", "scrapy", "crawl", "jszf", "-a", f"start_url={site.start_url}",
               "-a", "max_pages=0", "-s", "DISTRIBUTED=redis", "-s", f"REDIS_URL={args.redis}",
               "-s", f"DISTRIBUTED_KEY_PREFIX={prefix}", "-s", f"DATABASE_URL=sqlite:///{db}",
               "-s", f"DISTRIBUTED_DOWNLOAD_DELAY={args.budget}",
               "-s", f"CONCURRENT_REQUESTS={args.concurrency}",
               "-s", "ROBOTSTXT_OBEY=False", "-s", "DOWNLOAD_TIMEOUT=300", "-s", "LOG_LEVEL=INFO"]
    started = time.monotonic()
    processes = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                 for _ in range(workers)]
    opened = threading.Semaphore(0)
    logs = [[] for _ in processes]

    def read(process, log):
        for line in process.stderr:
            log.append(line)
            if "Spider opened" in line:
                opened.release()

    readers = [threading.Thread(target=read, args=pair, daemon=True) for pair in zip(processes, logs, strict=True)]
    for reader in readers:
        reader.start()
    for _ in processes:
        opened.acquire(timeout=300)
    site.gate.set()
    failed = ["".join(log[-30:]) for process, log in zip(processes, logs, strict=True) if process.wait() != 0]
    for reader in readers:
        reader.join(timeout=10)
    wall = time.monotonic() - started
    site.close()
    client = redis.Redis.from_url(args.redis)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()
    if failed:
        raise SystemExit(f"a worker failed:\n{failed[0]}")
    times = sorted(moment for moment, _path in site.hits)
    span = times[-1] - times[0]
    busiest = max(sum(1 for other in times[index:] if other < moment + 1.0) for index, moment in enumerate(times))
    connection = sqlite3.connect(db)
    stored = connection.execute("SELECT count(DISTINCT url) FROM articles").fetchone()[0]
    connection.close()
    return {"workers": workers, "span": span, "wall": wall, "requests": len(times),
            "rate": len(times) / span if span else float("nan"), "busiest": busiest, "stored": stored}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--response-delay", type=float, default=0.2, help="seconds the site takes per answer")
    parser.add_argument("--budget", type=float, default=0.05,
                        help="DISTRIBUTED_DOWNLOAD_DELAY: seconds between requests from all workers")
    parser.add_argument("--concurrency", type=int, default=2, help="CONCURRENT_REQUESTS of each worker")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args()
    print(f"site: {args.articles} articles, {args.response_delay:.2f} s per answer; budget one request per "
          f"{args.budget:.3f} s ({1 / args.budget:.0f}/s); {args.concurrency} requests in flight per worker")
    print(f"{'round':>5} {'workers':>7} {'crawl s':>8} {'wall s':>7} {'requests':>8} {'req/s':>6} "
          f"{'busiest 1 s':>11} {'stored':>6}")
    results: dict[int, list[dict]] = {count: [] for count in WORKERS}
    with tempfile.TemporaryDirectory() as folder:
        for round_number in range(1, args.rounds + 1):
            for count in WORKERS:
                run = crawl_once(count, args, Path(folder))
                results[count].append(run)
                print(f"{round_number:>5} {count:>7} {run['span']:>8.1f} {run['wall']:>7.1f} {run['requests']:>8} "
                      f"{run['rate']:>6.1f} {run['busiest']:>11} {run['stored']:>6}", flush=True)
    print("median over rounds:")
    for count, runs in results.items():
        print(f"  {count} workers: crawl {statistics.median(r['span'] for r in runs):.1f} s, "
              f"{statistics.median(r['rate'] for r in runs):.1f} req/s at the site, "
              f"busiest second {max(r['busiest'] for r in runs)}, stored {min(r['stored'] for r in runs)}")


if __name__ == "__main__":
    main()
