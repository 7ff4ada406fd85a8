"""The text that exact and near-duplicate detection compare.

Reprints of one story differ in script (traditional copies), punctuation width and
line layout; none of that makes them different documents, so it is folded away
before hashing.
"""

from __future__ import annotations

import hashlib
import unicodedata

from crawler.cleaning.script import to_simplified


def normalise_text(body: str) -> str:
    """NFKC (folds punctuation width), Simplified script, no whitespace at all."""
    folded = unicodedata.normalize("NFKC", body)
    simplified = to_simplified(folded)
    return "".join(simplified.split())


def content_hash(body: str | None) -> str | None:
    """SHA-256 hex digest of the normalised body; ``None`` when there is no text."""
    return hash_normalised(normalise_text(body)) if body else None


def hash_normalised(text: str) -> str | None:
    """The ``content_hash`` of a text that is already normalised."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest() if text else None
