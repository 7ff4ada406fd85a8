"""Cluster assignment: every article joins the cluster of the articles it reprints.

Two articles are linked when their MinHash signatures share an LSH band and agree
on at least ``threshold`` of their positions (identical normalised bodies agree on
all of them).  A cluster is a connected component of that graph, so it depends
only on the set of stored articles, never on the order or the runs in which they
arrived.  ``cluster_id`` is the id of the component's canonical member: the
earliest published, then the first seen, then the smallest URL.

Nothing is deleted: duplicates stay rows of their own, sharing a ``cluster_id``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from crawler.dedup.index import SignatureIndex
from crawler.dedup.minhash import DedupParams, signature, similarity
from crawler.dedup.text import hash_normalised, normalise_text
from crawler.storage.dedup import DedupTables

SITE_TIMEZONE = timezone(timedelta(hours=8))
_LATEST = datetime.max.replace(tzinfo=timezone.utc)


@dataclass
class UpdateResult:
    indexed: int = 0
    reassigned: int = 0


def canonical_order(published_at: str | None, first_seen_at: str | None, url: str) -> tuple:
    """Sort key of a cluster's members: earliest published, then first seen, then URL.

    Unknown or unreadable dates sort last; a date without offset is site time (+08:00).
    """
    return (_instant(published_at), _instant(first_seen_at), url)


def _instant(text: str | None) -> datetime:
    if not text:
        return _LATEST
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return _LATEST
    return moment if moment.tzinfo else moment.replace(tzinfo=SITE_TIMEZONE)


class Deduplicator:
    """Keeps ``content_hash``, the signature index and ``cluster_id`` of all articles current.

    ``update()`` indexes every article that is new, changed or never clustered (in
    transactions of ``chunk_size`` articles) and recomputes the clusters they touch.
    Each transaction holds the store's dedup lock, so spiders finishing at the same
    time see each other's articles.
    """

    def __init__(self, store, params: DedupParams, chunk_size: int = 500):
        self.store = store
        self.params = params
        self.index = SignatureIndex(params)
        self.chunk_size = chunk_size

    def update(self) -> UpdateResult:
        result = UpdateResult()
        with self.store.dedup_tables(write=True) as tables:
            self._drop_stale_parameters(tables)
            result.reassigned += self._recluster(tables, self._touched_by_deletions(tables))
        while True:
            with self.store.dedup_tables(write=True) as tables:
                rows = tables.dirty(self.params.key, self.chunk_size)
                if not rows:
                    return result
                self._reindex(tables, rows)
                seeds = {row.id for row in rows}
                previous_clusters = {row.cluster_id for row in rows if row.cluster_id is not None}
                if previous_clusters:
                    seeds.update(tables.in_clusters(previous_clusters))
                result.indexed += len(rows)
                result.reassigned += self._recluster(tables, seeds)

    def pending(self) -> int:
        """How many articles the next ``update()`` would index."""
        with self.store.dedup_tables() as tables:
            return tables.dirty_count(self.params.key)

    def similarities(self, canonical_id: int, member_ids: Iterable[int]) -> dict:
        """Estimated similarity of each member to the canonical article (None if not comparable)."""
        member_ids = list(member_ids)
        with self.store.dedup_tables() as tables:
            signatures = self.index.signatures(tables, {canonical_id, *member_ids})
        reference = signatures.get(canonical_id)
        return {member: (similarity(reference, signatures[member])
                         if reference is not None and member in signatures else None)
                for member in member_ids}

    # Indexing -------------------------------------------------------------------

    def _touched_by_deletions(self, tables: DedupTables) -> set[int]:
        """Articles whose cluster may have changed because articles were deleted: those
        linked to a deleted one, and the members of a cluster whose canonical one is gone."""
        orphaned = tables.orphaned()
        return self.index.forget_deleted(tables) | orphaned

    def _drop_stale_parameters(self, tables: DedupTables) -> None:
        """Signatures made with other DEDUP_* settings cannot be compared: re-index everything."""
        if tables.has_other_params(self.params.key):
            tables.clear()

    def _reindex(self, tables: DedupTables, rows) -> None:
        entries = []
        for row in rows:
            text = normalise_text(row.body) if row.body else ""
            digest = hash_normalised(text)
            if digest != row.content_hash:
                tables.set_content_hash(row.id, digest)
            if row.indexed is not None:
                self.index.remove(tables, row.id, row.signature)
            sig = signature(text, self.params) if len(text) >= self.params.min_chars else None
            entries.append((row.id, digest, sig))
        self.index.add(tables, entries)

    # Clustering -----------------------------------------------------------------

    def _recluster(self, tables: DedupTables, seeds: set[int]) -> int:
        """Recompute the component of every seed; return how many cluster ids changed."""
        done: set[int] = set()
        changed = 0
        for seed in sorted(seeds):
            if seed in done:
                continue
            component = self._component(tables, seed)
            done |= component
            changed += self._assign(tables, component)
        return changed

    def _component(self, tables: DedupTables, seed: int) -> set[int]:
        known = self.index.signatures(tables, [seed])
        component, frontier = {seed}, [seed] if seed in known else []
        while frontier:
            node = frontier.pop()
            for neighbour in self.index.matches(tables, known[node], known):
                if neighbour not in component:
                    component.add(neighbour)
                    frontier.append(neighbour)
        return component

    def _assign(self, tables: DedupTables, component: set[int]) -> int:
        members = tables.members(component)
        canonical = min(members, key=lambda m: canonical_order(m.published_at, m.first_seen_at, m.url))
        moved = [m.id for m in members if m.cluster_id != canonical.id]
        if moved:
            tables.set_cluster(moved, canonical.id)
        return len(moved)
