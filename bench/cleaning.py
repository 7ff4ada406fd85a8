"""Cost of the cleaning stages per page.

    python bench/cleaning.py                 # fixtures/** and ../shared/eval
    python bench/cleaning.py /path/to/eval --repeat 5

Two measurements:

* ``article``: article containers, i.e. what the pipelines see in a crawl (target:
  ≤ 2 ms on average): those the site spiders cut out of the saved fixture pages, and
  those the generic extractor finds in the ../shared/eval pages (real articles, larger
  than the mostly short fixtures);
* ``whole page``: every saved fixture page and every ../shared/eval page cleaned as
  if the whole ``<body>`` were the container, a worst case far larger than an article.

Stages timed: boilerplate (``strip_boilerplate``), learned boilerplate
(``remove_paragraphs`` with one learned paragraph that the page contains, so that the
removal is paid for), text (``html_to_text``, pinyin rule, script detection), dates
(``parse_date``) and bylines (``parse_byline``) of the info line.  Figures are the
best of ``--repeat`` runs per page, in milliseconds.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scrapy.utils.misc import load_object  # noqa: E402

from crawler.cleaning.boilerplate import strip_boilerplate  # noqa: E402
from crawler.cleaning.bylines import parse_byline  # noqa: E402
from crawler.cleaning.learned import remove_paragraphs  # noqa: E402
from crawler.cleaning.pinyin import strip_pinyin  # noqa: E402
from crawler.cleaning.script import detect_script  # noqa: E402
from crawler.cleaning.soup import cleaned_by_site  # noqa: E402
from crawler.cleaning.text import html_to_text  # noqa: E402
from crawler.dates import parse_date  # noqa: E402
from crawler.decoding import decode_html  # noqa: E402
from crawler.extraction import extract  # noqa: E402
from crawler.fixtures import open_fixture, sidecars  # noqa: E402

STAGES = ("boilerplate", "learned", "text", "dates", "bylines")


def clean(html: str, info_line: str | None, learned: frozenset[str]) -> dict[str, float]:
    """Run the stages once; seconds per stage."""
    marks = [time.perf_counter()]
    stripped = strip_boilerplate(html)
    marks.append(time.perf_counter())
    kept = remove_paragraphs(stripped.html, learned)
    marks.append(time.perf_counter())
    body, _ = strip_pinyin(html_to_text(kept))
    detect_script(body)
    marks.append(time.perf_counter())
    parse_date(info_line)
    marks.append(time.perf_counter())
    parse_byline(info_line)
    marks.append(time.perf_counter())
    return {stage: end - start for stage, (start, end) in zip(STAGES, itertools.pairwise(marks), strict=True)}


def best_of(html: str, info_line: str | None, repeat: int) -> dict[str, float]:
    last_line = html_to_text(strip_boilerplate(html).html).rpartition("\n")[2]
    runs = [clean(html, info_line, frozenset({last_line})) for _ in range(repeat)]
    best = min(runs, key=lambda run: sum(run.values()))
    return best | {"total": sum(best.values())}


def article_containers() -> list[tuple[str, str | None]]:
    """(container HTML, info line) of every fixture article page, as the spiders extract them."""
    pages = []
    sites = (path for path in (REPO / "fixtures").iterdir() if (REPO / "spiders" / f"{path.name}.py").exists())
    for site_dir in sorted(sites):
        site = site_dir.name
        spider = load_object(f"spiders.{site}.{site.capitalize()}Spider")()
        for sidecar in sidecars(site_dir):
            url = json.loads(sidecar.read_text(encoding="utf-8"))["url"]
            item = spider.extract_article(open_fixture(site, url))
            if item.body_html and item.title:
                pages.append((item.body_html, item.readings.byline_text))
    return pages


def eval_containers(root: Path) -> list[tuple[str, str | None]]:
    """(container HTML, no info line) of every eval page the generic extractor takes for an article."""
    found = (extract(path.read_bytes()) for path in sorted(root.glob("*/*.html")))
    return [(page["body_html"], None) for page in found if page["page_type"] == "article"]


def whole_pages(root: Path, pattern: str) -> list[tuple[str, str | None]]:
    return [(decode_html(path.read_bytes())[0], None) for path in sorted(root.glob(pattern))
            if not path.name.endswith(".json")]


def report(name: str, pages: list[tuple[str, str | None]], repeat: int) -> None:
    if not pages:
        print(f"{name:<30} no pages")
        return
    results = [best_of(html, info, repeat) for html, info in pages]
    size = statistics.mean(len(html) for html, _ in pages) / 1000
    ms = {stage: statistics.mean(r[stage] for r in results) * 1000 for stage in (*STAGES, "total")}
    totals = sorted(r["total"] * 1000 for r in results)
    p95 = totals[min(len(totals) - 1, int(0.95 * len(totals)))]
    stages = "".join(f"{ms[stage]:>9.2f}" for stage in STAGES)
    print(f"{name:<30} {len(pages):>5} {size:>7.1f}{stages} {ms['total']:>8.2f} "
          f"{statistics.median(totals):>7.2f} {p95:>7.2f}")


def site_hook_cost(pages: list[tuple[str, str | None]], repeat: int) -> None:
    """What a spider's ``clean_body`` hook adds to the boilerplate stage: nothing without
    one (the stage checks for it once per spider); with one that changes nothing, the
    BeautifulSoup parse and serialisation it pays for."""
    def best(run) -> float:
        return min(_timed(run) for _ in range(repeat))

    def _timed(run) -> float:
        start = time.perf_counter()
        run()
        return time.perf_counter() - start

    for label, hook in (("no hook", None), ("a hook that changes nothing", lambda body: None)):
        def stage(html: str, hook=hook) -> None:
            strip_boilerplate(cleaned_by_site(html, hook) if hook is not None else html)
        mean = statistics.mean(best(lambda html=html: stage(html)) for html, _ in pages) * 1000
        print(f"boilerplate stage, {label:<28} {mean:>7.2f} ms per fixture container")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("eval_dir", nargs="?", default=str(REPO.parent / "shared" / "eval"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    eval_dir = Path(args.eval_dir)
    print(f"{'set':<30} {'pages':>5} {'kchars':>7}" + "".join(f"{stage[:8]:>9}" for stage in STAGES)
          + f" {'mean ms':>8} {'median':>7} {'p95':>7}")
    report("article: fixture containers", article_containers(), args.repeat)
    report("article: eval containers", eval_containers(eval_dir), args.repeat)
    report("whole page: fixtures", whole_pages(REPO / "fixtures", "*/*.*html"), args.repeat)
    for subset in sorted(path for path in eval_dir.iterdir() if path.is_dir()):
        report(f"whole page: {subset.name}", whole_pages(subset, "*.html"), args.repeat)
    site_hook_cost(article_containers(), args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
