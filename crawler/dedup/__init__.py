"""Deduplication across runs and sites: exact hashes, MinHash near-duplicates, clusters."""

from crawler.dedup.clusters import Deduplicator, canonical_order
from crawler.dedup.minhash import DedupParams
from crawler.dedup.text import content_hash, normalise_text

__all__ = ["DedupParams", "Deduplicator", "canonical_order", "content_hash", "normalise_text"]
