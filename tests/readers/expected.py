"""Expected-output files of the fixture article pages: ``<page>.expected.json`` beside each
page's sidecar holds every stored field as ``crawler probe`` reads the page.

Adding a case: save the page (raw bytes plus sidecar) under ``fixtures/``, then

    python -m tests.readers.expected [--spider NAME] fixtures/<dir>/<page>.json

writes its expected file; review it by hand before committing (it is the test's truth).
Without ``--spider`` the page is read as a new spider of its detected dialect would read it.
"""

from __future__ import annotations

import argparse
import json
from functools import cache
from pathlib import Path

from crawler.commands.probe import load_page, probe, project_spider

ROOT = Path(__file__).resolve().parents[2]
SUFFIX = ".expected.json"


def expected_path(sidecar: Path) -> Path:
    return sidecar.with_name(sidecar.name[: -len(".json")] + SUFFIX)


def sidecar_of(expected: Path) -> Path:
    return expected.with_name(expected.name[: -len(SUFFIX)] + ".json")


def stored(sidecar: Path, spider: str | None) -> dict:
    """What the expected file holds: the probe's stored row of the page."""
    result = probe(load_page(sidecar), spidercls=project_spider(spider) if spider else None)
    article = result["article"]
    return {"spider": spider, "cms": result["cms"], "canonical_url": article["url"],
            "rejected": article["rejected"], "extraction_method": article["extraction_method"],
            **article["fields"], "field_sources": article["sources"]}


@cache
def stored_now(expected: Path) -> dict:
    spider = json.loads(expected.read_text(encoding="utf-8"))["spider"]
    return stored(sidecar_of(expected), spider)


def cases() -> list[Path]:
    return sorted(ROOT.glob(f"fixtures/**/*{SUFFIX}"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spider", help="the project spider that reads these pages")
    parser.add_argument("sidecars", nargs="+", type=Path)
    args = parser.parse_args()
    for sidecar in args.sidecars:
        path = expected_path(sidecar)
        path.write_text(json.dumps(stored(sidecar, args.spider), ensure_ascii=False, indent=2) + "\n",
                        encoding="utf-8")
        print(path)


if __name__ == "__main__":
    main()
