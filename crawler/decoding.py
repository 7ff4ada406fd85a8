"""Bytes to text for Chinese pages, which often declare the wrong charset.

Order of evidence: a BOM; a strict UTF-8 test; the declared charsets (HTTP header,
then ``<meta>`` or the XML declaration), keeping only those that decode the bytes
cleanly and preferring a multi-byte Chinese-capable one; then, for pages with a few
corrupt bytes (truncated downloads, one bad character), the declared or common Chinese
codec that loses the fewest; charset-normalizer as the last resort.  GB2312 and GBK
are read as GB18030, their superset, because pages labelled GB2312 routinely carry
GBK-only characters.

Text that was double-encoded (GBK or UTF-8 bytes read as Latin-1 or CP-1252 by some tool
and saved again as UTF-8, sometimes twice) decodes cleanly into accented Latin letters;
:func:`repair_double_encoding` turns it back into the Chinese it was.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from itertools import islice

import charset_normalizer

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
            "big5": "big5hkscs", "utf8": "utf-8"}
_SINGLE_BYTE = {"latin_1", "iso8859-1", "cp1252", "ascii", "iso8859_1", "windows-1252"}
_CHARSET_IN_HEADER = re.compile(rb"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_META_CHARSET = re.compile(
    rb"<meta[^>]+charset\s*=\s*[\"']?([\w.:-]+)|<\?xml[^>]+encoding\s*=\s*[\"']([\w.:-]+)", re.I)
_DECLARATION_WINDOW = 16384
_CHINESE_CODECS = ("utf-8", "gb18030", "big5hkscs")
_MAX_DAMAGE_PER_BYTE = 1 / 1000
_MAX_DAMAGE_MINIMUM = 8


# Double-encoded text: a run of Latin-1/CP-1252 letters where Chinese should be, and more
# such letters than Han characters.
_MISREAD = re.compile("[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
                      "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]")
_HAN = re.compile("[\u4e00-\u9fff]")
_MIN_MISREAD = 20
_SAMPLE = 16384
_MAX_REPAIRS = 2
# What CP-1252 puts at 0x80-0x9f, back to its byte; Latin-1 covers the rest of 0x00-0xff.
_CP1252_BYTE = {bytes([byte]).decode("cp1252"): byte for byte in range(0x80, 0xA0)
                if byte not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}


class UndecodableError(ValueError):
    """The bytes are not text in any encoding we can find."""


def _normalise(name: str | bytes | None) -> str | None:
    if not name:
        return None
    if isinstance(name, bytes):
        name = name.decode("ascii", "ignore")
    name = name.strip().lower()
    name = _ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _header_value(headers: Mapping | None, key: str) -> bytes | None:
    if not headers:
        return None
    for name, value in headers.items():
        name = name.decode() if isinstance(name, bytes) else name
        if name.lower() != key:
            continue
        if isinstance(value, (list, tuple)):
            value = value[0] if value else b""
        return value.encode("latin-1") if isinstance(value, str) else value
    return None


def declared_encodings(body: bytes, headers: Mapping | None = None) -> list[str]:
    """Charsets the server and the page claim, header first, normalised, without repeats."""
    found: list[str | None] = []
    content_type = _header_value(headers, "content-type")
    if content_type:
        match = _CHARSET_IN_HEADER.search(content_type)
        if match:
            found.append(_normalise(match.group(1)))
    for match in _META_CHARSET.finditer(body[:_DECLARATION_WINDOW]):
        found.append(_normalise(match.group(1) or match.group(2)))
    return list(dict.fromkeys(name for name in found if name))


def _decodes(body: bytes, encoding: str) -> bool:
    try:
        body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _damage(body: bytes, encoding: str) -> int:
    """How many undecodable sequences ``encoding`` meets in ``body``."""
    return body.decode(encoding, errors="replace").count("\ufffd")


def _least_damaged(body: bytes, declared: list[str]) -> str | None:
    """The codec that reads all but a few bytes, declared ones first; None if none does.

    GB18030 reads Big5 bytes without error (into the wrong characters), so a tie
    between codecs is settled by charset-normalizer among the tied ones.
    """
    tolerable = max(_MAX_DAMAGE_MINIMUM, int(len(body) * _MAX_DAMAGE_PER_BYTE))
    damage = {name: _damage(body, name) for name in dict.fromkeys([*declared, *_CHINESE_CODECS])}
    least = min(damage.values())
    if least > tolerable:
        return None
    tied = [name for name, count in damage.items() if count == least]
    if len(tied) > 1:
        best = charset_normalizer.from_bytes(body, cp_isolation=tied).best()
        if best is not None:
            return _normalise(best.encoding) or tied[0]
    return tied[0]


def sniff_encoding(body: bytes, headers: Mapping | None = None) -> str:
    """Return the Python codec name to read ``body`` with."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    declared = declared_encodings(body, headers)
    clean = [name for name in declared if _decodes(body, name)]
    multi_byte = [name for name in clean if name not in _SINGLE_BYTE]
    if multi_byte or clean:
        return (multi_byte or clean)[0]
    nearly_clean = _least_damaged(body, [name for name in declared if name not in _SINGLE_BYTE])
    if nearly_clean:
        return nearly_clean
    best = charset_normalizer.from_bytes(body).best()
    if best is None:
        raise UndecodableError("no encoding decodes these bytes")
    return _normalise(best.encoding) or best.encoding


def _as_misread_bytes(text: str) -> bytes | None:
    """The bytes that a Latin-1/CP-1252 reading turned into ``text``; None if some character
    cannot have come from such a reading (a real Han character, say)."""
    out = bytearray()
    for char in text:
        code = ord(char)
        if code < 0x100:
            out.append(code)
        elif char in _CP1252_BYTE:
            out.append(_CP1252_BYTE[char])
        else:
            return None
    return bytes(out)


def _misread_count(text: str) -> int:
    """Judged on the page's opening, where the title and the first lines of text sit."""
    return len(_MISREAD.findall(text[:_SAMPLE]))


def _is_misread(text: str) -> bool:
    """More misread letters than Han characters; Han ones are counted only as far as the
    misread count, since a real Chinese page has typographic quotes among many Han."""
    misread = _misread_count(text)
    if misread < _MIN_MISREAD:
        return False
    han = sum(1 for _ in islice(_HAN.finditer(text, 0, _SAMPLE), misread))
    return han < misread


def repair_double_encoding(text: str) -> str:
    """Undo up to two rounds of Chinese bytes misread as Latin-1/CP-1252 and re-saved.

    Only text that looks misread is touched, and a repair is kept only when it decodes
    (as UTF-8, else GB18030 with at most a few bad bytes) into fewer misread letters.
    """
    for _ in range(_MAX_REPAIRS):
        if not _is_misread(text):
            break
        raw = _as_misread_bytes(text)
        if raw is None:
            break
        repaired = None
        for codec in ("utf-8", "gb18030"):
            candidate = raw.decode(codec, errors="replace")
            if candidate.count("\ufffd") <= max(_MAX_DAMAGE_MINIMUM, len(raw) * _MAX_DAMAGE_PER_BYTE):
                repaired = candidate
                break
        if repaired is None or _misread_count(repaired) >= _misread_count(text):
            break
        text = repaired
    return text


def decode_html(body: bytes, headers: Mapping | None = None) -> tuple[str, str]:
    """Decode page bytes; return ``(text, encoding)``.  A BOM is not part of the text;
    double-encoded text is repaired (:func:`repair_double_encoding`)."""
    encoding = sniff_encoding(body, headers)
    text = body.decode(encoding, errors="replace")
    return repair_double_encoding(text.lstrip("\ufeff")), encoding
