"""The persistent LSH index: signatures and band buckets kept in the database.

Nothing is held in memory between calls, so the index needs no loading at start,
costs no memory per document, and every process sees the articles the others
committed.  Candidates from shared buckets are confirmed against their stored
signatures, which also makes a bucket entry left behind by a deleted article harmless.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from crawler.dedup.minhash import DedupParams, band_keys, from_bytes, similarity, to_bytes
from crawler.dedup.models import ArticleSignature, SignatureBand


class SignatureIndex:
    def __init__(self, params: DedupParams):
        self.params = params

    def add(self, session: Session, entries: Iterable[tuple[int, str | None, np.ndarray | None]]) -> None:
        """Index ``(article_id, content_hash, signature)``; a ``None`` signature is kept
        as "seen, too short to compare" and gets no buckets."""
        signatures, buckets = [], []
        for article_id, digest, sig in entries:
            signatures.append({"article_id": article_id, "content_hash": digest, "params": self.params.key,
                               "signature": None if sig is None else to_bytes(sig)})
            if sig is not None:
                buckets.extend({"bucket": key, "article_id": article_id}
                               for key in band_keys(sig, self.params))
        if signatures:
            session.execute(insert(ArticleSignature), signatures)
        if buckets:
            session.execute(insert(SignatureBand), buckets)

    def remove(self, session: Session, article_id: int, stored: bytes | None) -> None:
        """Forget an article; ``stored`` is its signature as kept, to find its buckets."""
        if stored is not None:
            keys = band_keys(from_bytes(stored), self.params)
            session.execute(delete(SignatureBand).where(SignatureBand.bucket.in_(keys),
                                                        SignatureBand.article_id == article_id))
        session.execute(delete(ArticleSignature).where(ArticleSignature.article_id == article_id))

    def clear(self, session: Session) -> None:
        session.execute(delete(SignatureBand))
        session.execute(delete(ArticleSignature))

    def matches(self, session: Session, sig: np.ndarray, known: dict[int, np.ndarray]) -> list[int]:
        """Indexed articles whose signatures agree with ``sig`` on at least ``threshold`` of
        positions, in id order.  ``known`` caches signatures across calls and is filled."""
        candidates = set(session.scalars(select(SignatureBand.article_id).where(
            SignatureBand.bucket.in_(band_keys(sig, self.params)))))
        known.update(self.signatures(session, candidates - known.keys()))
        return [candidate for candidate in sorted(candidates)
                if candidate in known and similarity(sig, known[candidate]) >= self.params.threshold]

    def signatures(self, session: Session, ids: Iterable[int]) -> dict[int, np.ndarray]:
        """Stored signatures of those ``ids`` that have one."""
        ids = list(ids)
        if not ids:
            return {}
        rows = session.execute(select(ArticleSignature.article_id, ArticleSignature.signature)
                               .where(ArticleSignature.article_id.in_(ids),
                                      ArticleSignature.signature.is_not(None)))
        return {article_id: from_bytes(blob) for article_id, blob in rows}
