"""The SEO-mirror artifact "鄉(xiāng)": pinyin annotations after characters the mirror converted.

Rule (docs/sites.md §6): a Han character followed by one or more parenthesised
lower-case syllables.  An annotation is removed only when the syllable carries a
tone mark (or is a neutral-tone particle) and OpenCC t2s changes the character, so
genuine pronunciation notes on characters common to both scripts ("王琎(jìn)") stay.
"""

from __future__ import annotations

import re

from crawler.cleaning.script import is_traditional_only

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_SYLLABLE = rf"[(（]([a-zü{_TONED}]{{1,6}})[)）]"
ANNOTATION = re.compile(rf"([{_HAN}])((?:{_SYLLABLE})+)")
_ONE_SYLLABLE = re.compile(_SYLLABLE)
NEUTRAL_SYLLABLES = frozenset("men me de le zi ma ne ba zhe".split())


def _is_pinyin(syllable: str) -> bool:
    return syllable in NEUTRAL_SYLLABLES or any(ch in _TONED for ch in syllable)


def _is_mirror_annotation(match: re.Match) -> bool:
    syllables = _ONE_SYLLABLE.findall(match.group(2))
    return is_traditional_only(match.group(1)) and all(map(_is_pinyin, syllables))


def strip_pinyin(text: str) -> tuple[str, int]:
    """Text without mirror annotations, and how many were removed."""
    removed = 0

    def replace(match: re.Match) -> str:
        nonlocal removed
        if _is_mirror_annotation(match):
            removed += 1
            return match.group(1)
        return match.group(0)

    if "(" not in text and "（" not in text:
        return text, 0
    return ANNOTATION.sub(replace, text), removed
