"""Item pipeline: drops paragraphs that the site repeats across many stored articles."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.settings import BaseSettings

from crawler.cleaning.learned import MIN_SUPPORT, learn_boilerplate, remove_paragraphs
from crawler.errors import ArgumentError
from crawler.item_processor import WorkerStage
from crawler.items import ArticleItem
from crawler.storage import store_for


def min_articles_setting(settings: BaseSettings) -> int:
    """K, refused below 3 (one line for the user), so that one quotation never makes boilerplate."""
    min_articles = settings.getint("LEARNED_BOILERPLATE_MIN_ARTICLES")
    if min_articles < MIN_SUPPORT:
        raise ArgumentError(f"LEARNED_BOILERPLATE_MIN_ARTICLES must be at least {MIN_SUPPORT}, "
                            f"not {min_articles}")
    return min_articles


class LearnedBoilerplatePipeline(WorkerStage):
    """Removes a site's learned boilerplate paragraphs from ``body_html``.

    The list of each site is computed once per crawl from what is stored (the newest
    ``LEARNED_BOILERPLATE_SAMPLE`` articles of the site), never from the page at hand
    (see :mod:`crawler.cleaning.learned`).
    """

    def __init__(self, site_bodies: Callable[[str], Iterable[str]], *, min_articles: int,
                 min_site_articles: int, site: str | None = None):
        self.site_bodies = site_bodies
        self.min_articles = min_articles
        self.min_site_articles = min_site_articles
        self.site = site
        self.learned: dict[str, frozenset[str]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LearnedBoilerplatePipeline:
        settings = crawler.settings
        if not settings.getbool("LEARNED_BOILERPLATE_ENABLED"):
            raise NotConfigured("LEARNED_BOILERPLATE_ENABLED is off")
        min_articles = min_articles_setting(settings)
        sample = settings.getint("LEARNED_BOILERPLATE_SAMPLE")
        return cls(partial(store_for(crawler).recent_site_bodies, limit=sample), min_articles=min_articles,
                   min_site_articles=settings.getint("LEARNED_BOILERPLATE_MIN_SITE_ARTICLES"),
                   site=crawler.spider.name if crawler.spider else None)

    def paragraphs(self, site: str) -> frozenset[str]:
        if site not in self.learned:
            self.learned[site] = learn_boilerplate(self.site_bodies(site), min_articles=self.min_articles,
                                                   min_site_articles=self.min_site_articles)
        return self.learned[site]

    crawl_attributes = ("site_bodies",)  # the store stays in the crawl's process

    def open_spider(self) -> None:
        if self.site:
            self.paragraphs(self.site)

    @property
    def runs_in_worker(self) -> bool:
        return self.site is not None and self.site in self.learned  # learned at open, in place

    def process_item(self, item: ArticleItem) -> ArticleItem:
        adapter = ItemAdapter(item)
        if adapter.get("body_html"):
            adapter["body_html"] = remove_paragraphs(adapter["body_html"], self.paragraphs(adapter["site"]))
        return item
