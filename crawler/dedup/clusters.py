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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

import numpy as np

from crawler.dedup.index import SignatureIndex
from crawler.dedup.minhash import DedupParams, from_bytes, signature, similarity
from crawler.dedup.text import hash_normalised, normalise_text
from crawler.storage.dedup import DedupTables

SITE_TIMEZONE = timezone(timedelta(hours=8))
_LATEST = datetime.max.replace(tzinfo=UTC)


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
    time see each other's articles.  A chunk of 1,000 holds it about half a second at
    100k stored articles; a commit rewrites most pages of the large bucket index, so
    chunks of 500 cost 15% more, while larger ones saved nothing more.

    ``signatures`` maps a ``content_hash`` to the signature of the text it hashes, made
    while that text was at hand (the dedup pipeline's), so that such bodies are not
    normalised and hashed again.
    """

    def __init__(self, store, params: DedupParams, chunk_size: int = 1000,
                 signatures: Mapping[str, np.ndarray] | None = None):
        self.store = store
        self.params = params
        self.index = SignatureIndex(params)
        self.chunk_size = chunk_size
        self.known_signatures = signatures or {}

    def update(self) -> UpdateResult:
        result = UpdateResult()
        with self.store.dedup_tables(write=True) as tables:
            self._drop_stale_parameters(tables)
            result.reassigned += self._recluster(tables, self._touched_by_deletions(tables))
        after_id = 0
        while True:
            with self.store.dedup_tables(write=True) as tables:
                rows = tables.dirty(self.chunk_size, after_id)
                if not rows:
                    return result
                after_id = rows[-1].id
                seeds = {row.id for row in rows} | self._reindex(tables, rows)
                result.indexed += len(rows)
                result.reassigned += self._recluster(tables, seeds)

    def pending(self) -> int:
        """How many articles the next ``update()`` would index."""
        with self.store.dedup_tables() as tables:
            if tables.has_other_params(self.params.key):  # the update starts by clearing the index
                return tables.article_count()
            return tables.dirty_count()

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
        """Articles whose cluster may have changed because articles were deleted (the trigger's
        log, read and emptied): the members of every cluster that lost one, orphans of a
        canonical article included, and those linked to a deleted one still indexed."""
        deleted = tables.deletions()
        if not deleted:
            return set()
        article_ids = {row.article_id for row in deleted}
        held = article_ids | {row.cluster_id for row in deleted if row.cluster_id is not None}
        touched = tables.in_clusters(held) | self.index.forget_deleted(tables, article_ids)
        tables.forget_deletions(row.id for row in deleted)
        return touched

    def _drop_stale_parameters(self, tables: DedupTables) -> None:
        """Signatures made with other DEDUP_* settings cannot be compared: re-index everything."""
        if tables.has_other_params(self.params.key):
            tables.clear()

    def _reindex(self, tables: DedupTables, rows) -> set[int]:
        """Index ``rows`` anew; return the articles their previous texts were linked to.

        A changed article comes without its cluster id (the store clears it), so the
        cluster it may leave is found from its old signature: every part of that cluster
        holds one of its old neighbours."""
        previous = {row.id: from_bytes(row.signature) for row in rows if row.signature is not None}
        linked = self.index.neighbours(tables, previous, {}) if previous else {}
        entries: list[tuple[int, str | None, np.ndarray | None]] = []
        for row in rows:
            if row.indexed is not None:
                self.index.remove(tables, row.id, row.signature)
            if row.content_hash in self.known_signatures:
                entries.append((row.id, row.content_hash, self.known_signatures[row.content_hash]))
                continue
            text = normalise_text(row.body) if row.body else ""
            digest = hash_normalised(text)
            if digest != row.content_hash:
                tables.set_content_hash(row.id, digest)
            sig = signature(text, self.params) if len(text) >= self.params.min_chars else None
            entries.append((row.id, digest, sig))
        self.index.add(tables, entries)
        return {neighbour for near in linked.values() for neighbour in near}

    # Clustering -----------------------------------------------------------------

    def _recluster(self, tables: DedupTables, seeds: set[int]) -> int:
        """Recompute the component of every seed; return how many cluster ids changed.

        The links of the whole frontier are looked up at once, step by step outwards
        from the seeds, rather than article by article."""
        known = self.index.signatures(tables, seeds)
        links: dict[int, list[int]] = {}
        frontier = set(known)
        while frontier:
            found = self.index.neighbours(tables, {node: known[node] for node in frontier}, known)
            links.update(found)
            frontier = {neighbour for near in found.values() for neighbour in near} - links.keys()
        components, done = [], set()
        for seed in sorted(seeds):
            if seed not in done:
                components.append(_component(seed, links))
                done |= components[-1]
        return self._assign(tables, components)

    def _assign(self, tables: DedupTables, components: list[set[int]]) -> int:
        members = {member.id: member for member in tables.members(set().union(*components))}
        moves = []
        for component in components:
            present = [members[member] for member in component if member in members]
            if not present:
                continue
            canonical = min(present, key=lambda m: canonical_order(m.published_at, m.first_seen_at, m.url))
            moves += [{"id": m.id, "cluster_id": canonical.id} for m in present if m.cluster_id != canonical.id]
        if moves:
            tables.set_clusters(moves)
        return len(moves)


def _component(seed: int, links: dict[int, list[int]]) -> set[int]:
    """The articles reachable from ``seed`` through ``links``."""
    component, frontier = {seed}, [seed]
    while frontier:
        for neighbour in links.get(frontier.pop(), ()):
            if neighbour not in component:
                component.add(neighbour)
                frontier.append(neighbour)
    return component
