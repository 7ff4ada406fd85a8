"""Score the generic extractor, and its peers, on the evaluation pages in ../shared/eval.

    python bench/extraction.py                  # ours, readability-lxml, trafilatura, GNE
    python bench/extraction.py --only ours      # quick iteration
    python bench/extraction.py --only ours --worst 10

Scoring follows ../shared/eval/README.md: whitespace removed, NFKC, character
multisets; P, R and F1 per page, averaged; failed or empty output scores 0.  Dates are
compared as YYYY-MM-DD on pages whose gold gives a full day; titles exactly, after
whitespace removal and NFKC, where the gold has a title.  daniel_zh keeps the headline
as the first line of its gold body, so for that set a second F1 is printed with the
extractor's title put before its body (same treatment for every extractor), and the
title is also checked against that first gold line.  The peers (readability-lxml,
trafilatura, gne) come from the ``bench`` extra; they get the raw bytes where they
decode themselves, and our decoded text where they need text.  docs/s counts the
extraction call only, single process, in CPU time (``time.process_time``) so that
other work on a shared machine does not distort it.

Two more checks follow.  Titles on the real CMS pages of ../shared/realcms (when that
folder is there) are compared exactly with their sidecars' ``expected.title``.  And the
speed of each extractor as a whole process: a fresh interpreter per extractor that
imports it and runs it over every page of the chosen sets, started in turns
(ours, peer, ours, peer, ...) so that the machine's load falls on all alike; pages per
second of CPU time of that process, start-up and imports included.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import subprocess
import sys
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_EVAL = ROOT.parent / "shared" / "eval"
DEFAULT_REALCMS = ROOT.parent / "shared" / "realcms"
PROCESS_ROUNDS = 2
SETS = ("daniel_zh", "cwced_zh", "gne_nogold_zh")
HEADLINE_IN_GOLD = {"daniel_zh"}
_FULL_DAY = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})")


def normalised(text: str | None) -> str:
    return unicodedata.normalize("NFKC", "".join((text or "").split()))


def prf(output: str | None, gold: str) -> tuple[float, float, float]:
    out, ref = normalised(output), normalised(gold)
    if not out or not ref:
        return 0.0, 0.0, 0.0
    overlap = sum((Counter(out) & Counter(ref)).values())
    precision, recall = overlap / len(out), overlap / len(ref)
    f1 = 2 * precision * recall / (precision + recall) if overlap else 0.0
    return precision, recall, f1


def day_of(text: str | None) -> str | None:
    match = _FULL_DAY.match(text or "")
    return f"{match.group(1)}-{int(match.group(2)):02d}-{int(match.group(3)):02d}" if match else None


# Each runner maps (raw bytes, url) to {"title", "body", "date"}.  Each imports what it
# runs, so that a whole-process run loads one extractor only.

def run_ours(raw: bytes, url: str | None) -> dict:
    from crawler.extraction import extract

    result = extract(raw, url)
    return {"title": result["title"], "body": result["body"], "date": result["published_at"]}


def run_readability(raw: bytes, url: str | None) -> dict:
    from lxml import html
    from readability import Document

    document = Document(raw, url=url)
    summary = html.fromstring(document.summary())
    return {"title": document.short_title(), "body": summary.text_content(), "date": None}


def run_trafilatura(raw: bytes, url: str | None) -> dict:
    import trafilatura

    result = trafilatura.bare_extraction(raw, url=url, with_metadata=True)
    if result is None:
        return {"title": None, "body": "", "date": None}
    return {"title": result.title, "body": result.text, "date": result.date}


def run_gne(raw: bytes, url: str | None) -> dict:
    from gne import GeneralNewsExtractor

    from crawler.decoding import decode_html

    result = GeneralNewsExtractor().extract(decode_html(raw)[0])
    return {"title": result.get("title"), "body": result.get("content"),
            "date": result.get("publish_time")}


EXTRACTORS = {"ours": run_ours, "readability": run_readability, "trafilatura": run_trafilatura,
              "gne": run_gne}


@dataclass
class Tally:
    scores: list[tuple[float, float, float]] = field(default_factory=list)
    headline_f1: list[float] = field(default_factory=list)
    dates: list[bool] = field(default_factory=list)
    titles: list[bool] = field(default_factory=list)
    headlines: list[bool] = field(default_factory=list)
    crashes: int = 0
    empty: int = 0
    seconds: float = 0.0
    pages: int = 0
    worst: list[tuple[float, str]] = field(default_factory=list)


def load(set_dir: Path) -> list[tuple[str, bytes, dict]]:
    cases = []
    for page in sorted(set_dir.glob("*.html")):
        gold_path = page.with_suffix(".json")
        gold = json.loads(gold_path.read_text(encoding="utf-8")) if gold_path.exists() else {}
        cases.append((page.stem, page.read_bytes(), gold))
    return cases


def score_set(name: str, cases, runner) -> Tally:
    tally = Tally()
    for case_id, raw, gold in cases:
        tally.pages += 1
        started = time.process_time()
        try:
            result = runner(raw, gold.get("url") or None)
        except Exception as error:  # a crash is a finding, not a reason to stop
            tally.seconds += time.process_time() - started
            tally.crashes += 1
            result = {"title": None, "body": "", "date": None}
            print(f"  crash {name}/{case_id}: {type(error).__name__}: {error}"[:200], file=sys.stderr)
        else:
            tally.seconds += time.process_time() - started
        body = result["body"] or ""
        if not normalised(body):
            tally.empty += 1
        if gold.get("body"):
            scores = prf(body, gold["body"])
            tally.scores.append(scores)
            tally.worst.append((scores[2], case_id))
            if name in HEADLINE_IN_GOLD:
                with_title = f"{result['title'] or ''}\n{body}"
                tally.headline_f1.append(prf(with_title, gold["body"])[2])
                first_line = gold["body"].split("\n", 1)[0]
                tally.headlines.append(normalised(result["title"]) == normalised(first_line))
        gold_day = day_of(gold.get("publish_time"))
        if gold_day:
            tally.dates.append(day_of(str(result["date"] or "")[:10]) == gold_day)
        if gold.get("title"):
            tally.titles.append(normalised(result["title"]) == normalised(gold["title"]))
    return tally


def _mean_median(values: list[float]) -> str:
    if not values:
        return "    n/a     "
    return f"{statistics.mean(values):.3f}/{statistics.median(values):.3f}"


def _share(values: list[bool]) -> str:
    return f"{sum(values) / len(values):6.1%} of {len(values):3d}" if values else "   n/a       "


def report(name: str, extractor: str, tally: Tally) -> None:
    columns = list(zip(*tally.scores, strict=True)) or [[], [], []]
    print(f"{name:14s} {extractor:12s} "
          f"P {_mean_median(list(columns[0]))}  R {_mean_median(list(columns[1]))}  "
          f"F1 {_mean_median(list(columns[2]))}  "
          f"F1+title {_mean_median(tally.headline_f1) if tally.headline_f1 else '    -      '}  "
          f"date {_share(tally.dates)}  title {_share(tally.titles)}  "
          f"headline {_share(tally.headlines)}  "
          f"crashes {tally.crashes}  empty {tally.empty}  "
          f"{tally.pages / tally.seconds if tally.seconds else 0:6.1f} docs/s")


def realcms_titles(realcms_dir: Path, runner) -> list[bool]:
    """Exact title on each real CMS page, against its sidecar's ``expected.title``."""
    right = []
    for sidecar in sorted(realcms_dir.glob("*/*.html.json")):
        fixture = json.loads(sidecar.read_text(encoding="utf-8"))
        raw = sidecar.with_suffix("").read_bytes()
        try:
            title = runner(raw, fixture.get("url"))["title"]
        except Exception as error:  # a crash is a finding
            print(f"  crash realcms/{sidecar.name}: {type(error).__name__}: {error}"[:200], file=sys.stderr)
            title = None
        right.append(normalised(title) == normalised(fixture["expected"]["title"]))
    return right


def run_child(extractor: str, eval_dir: Path, sets: list[str]) -> int:
    """The body of one whole-process run: every page of ``sets`` through ``extractor``."""
    runner = EXTRACTORS[extractor]
    for name in sets:
        for _, raw, gold in load(eval_dir / name):
            try:
                runner(raw, gold.get("url") or None)
            except Exception:  # counted in the main run; here only the time matters
                pass
    return 0


def whole_process(extractor: str, eval_dir: Path, sets: list[str]) -> float:
    """CPU seconds of a fresh interpreter running ``extractor`` over the sets."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, __file__, "--child", extractor, "--eval-dir", str(eval_dir),
                    "--sets", *sets], check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--only", choices=sorted(EXTRACTORS), action="append",
                        help="run only these extractors (repeatable)")
    parser.add_argument("--sets", nargs="+", default=list(SETS), choices=SETS)
    parser.add_argument("--worst", type=int, default=0, metavar="N",
                        help="list our N lowest-F1 pages per set")
    parser.add_argument("--realcms-dir", type=Path, default=DEFAULT_REALCMS)
    parser.add_argument("--no-process", action="store_true", help="skip the whole-process speed runs")
    parser.add_argument("--child", choices=sorted(EXTRACTORS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return run_child(args.child, args.eval_dir, args.sets)
    missing = [name for name in args.sets if not (args.eval_dir / name).is_dir()]
    if missing:
        print(f"error: no evaluation set {', '.join(missing)} in {args.eval_dir} (use --eval-dir)",
              file=sys.stderr)
        return 2
    chosen = args.only or list(EXTRACTORS)
    print("mean/median per page; date = right day on gold-dated pages; "
          "headline = title vs first gold line (daniel_zh)")
    for name in args.sets:
        cases = load(args.eval_dir / name)
        for extractor in chosen:
            tally = score_set(name, cases, EXTRACTORS[extractor])
            report(name, extractor, tally)
            if extractor == "ours" and args.worst:
                for f1, case_id in sorted(tally.worst)[:args.worst]:
                    print(f"    {f1:.3f} {case_id}")
    if args.realcms_dir.is_dir():
        for extractor in chosen:
            titles = realcms_titles(args.realcms_dir, EXTRACTORS[extractor])
            print(f"{'realcms':14s} {extractor:12s} title {_share(titles)}")
    if not args.no_process:
        pages = sum(len(list((args.eval_dir / name).glob("*.html"))) for name in args.sets)
        seconds: dict[str, list[float]] = {extractor: [] for extractor in chosen}
        for _ in range(PROCESS_ROUNDS):
            for extractor in chosen:
                seconds[extractor].append(whole_process(extractor, args.eval_dir, args.sets))
        for extractor in chosen:
            best = min(seconds[extractor])
            print(f"{'whole process':14s} {extractor:12s} {pages} pages, best of {PROCESS_ROUNDS}: "
                  f"{best:6.1f} s CPU, {pages / best:6.1f} docs/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
