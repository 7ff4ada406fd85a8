"""Article links and next page found on every saved CMS list page.

    python bench/lists.py                     # fixtures/realcms_lists/
    python bench/lists.py DIR                 # any folder of <cms>/<page> + <page>.json sidecars

Each page is read twice: by a new site spider of its dialect with only ``name`` and
``start_urls`` (the dialect's URL pattern, stock list scope and pager), and by
``crawler.listing`` with no dialect knowledge at all (any article-shaped URL). Per page it
prints the article links the sidecar's ``expected`` lists, how many were found, how many
expected ones were missed and how many found ones were not expected, whether the list
dates agree, and whether the next list page is the expected one.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scrapy.http import HtmlResponse  # noqa: E402

from crawler import listing  # noqa: E402
from spiders.empirecms import EmpireCMSSpider  # noqa: E402
from spiders.phpcms import PHPCMSSpider  # noqa: E402
from spiders.trs import TRSSpider  # noqa: E402

DIALECTS = {"trs": TRSSpider, "empirecms": EmpireCMSSpider, "phpcms": PHPCMSSpider}


def read_dialect(meta: dict, body: bytes):
    spider_class = type("NewSite", (DIALECTS[meta["cms"]],), {"name": "newsite", "start_urls": [meta["url"]]})
    response = HtmlResponse(meta["url"], body=body, headers={"Content-Type": meta["headers"]["Content-Type"][0]})
    spider = spider_class()
    return spider.list_entries(response), spider.next_list_page(response)


def read_generic(meta: dict, body: bytes):
    root = listing.parse_page(body)
    return listing.list_entries(meta["url"], root), listing.next_page(meta["url"], root)


def score(meta: dict, entries, next_url) -> dict:
    expected = meta["expected"]
    found = [entry.url for entry in entries]
    dates = dict(zip(found, (entry.date and entry.date.isoformat() for entry in entries), strict=True))
    return {
        "found": len(found),
        "missed": len(set(expected["links"]) - set(found)),
        "extra": len(set(found) - set(expected["links"])),
        "dates": all(dates.get(url, "missing") == day
                     for url, day in zip(expected["links"], expected["dates"], strict=True)),
        "next": next_url == expected["next"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=REPO / "fixtures" / "realcms_lists")
    args = parser.parse_args()
    sidecars = sorted(args.folder.glob("*/*.json"))
    print(f"{'page':38} {'kind':12} {'expected':>8} | {'dialect: found missed extra dates next':40} |"
          f" generic: found missed extra dates next")
    totals = {"dialect": [0, 0], "generic": [0, 0]}
    for sidecar in sidecars:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
        body = sidecar.with_name(sidecar.name[:-len(".json")]).read_bytes()
        kind = "real" if meta["provenance"].startswith("real") else "constructed"
        cells = []
        for reader, read in (("dialect", read_dialect), ("generic", read_generic)):
            result = score(meta, *read(meta, body))
            right = not result["missed"] and not result["extra"] and result["dates"]
            totals[reader][0] += right
            totals[reader][1] += result["next"]
            cells.append(f"{result['found']:>5} {result['missed']:>6} {result['extra']:>5} "
                         f"{'ok' if result['dates'] else 'WRONG':>5} {'ok' if result['next'] else 'WRONG':>5}")
        name = f"{sidecar.parent.name}/{sidecar.name[:-len('.html.json')]}"
        print(f"{name:38} {kind:12} {len(meta['expected']['links']):>8} | {cells[0]:40} | {cells[1]}")
    for reader, (lists, nexts) in totals.items():
        print(f"{reader}: article list exactly right on {lists} of {len(sidecars)} pages, "
              f"next page right on {nexts} of {len(sidecars)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
