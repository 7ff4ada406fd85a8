"""The persistent LSH index: signatures and band buckets kept in the database
(through ``crawler.storage.dedup``, which holds its queries).

Nothing is held in memory between calls, so the index needs no loading at start,
costs no memory per document, and every process sees the articles the others
committed.  Candidates from shared buckets are confirmed against their stored
signatures.  An article deleted from ``articles`` is forgotten at the next update:
its signature row goes (the foreign key cascades where SQLite enforces foreign keys,
otherwise ``forget_deleted`` finds it) with its bucket entries.  Bucket entries of a
signature removed by the cascade stay behind; they are harmless, since no signature
confirms them, and vanish when the index is rebuilt under new parameters.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from crawler.dedup.minhash import DedupParams, band_keys, from_bytes, to_bytes
from crawler.storage.dedup import DedupTables


class SignatureIndex:
    def __init__(self, params: DedupParams):
        self.params = params

    def add(self, tables: DedupTables, entries: Iterable[tuple[int, str | None, np.ndarray | None]]) -> None:
        """Index ``(article_id, content_hash, signature)``; a ``None`` signature is kept
        as "seen, too short to compare" and gets no buckets."""
        signatures: list[tuple[int, str | None, str, bytes | None]] = []
        buckets: list[tuple[int, int]] = []
        for article_id, digest, sig in entries:
            signatures.append((article_id, digest, self.params.key, None if sig is None else to_bytes(sig)))
            if sig is not None:
                buckets.extend((key, article_id) for key in band_keys(sig, self.params))
        tables.add(signatures, sorted(buckets))  # in key order, B-tree pages are visited once each

    def remove(self, tables: DedupTables, article_id: int, stored: bytes | None) -> None:
        """Forget an article; ``stored`` is its signature as kept, to find its buckets."""
        keys = band_keys(from_bytes(stored), self.params) if stored is not None else []
        tables.remove(article_id, keys)

    def forget_deleted(self, tables: DedupTables, article_ids: set[int]) -> set[int]:
        """Remove the entries of those deleted articles still indexed; return the indexed
        articles that were linked to them, whose clusters may have to change."""
        gone = tables.of_deleted_articles(article_ids)
        for article_id, stored in gone:
            self.remove(tables, article_id, stored)
        removed = {article_id: from_bytes(stored) for article_id, stored in gone if stored is not None}
        return {neighbour for found in self.neighbours(tables, removed, {}).values() for neighbour in found}

    def neighbours(self, tables: DedupTables, sigs: dict, known: dict[int, np.ndarray]) -> dict:
        """Indexed articles whose signatures agree with each of ``sigs`` (keyed as given) on at
        least ``threshold`` of positions, in id order: one bucket lookup and one signature
        lookup for them all.  ``known`` caches signatures across calls and is filled."""
        keys = {name: band_keys(sig, self.params) for name, sig in sigs.items()}
        buckets: dict[int, list[int]] = {}
        for bucket, article_id in tables.bucket_entries({key for some in keys.values() for key in some}):
            buckets.setdefault(bucket, []).append(article_id)
        candidates = {name: {article_id for key in some for article_id in buckets.get(key, ())}
                      for name, some in keys.items()}
        known.update(self.signatures(tables, set().union(*candidates.values()) - known.keys()))
        return {name: self._similar(sigs[name], [candidate for candidate in sorted(found) if candidate in known],
                                    known)
                for name, found in candidates.items()}

    def _similar(self, sig: np.ndarray, candidates: list[int], known: dict[int, np.ndarray]) -> list[int]:
        """Those ``candidates`` whose signatures agree with ``sig`` on at least ``threshold``
        of positions (``similarity``, for all candidates in one array operation)."""
        if not candidates:
            return []
        agreeing = np.count_nonzero(np.stack([known[candidate] for candidate in candidates]) == sig, axis=1)
        return [candidate for candidate, count in zip(candidates, agreeing.tolist(), strict=True)
                if count / len(sig) >= self.params.threshold]

    def signatures(self, tables: DedupTables, ids: Iterable[int]) -> dict[int, np.ndarray]:
        """Stored signatures of those ``ids`` that have one."""
        return {article_id: from_bytes(blob) for article_id, blob in tables.signatures(ids).items()}
