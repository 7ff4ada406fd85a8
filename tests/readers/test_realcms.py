"""Real TRS/EmpireCMS/PHPCMS pages read by ``crawler probe`` as a new spider of their dialect:
title exact, date as shown, body holding its first and last sentence without furniture;
and never worse than the generic reader on a page."""

from __future__ import annotations

from functools import cache

import pytest

from crawler.commands.probe import load_page, probe
from tests.readers.realcms import CHECKS, ROOT, expectations, judge, real_pages


@cache
def verdicts(sidecar, cms: str) -> dict[str, bool]:
    return judge(expectations(sidecar), probe(load_page(sidecar), cms)["article"]["fields"])


def _name(sidecar) -> str:
    return str(sidecar.relative_to(ROOT / "fixtures" / "realcms")).removesuffix(".json")


def test_the_real_pages_are_there():
    assert {sidecar.parent.name for sidecar in real_pages()} >= {"trs", "empirecms"}


def test_the_dialect_is_detected():
    import json
    for sidecar in real_pages():
        assert probe(load_page(sidecar))["detected"] == json.loads(sidecar.read_text("utf-8"))["cms"], sidecar


@pytest.mark.parametrize("sidecar, check", [pytest.param(sidecar, check, id=f"{_name(sidecar)}-{check}")
                                            for sidecar in real_pages() for check in CHECKS])
def test_dialect_reader(sidecar, check):
    assert verdicts(sidecar, "auto")[check]


@pytest.mark.parametrize("sidecar", real_pages(), ids=_name)
def test_the_dialect_reader_is_never_worse_than_the_generic_reader(sidecar):
    dialect, generic = verdicts(sidecar, "auto"), verdicts(sidecar, "generic")
    assert all(dialect[check] or not generic[check] for check in CHECKS)
