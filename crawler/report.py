"""The corpus report: one self-contained HTML page (inline SVG and CSS, no script, nothing
fetched) that a browser or a mail client shows as it is.

The chart has one row per site, every site of the corpus included, so a site that stopped
publishing shows as an empty row rather than vanishing.  Its bars are days, weeks, months
or years: the finest of those that keeps the window to at most ``MAX_BINS`` bars.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from crawler import clock
from crawler.storage.summaries import COVERAGE_FIELDS, Cluster, Coverage, Failure, Run

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2")
UNITS = ("day", "week", "month", "year")
MAX_BINS = 120
MAX_X_LABELS = 8
# Chart geometry, in pixels.
NAME_WIDTH, AXIS_WIDTH, PLOT_WIDTH, ROW_HEIGHT = 100, 40, 720, 56
TOP, BOTTOM = 22, 44
X_LABEL_WIDTH = 64  # a date label at 11 px
FAILURES_SHOWN = 20

STYLE = """
body { font: 14px/1.45 system-ui, "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC",
       "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif;
       margin: 24px; color: #222; max-width: 1100px; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 17px; margin-top: 32px; }
.meta, .note { color: #666; }
table { border-collapse: collapse; margin-top: 8px; }
th, td { padding: 4px 8px; border-bottom: 1px solid #e4e4e4; text-align: left; vertical-align: top; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
td.coverage { text-align: right; min-width: 52px; }
td.url { word-break: break-all; max-width: 360px; }
tr.alarm td, tr.gave_up td { background: #fff1f0; }
ul.alarms { margin: 0; padding-left: 16px; color: #b00020; }
svg text { font-size: 11px; fill: #555; }
svg text.site { font-size: 12px; fill: #222; }
svg text.axis-title { font-size: 12px; fill: #222; }
svg .empty { fill: #999; font-style: italic; }
"""


def alarm_sentence(alarm) -> str:
    """A health alarm (``{"kind", "message", …}`` in ``crawl_runs.alarms``) as a sentence."""
    if isinstance(alarm, dict) and alarm.get("message"):
        text = str(alarm["message"])
    elif isinstance(alarm, str):
        text = alarm
    else:
        text = f"unreadable alarm {json.dumps(alarm, ensure_ascii=False)}"
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "。", "!", "！")) else ".")


@dataclass(frozen=True)
class Window:
    """The publication days the chart covers, both ends included, and its bar unit."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def unit(self) -> str:
        return next((unit for unit in UNITS if len(self.bins(unit)) <= MAX_BINS), UNITS[-1])

    def bins(self, unit: str | None = None) -> list[date]:
        """The first day of each bar, the first bar starting on or before ``first``."""
        unit = unit or self.unit
        start, starts = bin_start(self.first, unit), []
        while start <= self.last:
            starts.append(start)
            start = next_bin(start, unit)
        return starts


def bin_start(day: date, unit: str) -> date:
    if unit == "week":
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    if unit == "year":
        return day.replace(month=1, day=1)
    return day


def next_bin(start: date, unit: str) -> date:
    if unit == "week":
        return start + timedelta(days=7)
    if unit == "month":
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    if unit == "year":
        return date(start.year + 1, 1, 1)
    return start + timedelta(days=1)


def bin_label(start: date, unit: str) -> str:
    return {"month": start.isoformat()[:7], "year": str(start.year)}.get(unit, start.isoformat())


def binned(counts: list[tuple[str, str, int]], window: Window) -> dict[str, list[int]]:
    """site -> articles per bar, from (site, YYYY-MM-DD, articles) of the window's days."""
    starts = window.bins()
    unit = window.unit
    position = {start: number for number, start in enumerate(starts)}
    per_site: dict[str, list[int]] = {}
    for site, day, count in counts:
        bars = per_site.setdefault(site, [0] * len(starts))
        bars[position[bin_start(date.fromisoformat(day), unit)]] += count
    return per_site


def chart(counts: list[tuple[str, str, int]], window: Window, sites: list[str]) -> str:
    """One row of bars per site on a shared scale, with both axes labelled."""
    unit, starts = window.unit, window.bins()
    per_site = binned(counts, window)
    peak = max((max(bars) for bars in per_site.values()), default=0)
    step = PLOT_WIDTH / len(starts)
    left = NAME_WIDTH + AXIS_WIDTH
    bottom = TOP + ROW_HEIGHT * len(sites)
    marks = [f'<text class="axis-title" x="{left}" y="14">articles per {unit} '
             f'(each row from 0 to {peak}, the highest count of any site)</text>']
    for row, site in enumerate(sites):
        base = TOP + (row + 1) * ROW_HEIGHT - 6
        top = base - (ROW_HEIGHT - 14)
        colour = PALETTE[row % len(PALETTE)]
        marks.append(f'<text class="site" x="0" y="{base - (ROW_HEIGHT - 14) / 2 + 4:.0f}">'
                     f'{escape(site)}</text>')
        marks.append(f'<line x1="{left}" x2="{left + PLOT_WIDTH}" y1="{base}" y2="{base}" stroke="#bbb"/>'
                     f'<line x1="{left}" x2="{left}" y1="{top}" y2="{base}" stroke="#bbb"/>'
                     f'<text x="{left - 4}" y="{base}" text-anchor="end">0</text>'
                     f'<text x="{left - 4}" y="{top + 8}" text-anchor="end">{peak}</text>')
        bars = per_site.get(site)
        if not bars:
            marks.append(f'<text class="empty" x="{left + PLOT_WIDTH / 2}" y="{base - 18}" '
                         f'text-anchor="middle">no article published in this period</text>')
            continue
        for number, count in enumerate(bars):
            if not count:
                continue
            height = max(2.0, (base - top) * count / peak)
            label = bin_label(starts[number], unit)
            marks.append(
                f'<rect class="bar" data-site="{escape(site)}" data-bin="{label}" data-count="{count}" '
                f'x="{left + number * step + 0.5:.1f}" y="{base - height:.1f}" '
                f'width="{max(1.0, step - 1):.1f}" height="{height:.1f}" fill="{colour}">'
                f'<title>{escape(site)}, {unit} {label}: {count}</title></rect>')
    every = math.ceil(len(starts) / MAX_X_LABELS)
    for number in range(0, len(starts), every):
        x = left + number * step
        if x > left + PLOT_WIDTH - X_LABEL_WIDTH:  # its label would run past the plot
            break
        marks.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{bottom - 6}" y2="{bottom}" stroke="#888"/>'
                     f'<text class="tick" x="{x:.1f}" y="{bottom + 12}">{bin_label(starts[number], unit)}</text>')
    marks.append(f'<text class="axis-title" x="{left + PLOT_WIDTH / 2}" y="{bottom + 34}" '
                 f'text-anchor="middle">publication date, one bar per {unit}, '
                 f'{window.first.isoformat()} to {window.last.isoformat()}</text>')
    width, height = left + PLOT_WIDTH + 10, bottom + BOTTOM
    return (f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
            f'height="{height}" aria-label="Articles per {unit} per site">{"".join(marks)}</svg>')


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


def runs_table(runs: list[Run]) -> str:
    if not runs:
        return "<p>No crawl runs recorded.</p>"
    rows = []
    for r in runs:
        troubled = bool(r.alarms) or r.finish_reason != "finished"
        alarms = "".join(f"<li>{escape(alarm_sentence(a))}</li>" for a in r.alarms)
        rows.append(
            f'<tr class="{"alarm" if troubled else "ok"}"><td>{escape(r.spider)}</td>'
            f'<td>{escape(r.started_at)}</td><td>{escape(r.finish_reason or "running")}</td>'
            + "".join(f'<td class="number">{n}</td>' for n in
                      (r.pages_fetched, r.articles_new, r.articles_updated, r.rejects, r.errors))
            + f'<td>{f"<ul class=alarms>{alarms}</ul>" if alarms else "none"}</td></tr>')
    return ("<table><tr><th>spider</th><th>started (UTC)</th><th>finish</th><th>pages</th><th>new</th>"
            "<th>updated</th><th>rejects</th><th>errors</th><th>alarms</th></tr>"
            + "".join(rows) + "</table>")


STATES = {"retry": "waiting for a retry", "gave_up": "given up", "rejected": "rejected"}


def failures_section(counts: dict[str, dict[str, int]], recent: list[Failure]) -> str:
    """Pages that did not become articles: per spider by state, then the latest ones."""
    if not counts:
        return "<p>No page is waiting for a retry, given up or rejected.</p>"
    head = "".join(f"<th>{label}</th>" for label in STATES.values())
    summary = "".join(
        f'<tr class="failures"><td>{escape(spider)}</td>'
        + "".join(f'<td class="number">{states.get(state, 0)}</td>' for state in STATES) + "</tr>"
        for spider, states in counts.items())
    rows = "".join(
        f'<tr class="failure {escape(f.state)}"><td>{escape(f.last_failed_at)}</td><td>{escape(f.spider)}</td>'
        f'<td>{escape(STATES.get(f.state, f.state))}</td><td class="number">{f.attempts}</td>'
        f'<td>{escape(f.reason)}</td><td>{escape(f.next_try_at or "-")}</td>'
        f'<td class="url"><a href="{escape(f.url)}">{escape(f.url)}</a></td></tr>' for f in recent)
    return (f"<table><tr><th>spider</th>{head}</tr>{summary}</table>"
            f"<h3>The {len(recent)} latest</h3>"
            "<table><tr><th>last failed (UTC)</th><th>spider</th><th>state</th><th>attempts</th>"
            f"<th>reason</th><th>next try (UTC)</th><th>URL</th></tr>{rows}</table>")


def clusters_table(clusters: list[Cluster]) -> str:
    if not clusters:
        return "<p>No reprint clusters (no article shares its text with another).</p>"
    rows = "".join(
        f'<tr class="cluster"><td class="number">{c.size}</td><td>{escape(", ".join(c.sites))}</td>'
        f'<td><a href="{escape(c.url or "")}">{escape(c.title or "(no title)")}</a></td>'
        f'<td>{escape((c.first_published or "")[:10])}</td></tr>' for c in clusters)
    return ("<table><tr><th>articles</th><th>sites</th><th>canonical article</th>"
            f"<th>first published</th></tr>{rows}</table>")


def render(store, window: Window | None, source: str) -> str:
    """The page; ``window`` is None when no article is dated."""
    coverage = store.field_coverage()
    runs = store.last_runs()
    sites = sorted({c.site for c in coverage} | {r.spider for r in runs})
    if window is None:
        activity = "<p>No dated articles.</p>"
    else:
        counts = store.articles_per_site_day(window.first.isoformat(), window.last.isoformat())
        activity = chart(counts, window, sites) if sites else "<p>No articles.</p>"
    total = sum(c.articles for c in coverage)
    generated = clock.utc_timestamp()
    period = (f"{window.first.isoformat()} to {window.last.isoformat()}, {window.days} days"
              if window else "no dated article")
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Corpus report</title>
<style>{STYLE}</style></head><body>
<h1>Corpus report</h1>
<p class="meta">{total} articles from {len(coverage)} sites · {escape(source)} · generated {generated}</p>
<h2>Articles per site ({period})</h2>
{activity}
<h2>Field coverage per site</h2>
{coverage_table(coverage)}
<h2>Last run of each spider</h2>
{runs_table(runs)}
<h2>Failures and retries</h2>
{failures_section(store.failures_per_spider(), store.recent_failures(FAILURES_SHOWN))}
<h2>Largest reprint clusters</h2>
{clusters_table(store.largest_clusters())}
</body></html>
"""
