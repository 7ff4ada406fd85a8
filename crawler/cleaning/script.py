"""Simplified/Traditional: detecting the script of a text and giving its Simplified form."""

from __future__ import annotations

from functools import lru_cache

import opencc

_T2S = opencc.OpenCC("t2s")
_S2T = opencc.OpenCC("s2t")


def to_simplified(text: str) -> str:
    """Simplified form (OpenCC t2s), for hashing, deduplication and search; lossy for 著/着-style pairs."""
    return _T2S.convert(text) if text else text


def to_traditional(text: str) -> str:
    """Traditional form (OpenCC s2t), used to accept labels printed in either script."""
    return _S2T.convert(text) if text else text


@lru_cache(maxsize=8192)
def is_traditional_only(char: str) -> bool:
    """True for a character that t2s changes, i.e. one a Simplified text would not use."""
    return _T2S.convert(char) != char


def detect_script(text: str) -> str | None:
    """``zh-Hant`` when Traditional-only characters outnumber Simplified-only ones, else ``zh-Hans``.

    ``None`` for text with no Han characters at all.
    """
    if not any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return None
    traditional = sum(a != b for a, b in zip(text, _T2S.convert(text)))
    simplified = sum(a != b for a, b in zip(text, _S2T.convert(text)))
    return "zh-Hant" if traditional > simplified else "zh-Hans"
