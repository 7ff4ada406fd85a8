"""MinHash signatures over character shingles, and the LSH band keys that index them.

Character shingles need no word segmentation, which suits Chinese.  A signature is
``num_perm`` 32-bit values; two signatures agree on a position with probability
equal to the Jaccard similarity of the two shingle sets.

Signatures are those of datasketch's ``MinHash`` (``affine32`` scheme: SHA-1 of each
shingle's UTF-8, MurmurHash3's finaliser, then ``a * h + b`` mod 2^32), computed with
fewer Python steps: the UTF-8 of the whole text is hashed slice by slice, and the
finaliser, the ``num_perm`` permutations and the minimum are each one array operation.
A shingle that recurs hashes the same each time, so the minimum is that of the set.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from crawler.addon import SETTINGS


@dataclass(frozen=True)
class DedupParams:
    """Near-duplicate parameters; every one is a Scrapy setting (``DEDUP_*``, defaults in ``crawler.addon``).

    ``bands`` × ``rows`` must not exceed ``num_perm``; when both are left ``None``
    they are chosen from ``threshold`` as datasketch's ``MinHashLSH`` chooses them
    (:func:`optimal_band_layout`).  Bodies shorter than ``min_chars`` normalised characters are
    never clustered: too little text to call two articles the same.
    """

    shingle_size: int = SETTINGS["DEDUP_SHINGLE_SIZE"]
    num_perm: int = SETTINGS["DEDUP_NUM_PERM"]
    threshold: float = SETTINGS["DEDUP_THRESHOLD"]
    bands: int | None = SETTINGS["DEDUP_BANDS"]
    rows: int | None = SETTINGS["DEDUP_ROWS"]
    seed: int = SETTINGS["DEDUP_SEED"]
    min_chars: int = SETTINGS["DEDUP_MIN_CHARS"]

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
            shingle_size=settings.getint("DEDUP_SHINGLE_SIZE"),
            num_perm=settings.getint("DEDUP_NUM_PERM"),
            threshold=settings.getfloat("DEDUP_THRESHOLD"),
            bands=optional_int("DEDUP_BANDS"),
            rows=optional_int("DEDUP_ROWS"),
            seed=settings.getint("DEDUP_SEED"),
            min_chars=settings.getint("DEDUP_MIN_CHARS"),
        )

    @cached_property
    def band_layout(self) -> tuple[int, int]:
        """(bands, rows) of the LSH index."""
        if self.bands is not None and self.rows is not None:  # set together, or neither
            return self.bands, self.rows
        return optimal_band_layout(self.threshold, self.num_perm)

    @property
    def key(self) -> str:
        """Names every parameter the stored index and the clusters depend on; stored with
        each signature, so that changed settings re-index and re-cluster everything."""
        bands, rows = self.band_layout
        return (f"k{self.shingle_size}-p{self.num_perm}-s{self.seed}-b{bands}r{rows}"
                f"-t{self.threshold:g}-m{self.min_chars}")

    @cached_property
    def permutations(self) -> np.ndarray:
        """The ``(a, b)`` rows of the affine permutations (``a`` odd, so each is a bijection
        of the 32-bit values), drawn once from ``seed`` as datasketch's affine32 scheme does."""
        generator = np.random.RandomState(self.seed)
        a = generator.randint(0, 1 << 31, self.num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
        b = generator.randint(0, 1 << 32, self.num_perm, dtype=np.uint32)
        return np.array([a, b])


def optimal_band_layout(threshold: float, num_perm: int) -> tuple[int, int]:
    """The ``(bands, rows)`` with the least sum of the false-positive probability (a pair
    below ``threshold`` sharing a band) and the false-negative one (a pair above it sharing
    none), both weighted 0.5 and integrated over the similarity: the choice datasketch's
    ``MinHashLSH`` makes, without importing it (and scipy, most of a second of start-up).

    Both probabilities are polynomials of degree ``bands × rows <= num_perm``, which
    Gauss-Legendre quadrature with ``num_perm // 2 + 1`` nodes integrates exactly.
    """
    layouts = np.array([(bands, rows) for bands in range(1, num_perm + 1)
                        for rows in range(1, num_perm // bands + 1)], dtype=float)
    bands, rows = layouts[:, :1], layouts[:, 1:]
    nodes, weights = np.polynomial.legendre.leggauss(num_perm // 2 + 1)

    def integral(shared_band: bool, low: float, high: float) -> np.ndarray:
        similarity = (high - low) / 2 * nodes + (high + low) / 2
        no_band = (1 - similarity ** rows) ** bands
        return (high - low) / 2 * ((1 - no_band if shared_band else no_band) @ weights)

    error = 0.5 * integral(True, 0.0, threshold) + 0.5 * integral(False, threshold, 1.0)
    best = int(np.argmin(error))  # the first of equal errors, as a scan in this order keeps
    return int(layouts[best, 0]), int(layouts[best, 1])


def shingles(text: str, size: int) -> set[str]:
    """Overlapping character n-grams; a text shorter than ``size`` is one shingle."""
    if len(text) <= size:
        return {text}
    return {text[i:i + size] for i in range(len(text) - size + 1)}


def shingle_hashes(text: str, size: int) -> np.ndarray:
    """datasketch's ``sha1_hash32`` of every shingle position's UTF-8 (a text shorter than
    ``size`` is one shingle, as in ``shingles``)."""
    data = text.encode("utf-8")
    bounds: Iterable[tuple[int, int]]
    if len(text) <= size:
        bounds = [(0, len(data))]
    else:
        points = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
        offsets = np.zeros(len(points) + 1, dtype=np.int64)
        np.cumsum(1 + (points >= 0x80) + (points >= 0x800) + (points >= 0x10000), out=offsets[1:])
        bounds = zip(offsets[:len(points) - size + 1].tolist(), offsets[size:].tolist(), strict=True)
    sha1 = hashlib.sha1
    digests = b"".join([sha1(data[start:end]).digest() for start, end in bounds])
    return np.frombuffer(digests, dtype="<u4")[::5]  # the first 4 of each digest's 20 bytes


def _finalise32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser, as datasketch applies it before the permutations."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


def signature(text: str, params: DedupParams) -> np.ndarray:
    """The MinHash signature of a normalised text, as ``num_perm`` uint32 values."""
    a, b = params.permutations
    # one row per permutation, so that each minimum runs along contiguous memory (four
    # times faster than a column per permutation), the additions in place
    values = np.multiply.outer(a, _finalise32(shingle_hashes(text, params.shingle_size)))
    values += b[:, np.newaxis]
    return values.min(axis=1)


def sign_all(texts: dict[str, str], params: DedupParams) -> dict[str, np.ndarray]:
    """The signature of each normalised text, under its key (a batch for a worker process)."""
    return {key: signature(text, params) for key, text in texts.items()}


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
