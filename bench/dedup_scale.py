"""Near-duplicate index at scale: insert-and-query time and memory per document.

    python bench/dedup_scale.py              # 10k and 100k documents
    python bench/dedup_scale.py --million    # also 1M (about 15 minutes on 2 cores, ~1.5 GB of disk)

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
the time per document, how many planted reprints were found, the process's peak
memory (RSS), and the database bytes the index tables take per document.  For
comparison, datasketch's in-memory ``MinHashLSH`` is measured by tracemalloc at
10k and 100k.  Targets: time at 1M within 2x of 10k; at most 2 KB per document.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.dedup import DedupParams, normalise_text  # noqa: E402
from crawler.dedup.index import SignatureIndex  # noqa: E402
from crawler.dedup.minhash import signature  # noqa: E402
from crawler.storage import make_engine, migrate  # noqa: E402

PROBES = 2_000
BATCH = 100
GROW_BATCH = 5_000
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


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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


def grow(session: Session, index: SignatureIndex, corpus: Corpus, target: int, kept: dict) -> None:
    """Add fresh documents until the index holds ``target``; keep a sample for reprints."""
    while corpus.size < target:
        count = min(GROW_BATCH, target - corpus.size)
        signatures = corpus.fresh(count)
        ids = range(corpus.size + 1, corpus.size + count + 1)
        index.add(session, ((i, None, sig) for i, sig in zip(ids, signatures)))
        session.commit()
        for i, sig in zip(ids[:20], signatures[:20]):
            kept[i] = sig
        corpus.size += count


def probe(session: Session, index: SignatureIndex, corpus: Corpus, kept: dict) -> tuple[float, int, int]:
    """Insert-and-query ``PROBES`` documents; return seconds per document, reprints planted, found."""
    pick = random.Random(corpus.size)
    originals = list(kept)
    planted = found = 0
    started = time.perf_counter()
    for offset in range(PROBES):
        article_id = corpus.size + 1
        if pick.random() < DUPLICATE_SHARE:
            original = pick.choice(originals)
            sig = corpus.reprint(kept[original])
            planted += 1
            found += original in index.matches(session, sig, {})
        else:
            sig = corpus.fresh(1)[0]
            index.matches(session, sig, {})
        index.add(session, [(article_id, None, sig)])
        corpus.size += 1
        if offset % BATCH == BATCH - 1:
            session.commit()
    session.commit()
    return (time.perf_counter() - started) / PROBES, planted, found


def index_bytes(session: Session) -> int:
    rows = session.connection().exec_driver_sql(
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
        lsh.insert(i, MinHash(num_perm=params.num_perm, hashvalues=values, scheme="affine32"))
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
        kept: dict = {}
        results = []
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")  # signatures without article rows
            session = Session(bind=connection)
            for size in sizes:
                started = time.perf_counter()
                grow(session, index, corpus, size - PROBES, kept)
                grow_seconds = time.perf_counter() - started
                seconds, planted, found = probe(session, index, corpus, kept)
                per_doc_bytes = index_bytes(session) / corpus.size
                results.append((size, seconds))
                print(f"N={size:>9,}: insert-and-query {seconds * 1e6:7.0f} µs/document; "
                      f"reprints found {found}/{planted}; index on disk {per_doc_bytes:,.0f} B/document; "
                      f"peak RSS {peak_rss_mb():.0f} MB; (growing took {grow_seconds:.0f} s)")
            session.close()
        engine.dispose()
    base = results[0][1]
    for size, seconds in results[1:]:
        print(f"time at {size:,} / time at {results[0][0]:,}: {seconds / base:.2f}x (target ≤ 2x)")
    print("memory per document in the process: none retained (the index lives in SQLite; "
          "RSS above is SQLite's bounded page cache plus Python)")
    if not args.no_datasketch:
        for count in (10_000, 100_000):
            print(f"for comparison, datasketch MinHashLSH in memory, {count:,} documents: "
                  f"{datasketch_bytes_per_document(params, count):,.0f} B/document")
    return 0


if __name__ == "__main__":
    sys.exit(main())
