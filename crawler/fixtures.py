"""Saved responses: replay them instead of the network, or record live ones.

A saved response is two files under ``<FIXTURES_DIR>/<spider>/``: the body bytes
exactly as served, and ``<name>.json`` with url, status, headers, fetched_at and
provenance.  Pages are found by URL, never by file name.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Headers, Request, Response, TextResponse
from scrapy.responsetypes import responsetypes
from scrapy.settings import BaseSettings
from w3lib.url import canonicalize_url

from crawler.addon import SETTINGS
from crawler.decoding import UndecodableError, sniff_encoding
from crawler.errors import ArgumentError
from crawler.storage import headers_to_dict, store_for, utc_now

if TYPE_CHECKING:
    from spiders.base import NewsSpider

logger = logging.getLogger(__name__)

MODES = ("replay", "record", "archive")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# Transfer details that no longer describe the saved (decoded) body.
_DROPPED_HEADERS = {"content-encoding", "content-length", "transfer-encoding", "set-cookie"}


@dataclass(frozen=True)
class SavedResponse:
    url: str
    status: int
    headers: dict[str, list[str]]
    body: bytes
    path: Path | None = None


def fixtures_mode(settings: BaseSettings) -> str:
    """The ``FIXTURES`` setting, checked: "replay", "record", "archive" or "" (live)."""
    mode = (settings.get("FIXTURES") or "").strip().lower()
    if mode and mode not in MODES:
        raise ArgumentError(f"FIXTURES must be replay, record, archive or empty, not {mode!r}")
    return mode


def fixture_dirs(setting) -> list[Path]:
    """``FIXTURES_DIR`` may list several roots (comma-separated or a list); earlier ones win."""
    if isinstance(setting, str):
        setting = [part for part in setting.split(",") if part.strip()]
    return [Path(part.strip()) for part in setting]


def url_key(url: str) -> str:
    return canonicalize_url(url, keep_fragments=False)


def sidecars(directory: Path) -> list[Path]:
    """The sidecars of the saved responses in ``directory``: the JSON files with a body
    beside them (``<page>.expected.json`` files hold a page's expected fields instead)."""
    return [path for path in sorted(directory.glob("*.json")) if path.with_suffix("").is_file()]


def load_fixtures(directory: Path) -> dict[str, Path]:
    """URL key -> sidecar path for every saved response in ``directory``."""
    index: dict[str, Path] = {}
    for sidecar in sidecars(directory):
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
        if "url" in meta:
            index.setdefault(url_key(meta["url"]), sidecar)
    return index


def read_saved(sidecar: Path) -> SavedResponse:
    meta = json.loads(sidecar.read_text(encoding="utf-8"))
    body = sidecar.with_suffix("").read_bytes()
    headers = {name: value if isinstance(value, list) else [value]
               for name, value in meta.get("headers", {}).items()}
    return SavedResponse(meta["url"], int(meta.get("status", 200)), headers, body, sidecar)


def archived(store, url: str) -> SavedResponse:
    """The raw page of ``url`` kept in the store's ``pages`` table."""
    status, headers, body = store.load_page(url)
    return SavedResponse(url, status, headers, body)


def to_response(saved: SavedResponse, request: Request | None = None) -> Response:
    """A Scrapy response of the saved page, of the class its headers call for."""
    response_class = responsetypes.from_args(headers=Headers(saved.headers), url=saved.url, body=saved.body)
    url = request.url if request is not None else saved.url
    return response_class(url=url, status=saved.status, headers=saved.headers, body=saved.body,
                          request=request or Request(url), flags=["fixture"])


def open_fixture(spider: str, url: str, roots=None) -> Response:
    """The saved response of ``url``, decoded as a crawl would decode it: for tests and shells."""
    for root in fixture_dirs(roots or SETTINGS["FIXTURES_DIR"]):
        sidecar = load_fixtures(root / spider).get(url_key(url))
        if sidecar is not None:
            return CharsetMiddleware().process_response(None, to_response(read_saved(sidecar)))
    raise KeyError(f"no fixture of {spider} for {url}")


def fixture_name(url: str, headers: dict | None = None) -> str:
    """A readable, collision-free file name for a recorded URL."""
    parts = urlsplit(url)
    stem = parts.path.rstrip("/").rsplit("/", 1)[-1] or "index"
    if parts.query:
        stem += "_" + parts.query
    stem = _UNSAFE.sub("_", stem)[:80]
    digest = hashlib.sha1(url.encode("utf-8")).hexdigest()[:8]
    suffix = Path(parts.path).suffix if Path(parts.path).suffix in (".html", ".shtml", ".htm") else ".html"
    stem = stem[: -len(suffix)] if stem.endswith(suffix) else stem
    return f"{stem}-{digest}{suffix}"


def save_response(directory: Path, url: str, status: int, headers: dict[str, list[str]],
                  body: bytes, provenance: str = "recorded live") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / fixture_name(url)
    path.write_bytes(body)
    kept = {name: values for name, values in headers.items() if name.lower() not in _DROPPED_HEADERS}
    sidecar = {"url": url, "status": status, "headers": kept, "fetched_at": utc_now(),
               "provenance": provenance}
    path.with_name(path.name + ".json").write_text(
        json.dumps(sidecar, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


class FixturesMiddleware:
    """Downloader middleware: ``-s FIXTURES=replay`` serves saved pages and never touches
    the network; ``-s FIXTURES=record`` saves every live response in the same layout;
    ``-s FIXTURES=archive`` serves the raw pages kept in the database (``pages``), so that
    stored articles can be parsed again offline."""

    def __init__(self, crawler: Crawler, mode: str, roots: list[Path]):
        self.crawler = crawler
        self.mode = mode
        self.roots = roots
        self.stats = crawler.stats
        # URL key -> a function that loads the saved response
        self.index: dict[str, Callable[[], SavedResponse]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FixturesMiddleware:
        mode = fixtures_mode(crawler.settings)
        if not mode:
            raise NotConfigured
        middleware = cls(crawler, mode, fixture_dirs(crawler.settings.get("FIXTURES_DIR")))
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware

    def spider_opened(self, spider: NewsSpider) -> None:
        if self.mode == "replay":
            # A spider for any site (``replays_all_fixtures``) may ask for any saved page.
            folders = "*" if spider.replays_all_fixtures else spider.name
            for root in reversed(self.roots):
                for directory in sorted(root.glob(folders)):
                    self.index.update({key: partial(read_saved, sidecar)
                                       for key, sidecar in load_fixtures(directory).items()})
            where = ", ".join(str(root / folders) for root in self.roots)
        elif self.mode == "archive":
            store = store_for(self.crawler)
            self.index = {url_key(url): partial(archived, store, url) for url in store.page_urls()}
            where = f"the pages table of {store.url}"
        else:
            return
        spider.logger.info("Replaying %d saved responses from %s", len(self.index), where)

    def process_request(self, request: Request) -> Response | None:
        if self.mode not in ("replay", "archive"):
            return None
        spider = self.crawler.spider
        assert spider is not None
        load = self.index.get(url_key(request.url))
        if load is not None:
            self.stats.inc_value("fixtures/served")
            return to_response(load(), request)
        if urlsplit(request.url).path == "/robots.txt":
            return Response(url=request.url, status=404, request=request, flags=["fixture"])
        self.stats.inc_value("fixtures/missing")
        spider.logger.error("No saved response for %s (%s mode never uses the network)",
                            request.url, self.mode)
        raise IgnoreRequest(f"no fixture for {request.url}")

    def process_response(self, request: Request, response: Response) -> Response:
        spider = self.crawler.spider
        assert spider is not None
        if self.mode == "record" and "fixture" not in response.flags:
            save_response(self.roots[0] / spider.name, response.url, response.status,
                          headers_to_dict(response.headers), response.body)
            self.stats.inc_value("fixtures/recorded")
        return response


class CharsetMiddleware:
    """Re-decides the encoding of every text response with ``crawler.decoding``,
    because Chinese sites often declare the wrong charset in the header."""

    def process_response(self, request: Request | None, response: Response) -> Response:
        if not isinstance(response, TextResponse):
            return response
        try:
            encoding = sniff_encoding(response.body, response.headers)
        except UndecodableError:
            return response
        if encoding != response.encoding:
            return response.replace(encoding=encoding)
        return response
