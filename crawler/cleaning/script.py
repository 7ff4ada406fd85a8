"""Simplified/Traditional: detecting the script of a text and giving its Simplified form."""

from __future__ import annotations

import operator
import re
from functools import cache, lru_cache

import opencc

_HAN = re.compile("[\u4e00-\u9fff]")


@cache
def converter(config: str) -> opencc.OpenCC:
    """An OpenCC converter, loaded on first use (a dictionary load costs start-up time)."""
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """Simplified form (OpenCC t2s), for hashing, deduplication and search; lossy for 著/着-style pairs."""
    return converter("t2s").convert(text) if text else text


@lru_cache(maxsize=4096)
def traditional_forms(text: str) -> frozenset[str]:
    """The Traditional forms of a Simplified text, used to accept words printed in either
    script: OpenCC's standard, and the forms Taiwan and Hong Kong print where they differ
    from it (為 and 爲, 台 and 臺, 眾 and 衆), as real Traditional pages use all of them.
    The regional forms are variants of the standard's, so only their small tables load."""
    if not text:
        return frozenset({text})
    standard = converter("s2t").convert(text)
    return frozenset({standard, converter("t2tw").convert(standard), converter("t2hk").convert(standard)})


@lru_cache(maxsize=8192)
def is_traditional_only(char: str) -> bool:
    """True for a character that t2s changes, i.e. one a Simplified text would not use."""
    return converter("t2s").convert(char) != char


def detect_script(text: str) -> str | None:
    """``zh-Hant`` when Traditional-only characters outnumber Simplified-only ones, else ``zh-Hans``.

    ``None`` for text with no Han characters at all.  A text that t2s leaves alone is
    Simplified without converting it to Traditional, so most texts cost one conversion.
    """
    if not _HAN.search(text):
        return None
    traditional = _changed(text, converter("t2s").convert(text))
    if not traditional:
        return "zh-Hans"
    return "zh-Hant" if traditional > _changed(text, converter("s2t").convert(text)) else "zh-Hans"


def _changed(text: str, converted: str) -> int:
    """Positions at which a conversion changed the text."""
    return 0 if converted == text else sum(map(operator.ne, text, converted))
