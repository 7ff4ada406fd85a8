"""Every fixture article read as its expected file says, one test per stored field."""

from __future__ import annotations

import json

import pytest

from tests.readers.expected import ROOT, cases, stored_now

FIELDS = ("canonical_url", "rejected", "extraction_method", "title", "published_at", "source", "author",
          "editor", "section", "body", "images", "field_sources")


def _params():
    for path in cases():
        name = str(path.relative_to(ROOT / "fixtures")).removesuffix(".expected.json")
        for field in FIELDS:
            yield pytest.param(path, field, id=f"{name}-{field}")


def test_there_are_cases_of_every_dialect_and_site():
    dirs = {path.parent.relative_to(ROOT / "fixtures").as_posix() for path in cases()}
    assert {"jszf", "wjga", "fzsdzk", "jazx", "wjyanghu", "realcms/trs", "realcms/empirecms",
            "cmsdefault/phpcms", "cmsdefault/empirecms"} <= dirs


@pytest.mark.parametrize("path, field", _params())
def test_stored_field(path, field):
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert stored_now(path)[field] == expected[field]
