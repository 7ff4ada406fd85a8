"""A site spider's own cleaning of its article body, on a BeautifulSoup tree.

Selectors (``body_drop_css``) name the furniture that sits in elements of its own.  Some
sites mark theirs only by text or position: a paragraph that opens with a fixed phrase,
everything after a closing marker, a run of siblings.  A spider's ``clean_body(soup)``
edits the body's tree in place for those; BeautifulSoup is the tree because its find and
navigation methods are what such rules are written with.  It is imported only when a
spider has the hook, so the other spiders pay nothing for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bs4 import Tag


def cleaned_by_site(html: str, hook: Callable[[Tag], object]) -> str:
    """``html`` after ``hook`` has edited the tree of a ``<div>`` that holds it."""
    from bs4 import BeautifulSoup

    container = BeautifulSoup(f"<div>{html}</div>", "lxml").div
    assert container is not None  # the parser keeps the <div> it was given
    hook(container)
    return container.decode_contents()
