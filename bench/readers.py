"""How well the page readers read real CMS pages: dialect reader and generic reader side by side.

    python bench/readers.py            # every real article page in fixtures/realcms/

Each page goes through ``crawler probe`` (the whole cleaning pipeline) twice, in the
same run: as a new spider of its detected dialect, and with ``--cms generic``.  A check
is right as ``tests/readers/realcms.py`` judges it: title exact; date as the page shows
it (to the minute where it shows a time); body holding the first and last sentence with
none of the listed furniture.  Prints one line per page and a table per dialect.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crawler.commands.probe import load_page, probe
from tests.readers.realcms import CHECKS, expectations, judge, real_pages

READERS = ("auto", "generic")


def main() -> None:
    totals: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    worse = []
    for sidecar in real_pages():
        cms = json.loads(sidecar.read_text(encoding="utf-8"))["cms"]
        verdicts = {}
        for reader in READERS:
            fields = probe(load_page(sidecar), reader)["article"]["fields"]
            verdicts[reader] = judge(expectations(sidecar), fields)
            counts = totals[(cms, reader)]
            counts["pages"] += 1
            for check in CHECKS:
                counts[check] += verdicts[reader][check]
            counts["all three"] += all(verdicts[reader].values())
        if any(verdicts["generic"][c] and not verdicts["auto"][c] for c in CHECKS):
            worse.append(sidecar.name)
        marks = "  ".join(f"{reader}: " + "".join("+" if verdicts[reader][c] else "-" for c in CHECKS)
                          for reader in READERS)
        print(f"{cms:10} {sidecar.name:28} {marks}   (title, date, body)")
    print()
    print("| dialect | pages | reader | title | date | body | all three |")
    print("|---|---|---|---|---|---|---|")
    for cms in [*sorted({cms for cms, _ in totals}), "all"]:
        for reader in READERS:
            rows = [counts for (c, r), counts in totals.items() if r == reader and cms in (c, "all")]
            pages = sum(row["pages"] for row in rows)
            cells = [f"{sum(row[c] for row in rows)}/{pages}" for c in (*CHECKS, "all three")]
            name = "dialect" if reader == "auto" else "generic"
            print(f"| {cms} | {pages} | {name} | " + " | ".join(cells) + " |")
    print()
    print(f"pages where the dialect reader is worse than the generic one on a check: {len(worse)}"
          + (f" ({', '.join(worse)})" if worse else ""))


if __name__ == "__main__":
    main()
