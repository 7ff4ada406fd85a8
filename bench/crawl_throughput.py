"""Crawl throughput: the project's full crawl against a bare Scrapy spider on one local site.

    python bench/crawl_throughput.py                         # 3,000 articles, preloads 0, 10k, 100k
    python bench/crawl_throughput.py --articles 500 --rounds 1 --preload 0,10000
    python bench/crawl_throughput.py --backends sqlite         # SQLite only (default: both)

A TRS-style column (the jszf fixtures' URL shapes and markup, 20 articles per list
page, texts recombined from the sentences of the seed articles so that no two are
alike, plus a share of near-duplicate reprints) is generated in memory and served on
127.0.0.1 by a threaded HTTP server in its own process.  Each round runs, one after
the other, a bare Scrapy spider (the same list-to-article walk, title and body by
CSS, no pipelines) and ``scrapy crawl jszf -a start_url=…`` as users run it (every
stage on), each in a fresh process on a fresh database, with the same concurrency,
no download delay and no autothrottle, once into SQLite and once into PostgreSQL
(``--postgres``: a server on which scratch databases may be created).  Printed: CPU and
wall seconds of each (the medians of the rounds), the ratios, the crawl's peak RSS, the
database bytes per article and the search index against the text it indexes.

Then, for each ``--preload`` size, a database already holding that many stored
articles of the site (inserted in batches through ``Store`` and clustered, cached in
``--cache`` for SQLite and as a template database on PostgreSQL) takes the same crawl:
its CPU, wall time and peak RSS, and a separate process times what opening the spider
costs (store, learned boilerplate, frontier).
Last, the start-up of ``crawler --help`` and ``crawler search`` on the crawled
database.  Figures only; the targets are in the README's performance section.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "data" / "seeds"
COLUMN = "/zyyg/jscawq_1/wuxi/"
PER_PAGE = 20
REPRINT_SHARE = 0.05
CONCURRENCY = 16
COMMON_SETTINGS = {
    "CONCURRENT_REQUESTS": CONCURRENCY,
    "CONCURRENT_REQUESTS_PER_DOMAIN": CONCURRENCY,
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "ROBOTSTXT_OBEY": False,
    "LOG_LEVEL": "INFO",
    "TELNETCONSOLE_ENABLED": False,
}

# The site -------------------------------------------------------------------------

HEAD = """<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<meta name="SiteName" content="江苏长安网" />
<meta name="ColumnName" content="无锡" />
<meta name="ArticleTitle" content="{title}" />
<meta name="PubDate" content="{pubdate}" />
<title>{title}_江苏长安网</title>
<link rel="stylesheet" href="{up}images/style.css" />
</head>
<body>
<div class="top">
  <div class="logo"><a href="{up}"><img src="{up}images/logo.png" alt="江苏长安网" /></a></div>
  <ul class="nav">
    <li><a href="{up}">首页</a></li>
    <li><a href="{up}zfyw/">政法要闻</a></li>
    <li><a href="{up}jcdt/">基层动态</a></li>
    <li><a href="{up}zyyg/">投稿</a></li>
  </ul>
</div>
<div class="main">
"""
FOOT = """</div>
<div class="footer">
  <p>江苏长安网 &copy; 2012 版权所有</p>
  <p>中共江苏省委政法委员会 主办 <a href="https://beian.miit.gov.cn/" target="_blank">苏ICP备13051230号</a></p>
</div>
<script src="{up}images/common.js"></script>
</body>
</html>
"""
LIST_PAGE = """<div class="position">当前位置:<a href="../../../">江苏长安网</a>&nbsp;&gt;
&nbsp;<a href="../../">投稿</a>&nbsp;&gt;&nbsp;<a href="../">市政法单位</a>&nbsp;&gt;&nbsp;无锡</div>
<div class="list">
  <ul>
{entries}
  </ul>
  <div class="page"><script type="text/javascript">createPageHTML({total}, {current}, "index", "shtml");</script></div>
</div>
"""
ARTICLE_PAGE = """<div class="position">当前位置:<a href="../../../../">江苏长安网</a>&nbsp;&gt;
&nbsp;<a href="../../../">投稿</a>&nbsp;&gt;&nbsp;<a href="../../">市政法单位</a>&nbsp;&gt;
&nbsp;<a href="../">无锡</a></div>
<div class="article">
  <h1>{title}</h1>
  <div class="info"><span class="time">{pubdate}:00</span>  来源:{source}</div>
  <div class="content">
<div class="TRS_Editor"><style type="text/css">
.TRS_Editor P{{margin-top:5px;margin-bottom:5px;line-height:2;font-family:宋体;font-size:12pt;}}
</style>
{paragraphs}
</div>
  </div>
</div>
"""
SOURCES = ["江阴市公安局", "无锡市委政法委", "梁溪区公安分局", "宜兴市人民法院", "锡山区司法局"]


@dataclass
class Story:
    number: int
    day: date
    title: str
    paragraphs: list[str]

    @property
    def path(self) -> str:
        return f"{COLUMN}{self.day:%Y%m}/t{self.day:%Y%m%d}_{self.number}.shtml"


def seed_sentences() -> list[str]:
    """Whole sentences of the seed articles, in Simplified script, without mirror pinyin."""
    import opencc

    t2s = opencc.OpenCC("t2s")
    sentences = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = t2s.convert(re.sub(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", "", path.read_text("utf-8")))
        for line in text.splitlines():
            sentences += [s.strip() for s in re.split(r"(?<=[。！？!?])", line)
                          if len(s.strip()) >= 12 and s.strip()[-1] in "。！？!?"]
    return sentences


def make_stories(count: int, seed: int, first_number: int) -> list[Story]:
    """``count`` articles, newest first: paragraphs of 1–4 random seed sentences, so no
    paragraph recurs verbatim; a share are reprints of an earlier one with one paragraph
    changed, so clustering has links to follow."""
    rng = random.Random(seed)
    sentences = seed_sentences()
    stories: list[Story] = []
    day = date(2024, 6, 30)
    for index in range(count):
        if index % 7 == 0:
            day -= timedelta(days=1)
        title = re.split(r"[，,。：:；;！？]", rng.choice(sentences))[0][:28]
        if stories and rng.random() < REPRINT_SHARE:
            paragraphs = list(rng.choice(stories[-200:]).paragraphs)
            paragraphs[rng.randrange(len(paragraphs))] = "".join(rng.sample(sentences, 2))
        else:
            paragraphs = ["".join(rng.sample(sentences, rng.randint(1, 4)))
                          for _ in range(rng.randint(6, 14))]
        stories.append(Story(first_number + index, day, title, paragraphs))
    return stories


def site_pages(stories: list[Story]) -> dict[str, bytes]:
    """Every page of the column, by path."""
    pages: dict[str, bytes] = {}
    total = (len(stories) + PER_PAGE - 1) // PER_PAGE
    for current in range(total):
        chunk = stories[current * PER_PAGE:(current + 1) * PER_PAGE]
        entries = "\n".join(
            f'    <li><a href="./{s.day:%Y%m}/t{s.day:%Y%m%d}_{s.number}.shtml" target="_blank" '
            f'title="{escape(s.title)}">{escape(s.title)}</a><span>{s.day.isoformat()}</span></li>'
            for s in chunk)
        name = "index.shtml" if current == 0 else f"index_{current}.shtml"
        html = (HEAD.format(title="无锡", pubdate="", up="../../../")
                + LIST_PAGE.format(entries=entries, total=total, current=current)
                + FOOT.format(up="../../../"))
        pages[COLUMN + name] = html.encode("utf-8")
    for story in stories:
        pubdate = f"{story.day.isoformat()} {8 + story.number % 10:02d}:{story.number % 60:02d}"
        paragraphs = "\n".join(f"<p>&nbsp;&nbsp;{escape(p)}</p>" for p in story.paragraphs)
        html = (HEAD.format(title=escape(story.title), pubdate=pubdate, up="../../../../")
                + ARTICLE_PAGE.format(title=escape(story.title), pubdate=pubdate,
                                      source=SOURCES[story.number % len(SOURCES)], paragraphs=paragraphs)
                + FOOT.format(up="../../../../"))
        pages[story.path] = html.encode("utf-8")
    return pages


def serve(pages: dict[str, bytes], ready) -> None:
    """Serve ``pages`` with HTTP/1.1 keep-alive, one thread per connection (a child process)."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # headers and body go in two writes: with Nagle's algorithm the body then waits for
        # the client's delayed ACK of the headers, which left the bare spider idle 40% of its
        # run (nginx sets TCP_NODELAY on keep-alive connections too)
        disable_nagle_algorithm = True

        def do_GET(self):
            body = pages.get(self.path.split("?")[0])
            self.send_response(200 if body is not None else 404)
            body = body if body is not None else b"not found"
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    ready.send(server.server_address[1])
    server.serve_forever()


# The bare spider (run in a child process: ``--bare URL``) ------------------------------

def run_bare_spider(start_url: str) -> None:
    import scrapy
    from scrapy.crawler import CrawlerProcess

    pager = re.compile(r'createPageHTML\((\d+),\s*(\d+),\s*"(\w+)",\s*"(\w+)"')

    class BareSpider(scrapy.Spider):
        name = "bare"
        start_urls = [start_url]

        def parse(self, response):
            for href in response.css("div.list li a::attr(href)").getall():
                yield response.follow(href, callback=self.parse_article)
            match = pager.search(" ".join(response.css("script::text").getall()))
            if match and int(match[2]) + 1 < int(match[1]):
                yield response.follow(f"{match[3]}_{int(match[2]) + 1}.{match[4]}", callback=self.parse)

        def parse_article(self, response):
            yield {"url": response.url,
                   "title": response.css("div.article h1::text").get(),
                   "body": "\n".join(response.css("div.TRS_Editor p ::text").getall())}

    process = CrawlerProcess(COMMON_SETTINGS, install_root_handler=True)
    process.crawl(BareSpider)
    process.start()


# Measuring child processes ---------------------------------------------------------

@dataclass
class Usage:
    cpu: float
    wall: float
    peak_mb: float


def measured(command: list[str], env: dict | None = None, log: Path | None = None, root: Path = ROOT) -> Usage:
    """Run a child in ``root`` to its end; its own CPU seconds, wall seconds and peak RSS (os.wait4;
    the peak includes the forked copy of this process before exec, so this process stays small)."""
    started = time.perf_counter()
    with open(log or os.devnull, "wb") as stderr:
        child = subprocess.Popen(command, cwd=root, env={**os.environ, **(env or {})},
                                 stdout=subprocess.DEVNULL, stderr=stderr)
        _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command[:4])} … exited with {child.returncode}"
                         + (f"; see {log}" if log else ""))
    return Usage(usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024)


def settings_args(extra: dict | None = None) -> list[str]:
    args = []
    for name, value in {**COMMON_SETTINGS, **(extra or {})}.items():
        args += ["-s", f"{name}={value}"]
    return args


def full_crawl(start_url: str, target: Target, root: Path = ROOT) -> Usage:
    """``scrapy crawl jszf`` with the code of ``root`` (``python -m`` puts it first on the path)."""
    return measured([sys.executable, "-m", "scrapy", "crawl", "jszf", "-a", f"start_url={start_url}",
                     "-a", "max_pages=0", *settings_args({"DATABASE_URL": target.url})],
                    env={"DATABASE_URL": target.url}, log=target.log, root=root)


def bare_crawl(start_url: str) -> Usage:
    return measured([sys.executable, __file__, "--bare", start_url])


# Databases: a SQLite file or a PostgreSQL database ------------------------------------

class Target:
    """One database a crawl writes: made empty or copied from a preload, measured, dropped."""

    backend = ""

    def __init__(self, name: str, work: Path):
        self.name, self.log = name, work / f"{name}.log"

    @property
    def url(self) -> str:
        raise NotImplementedError


class SqliteTarget(Target):
    backend = "sqlite"

    def __init__(self, name: str, work: Path, cache: Path):
        super().__init__(name, work)
        self.path, self.cache = work / f"{name}.db", cache

    @property
    def url(self) -> str:
        return f"sqlite:///{self.path}"

    def reset(self, preload: int = 0) -> None:
        for path in self.path.parent.glob(f"{self.path.name}*"):
            path.unlink()
        if preload:
            cached = self.cache / f"preload-{preload}-r{schema_revision()}.db"
            if not cached.exists():
                partial = cached.with_suffix(".partial")
                build_preload_once(preload, f"sqlite:///{partial}")
                partial.rename(cached)
                for leftover in cached.parent.glob(f"{partial.name}-*"):
                    leftover.unlink()
            shutil.copy(cached, self.path)

    def figures(self) -> dict:
        connection = sqlite3.connect(self.path)
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        articles, text = connection.execute(
            "SELECT count(*), sum(length(CAST(coalesce(title, '') || coalesce(body, '') AS BLOB)))"
            " FROM articles").fetchone()
        sizes = dict(connection.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"))
        raw = connection.execute("SELECT sum(length(body_zlib)) FROM pages").fetchone()[0] or 0
        connection.close()
        index = sum(size for name, size in sizes.items() if name.startswith("articles_fts"))
        dedup = sum(size for name, size in sizes.items() if name.startswith("dedup_"))
        return {"articles": articles, "bytes": self.path.stat().st_size, "text": text or 0, "index": index,
                "dedup": dedup, "pages_zlib": raw}

    def drop(self) -> None:
        pass  # the work folder goes at the end


class PostgresTarget(Target):
    """A scratch database on the ``--postgres`` server; preloads are kept there as
    template databases (``crawl_throughput_preload_N_rREVISION``) between runs."""

    backend = "postgresql"

    def __init__(self, name: str, work: Path, server: str):
        super().__init__(name, work)
        from sqlalchemy.engine import make_url

        self.server = make_url(server)
        self.database = f"crawl_throughput_{os.getpid()}_{name}"

    @property
    def url(self) -> str:
        return self._url(self.database)

    def _url(self, database: str) -> str:
        return self.server.set(database=database).render_as_string(hide_password=False)

    def _admin(self, statement: str) -> list | None:
        """Run one statement on the server's own database, outside a transaction; rows of a SELECT."""
        from sqlalchemy import create_engine, text

        engine = create_engine(self._url(self.server.database), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                result = connection.execute(text(statement))
                return result.all() if result.returns_rows else None
        finally:
            engine.dispose()

    def reset(self, preload: int = 0) -> None:
        self.drop()
        if not preload:
            self._admin(f'CREATE DATABASE "{self.database}"')
            return
        cached = f"crawl_throughput_preload_{preload}_r{schema_revision()}"
        if not self._admin(f"SELECT 1 FROM pg_database WHERE datname = '{cached}'"):
            partial = f"{cached}_partial"
            self._admin(f'DROP DATABASE IF EXISTS "{partial}"')
            self._admin(f'CREATE DATABASE "{partial}"')
            build_preload_once(preload, self._url(partial))
            self._admin(f'ALTER DATABASE "{partial}" RENAME TO "{cached}"')
        self._admin(f'CREATE DATABASE "{self.database}" TEMPLATE "{cached}"')

    def figures(self) -> dict:
        from sqlalchemy import create_engine, text

        engine = create_engine(self.url)
        with engine.connect() as connection:
            articles, text_bytes = connection.execute(text(
                "SELECT count(*), sum(octet_length(coalesce(title, '') || coalesce(body, ''))) FROM articles")).one()
            size = connection.scalar(text("SELECT pg_database_size(current_database())"))
            index = connection.scalar(text(  # this tree's search index, or an older tree's
                "SELECT coalesce(pg_relation_size(to_regclass('ix_articles_search')), 0) "
                "+ coalesce(pg_total_relation_size(to_regclass('search_texts')), 0) "
                "+ coalesce(pg_total_relation_size(to_regclass('search_documents')), 0)"))
            dedup = connection.scalar(text(
                "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class AS c "
                "JOIN pg_namespace AS n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname LIKE 'dedup%'"))
            raw = connection.scalar(text("SELECT sum(octet_length(body_zlib)) FROM pages")) or 0
        engine.dispose()
        return {"articles": articles, "bytes": size, "text": text_bytes or 0, "index": index,
                "dedup": dedup or 0, "pages_zlib": raw}

    def drop(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')


def schema_revision() -> str:
    """This tree's newest schema revision: a preload is kept per revision, so that opening a
    spider on it never includes a migration."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from crawler.storage.revisions import head_revision

    return head_revision()


def build_preload_once(size: int, url: str) -> None:
    print(f"  building the {size:,}-article preload ({url.split('://')[0]}) …", flush=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, __file__, "--build-preload", str(size), url], cwd=ROOT, check=True)
    print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)


def build_preload(size: int, url: str) -> None:
    """Store and cluster ``size`` articles of the site (another column) in the database at ``url``."""
    sys.path.insert(0, str(ROOT))
    from crawler.dedup.clusters import Deduplicator
    from crawler.dedup.minhash import DedupParams
    from crawler.dedup.text import content_hash
    from crawler.storage import Store, sqlite_path

    path = sqlite_path(url)
    if path is not None:
        for leftover in path.parent.glob(f"{path.name}*"):
            leftover.unlink()
    store = Store.migrated(url)
    stories = make_stories(size, seed=size, first_number=1_000_000)
    batch = []
    for story in stories:
        batch.append(stored_item(story, content_hash, COLUMN.replace("wuxi", "old")))
        if len(batch) == 500:
            store.upsert_articles(batch)
            batch = []
    store.upsert_articles(batch)
    Deduplicator(store, DedupParams()).update()
    store.close()
    if path is not None:  # one self-contained file to copy
        connection = sqlite3.connect(path)
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.close()


def stored_item(story: Story, content_hash, column: str = COLUMN) -> dict:
    """The item the crawl stores for ``story``, as the pipeline stages leave it."""
    body = "\n".join(story.paragraphs)
    return {"site": "jszf", "url": f"https://www.jszf.gov.cn{column}{story.day:%Y%m}/t{story.day:%Y%m%d}_"
                                   f"{story.number}.shtml",
            "title": story.title, "published_at": f"{story.day.isoformat()}T08:00:00+08:00",
            "source": SOURCES[0], "body": body, "body_html": "".join(f"<p>{escape(p)}</p>" for p in story.paragraphs),
            "script": "zh-Hans", "content_hash": content_hash(body)}


def store_cost(size: int, url: str) -> None:
    """Print the milliseconds per article of storing the site's articles into the empty database
    at ``url`` as the crawl does: ``STORE_BATCH_SIZE`` articles (with their search index, and
    the failures of their pages cleared) a transaction, and their raw pages as many a
    transaction; with the index entries made in place, and made beforehand as the crawl's
    worker makes them (the crawl's process's share).
    CPU is this process's: on PostgreSQL the server's share is in the wall time only."""
    sys.path.insert(0, str(ROOT))
    from crawler.addon import SETTINGS
    from crawler.dedup.text import content_hash
    from crawler.search import index_entries
    from crawler.storage import Store

    stories = make_stories(size, seed=0, first_number=3_000_000)
    pages = site_pages(stories)
    items = [stored_item(story, content_hash) for story in stories]
    raw = [(item["url"], 200, {"Content-Type": "text/html; charset=utf-8"}, pages[story.path], "2024-07-01T00:00:00Z")
           for item, story in zip(items, stories, strict=True)]
    store = Store.migrated(url)
    texts = [(item["title"], item["body"]) for item in items]
    made = dict(zip(texts, index_entries(store.dialect, texts), strict=True))  # what the worker makes
    batch, figures = SETTINGS["STORE_BATCH_SIZE"], []
    for share, prepared in (("in place", None), ("index entries made in a worker", made)):
        started, cpu_started = time.perf_counter(), time.process_time()
        for start in range(0, len(items), batch):
            store.upsert_articles(items[start:start + batch], prepared,
                                  recovered=("jszf", [item["url"] for item in items[start:start + batch]]))
            store.save_pages(raw[start:start + batch])
        cpu, wall = time.process_time() - cpu_started, time.perf_counter() - started
        figures.append(f"{share}, {cpu * 1000 / len(items):.2f} CPU ms ({wall * 1000 / len(items):.2f} wall ms)")
        items = [dict(item, url=item["url"] + "?again") for item in items]  # new articles for the second pass
        raw = [(page_url + "?again", *rest) for page_url, *rest in raw]
    store.close()
    print("; ".join(figures))


def probe_open(url: str, start_url: str, root: Path) -> None:
    """Time what opening the jszf spider costs on the database at ``url`` with the code of ``root``,
    and a clustering with nothing new to index (what every close pays, whatever it stored);
    print JSON seconds."""
    sys.path.insert(0, str(root))
    os.chdir(root)
    from scrapy.addons import AddonManager
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import MemoryStatsCollector
    from scrapy.utils.project import get_project_settings

    from crawler.dedup.clusters import Deduplicator
    from crawler.dedup.minhash import DedupParams
    from crawler.incremental import Frontier
    from crawler.storage import store_for
    from pipelines.learned_boilerplate import LearnedBoilerplatePipeline
    from spiders.jszf import JszfSpider

    settings = get_project_settings()
    settings.set("DATABASE_URL", url)
    AddonManager.load_pre_crawler_settings(settings)  # the project's defaults, as a crawl gets them
    crawler = Crawler(JszfSpider, settings)
    crawler.stats = MemoryStatsCollector(crawler)  # where the frontier counts and finds the run id
    crawler.spider = JszfSpider.from_crawler(crawler, start_url=start_url)
    times = {}
    started = time.perf_counter()
    store = store_for(crawler)
    times["store"] = time.perf_counter() - started
    started = time.perf_counter()
    LearnedBoilerplatePipeline.from_crawler(crawler).open_spider()
    times["learned"] = time.perf_counter() - started
    started = time.perf_counter()
    Frontier.load(crawler.spider)
    times["frontier"] = time.perf_counter() - started
    started = time.perf_counter()
    Deduplicator(store, DedupParams.from_settings(settings)).update()
    times["idle close"] = time.perf_counter() - started
    print(json.dumps(times))


def open_cost(target: Target, start_url: str, root: Path) -> tuple[dict, float]:
    child = subprocess.Popen([sys.executable, __file__, "--probe-open", target.url, start_url, str(root)],
                             cwd=root, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit("the spider-open probe failed")
    return json.loads(output), usage.ru_maxrss / 1024


# Start-up ----------------------------------------------------------------------------

def startup(targets: list[Target], root: Path) -> dict[str, Usage]:
    crawler = [sys.executable, "-m", "crawler.cli"]  # the entry point, from this tree
    commands = {"crawler --help": [*crawler, "--help"]}
    for target in targets:
        commands[f"crawler search 平安 --db {target.backend}"] = [*crawler, "search", "平安", "--db", target.url]
    results = {}
    for label, command in commands.items():
        runs = [measured(command, root=root) for _ in range(5)]
        results[label] = Usage(statistics.median(r.cpu for r in runs), statistics.median(r.wall for r in runs),
                               max(r.peak_mb for r in runs))
    return results


# Report ------------------------------------------------------------------------------

def median_usage(runs: list[Usage]) -> Usage:
    return Usage(statistics.median(r.cpu for r in runs), statistics.median(r.wall for r in runs),
                 max(r.peak_mb for r in runs))


def clustering_cost(log: Path) -> tuple[int, float] | None:
    """Articles indexed and CPU seconds spent by the clustering at close, from the crawl's log."""
    match = re.search(r"Dedup: indexed (\d+) articles in [\d.]+ s \(([\d.]+) CPU s\)",
                      log.read_text("utf-8", "replace"))
    return (int(match[1]), float(match[2])) if match else None


def pipeline_dedup_cost(stories: list[Story]) -> str:
    """CPU milliseconds per article of the dedup stage: in the crawl's process (normalise,
    content hash, and handing the body to the worker pool in batches), and the signing the
    worker does."""
    sys.path.insert(0, str(ROOT))
    from scrapy.utils.test import get_crawler

    from crawler.addon import SETTINGS
    from crawler.dedup.extension import Signatures
    from crawler.dedup.minhash import DedupParams, sign_all
    from crawler.dedup.text import normalise_text
    from crawler.workers import WorkerPool
    from pipelines.dedup import DedupPipeline

    # The project's setting defaults without its components (no lock, no run records).
    pipeline = DedupPipeline(get_crawler(settings_dict={**SETTINGS, "DATABASE_URL": "sqlite://"}))
    pool = WorkerPool(1)
    pipeline.signatures = Signatures(DedupParams(), pool)
    pool.submit(int).result()  # the worker started before the clock
    items = [{"url": f"https://www.jszf.gov.cn{s.path}", "body": "\n".join(s.paragraphs)} for s in stories]
    started = time.process_time()
    for item in items:
        pipeline.process_item(item)
    in_crawl = (time.process_time() - started) * 1000 / len(items)
    pool.close()
    texts = {item["content_hash"]: normalise_text(item["body"]) for item in items[:500]}
    started = time.process_time()
    sign_all(texts, DedupParams())
    signing = (time.process_time() - started) * 1000 / len(texts)
    return f"{in_crawl:.2f} CPU ms per article in the crawl's process, {signing:.2f} ms signing in a worker"


def per_article_ms(clustering: tuple[int, float] | None) -> str:
    return f"{clustering[1] * 1000 / max(clustering[0], 1):.2f}" if clustering else "-"


def print_database(label: str, target: Target) -> None:
    clustering = clustering_cost(target.log)
    if clustering:
        print(f"{label}clustering at close (last round): {clustering[0]:,} articles in "
              f"{clustering[1]:.2f} CPU s, {per_article_ms(clustering)} ms per new article")
    figures = target.figures()
    n = max(figures["articles"], 1)
    print(f"{label}database: {figures['articles']:,} articles, {figures['bytes'] / n / 1024:.1f} KB per "
          f"article (raw pages {figures['pages_zlib'] / n / 1024:.1f} KB zlib, dedup index "
          f"{figures['dedup'] / n / 1024:.2f} KB); search index {figures['index'] / n / 1024:.1f} KB "
          f"per article = {figures['index'] / max(figures['text'], 1):.2f}x the UTF-8 text it indexes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=3000, help="articles on the site (default 3,000)")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds of the crawls")
    parser.add_argument("--preload", default="0,10000,100000",
                        help="stored-corpus sizes to crawl into (comma-separated; empty for none)")
    parser.add_argument("--preload-postgres", metavar="SIZES",
                        help="the sizes for PostgreSQL, when not those of --preload (building a "
                             "100k preload there takes about a quarter of an hour)")
    parser.add_argument("--backends", default="sqlite,postgresql",
                        help="databases the full crawl writes (comma-separated: sqlite, postgresql)")
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
                        help="a PostgreSQL server URL on which scratch databases may be created")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "crawl-throughput-cache",
                        help="where preloaded SQLite databases are kept between runs")
    parser.add_argument("--bare", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--build-preload", nargs=2, metavar=("N", "URL"), help=argparse.SUPPRESS)
    parser.add_argument("--baseline", type=Path, metavar="TREE",
                        help="another checkout of the project (e.g. from git worktree or git archive) "
                             "whose full crawl runs interleaved with this one's, for before/after figures")
    parser.add_argument("--pipeline-cost", type=int, metavar="N", help=argparse.SUPPRESS)
    parser.add_argument("--store-cost", nargs=2, metavar=("N", "URL"), help=argparse.SUPPRESS)
    parser.add_argument("--probe-open", nargs=3, metavar=("URL", "URL", "ROOT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare:
        return run_bare_spider(args.bare)
    if args.build_preload:
        return build_preload(int(args.build_preload[0]), args.build_preload[1])
    if args.pipeline_cost:  # a child, so that the parent's RSS stays small (children inherit it)
        return print(pipeline_dedup_cost(make_stories(args.pipeline_cost, seed=0, first_number=3_000_000)))
    if args.store_cost:
        return store_cost(int(args.store_cost[0]), args.store_cost[1])
    if args.probe_open:
        return probe_open(args.probe_open[0], args.probe_open[1], Path(args.probe_open[2]))
    backends = [name.strip() for name in args.backends.split(",") if name.strip()]
    if not backends or set(backends) - {"sqlite", "postgresql"}:
        raise SystemExit("crawl_throughput.py: --backends takes sqlite, postgresql or both")

    import multiprocessing

    stories = make_stories(args.articles, seed=0, first_number=3_000_000)
    pages = site_pages(stories)
    receiver, sender = multiprocessing.Pipe(duplex=False)
    server = multiprocessing.get_context("fork").Process(target=serve, args=(pages, sender), daemon=True)
    server.start()
    port = receiver.recv()
    start_url = f"http://127.0.0.1:{port}{COLUMN}index.shtml"
    mean_page = sum(map(len, pages.values())) / len(pages)
    print(f"site: {len(stories):,} articles, {len(pages) - len(stories)} list pages, "
          f"{mean_page / 1024:.1f} KB per page on average, at {start_url}")
    print(f"every crawl: CONCURRENT_REQUESTS(_PER_DOMAIN)={CONCURRENCY}, DOWNLOAD_DELAY=0, "
          f"AUTOTHROTTLE off, robots.txt off; {args.rounds} interleaved rounds, medians\n")
    work = Path(tempfile.mkdtemp(prefix="crawl-throughput-"))
    args.cache.mkdir(parents=True, exist_ok=True)
    trees = {"": ROOT, **({"baseline ": args.baseline.resolve()} if args.baseline else {})}

    def target(name: str, backend: str) -> Target:
        return (SqliteTarget(name, work, args.cache) if backend == "sqlite"
                else PostgresTarget(name, work, args.postgres))

    # (tree label, backend) -> the database of its last round
    crawled = {(label, backend): target(f"crawl{label.strip()}_{backend}", backend)
               for label in trees for backend in backends}
    scratch: list[Target] = list(crawled.values())
    try:
        bare, full = [], {key: [] for key in crawled}
        for round_no in range(args.rounds):
            bare.append(bare_crawl(start_url))
            line = f"  round {round_no + 1}: bare {bare[-1].cpu:.1f} CPU s / {bare[-1].wall:.1f} s"
            for (label, backend), database in crawled.items():
                database.reset()
                full[label, backend].append(full_crawl(start_url, database, trees[label]))
                line += (f", {label}{backend} {full[label, backend][-1].cpu:.1f} CPU s"
                         f" / {full[label, backend][-1].wall:.1f} s")
            print(line, flush=True)
        b = median_usage(bare)
        print(f"\n{'crawl':<48}{'CPU s':>8}{'wall s':>8}{'peak MB':>9}{'articles/s':>12}"
              f"{'vs bare, CPU':>14}{'wall':>7}")
        print(f"{'bare Scrapy spider':<48}{b.cpu:8.1f}{b.wall:8.1f}{b.peak_mb:9.0f}{len(stories) / b.wall:12.0f}")
        for (label, backend), runs in full.items():
            f = median_usage(runs)
            print(f"{label + 'scrapy crawl jszf (every stage), ' + backend:<48}{f.cpu:8.1f}{f.wall:8.1f}"
                  f"{f.peak_mb:9.0f}{len(stories) / f.wall:12.0f}{b.cpu / f.cpu:13.2f}x{b.wall / f.wall:6.2f}x")
        cost = subprocess.run([sys.executable, __file__, "--pipeline-cost", str(args.articles)], cwd=ROOT,
                              check=True, capture_output=True, text=True).stdout.strip()
        print(f"dedup stage per item (this tree): {cost}")
        for backend in backends:
            scratch.append(fresh := target(f"store_cost_{backend}", backend))
            fresh.reset()
            cost = subprocess.run([sys.executable, __file__, "--store-cost", str(args.articles), fresh.url],
                                  cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()
            print(f"{backend} storing an article, its search index and its raw page, per article (this tree): {cost}")
            fresh.drop()
        for (label, backend), database in crawled.items():
            print_database(f"{label}{backend} ", database)

        def sizes_of(text: str) -> list[int]:
            return [int(size) for size in text.split(",") if size.strip()]

        sizes = {"sqlite": sizes_of(args.preload),
                 "postgresql": sizes_of(args.preload if args.preload_postgres is None else args.preload_postgres)}
        if any(sizes[backend] for backend in backends):
            print(f"\n{'stored before':>30}{'CPU s':>8}{'wall s':>8}{'peak MB':>9}"
                  f"{'open: store':>13}{'learned':>9}{'frontier':>10}{'probe MB':>10}{'idle close':>12}"
                  f"{'dedup ms/a':>12}")
        for size in sorted(set().union(*sizes.values())):
            for (label, backend), crawl in crawled.items():
                if size not in sizes[backend]:
                    continue
                root = trees[label]
                preloaded = target(f"preloaded_{backend}", backend)
                scratch.append(preloaded)
                preloaded.reset(size)
                times, probe_mb = open_cost(preloaded, start_url, root)
                if size:
                    usage = full_crawl(start_url, preloaded, root)
                else:  # the rounds above were this crawl
                    usage = full[label, backend][-1]
                    shutil.copy(crawl.log, preloaded.log)
                print(f"{label + backend + ' ' + format(size, ','):>30}{usage.cpu:8.1f}{usage.wall:8.1f}"
                      f"{usage.peak_mb:9.0f}{times['store']:13.2f}{times['learned']:9.2f}{times['frontier']:10.2f}"
                      f"{probe_mb:10.0f}{times['idle close']:12.2f}"
                      f"{per_article_ms(clustering_cost(preloaded.log)):>12}", flush=True)
                preloaded.drop()

        print(f"\n{'start-up (median of 5)':<48}{'CPU s':>8}{'wall s':>8}{'peak MB':>9}")
        for label, root in trees.items():
            for command, usage in startup([crawled[label, backend] for backend in backends], root).items():
                print(f"{label + command:<48}{usage.cpu:8.2f}{usage.wall:8.2f}{usage.peak_mb:9.0f}")
    finally:
        server.terminate()
        for database in scratch:
            database.drop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
