"""Near-duplicate index at scale: insert-and-query time and memory per document.

    python bench/dedup_scale.py              # 10k and 100k documents
    python bench/dedup_scale.py --million    # also 1M (about 10 minutes, ~1.2 GB of temporary disk)

The index is the real one (``SignatureIndex`` on a SQLite file with the project's
schema and pragmas).  Synthetic documents enter as MinHash signatures: computing 1M
signatures from text would measure the hash function, not the index, and that cost
does not depend on the index size, so it is measured once, on synthetic Chinese
texts, and printed apart.  Unrelated documents get independent random signatures;
a planted reprint copies a stored signature and redraws 30% of its positions
(Jaccard 0.7).

At each size the index is grown to N documents, then 2,000 more are inserted the
way ``Deduplicator.update`` does it: find the matches of the signature, then add
it, 100 to a transaction; half of them are planted reprints.  Printed per size:
the median time per document, how many planted reprints were found, the process's
resident memory, and the database bytes the index tables take per document.  The
index keeps nothing in memory, so RSS should not grow with N beyond SQLite's
bounded page cache.  For
comparison, datasketch's in-memory ``MinHashLSH`` is measured by tracemalloc at
10k and 100k.  Targets: time at 1M within 2x of 10k; at most 2 KB per document.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.dedup.index import SignatureIndex  # noqa: E402
from crawler.dedup.minhash import DedupParams, signature  # noqa: E402
from crawler.dedup.text import normalise_text  # noqa: E402
from crawler.storage import make_engine, migrate  # noqa: E402
from crawler.storage.dedup import DedupTables  # noqa: E402

PROBES = 2_000
BATCH = 100
GROW_BATCH = 2_000
DUPLICATE_SHARE = 0.5
REDRAWN = 0.3


def signature_cost(params: DedupParams, count: int = 500) -> float:
    """Milliseconds per document to normalise a ~1,500-character text and sign it."""
    rng = random.Random(1)
    alphabet = [chr(code) for code in range(0x4E00, 0x4E00 + 3000)] + list("，。、：；“”")
    texts = ["".join(rng.choices(alphabet, k=1500)) for _ in range(count)]
    started = time.perf_counter()
    for text in texts:
        signature(normalise_text(text), params)
    return (time.perf_counter() - started) / count * 1000


def rss_bytes() -> int:
    """Resident memory of this process now (Linux), after handing freed heap back to the
    system, so that batches freed long ago do not count as memory kept."""
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


class Corpus:
    """Random signatures, with the ability to plant a reprint of an earlier one."""

    def __init__(self, params: DedupParams, seed: int = 1):
        self.rng = np.random.default_rng(seed)
        self.num_perm = params.num_perm
        self.size = 0

    def fresh(self, count: int) -> np.ndarray:
        return self.rng.integers(0, 2**32, size=(count, self.num_perm), dtype=np.uint32)

    def reprint(self, original: np.ndarray) -> np.ndarray:
        copy = original.copy()
        positions = self.rng.choice(self.num_perm, size=int(self.num_perm * REDRAWN), replace=False)
        copy[positions] = self.fresh(1)[0, : len(positions)]
        return copy


def grow(tables: DedupTables, index: SignatureIndex, corpus: Corpus, target: int) -> None:
    """Add fresh documents until the index holds ``target``."""
    while corpus.size < target:
        count = min(GROW_BATCH, target - corpus.size)
        ids = range(corpus.size + 1, corpus.size + count + 1)
        index.add(tables, ((i, None, sig) for i, sig in zip(ids, corpus.fresh(count), strict=True)))
        tables.connection.commit()
        corpus.size += count


def probe(tables: DedupTables, index: SignatureIndex, corpus: Corpus) -> tuple[float, float, int, int]:
    """Insert-and-query ``PROBES`` documents, a transaction per ``BATCH``; return the median
    wall-clock and CPU seconds per document over the batches (the machine is shared:
    CPU time and medians are the figures least disturbed by other work), reprints
    planted and reprints found.  Each planted reprint copies a different
    stored document, drawn uniformly, so every size sees the same candidate load."""
    pick = random.Random(corpus.size)
    plan = [pick.random() < DUPLICATE_SHARE for _ in range(PROBES)]
    originals = pick.sample(range(1, corpus.size + 1), sum(plan))
    stored = index.signatures(tables, originals)
    planted = found = 0
    wall, cpu = [], []
    started, started_cpu = time.perf_counter(), time.process_time()
    for offset, is_reprint in enumerate(plan):
        article_id = corpus.size + 1
        if is_reprint:
            original = originals[planted]
            sig = corpus.reprint(stored[original])
            planted += 1
            found += original in index.neighbours(tables, {0: sig}, {})[0]
        else:
            sig = corpus.fresh(1)[0]
            index.neighbours(tables, {0: sig}, {})
        index.add(tables, [(article_id, None, sig)])
        corpus.size += 1
        if offset % BATCH == BATCH - 1:
            tables.connection.commit()
            wall.append((time.perf_counter() - started) / BATCH)
            cpu.append((time.process_time() - started_cpu) / BATCH)
            started, started_cpu = time.perf_counter(), time.process_time()
    return statistics.median(wall), statistics.median(cpu), planted, found


def index_bytes(tables: DedupTables) -> int:
    rows = tables.connection.exec_driver_sql(
        "SELECT SUM(pgsize) FROM dbstat WHERE name IN "
        "('dedup_signatures', 'dedup_bands', 'sqlite_autoindex_dedup_bands_1')").scalar()
    return rows or 0


def datasketch_bytes_per_document(params: DedupParams, count: int) -> float:
    from datasketch import MinHash, MinHashLSH

    bands, rows = params.band_layout
    signatures = np.random.default_rng(2).integers(0, 2**32, size=(count, params.num_perm), dtype=np.uint64)
    tracemalloc.start()
    lsh = MinHashLSH(num_perm=params.num_perm, params=(bands, rows))
    for i, values in enumerate(signatures):
        lsh.insert(i, MinHash(num_perm=params.num_perm, hashvalues=values,
                              permutations=params.permutations, scheme="affine32"))
    used = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return used / count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--million", action="store_true", help="also measure at 1,000,000 documents")
    parser.add_argument("--no-datasketch", action="store_true", help="skip the datasketch comparison")
    args = parser.parse_args()
    params = DedupParams()
    sizes = [10_000, 100_000] + ([1_000_000] if args.million else [])

    print(f"params {params.key}, threshold {params.threshold}; {PROBES} insert-and-query documents per size")
    print(f"signature from text (normalise + MinHash, 1,500 chars): {signature_cost(params):.2f} ms/document")
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/scale.db")
        migrate(engine)
        index = SignatureIndex(params)
        corpus = Corpus(params)
        results = []
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")  # signatures without article rows
            tables = DedupTables(connection)
            for size in sizes:
                started = time.perf_counter()
                grow(tables, index, corpus, size - PROBES)
                grow_seconds = time.perf_counter() - started
                seconds, cpu_seconds, planted, found = probe(tables, index, corpus)
                per_doc_bytes = index_bytes(tables) / corpus.size
                results.append((size, seconds, cpu_seconds, rss_bytes()))
                print(f"N={size:>9,}: insert-and-query {seconds * 1e6:5.0f} µs/document wall, "
                      f"{cpu_seconds * 1e6:5.0f} µs CPU; "
                      f"reprints found {found}/{planted}; index on disk {per_doc_bytes:,.0f} B/document; "
                      f"RSS {results[-1][3] / 2**20:.0f} MB (growing took {grow_seconds:.0f} s)")
        engine.dispose()
    first_size, first_seconds, first_cpu, first_rss = results[0]
    for size, seconds, cpu_seconds, rss in results[1:]:
        print(f"N={size:,} against N={first_size:,}: time {seconds / first_seconds:.2f}x wall, "
              f"{cpu_seconds / first_cpu:.2f}x CPU (target ≤ 2x); "
              f"process memory {(rss - first_rss) / (size - first_size):,.1f} B per added document "
              "(target ≤ 2 KB)")
    if not args.no_datasketch:
        for count in (10_000, 100_000):
            print(f"for comparison, datasketch MinHashLSH in memory, {count:,} documents: "
                  f"{datasketch_bytes_per_document(params, count):,.0f} B/document")
    return 0


if __name__ == "__main__":
    sys.exit(main())
