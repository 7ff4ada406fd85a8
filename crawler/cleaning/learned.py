"""Per-site boilerplate learned from stored articles: paragraphs that recur verbatim.

A paragraph is boilerplate when at least ``min_articles`` distinct stored articles
of a site contain it, and the site has at least ``min_site_articles`` distinct
articles.  ``min_articles`` is at least 3, so a paragraph shared by an article and
one other that quotes it is never learned.  The result depends only on the set of
stored bodies, not on their order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from crawler.cleaning.boilerplate import drop_empty_elements
from crawler.cleaning.text import inner_html, parse_html, segment

MIN_SUPPORT = 3


def learn_boilerplate(bodies: Iterable[str], *, min_articles: int, min_site_articles: int) -> frozenset[str]:
    """Paragraphs found in at least ``min_articles`` distinct bodies of one site."""
    if min_articles < MIN_SUPPORT:
        raise ValueError(f"min_articles must be at least {MIN_SUPPORT}, got {min_articles}")
    distinct = {body for body in bodies if body}
    if len(distinct) < min_site_articles:
        return frozenset()
    counts: Counter[str] = Counter()
    for body in distinct:
        counts.update({line for line in body.splitlines() if line.strip()})
    return frozenset(line for line, count in counts.items() if count >= min_articles)


def remove_paragraphs(html: str, paragraphs: frozenset[str]) -> str:
    """``html`` without the lines whose text is one of ``paragraphs``."""
    if not paragraphs or not html:
        return html
    root = parse_html(html)
    body = None if root is None else root.find("body")
    if body is None:
        return html
    doomed = [line for line in segment(body) if line.text in paragraphs]
    if not doomed:
        return html
    for line in doomed:
        line.remove()
    drop_empty_elements(body)
    return inner_html(body).strip()
