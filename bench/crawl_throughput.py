"""Crawl throughput: the project's full crawl against a bare Scrapy spider on one local site.

    python bench/crawl_throughput.py                         # 3,000 articles, preloads 0, 10k, 100k
    python bench/crawl_throughput.py --articles 500 --rounds 1 --preload 0,10000

A TRS-style column (the jszf fixtures' URL shapes and markup, 20 articles per list
page, texts recombined from the sentences of the seed articles so that no two are
alike, plus a share of near-duplicate reprints) is generated in memory and served on
127.0.0.1 by a threaded HTTP server in its own process.  Each round runs, one after
the other, a bare Scrapy spider (the same list-to-article walk, title and body by
CSS, no pipelines) and ``scrapy crawl jszf -a start_url=…`` as users run it (every
stage on), each in a fresh process on a fresh database, with the same concurrency,
no download delay and no autothrottle.  Printed: CPU and wall seconds of each (the
medians of the rounds), the ratios, the crawl's peak RSS, the database bytes per
article and the search index against the text it indexes.

Then, for each ``--preload`` size, a database already holding that many stored
articles of the site (inserted in batches through ``Store`` and clustered, cached in
``--cache``) takes the same crawl: its CPU, wall time and peak RSS, and a separate
process times what opening the spider costs (store, learned boilerplate, frontier).
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
LIST_PAGE = """<div class="position">当前位置:<a href="../../../">江苏长安网</a>&nbsp;&gt;&nbsp;<a href="../../">投稿</a>&nbsp;&gt;&nbsp;<a href="../">市政法单位</a>&nbsp;&gt;&nbsp;无锡</div>
<div class="list">
  <ul>
{entries}
  </ul>
  <div class="page"><script type="text/javascript">createPageHTML({total}, {current}, "index", "shtml");</script></div>
</div>
"""
ARTICLE_PAGE = """<div class="position">当前位置:<a href="../../../../">江苏长安网</a>&nbsp;&gt;&nbsp;<a href="../../../">投稿</a>&nbsp;&gt;&nbsp;<a href="../../">市政法单位</a>&nbsp;&gt;&nbsp;<a href="../">无锡</a></div>
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


def full_crawl(start_url: str, database: Path, root: Path = ROOT) -> Usage:
    """``scrapy crawl jszf`` with the code of ``root`` (``python -m`` puts it first on the path)."""
    return measured([sys.executable, "-m", "scrapy", "crawl", "jszf", "-a", f"start_url={start_url}",
                     "-a", "max_pages=0", *settings_args({"DATABASE_URL": f"sqlite:///{database}"})],
                    env={"DATABASE_URL": f"sqlite:///{database}"}, log=database.with_suffix(".log"), root=root)


def bare_crawl(start_url: str) -> Usage:
    return measured([sys.executable, __file__, "--bare", start_url])


# Database figures -----------------------------------------------------------------

def database_figures(database: Path) -> dict:
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    articles = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
    text = connection.execute("SELECT sum(length(CAST(coalesce(title, '') || coalesce(body, '') AS BLOB)))"
                              " FROM articles").fetchone()[0] or 0
    sizes = dict(connection.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"))
    raw = connection.execute("SELECT sum(length(body_zlib)) FROM pages").fetchone()[0] or 0
    connection.close()
    index = sum(size for name, size in sizes.items() if name.startswith("articles_fts"))
    dedup = sum(size for name, size in sizes.items() if name.startswith("dedup_"))
    return {"articles": articles, "bytes": database.stat().st_size, "text": text, "index": index,
            "dedup": dedup, "pages_zlib": raw}


# Preloaded databases and the spider-open probe --------------------------------------

def preloaded(size: int, cache: Path) -> Path:
    """A database holding ``size`` stored, clustered jszf articles (built once, then copied)."""
    cached = cache / f"preload-{size}.db"
    if size and not cached.exists():
        print(f"  building the {size:,}-article preload (cached in {cached}) …", flush=True)
        started = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--build-preload", str(size), str(cached)],
                       cwd=ROOT, check=True)
        print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
    return cached


def build_preload(size: int, target: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from crawler.dedup import Deduplicator, DedupParams, content_hash
    from crawler.storage import Store

    partial = target.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    store = Store.migrated(f"sqlite:///{partial}")
    stories = make_stories(size, seed=size, first_number=1_000_000)
    batch = []
    for story in stories:
        body = "\n".join(story.paragraphs)
        batch.append({"site": "jszf", "url": f"https://www.jszf.gov.cn{COLUMN.replace('wuxi', 'old')}"
                                              f"{story.day:%Y%m}/t{story.day:%Y%m%d}_{story.number}.shtml",
                      "title": story.title, "published_at": f"{story.day.isoformat()}T08:00:00+08:00",
                      "source": SOURCES[0], "body": body,
                      "body_html": "".join(f"<p>{escape(p)}</p>" for p in story.paragraphs),
                      "script": "zh-Hans", "content_hash": content_hash(body)})
        if len(batch) == 500:
            store.upsert_articles(batch)
            batch = []
    store.upsert_articles(batch)
    Deduplicator(store, DedupParams()).update()
    store.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    partial.rename(target)


def probe_open(database: Path, start_url: str, root: Path) -> None:
    """Time what opening the jszf spider costs on ``database`` with the code of ``root``;
    print JSON seconds."""
    sys.path.insert(0, str(root))
    os.chdir(root)
    from scrapy.addons import AddonManager
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import MemoryStatsCollector
    from scrapy.utils.project import get_project_settings

    from crawler.incremental import Frontier
    from crawler.storage import store_for
    from pipelines.learned_boilerplate import LearnedBoilerplatePipeline
    from spiders.jszf import JszfSpider

    settings = get_project_settings()
    settings.set("DATABASE_URL", f"sqlite:///{database}")
    AddonManager.load_pre_crawler_settings(settings)  # the project's defaults, as a crawl gets them
    crawler = Crawler(JszfSpider, settings)
    crawler.stats = MemoryStatsCollector(crawler)  # where the frontier counts and finds the run id
    crawler.spider = JszfSpider.from_crawler(crawler, start_url=start_url)
    times = {}
    started = time.perf_counter()
    store_for(crawler)
    times["store"] = time.perf_counter() - started
    started = time.perf_counter()
    LearnedBoilerplatePipeline.from_crawler(crawler).open_spider()
    times["learned"] = time.perf_counter() - started
    started = time.perf_counter()
    Frontier.load(crawler.spider)
    times["frontier"] = time.perf_counter() - started
    print(json.dumps(times))


def open_cost(database: Path, start_url: str, root: Path) -> tuple[dict, float]:
    child = subprocess.Popen([sys.executable, __file__, "--probe-open", str(database), start_url, str(root)],
                             cwd=root, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit("the spider-open probe failed")
    return json.loads(output), usage.ru_maxrss / 1024


# Start-up ----------------------------------------------------------------------------

def startup(database: Path, root: Path) -> dict[str, Usage]:
    crawler = [sys.executable, "-m", "crawler.cli"]  # the entry point, from this tree
    commands = {"crawler --help": [*crawler, "--help"],
                "crawler search 平安 --db …": [*crawler, "search", "平安", "--db", str(database)]}
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


def clustering_cost(database: Path) -> tuple[int, float] | None:
    """Articles indexed and CPU seconds spent by the dedup stage at close, from the crawl's log."""
    match = re.search(r"Dedup: indexed (\d+) articles in [\d.]+ s \(([\d.]+) CPU s\)",
                      database.with_suffix(".log").read_text("utf-8", "replace"))
    return (int(match[1]), float(match[2])) if match else None


def pipeline_dedup_cost(stories: list[Story]) -> float:
    """CPU milliseconds per article of what this tree's dedup pipeline does per item
    (normalise, content hash and, since the signature moved there, the MinHash signature)."""
    sys.path.insert(0, str(ROOT))
    from scrapy.utils.test import get_crawler

    from crawler.addon import SETTINGS
    from pipelines.dedup import DedupPipeline

    # The project's setting defaults without its components (no lock, no run records).
    pipeline = DedupPipeline(get_crawler(settings_dict={**SETTINGS, "DATABASE_URL": "sqlite://"}))
    items = [{"url": f"https://www.jszf.gov.cn{s.path}", "body": "\n".join(s.paragraphs)} for s in stories]
    started = time.process_time()
    for item in items:
        pipeline.process_item(item)
    return (time.process_time() - started) * 1000 / len(items)


def per_article_ms(clustering: tuple[int, float] | None) -> str:
    return f"{clustering[1] * 1000 / max(clustering[0], 1):.2f}" if clustering else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=3000, help="articles on the site (default 3,000)")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds of the two crawls")
    parser.add_argument("--preload", default="0,10000,100000",
                        help="stored-corpus sizes to crawl into (comma-separated; empty for none)")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "crawl-throughput-cache",
                        help="where preloaded databases are kept between runs")
    parser.add_argument("--bare", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--build-preload", nargs=2, metavar=("N", "FILE"), help=argparse.SUPPRESS)
    parser.add_argument("--baseline", type=Path, metavar="TREE",
                        help="another checkout of the project (e.g. from git worktree or git archive) "
                             "whose full crawl runs interleaved with this one's, for before/after figures")
    parser.add_argument("--pipeline-cost", type=int, metavar="N", help=argparse.SUPPRESS)
    parser.add_argument("--probe-open", nargs=3, metavar=("FILE", "URL", "ROOT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare:
        return run_bare_spider(args.bare)
    if args.build_preload:
        return build_preload(int(args.build_preload[0]), Path(args.build_preload[1]))
    if args.pipeline_cost:  # a child, so that the parent's RSS stays small (children inherit it)
        return print(f"{pipeline_dedup_cost(make_stories(args.pipeline_cost, seed=0, first_number=3_000_000)):.2f}")
    if args.probe_open:
        return probe_open(Path(args.probe_open[0]), args.probe_open[1], Path(args.probe_open[2]))

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
    print(f"both crawls: CONCURRENT_REQUESTS(_PER_DOMAIN)={CONCURRENCY}, DOWNLOAD_DELAY=0, "
          f"AUTOTHROTTLE off, robots.txt off; {args.rounds} interleaved rounds, medians\n")
    work = Path(tempfile.mkdtemp(prefix="crawl-throughput-"))
    args.cache.mkdir(parents=True, exist_ok=True)
    trees = {"": ROOT, **({"baseline ": args.baseline.resolve()} if args.baseline else {})}
    try:
        bare, full = [], {label: [] for label in trees}
        for round_no in range(args.rounds):
            bare.append(bare_crawl(start_url))
            line = f"  round {round_no + 1}: bare {bare[-1].cpu:.1f} CPU s / {bare[-1].wall:.1f} s"
            for label, root in trees.items():
                database = work / f"crawl{label.strip()}.db"
                for path in work.glob(f"{database.name}*"):
                    path.unlink()
                full[label].append(full_crawl(start_url, database, root))
                line += f", {label}full {full[label][-1].cpu:.1f} CPU s / {full[label][-1].wall:.1f} s"
            print(line, flush=True)
        b = median_usage(bare)
        print(f"\n{'crawl':<42}{'CPU s':>8}{'wall s':>8}{'peak MB':>9}{'articles/s':>12}"
              f"{'vs bare, CPU':>14}{'wall':>7}")
        print(f"{'bare Scrapy spider':<42}{b.cpu:8.1f}{b.wall:8.1f}{b.peak_mb:9.0f}{len(stories) / b.wall:12.0f}")
        for label, runs in full.items():
            f = median_usage(runs)
            print(f"{label + 'scrapy crawl jszf (every stage)':<42}{f.cpu:8.1f}{f.wall:8.1f}{f.peak_mb:9.0f}"
                  f"{len(stories) / f.wall:12.0f}{b.cpu / f.cpu:13.2f}x{b.wall / f.wall:6.2f}x")
        cost = subprocess.run([sys.executable, __file__, "--pipeline-cost", str(args.articles)], cwd=ROOT,
                              check=True, capture_output=True, text=True).stdout.strip()
        print(f"dedup pipeline per item (this tree): {cost} CPU ms per article")
        for label in trees:
            database = work / f"crawl{label.strip()}.db"
            clustering = clustering_cost(database)
            if clustering:
                print(f"{label}clustering at close (last round): {clustering[0]:,} articles in "
                      f"{clustering[1]:.2f} CPU s, {per_article_ms(clustering)} ms per new article")
            figures = database_figures(database)
            n = max(figures["articles"], 1)
            print(f"{label}database: {figures['articles']:,} articles, {figures['bytes'] / n / 1024:.1f} KB per "
                  f"article (raw pages {figures['pages_zlib'] / n / 1024:.1f} KB zlib, dedup index "
                  f"{figures['dedup'] / n / 1024:.2f} KB); search index {figures['index'] / n / 1024:.1f} KB "
                  f"per article = {figures['index'] / max(figures['text'], 1):.2f}x the UTF-8 text it indexes")

        sizes = [int(size) for size in args.preload.split(",") if size.strip()]
        if sizes:
            print(f"\n{'stored before':>22}{'CPU s':>8}{'wall s':>8}{'peak MB':>9}"
                  f"{'open: store':>13}{'learned':>9}{'frontier':>10}{'probe MB':>10}{'dedup ms/a':>12}")
        for size in sizes:
            for label, root in trees.items():
                target = work / "preloaded.db"
                for path in work.glob("preloaded.db*"):
                    path.unlink()
                if size:
                    shutil.copy(preloaded(size, args.cache), target)
                times, probe_mb = open_cost(target, start_url, root)
                if size:
                    usage = full_crawl(start_url, target, root)
                else:  # the rounds above were this crawl
                    usage = full[label][-1]
                    shutil.copy(work / f"crawl{label.strip()}.log", target.with_suffix(".log"))
                print(f"{label + format(size, ','):>22}{usage.cpu:8.1f}{usage.wall:8.1f}{usage.peak_mb:9.0f}"
                      f"{times['store']:13.2f}{times['learned']:9.2f}{times['frontier']:10.2f}{probe_mb:10.0f}"
                      f"{per_article_ms(clustering_cost(target)):>12}", flush=True)

        print(f"\n{'start-up (median of 5)':<42}{'CPU s':>8}{'wall s':>8}{'peak MB':>9}")
        for label, root in trees.items():
            for command, usage in startup(work / "crawl.db", root).items():
                print(f"{label + command:<42}{usage.cpu:8.2f}{usage.wall:8.2f}{usage.peak_mb:9.0f}")
    finally:
        server.terminate()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
