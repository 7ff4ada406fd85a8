"""MinHash signatures over character shingles, and the LSH band keys that index them.

Character shingles need no word segmentation, which suits Chinese.  A signature is
``num_perm`` 32-bit values; two signatures agree on a position with probability
equal to the Jaccard similarity of the two shingle sets.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from datasketch import MinHash, MinHashLSH


@dataclass(frozen=True)
class DedupParams:
    """Near-duplicate parameters; every one is a Scrapy setting (``DEDUP_*``).

    ``bands`` × ``rows`` must not exceed ``num_perm``; when both are left ``None``
    they are chosen from ``threshold`` by datasketch's false-positive/negative
    optimisation.  Bodies shorter than ``min_chars`` normalised characters are
    never clustered: too little text to call two articles the same.
    """

    shingle_size: int = 5
    num_perm: int = 128
    threshold: float = 0.5
    bands: int | None = None
    rows: int | None = None
    seed: int = 1
    min_chars: int = 50

    def __post_init__(self):
        if (self.bands is None) != (self.rows is None):
            raise ValueError("DEDUP_BANDS and DEDUP_ROWS must be set together")
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError("DEDUP_THRESHOLD must be in (0, 1]")
        if self.band_layout[0] * self.band_layout[1] > self.num_perm:
            raise ValueError("DEDUP_BANDS × DEDUP_ROWS exceeds DEDUP_NUM_PERM")

    @classmethod
    def from_settings(cls, settings) -> DedupParams:
        def optional_int(name):
            value = settings.get(name)
            return None if value in (None, "") else int(value)

        return cls(
            shingle_size=settings.getint("DEDUP_SHINGLE_SIZE", cls.shingle_size),
            num_perm=settings.getint("DEDUP_NUM_PERM", cls.num_perm),
            threshold=settings.getfloat("DEDUP_THRESHOLD", cls.threshold),
            bands=optional_int("DEDUP_BANDS"),
            rows=optional_int("DEDUP_ROWS"),
            seed=settings.getint("DEDUP_SEED", cls.seed),
            min_chars=settings.getint("DEDUP_MIN_CHARS", cls.min_chars),
        )

    @cached_property
    def band_layout(self) -> tuple[int, int]:
        """(bands, rows) of the LSH index."""
        if self.bands is not None:
            return self.bands, self.rows
        lsh = MinHashLSH(threshold=self.threshold, num_perm=self.num_perm)
        return lsh.b, lsh.r

    @property
    def key(self) -> str:
        """Names every parameter the stored index and the clusters depend on; stored with
        each signature, so that changed settings re-index and re-cluster everything."""
        bands, rows = self.band_layout
        return (f"k{self.shingle_size}-p{self.num_perm}-s{self.seed}-b{bands}r{rows}"
                f"-t{self.threshold:g}-m{self.min_chars}")

    @cached_property
    def permutations(self):
        """datasketch's hash permutations for this seed, made once rather than per document."""
        return MinHash(num_perm=self.num_perm, seed=self.seed).permutations


def shingles(text: str, size: int) -> set[str]:
    """Overlapping character n-grams; a text shorter than ``size`` is one shingle."""
    if len(text) <= size:
        return {text}
    return {text[i:i + size] for i in range(len(text) - size + 1)}


def signature(text: str, params: DedupParams) -> np.ndarray:
    """The MinHash signature of a normalised text, as ``num_perm`` uint32 values."""
    minhash = MinHash(num_perm=params.num_perm, seed=params.seed,
                      permutations=params.permutations, scheme="affine32")
    minhash.update_batch([s.encode("utf-8") for s in shingles(text, params.shingle_size)])
    return minhash.hashvalues.astype(np.uint32)


def to_bytes(sig: np.ndarray) -> bytes:
    return sig.astype("<u4").tobytes()


def from_bytes(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u4")


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity: the share of positions where signatures agree."""
    return float(np.count_nonzero(a == b)) / len(a)


def band_keys(sig: np.ndarray, params: DedupParams) -> list[int]:
    """One signed 64-bit key (SQLite's INTEGER range) per band, hashing the band number
    with its values: equal keys mean an equal band."""
    bands, rows = params.band_layout
    raw = sig.astype("<u4").tobytes()
    width = rows * 4
    return [int.from_bytes(hashlib.blake2b(band.to_bytes(2, "little") + raw[band * width:(band + 1) * width],
                                           digest_size=8).digest(), "little", signed=True)
            for band in range(bands)]
