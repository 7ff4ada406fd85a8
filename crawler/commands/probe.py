"""``crawler probe [--cms auto|trs|empirecms|phpcms|generic] [--spider NAME] [--url URL] PATH...``

Will a new site work?  For each saved page (a raw file, or a fixture sidecar with its
body) one JSON line: the CMS detected and its evidence; for an article, the fields as a
new site spider of that dialect, with only ``name`` and ``start_urls``, would store them
after the cleaning pipelines, and where each came from; for a list page, its article links
with their list dates and the next list page, as that spider's list code finds them.

The pipelines run as in a crawl, in their order, except the stages that need a database:
learned boilerplate (it learns from a site's stored articles) and the store.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import cast

from itemadapter import ItemAdapter
from scrapy.addons import AddonManager
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse, Request
from scrapy.settings import Settings
from scrapy.utils.misc import load_object

from crawler.commands import check_files
from crawler.decoding import UndecodableError, decode_html
from crawler.errors import ArgumentError, Rejected
from crawler.fixtures import CharsetMiddleware, SavedResponse, read_saved
from crawler.readers import READERS, detect_cms
from crawler.readers.base import GENERIC
from spiders.base import NewsSpider
from spiders.empirecms import EmpireCMSSpider
from spiders.phpcms import PHPCMSSpider
from spiders.trs import TRSSpider

help = "read saved pages as a new spider of their CMS dialect would, one JSON line per page"

DIALECT_SPIDERS: dict[str, type[NewsSpider]] = {"trs": TRSSpider, "empirecms": EmpireCMSSpider,
                                                "phpcms": PHPCMSSpider, GENERIC: NewsSpider}
# Stages that read or write the database: a probe has none.
DATABASE_STAGES = {"pipelines.learned_boilerplate.LearnedBoilerplatePipeline", "pipelines.store.StorePipeline"}
STORED_FIELDS = ("title", "published_at", "source", "author", "editor", "section", "body", "images")


def add_arguments(parser) -> None:
    parser.add_argument("--cms", default="auto", choices=["auto", *READERS],
                        help="the dialect to read the pages as (default: detected from the markup)")
    parser.add_argument("--spider", help="read with this project spider instead of a new spider of the dialect")
    parser.add_argument("--url", help="the page's URL, for a raw file (resolves links, URL dates)")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="saved page bytes, or a fixture sidecar (.json)")


def load_page(path: Path, url: str | None = None) -> SavedResponse:
    """A saved page from a raw file (its sidecar used when it has one) or from a sidecar."""
    if path.suffix == ".json" and path.with_suffix("").is_file():
        saved = read_saved(path)
    elif path.with_name(path.name + ".json").is_file():
        saved = read_saved(path.with_name(path.name + ".json"))
    else:
        saved = SavedResponse(url or path.resolve().as_uri(), 200, {}, path.read_bytes(), path)
    return SavedResponse(url or saved.url, saved.status, saved.headers, saved.body, saved.path)


def spider_class(cms: str) -> type[NewsSpider]:
    """A new site spider of the dialect, as a user writes it first: a name and start URLs only."""
    return type("ProbeSpider", (DIALECT_SPIDERS[cms],), {"name": "probe", "start_urls": []})


def project_spider(name: str) -> type[NewsSpider]:
    from scrapy.spiderloader import SpiderLoader
    settings = Settings()
    settings.setmodule("crawler.settings")
    try:
        spidercls = SpiderLoader.from_settings(settings).load(name)
    except KeyError:
        raise ArgumentError(f"no spider named {name!r}") from None
    if not issubclass(spidercls, NewsSpider):
        raise ArgumentError(f"{name!r} is not a news site spider, so it reads no article")
    return spidercls


def response_of(saved: SavedResponse) -> HtmlResponse:
    response = HtmlResponse(url=saved.url, status=saved.status, headers=saved.headers, body=saved.body,
                            request=Request(saved.url))
    # replace() keeps the response's class; Scrapy types its result as a plain Response
    return cast(HtmlResponse, CharsetMiddleware().process_response(None, response))


def cleaning_stages(spider: NewsSpider) -> list:
    """The project's item pipelines that need no database, in their order."""
    settings = Settings()
    settings.setmodule("crawler.settings")
    AddonManager.load_pre_crawler_settings(settings)
    crawler = Crawler(type(spider), settings)
    crawler.spider = spider
    spider.crawler = crawler
    stages = []
    for path, _order in sorted(settings.getdict("ITEM_PIPELINES").items(), key=lambda pair: pair[1]):
        if path in DATABASE_STAGES:
            continue
        try:
            stage = load_object(path).from_crawler(crawler)
        except NotConfigured:
            continue
        if hasattr(stage, "open_spider"):
            stage.open_spider()
        stages.append(stage)
    return stages


def read_article(spider: NewsSpider, response: HtmlResponse) -> dict:
    """The stored fields of an article page, after the cleaning pipelines, with their sources."""
    item = spider.extract_article(response)
    rejected = None
    try:
        for stage in cleaning_stages(spider):
            item = stage.process_item(item)
    except Rejected as reason:
        rejected = str(reason)
    adapter = ItemAdapter(item)
    return {"url": adapter["url"], "rejected": rejected, "extraction_method": adapter["extraction_method"],
            "fields": {name: adapter.get(name) for name in STORED_FIELDS},
            "sources": {name: value for name, value in (adapter.get("field_sources") or {}).items() if value}}


def read_list(spider: NewsSpider, response: HtmlResponse) -> dict:
    """The article links of a list page with their list dates, and its next page."""
    entries = spider.list_entries(response)
    return {"entries": [{"url": entry.url, "date": entry.date.isoformat() if entry.date else None}
                        for entry in entries],
            "next_page": spider.next_list_page(response)}


def probe(saved: SavedResponse, cms: str = "auto", spidercls: type[NewsSpider] | None = None) -> dict:
    """One page's probe result (what ``crawler probe`` prints for it)."""
    text, _ = decode_html(saved.body, saved.headers)
    detected, evidence = detect_cms(text, saved.url)
    chosen = detected if cms == "auto" else cms
    spider = (spidercls or spider_class(chosen))()
    response = response_of(saved)
    result: dict[str, object] = {"path": str(saved.path) if saved.path else None, "url": saved.url, "cms": chosen,
              "detected": detected, "evidence": evidence}
    article = read_article(spider, response)
    if article["rejected"] and article["extraction_method"] == GENERIC:
        result["page_type"] = "list"
        result["list"] = read_list(spider, response)
        result["article"] = article
    else:
        result["page_type"] = "article"
        result["article"] = article
    return result


def run(args: argparse.Namespace) -> int:
    if args.url and not args.url.startswith(("http://", "https://")):
        raise ArgumentError(f"--url must be an http(s) URL, not {args.url!r}")
    spidercls = project_spider(args.spider) if args.spider else None
    check_files(args.paths)
    failed = 0
    for name in args.paths:
        try:
            line = probe(load_page(Path(name), args.url), args.cms, spidercls)
        except (OSError, UndecodableError, ValueError) as error:
            failed += 1
            line = {"path": name, "error": f"{type(error).__name__}: {error}"}
        print(json.dumps(line, ensure_ascii=False), flush=True)
    return 1 if failed else 0
