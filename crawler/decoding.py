"""Bytes to text for Chinese pages, which often declare the wrong charset.

Order of evidence: a BOM; a strict UTF-8 test; the declared charsets (HTTP header,
then ``<meta>`` or the XML declaration), keeping only those that decode the bytes
cleanly and preferring a multi-byte Chinese-capable one; then, for pages with a few
corrupt bytes (truncated downloads, one bad character), the declared or common Chinese
codec that loses the fewest; charset-normalizer as the last resort.  GB2312 and GBK
are read as GB18030, their superset, because pages labelled GB2312 routinely carry
GBK-only characters.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping

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
    found: list[str] = []
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


def decode_html(body: bytes, headers: Mapping | None = None) -> tuple[str, str]:
    """Decode page bytes; return ``(text, encoding)``.  A BOM is not part of the text."""
    encoding = sniff_encoding(body, headers)
    text = body.decode(encoding, errors="replace")
    return text.lstrip("\ufeff"), encoding
