"""The real CMS pages of ``fixtures/realcms/`` and the rule that judges a reading of them.

Each sidecar's ``expected`` was read by hand from the page: ``title`` (or ``title_alts``),
``date`` as shown (to the minute where the page shows a time; a list gives alternatives),
``body_first``/``body_last`` (sentences the body must hold) and ``furniture`` (strings
it must not hold).  Text is compared without whitespace and after NFKC, so punctuation
width does not count.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHECKS = ("title", "date", "body")


def real_pages() -> list[Path]:
    """Sidecars of the real pages that carry hand-read expectations."""
    return [path for path in sorted((ROOT / "fixtures" / "realcms").glob("*/*.json"))
            if not path.name.endswith(".expected.json") and "expected" in json.loads(path.read_text("utf-8"))]


def expectations(sidecar: Path) -> dict:
    return json.loads(sidecar.read_text(encoding="utf-8"))["expected"]


def squeeze(text: str | None) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def _alternatives(value) -> list[str]:
    return value if isinstance(value, list) else [value]


def judge(expected: dict, fields: dict) -> dict[str, bool]:
    """Per check (title, date, body): is the stored reading right?"""
    titles = [expected["title"], *expected.get("title_alts", [])]
    stored_date = (fields.get("published_at") or "").replace("T", " ")
    body = squeeze(fields.get("body"))
    return {
        "title": squeeze(fields.get("title")) in {squeeze(title) for title in titles},
        "date": any(stored_date[:len(shown)] == shown for shown in _alternatives(expected["date"])),
        "body": bool(body)
        and any(squeeze(first) in body for first in _alternatives(expected["body_first"]))
        and any(squeeze(last) in body for last in _alternatives(expected["body_last"]))
        and not any(squeeze(word) in body for word in expected.get("furniture", [])),
    }
