"""A seeded mutator of the site spiders' fixture pages, and a harness that reads each mutated
page as a crawl would: the page checks of ``crawler.failures``, the spider's callback, and
every item pipeline up to the store.  A page may be rejected (that is an outcome); any other
exception is a crash.  Used by ``test_fuzz.py`` (bounded) and ``bench/faults.py`` (long)."""

from __future__ import annotations

import asyncio
import logging
import random
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from scrapy import Request
from scrapy.exceptions import DropItem
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.misc import load_object
from scrapy.utils.reactor import install_reactor
from scrapy.utils.test import get_crawler

from crawler.failures import PageRejected, PassingFailure, check_page
from crawler.fixtures import CharsetMiddleware, read_saved, sidecars, to_response
from crawler.runner import project_settings

ROOT = Path(__file__).resolve().parents[2]
SITE_SPIDERS = ("jszf", "wjyanghu", "fzsdzk", "jazx", "wjga")
EXPECTED = (DropItem, PageRejected, PassingFailure)
CONTROL = [bytes([code]) for code in (*range(0, 9), 11, 12, *range(14, 32), 127)]


def _span(rng: random.Random, body: bytes) -> tuple[int, int]:
    start = rng.randrange(len(body) + 1)
    return start, min(len(body), start + rng.randrange(1, 400))


def _inside_a_tag(rng: random.Random, body: bytes) -> int:
    """A position just after a tag's name, where attribute names begin."""
    starts = [index for index in range(len(body) - 1) if body[index] == 60 and 97 <= body[index + 1] <= 122]
    if not starts:
        return rng.randrange(len(body) + 1)
    index = rng.choice(starts) + 2
    while index < len(body) and 97 <= body[index] <= 122:
        index += 1
    return index


MUTATIONS = {
    "flip": lambda rng, body: bytes(byte ^ (1 << rng.randrange(8)) if rng.random() < 0.01 else byte for byte in body),
    "truncate": lambda rng, body: body[:rng.randrange(len(body) + 1)],
    "delete": lambda rng, body: (lambda a, b: body[:a] + body[b:])(*_span(rng, body)),
    "duplicate": lambda rng, body: (lambda a, b: body[:b] + body[a:b] * rng.randrange(2, 20) + body[b:])(
        *_span(rng, body)),
    "control": lambda rng, body: (lambda at: body[:at] + b" a" + rng.choice(CONTROL) + b"b='1'" + body[at:])(
        _inside_a_tag(rng, body)),
    "nul": lambda rng, body: (lambda at: body[:at] + b"\x00" * rng.randrange(1, 50) + body[at:])(
        rng.randrange(len(body) + 1)),
    "nest": lambda rng, body: (lambda at, n: body[:at] + b"<div>" * n + b"x" + b"</div>" * n + body[at:])(
        rng.randrange(len(body) + 1), rng.choice((10, 300, 3000))),
    "unclosed": lambda rng, body: (lambda at: body[:at] + rng.choice((b"<!--", b"<script>", b"<a href='", b"<![CDATA[",
                                                                        b"<style>", b"</html>", b"<?xml ?>"))
                                   + body[at:])(rng.randrange(len(body) + 1)),
    "charset": lambda rng, body: (
        body.replace(b"utf-8", rng.choice((b"gbk", b"big5", b"latin-1", b"utf-16", b"x-bogus")), 1)
            .replace(b"gb2312", rng.choice((b"utf-8", b"utf-16", b"x-bogus")), 1)),
    "reencode": lambda rng, body: body.decode("utf-8", "replace").encode(
        rng.choice(("gb18030", "utf-16", "big5")), "replace"),
    "attributes": lambda rng, body: body.replace(
        b"href=", b"href" + rng.choice((b"", b"=", b"\x01=", b" =")) + b"=", rng.randrange(1, 5)),
    "noise": lambda rng, body: (
        lambda at: body[:at] + bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300))) + body[at:])(
        rng.randrange(len(body) + 1)),
}


def mutate(rng: random.Random, body: bytes) -> tuple[bytes, list[str]]:
    names = rng.sample(sorted(MUTATIONS), rng.randrange(1, 4))
    for name in names:
        body = MUTATIONS[name](rng, body)
    return body, names


@dataclass
class FuzzResult:
    pages: int = 0
    crashes: int = 0
    outcomes: Counter = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)


class SpiderHarness:
    """One site spider with the project's item pipelines, outside a crawl."""

    def __init__(self, name: str, database_url: str):
        settings = project_settings(DATABASE_URL=database_url, LEARNED_BOILERPLATE_ENABLED=False)
        install_reactor(settings["TWISTED_REACTOR"])
        spider_class = get_spider_loader(settings).load(name)
        self.crawler = get_crawler(spider_class, settings_dict=settings.copy_to_dict())
        self.spider = spider_class.from_crawler(self.crawler)
        self.crawler.spider = self.spider
        self.pipelines = []
        for path, _order in sorted(settings.getdict("ITEM_PIPELINES").items(), key=lambda pair: pair[1]):
            cls = load_object(path)
            try:
                pipeline = cls.from_crawler(self.crawler)
            except Exception:  # NotConfigured
                continue
            if hasattr(pipeline, "open_spider"):
                pipeline.open_spider()
            self.pipelines.append(pipeline)
        self.pages = [read_saved(sidecar) for sidecar in sidecars(ROOT / "fixtures" / name)]
        self.lists = {saved.url for saved in self.pages if self.spider.list_entries(self.response(saved, saved.body))}

    @staticmethod
    def response(saved, body: bytes, callback=None):
        request = Request(saved.url, callback=callback)
        page = saved.__class__(saved.url, saved.status, saved.headers, body)
        return CharsetMiddleware().process_response(request, to_response(page, request))

    def read(self, saved, body: bytes) -> str:
        """Read one page; return its outcome ('items', 'rejected', 'requests only')."""
        callback = self.spider.parse if saved.url in self.lists else self.spider.parse_article
        response = self.response(saved, body, callback)
        check_page(response)
        items = [output for output in outputs(callback(response)) if not isinstance(output, Request)]
        for item in items:
            for pipeline in self.pipelines:
                item = pipeline.process_item(item)
        return "items" if items else "requests only"

    def close(self) -> None:
        for pipeline in self.pipelines:
            if hasattr(pipeline, "close_spider"):
                pipeline.close_spider()


def outputs(results) -> list:
    """What a callback yields, an asynchronous one's too (``parse_article`` awaits its reading)."""
    if not hasattr(results, "__aiter__"):
        return list(results)

    async def collect() -> list:
        return [result async for result in results]

    return asyncio.run(collect())


def fuzz(pages: int, seed: int, database_url: str) -> FuzzResult:
    """Push ``pages`` mutated fixture pages, spread over the site spiders, through reading
    and the pipelines."""
    rng = random.Random(seed)
    logging.getLogger().setLevel(logging.CRITICAL)  # a mutated page's logged complaints are expected
    harnesses = [SpiderHarness(name, database_url) for name in SITE_SPIDERS]
    result = FuzzResult()
    for number in range(pages):
        harness = harnesses[number % len(harnesses)]
        saved = rng.choice(harness.pages)
        body, names = mutate(rng, saved.body)
        result.pages += 1
        try:
            result.outcomes[harness.read(saved, body)] += 1
        except EXPECTED as expected:
            result.outcomes[f"rejected: {type(expected).__name__}"] += 1
        except Exception:
            result.crashes += 1
            if len(result.examples) < 5:
                result.examples.append(f"{saved.url} {names}: {traceback.format_exc(limit=-3)}")
    for harness in harnesses:
        harness.close()
    return result
