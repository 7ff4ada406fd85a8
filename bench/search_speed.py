"""Search latency over a synthetic corpus: median milliseconds per query, by term length.

    python bench/search_speed.py                 # 100k articles, both index designs
    python bench/search_speed.py --articles 20000 --approach shipped

``shipped`` is the project's index (``crawler.search``: Han characters as tokens, the
last of each run marked, terms as phrases, bm25 over every match).  ``trigram`` is the alternative
it was chosen over: an FTS5 trigram index for terms of three or more characters,
``LIKE`` scans for shorter ones.

The corpus is random text from a weighted vocabulary of public-security news words,
so common characters are as frequent as in real articles; figures are for the
machine the script runs on and change with it.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from crawler.storage import Store

SITES = ("jszf", "fzsdzk", "wjga", "jazx", "wjyanghu")
VOCABULARY = """
的 的 的 了 在 是 和 对 与 及 等 为 将 并 从 到 中 上 下 年 月 日 一 二 三
公安 民警 群众 工作 开展 案件 诈骗 电信 网络 平安 建设 法治 政法 社会 治理 安全
派出所 公安局 检察院 法院 司法局 人民 服务 推进 加强 落实 宣传 防范 打击 犯罪
嫌疑人 违法 依法 调解 矛盾 纠纷 化解 基层 社区 乡村 振兴 禁毒 扫黑除恶 专项 行动
反诈 预警 劝阻 止付 资金 冻结 追回 损失 受害人 报警 接警 出警 现场 处置 巡逻
交通 事故 消防 隐患 排查 整治 重点 领域 风险 稳定 维护 保障 权益 未成年人 保护
校园 周边 环境 食品 药品 环境 生态 执法 规范 监督 检查 考核 培训 队伍 党建 教育
学习 会议 召开 部署 强调 要求 指出 表示 介绍 记者 获悉 近日 今年 以来 目前 截至
全市 全省 全区 全县 各地 各级 部门 单位 领导 同志 干部 网格员 志愿者 平安建设
人民群众 电信诈骗 网络诈骗 养老 非法集资 传销 赌博 涉黑 涉恶 线索 举报 奖励
""".split()
PUNCTUATION = "，，，，。。、；："
QUERIES = {
    1: ["警", "法", "骗", "毒", "鲸"],
    2: ["诈骗", "民警", "群众", "禁毒", "鲸鱼"],
    3: ["派出所", "检察院", "反诈骗", "电信网", "火星人"],
    4: ["电信诈骗", "平安建设", "扫黑除恶", "人民群众", "外星来客"],
}
MULTI_TERM = ["诈骗 民警", "平安 建设 警", "禁毒 宣传 校园"]
REPEATS = 5


def sentence(rng: random.Random, weights: list[float], words: int) -> str:
    return "".join(rng.choices(VOCABULARY, weights, k=words))


def article(rng: random.Random, weights: list[float], number: int, body_chars: int) -> tuple:
    paragraphs, length = [], 0
    while length < body_chars:
        parts = [sentence(rng, weights, rng.randint(3, 9)) + rng.choice(PUNCTUATION)
                 for _ in range(rng.randint(3, 6))]
        paragraph = "".join(parts)[:-1] + "。"
        paragraphs.append(paragraph)
        length += len(paragraph)
    day = f"20{rng.randint(20, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return (SITES[number % len(SITES)], f"https://example.gov.cn/{number}.html",
            sentence(rng, weights, rng.randint(5, 9)), f"{day}T09:00:00+08:00",
            "\n".join(paragraphs))


COLUMNS = ("site", "url", "title", "published_at", "body")


def build(path: Path, count: int, body_chars: int) -> float:
    """Fill a fresh store with ``count`` articles through the store (which writes the
    search index), 5,000 a transaction; return seconds."""
    store = Store.migrated(f"sqlite:///{path}")
    rng = random.Random(8)
    ranks = list(range(1, len(VOCABULARY) + 1))
    rng.shuffle(ranks)
    weights = [1 / rank for rank in ranks]  # Zipf-like word frequencies
    started = time.perf_counter()
    for first in range(0, count, 5000):
        store.upsert_articles([dict(zip(COLUMNS, article(rng, weights, n, body_chars), strict=True))
                               for n in range(first, min(count, first + 5000))])
    elapsed = time.perf_counter() - started
    store.close()
    return elapsed


def build_trigram(path: Path) -> float:
    connection = sqlite3.connect(path)
    started = time.perf_counter()
    connection.execute("CREATE VIRTUAL TABLE trigram_fts USING fts5(title, body, "
                       "content='articles', content_rowid='id', tokenize='trigram')")
    connection.execute("INSERT INTO trigram_fts (trigram_fts) VALUES ('rebuild')")
    connection.commit()
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def trigram_search(connection: sqlite3.Connection, query: str, limit: int = 20) -> list:
    """The alternative design: trigram MATCH for long terms, LIKE scans for short ones."""
    long_terms = [term for term in query.split() if len(term) >= 3]
    short_terms = [term for term in query.split() if len(term) < 3]
    where = ["(a.title LIKE ? OR a.body LIKE ?)" for _ in short_terms]
    params = [f"%{term}%" for term in short_terms for _ in (0, 1)]
    if long_terms:
        match = " AND ".join(f'"{term}"' for term in long_terms)
        sql = ("SELECT a.id FROM trigram_fts JOIN articles a ON a.id = trigram_fts.rowid "
               f"WHERE trigram_fts MATCH ? {''.join(' AND ' + w for w in where)} "
               "ORDER BY bm25(trigram_fts) LIMIT ?")
        return connection.execute(sql, [match, *params, limit]).fetchall()
    sql = f"SELECT a.id FROM articles a WHERE {' AND '.join(where)} ORDER BY a.published_at DESC LIMIT ?"
    return connection.execute(sql, [*params, limit]).fetchall()


def timed(run, query: str) -> tuple[float, int]:
    times, hits = [], 0
    for _ in range(REPEATS):
        started = time.perf_counter()
        hits = len(run(query))
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), hits


def report(name: str, run) -> None:
    print(f"\n{name}: median ms over {REPEATS} runs (hits, limit 20)")
    for length, queries in QUERIES.items():
        figures = [timed(run, query) for query in queries]
        cells = "  ".join(f"{q} {ms:7.1f} ({hits})" for q, (ms, hits) in zip(queries, figures, strict=True))
        print(f"  {length} char: median {statistics.median(ms for ms, _ in figures):7.1f} ms | {cells}")
    figures = [timed(run, query) for query in MULTI_TERM]
    cells = "  ".join(f"{q!r} {ms:.1f} ({hits})" for q, (ms, hits) in zip(MULTI_TERM, figures, strict=True))
    print(f"  multi-term: {cells}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--body-chars", type=int, default=600, help="approximate body length")
    parser.add_argument("--approach", choices=("both", "shipped", "trigram"), default="both")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        seconds = build(path, args.articles, args.body_chars)
        print(f"{args.articles} articles (~{args.body_chars} body chars) stored (search "
              f"index included) in {seconds:.1f} s ({args.articles / seconds:.0f}/s); "
              f"database {path.stat().st_size / 1e6:.0f} MB")
        if args.approach in ("both", "shipped"):
            store = Store.for_reading(f"sqlite:///{path}")
            report("shipped (Store.search, with snippets)", store.search)
            store.close()
        if args.approach in ("both", "trigram"):
            seconds = build_trigram(path)
            print(f"\ntrigram index built in {seconds:.1f} s; database now "
                  f"{path.stat().st_size / 1e6:.0f} MB")
            connection = sqlite3.connect(path)
            report("trigram + LIKE fallback for terms under 3 characters",
                   lambda query: trigram_search(connection, query))
            connection.close()


if __name__ == "__main__":
    main()
