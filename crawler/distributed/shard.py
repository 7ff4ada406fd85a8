"""``crawler crawl --shard K/N``: each of N machines runs its own share of the spiders.

A spider's shard is a stable hash of its name (SHA-1, not Python's salted ``hash``), so
every machine computes the same split without talking to the others, and a spider stays
on its machine from night to night.
"""

from __future__ import annotations

import hashlib
import re

from crawler.errors import ArgumentError

_SHARD = re.compile(r"^(\d+)/(\d+)$")


def parse_shard(text: str) -> tuple[int, int]:
    """``"K/N"`` as (K, N), 1 ≤ K ≤ N; anything else is a one-line ``ArgumentError``."""
    match = _SHARD.match(text.strip())
    if not match or not 1 <= int(match[1]) <= int(match[2]):
        raise ArgumentError(f"--shard expects K/N with 1 <= K <= N, e.g. 1/3, got {text!r}")
    return int(match[1]), int(match[2])


def shard_of(spider: str, count: int) -> int:
    """The shard (1 … count) that runs ``spider``."""
    digest = hashlib.sha1(spider.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def in_shard(spiders: list[str], shard: int, count: int) -> list[str]:
    return [name for name in spiders if shard_of(name, count) == shard]
