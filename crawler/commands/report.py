"""crawler report: one self-contained HTML page (inline SVG and CSS, nothing fetched) about the corpus."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from html import escape
from pathlib import Path

from crawler.errors import ArgumentError
from crawler.corpus import add_database_argument, open_store
from crawler.storage.summaries import COVERAGE_FIELDS, Cluster, Coverage, Run

help = "write a self-contained HTML report: articles per day, field coverage, last runs, reprints"

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2")
CHART_WIDTH, ROW_HEIGHT, LABEL_WIDTH = 720, 60, 110

STYLE = """
body { font: 14px/1.45 system-ui, "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 24px;
       color: #222; max-width: 1100px; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 17px; margin-top: 32px; }
.meta { color: #666; }
table { border-collapse: collapse; margin-top: 8px; }
th, td { padding: 4px 8px; border-bottom: 1px solid #e4e4e4; text-align: left; vertical-align: top; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
td.coverage { text-align: right; min-width: 52px; }
tr.alarm td { background: #fff1f0; }
ul.alarms { margin: 0; padding-left: 16px; color: #b00020; }
svg text { font-size: 11px; fill: #555; }
"""


def add_arguments(parser) -> None:
    parser.add_argument("--out", default="data/report.html",
                        help="HTML file to write (default data/report.html, beside the default database)")
    parser.add_argument("--days", type=int, default=90,
                        help="days shown in the chart, ending at the newest article (default 90)")
    add_database_argument(parser)


def day_chart(counts: list[tuple[str, str, int]], first: date, days: int, sites: list[str]) -> str:
    """One row of bars per site, on a shared scale, so sites compare at a glance."""
    if not counts:
        return "<p>No dated articles in this period.</p>"
    per_site: dict[str, dict[str, int]] = {}
    for site, day, count in counts:
        per_site.setdefault(site, {})[day] = count
    peak = max(count for _, _, count in counts)
    step = CHART_WIDTH / days
    height = ROW_HEIGHT * len(per_site) + 24
    marks = []
    for row, site in enumerate(s for s in sites if s in per_site):
        top = row * ROW_HEIGHT
        colour = PALETTE[sites.index(site) % len(PALETTE)]
        marks.append(f'<text x="0" y="{top + ROW_HEIGHT / 2 + 4}">{escape(site)}</text>')
        marks.append(f'<line x1="{LABEL_WIDTH}" x2="{LABEL_WIDTH + CHART_WIDTH}" '
                     f'y1="{top + ROW_HEIGHT - 4}" y2="{top + ROW_HEIGHT - 4}" stroke="#ccc"/>')
        for offset in range(days):
            day = (first + timedelta(days=offset)).isoformat()
            count = per_site[site].get(day, 0)
            if not count:
                continue
            bar = max(2.0, (ROW_HEIGHT - 12) * count / peak)
            marks.append(
                f'<rect class="bar" data-site="{escape(site)}" x="{LABEL_WIDTH + offset * step:.1f}" '
                f'y="{top + ROW_HEIGHT - 4 - bar:.1f}" width="{max(1.0, step - 1):.1f}" '
                f'height="{bar:.1f}" fill="{colour}"><title>{escape(site)} {day}: {count}</title></rect>')
    last = first + timedelta(days=days - 1)
    axis = height - 8
    marks.append(f'<text x="{LABEL_WIDTH}" y="{axis}">{first.isoformat()}</text>')
    marks.append(f'<text x="{LABEL_WIDTH + CHART_WIDTH}" y="{axis}" text-anchor="end">'
                 f'{last.isoformat()} · tallest bar {peak}</text>')
    return (f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
            f'width="{LABEL_WIDTH + CHART_WIDTH}" height="{height}" '
            f'aria-label="Articles per day per site">{"".join(marks)}</svg>')


def coverage_table(coverage: list[Coverage]) -> str:
    """Share of articles per site that have each field, shaded from red (none) to green (all)."""
    if not coverage:
        return "<p>No articles.</p>"
    head = "".join(f"<th>{escape(field)}</th>" for field in COVERAGE_FIELDS)
    rows = []
    for c in coverage:
        cells = []
        for field in COVERAGE_FIELDS:
            share = c.share(field)
            cells.append(f'<td class="coverage" data-share="{share:.3f}" '
                         f'style="background: hsl({120 * share:.0f}, 65%, 82%)">{100 * share:.0f}%</td>')
        rows.append(f'<tr><td>{escape(c.site)}</td><td class="number">{c.articles}</td>{"".join(cells)}</tr>')
    return f'<table><tr><th>site</th><th>articles</th>{head}</tr>{"".join(rows)}</table>'


def alarm_text(alarm) -> str:
    return alarm if isinstance(alarm, str) else json.dumps(alarm, ensure_ascii=False)


def runs_table(runs: list[Run]) -> str:
    if not runs:
        return "<p>No crawl runs recorded.</p>"
    rows = []
    for r in runs:
        troubled = bool(r.alarms) or r.finish_reason != "finished"
        alarms = "".join(f"<li>{escape(alarm_text(a))}</li>" for a in r.alarms)
        rows.append(
            f'<tr class="{"alarm" if troubled else "ok"}"><td>{escape(r.spider)}</td>'
            f'<td>{escape(r.started_at)}</td><td>{escape(r.finish_reason or "running")}</td>'
            + "".join(f'<td class="number">{n}</td>' for n in
                      (r.pages_fetched, r.articles_new, r.articles_updated, r.rejects, r.errors))
            + f'<td>{f"<ul class=alarms>{alarms}</ul>" if alarms else "none"}</td></tr>')
    return ("<table><tr><th>spider</th><th>started (UTC)</th><th>finish</th><th>pages</th><th>new</th>"
            "<th>updated</th><th>rejects</th><th>errors</th><th>alarms</th></tr>"
            + "".join(rows) + "</table>")


def clusters_table(clusters: list[Cluster]) -> str:
    if not clusters:
        return "<p>No reprint clusters (no article shares its text with another).</p>"
    rows = "".join(
        f'<tr class="cluster"><td class="number">{c.size}</td><td>{escape(", ".join(c.sites))}</td>'
        f'<td><a href="{escape(c.url or "")}">{escape(c.title or "(no title)")}</a></td>'
        f'<td>{escape((c.first_published or "")[:10])}</td></tr>' for c in clusters)
    return ("<table><tr><th>articles</th><th>sites</th><th>canonical article</th>"
            f"<th>first published</th></tr>{rows}</table>")


def render(store, days: int, source: str) -> str:
    newest = store.newest_day()
    coverage = store.field_coverage()
    sites = [c.site for c in coverage]
    if newest:
        last = date.fromisoformat(newest)
        first = last - timedelta(days=days - 1)
        chart = day_chart(store.articles_per_site_day(first.isoformat(), last.isoformat()),
                          first, days, sites)
    else:
        chart = "<p>No dated articles.</p>"
    total = sum(c.articles for c in coverage)
    generated = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Corpus report</title>
<style>{STYLE}</style></head><body>
<h1>Corpus report</h1>
<p class="meta">{total} articles from {len(sites)} sites · {escape(source)} · generated {generated}</p>
<h2>Articles per day per site (last {days} days up to the newest article)</h2>
{chart}
<h2>Field coverage per site</h2>
{coverage_table(coverage)}
<h2>Last run of each spider</h2>
{runs_table(store.last_runs())}
<h2>Largest reprint clusters</h2>
{clusters_table(store.largest_clusters())}
</body></html>
"""


def run(args) -> int:
    if args.days < 1:
        raise ArgumentError("--days must be at least 1")
    store = open_store(args.db)
    try:
        page = render(store, args.days, store.name)
    finally:
        store.close()
    out = Path(args.out)
    out.write_text(page, encoding="utf-8")
    print(f"report written to {out}")
    return 0
