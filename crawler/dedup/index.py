"""The persistent LSH index: signatures and band buckets kept in the database.

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

from collections.abc import Iterable, Iterator, Sequence

import numpy as np
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from crawler.dedup.minhash import DedupParams, band_keys, from_bytes, similarity, to_bytes
from crawler.dedup.models import ArticleSignature, SignatureBand
from crawler.models import Article

# Values bound in one ``IN (…)``: well under SQLite's limit of 32,766 variables.
IN_CHUNK = 5000


def chunks(values: Sequence, size: int = IN_CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


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

    def forget_deleted(self, session: Session) -> set[int]:
        """Remove the entries of articles no longer in ``articles``; return the indexed
        articles that were linked to them, whose clusters may have to change."""
        gone = session.execute(select(ArticleSignature.article_id, ArticleSignature.signature).where(
            ~select(Article.id).where(Article.id == ArticleSignature.article_id).exists())).all()
        for article_id, stored in gone:
            self.remove(session, article_id, stored)
        removed = {article_id: from_bytes(stored) for article_id, stored in gone if stored is not None}
        return {neighbour for found in self.neighbours(session, removed, {}).values() for neighbour in found}

    def clear(self, session: Session) -> None:
        session.execute(delete(SignatureBand))
        session.execute(delete(ArticleSignature))

    def matches(self, session: Session, sig: np.ndarray, known: dict[int, np.ndarray]) -> list[int]:
        """Indexed articles whose signatures agree with ``sig`` on at least ``threshold`` of
        positions, in id order.  ``known`` caches signatures across calls and is filled."""
        return self.neighbours(session, {None: sig}, known)[None]

    def neighbours(self, session: Session, sigs: dict, known: dict[int, np.ndarray]) -> dict:
        """``matches`` of many signatures at once (keyed as ``sigs``), in one bucket query
        and one signature query per ``IN_CHUNK`` values rather than two per signature."""
        keys = {name: band_keys(sig, self.params) for name, sig in sigs.items()}
        buckets: dict[int, list[int]] = {}
        for chunk in chunks(sorted({key for some in keys.values() for key in some})):
            for bucket, article_id in session.execute(
                    select(SignatureBand.bucket, SignatureBand.article_id).where(SignatureBand.bucket.in_(chunk))):
                buckets.setdefault(bucket, []).append(article_id)
        candidates = {name: {article_id for key in some for article_id in buckets.get(key, ())}
                      for name, some in keys.items()}
        known.update(self.signatures(session, set().union(*candidates.values()) - known.keys()))
        threshold = self.params.threshold
        return {name: [candidate for candidate in sorted(found)
                       if candidate in known and similarity(sigs[name], known[candidate]) >= threshold]
                for name, found in candidates.items()}

    def signatures(self, session: Session, ids: Iterable[int]) -> dict[int, np.ndarray]:
        """Stored signatures of those ``ids`` that have one."""
        found = {}
        for chunk in chunks(sorted(ids)):
            rows = session.execute(select(ArticleSignature.article_id, ArticleSignature.signature)
                                   .where(ArticleSignature.article_id.in_(chunk),
                                          ArticleSignature.signature.is_not(None)))
            found.update((article_id, from_bytes(blob)) for article_id, blob in rows)
        return found
