"""Scrapy settings for the project.  Every value can be overridden with ``-s NAME=VALUE``."""

from __future__ import annotations

import os
from pathlib import Path

BOT_NAME = "zhengfa_crawler"
PROJECT_ROOT = Path(__file__).resolve().parent.parent

SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"
COMMANDS_MODULE = "crawler.scrapy_commands"
# ``scrapy genspider -t trs|empirecms|phpcms``: the dialect spider templates (and their tests).
TEMPLATES_DIR = str(Path(__file__).resolve().parent / "templates")

# Politeness: these are small public-sector servers.
ROBOTSTXT_OBEY = True
USER_AGENT = "zhengfa-crawler/0.1 (+research corpus; contact via project README)"
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
RETRY_TIMES = 2
RETRY_AFTER_MAX = 120  # seconds: a 429/503 Retry-After is waited for up to this (crawler/retry.py)
DOWNLOAD_TIMEOUT = 30
# Limits: a page larger than this (after decompression too) is a reject, never held in memory.
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
LOG_FORMATTER = "crawler.logformatter.QuietDropLogFormatter"

# Storage: a SQLAlchemy URL; the environment variable wins over this default.
DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite:///data/news.db")
STORE_BATCH_SIZE = 20

# Offline fixtures: "replay" serves every request from saved pages, "record" saves
# every live response; empty means plain live crawling.
FIXTURES = ""
FIXTURES_DIR = str(PROJECT_ROOT / "fixtures")  # several roots: comma-separated, first wins

DOWNLOADER_MIDDLEWARES = {
    "crawler.fixtures.FixturesMiddleware": 50,
    "crawler.fixtures.CharsetMiddleware": 60,
    "crawler.incremental.ConditionalGetMiddleware": 570,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.retry.RetryAfterMiddleware": 550,
}

ARCHIVE_PAGES = True
SPIDER_MIDDLEWARES = {
    "crawler.archive.PageArchiveMiddleware": 950,
    "crawler.failures.PageFailureMiddleware": 960,
}

# Pages that failed (crawler/failures.py): a passing failure is requested again by later
# runs, after FAILURE_RETRY_DELAY seconds, doubled after each attempt, until
# FAILURE_MAX_ATTEMPTS attempts; then it is a permanent reject.
FAILURE_MAX_ATTEMPTS = 5
FAILURE_RETRY_DELAY = 3600

EXTENSIONS = {
    "crawler.lock.CrawlLock": 0,
    "crawler.dedup.extension.Clustering": 50,
    "crawler.runs.RunRecorder": 100,
    "crawler.health.HealthMonitor": 110,
}

# Scaling out (crawler/distributed): DISTRIBUTED = "redis" shares one site's crawl between
# workers on several machines through Redis; empty, every crawl is on its own.
ADDONS = {"crawler.distributed.addon.DistributedAddon": 0}
DISTRIBUTED = os.environ.get("DISTRIBUTED", "")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
DISTRIBUTED_KEY_PREFIX = "zhengfa"  # Redis keys: <prefix>:<spider>:queue, …; <prefix>:rate:<host>
DISTRIBUTED_LEASE = 60.0  # seconds without a heartbeat before a worker's requests go back to the queue
DISTRIBUTED_POLL_INTERVAL = 0.5  # seconds between a worker's looks at the shared queue when it has nothing
DISTRIBUTED_DOWNLOAD_DELAY = None  # seconds between requests to one host from all workers; None: DOWNLOAD_DELAY

# Incremental crawling (crawler/incremental.py): stored article URLs are not requested
# again; paging through a column stops after a list page that brings nothing new.
INCREMENTAL_STOP_PAGING = True

# Health alarms (crawler/health.py), judged after each finished run of a spider.
HEALTH_HISTORY_RUNS = 7  # previous runs compared with
HEALTH_MIN_HISTORY = 3  # "zero new articles" needs this many previous runs, most with new ones
HEALTH_MIN_ITEMS = 3  # coverage and generic share are judged on runs with this many articles
HEALTH_MIN_COVERAGE = {"title": 0.9, "published_at": 0.8, "body": 0.5, "source": 0.2}
HEALTH_COVERAGE_DROP = 0.3  # alarm when a field's share falls this much below the previous runs
HEALTH_MAX_GENERIC_SHARE = 0.5  # share of articles from the generic extractor
HEALTH_MIN_REQUESTS = 5
HEALTH_MAX_HTTP_ERROR_RATE = 0.2  # HTTP 4xx/5xx and download errors per request (robots.txt aside)

ITEM_PIPELINES = {
    "pipelines.boilerplate.BoilerplatePipeline": 100,
    "pipelines.learned_boilerplate.LearnedBoilerplatePipeline": 200,
    "pipelines.text.TextPipeline": 300,
    "pipelines.dates.DatesPipeline": 400,
    "pipelines.bylines.BylinesPipeline": 500,
    "pipelines.validate.ValidatePipeline": 600,
    "pipelines.dedup.DedupPipeline": 700,
    "pipelines.store.StorePipeline": 900,
}

# Cleaning stages (crawler/cleaning); each *_ENABLED switch turns its pipeline off.
BOILERPLATE_ENABLED = True
LEARNED_BOILERPLATE_ENABLED = True
LEARNED_BOILERPLATE_MIN_ARTICLES = 5  # K: distinct articles a paragraph must recur in (at least 3)
LEARNED_BOILERPLATE_MIN_SITE_ARTICLES = 50  # no learning on sites with fewer stored articles
LEARNED_BOILERPLATE_SAMPLE = 2000  # learned from the site's newest stored articles, so open time stays flat
TEXT_ENABLED = True
MIRROR_MIN_ANNOTATIONS = 3  # pinyin annotations that mark a page as an SEO-mirror copy
DATES_ENABLED = True
BYLINES_ENABLED = True
VALIDATE_ENABLED = True
VALIDATE_MIN_BODY_CHARS = 30  # non-space characters; shorter bodies are rejected
VALIDATE_MAX_BODY_CHARS = 200_000  # longer bodies are rejected, not stored (0: no cap)

# Near-duplicate detection (crawler/dedup): MinHash over character shingles of the
# normalised body, LSH bands chosen from the threshold unless both are given.
DEDUP_SHINGLE_SIZE = 5
DEDUP_NUM_PERM = 128
DEDUP_THRESHOLD = 0.5
DEDUP_BANDS = None
DEDUP_ROWS = None
DEDUP_SEED = 1
DEDUP_MIN_CHARS = 50
