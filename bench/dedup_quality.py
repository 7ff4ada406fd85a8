"""Near-duplicate quality on a reprint set generated from the evaluation pages.

    python bench/dedup_quality.py
    python bench/dedup_quality.py --threshold 0.4 --shingle-size 4

Every gold body of ../shared/eval (daniel_zh, cwced_zh) is a story.  Each story
gets reprints the way provincial and district portals make them:

* ``boilerplate``: two furniture lines before the text and two after (source, editor,
  share, copyright);
* ``dropped``: one paragraph after the lead holding at most a quarter of the text left
  out, or, where none is that small, the last sentence of one paragraph;
* ``edited``: two paragraphs with a quarter of each rewritten;
* ``s2t``: converted to Traditional script (OpenCC s2hk);
* ``truncated``: cut at the sentence end nearest 70% of the text;
* ``reprint``: new headline, other furniture and one edited paragraph together;
* ``furniture``: short stories (< 500 characters) with a 200-character disclaimer appended.

Two harsher variants are generated and their recall printed, but they are left out
of the pairwise score: ``half`` (cut near 50%) and ``third-dropped`` (a third of the
paragraphs after the lead left out).

True non-duplicates: every pair of different stories (the sets hold several on one
topic: the same market, team or event on the same days; pairs with shingle Jaccard
≥ 0.1 are counted as same-topic), and the ``furniture`` variants of two different
stories, which share the whole disclaimer block.
Stories whose gold bodies are themselves near-identical (shingle Jaccard ≥ 0.8, a
real reprint inside the corpus) are merged into one story and listed.

All documents go through the real path (Store, then Deduplicator.update) into a
temporary SQLite database.  Pairs are scored: a pair is predicted a duplicate when
both rows share a ``cluster_id``.  Target: recall ≥ 0.95 at precision ≥ 0.99.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path

import opencc

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.dedup.clusters import Deduplicator  # noqa: E402
from crawler.dedup.minhash import DedupParams, shingles  # noqa: E402
from crawler.dedup.text import content_hash, normalise_text  # noqa: E402
from crawler.storage import Store  # noqa: E402

DEFAULT_EVAL = ROOT.parent / "shared" / "eval"
SETS = ("daniel_zh", "cwced_zh")
MIN_STORY_CHARS = 100
HARSH = {"half", "third-dropped"}
SENTENCE_END = re.compile(r"(?<=[。！？!?；;])")

HEADERS = ["来源:人民公安报 记者 张伟", "来源:法治日报  责任编辑:李明", "发布时间:2022-08-16 来源:本网综合",
           "【字体:大 中 小】 打印本页 关闭窗口", "当前位置:首页 > 政法动态 > 正文", "作者:通讯员 王磊 编辑:陈静"]
FOOTERS = ["分享到:微信 微博 QQ空间", "责任编辑:赵敏", "(本文来源:新华社)", "扫一扫在手机打开当前页",
           "版权所有 转载请注明出处", "【纠错】 【责任编辑:周丽】", "上一篇:无 下一篇:无"]
FILLER = "记者从有关部门获悉,相关工作正在有序推进中,群众反映良好。"
DISCLAIMER = ("免责声明:本网转载其他媒体之作品,意在为公众提供免费服务。如权利所有人拒绝在本网发布其作品,"
              "可与本网联系,本网将迅速给您回应并做处理。凡本网注明“来源:本网”的所有作品,版权均属于本网,"
              "未经本网授权不得转载、摘编或利用其它方式使用上述作品。已经本网授权使用作品的,"
              "应在授权范围内使用,并注明“来源:本网”。违反上述声明者,本网将追究其相关法律责任。")


def load_stories(eval_dir: Path) -> list[tuple[str, list[str]]]:
    stories = []
    for name in SETS:
        for path in sorted((eval_dir / name).glob("*.json")):
            body = json.loads(path.read_text(encoding="utf-8")).get("body") or ""
            paragraphs = [line.strip() for line in body.splitlines() if line.strip()]
            if sum(map(len, paragraphs)) >= MIN_STORY_CHARS:
                stories.append((f"{name}/{path.stem[:40]}", paragraphs))
    return stories


def edit(paragraph: str, rng: random.Random) -> str:
    """Rewrite about a quarter of a paragraph: a span replaced, a clause added."""
    if len(paragraph) < 8:
        return paragraph + FILLER
    start = rng.randrange(len(paragraph) // 2)
    end = start + max(2, len(paragraph) // 4)
    return paragraph[:start] + FILLER[: end - start] + paragraph[end:]


def cut(paragraphs: list[str], share: float) -> list[str]:
    """The text up to the sentence end nearest ``share`` of its characters, paragraphs kept."""
    total = sum(map(len, paragraphs))
    ends = [0]
    for index, paragraph in enumerate(paragraphs):
        offset = sum(map(len, paragraphs[:index]))
        ends += [offset + m.end() for m in SENTENCE_END.finditer(paragraph)] + [offset + len(paragraph)]
    keep = min(ends[1:], key=lambda end: abs(end - share * total))
    out, used = [], 0
    for paragraph in paragraphs:
        if used >= keep:
            break
        out.append(paragraph[: keep - used])
        used += len(paragraph)
    return out


def drop_one(paragraphs: list[str], rng: random.Random) -> list[str]:
    """Leave out one paragraph after the lead that holds at most a quarter of the text,
    or else the last sentence of one paragraph."""
    total = sum(map(len, paragraphs))
    small = [i for i in range(1, len(paragraphs)) if len(paragraphs[i]) <= total / 4]
    if small:
        index = rng.choice(small)
        return paragraphs[:index] + paragraphs[index + 1:]
    index = rng.randrange(len(paragraphs))
    sentences = [part for part in SENTENCE_END.split(paragraphs[index]) if part]
    shorter = "".join(sentences[:-1]) if len(sentences) > 1 else paragraphs[index][: len(paragraphs[index]) * 3 // 4]
    return [*paragraphs[:index], shorter, *paragraphs[index + 1:]]


def variants(paragraphs: list[str], rng: random.Random, s2t) -> dict[str, list[str]]:
    n = len(paragraphs)

    def furnish(text):
        return rng.sample(HEADERS, 2) + text + rng.sample(FOOTERS, 2)

    def edited(count):
        out = list(paragraphs)
        for index in rng.sample(range(n), min(count, n)):
            out[index] = edit(out[index], rng)
        return out

    headline = "【通稿】" + paragraphs[0][::-1][:20] if len(paragraphs[0]) <= 40 else paragraphs[0]
    third = set(rng.sample(range(1, n), (n - 1) // 3)) if n > 1 else set()
    return {
        "boilerplate": furnish(list(paragraphs)),
        "dropped": drop_one(paragraphs, rng),
        "edited": edited(2),
        "s2t": [s2t.convert(p) for p in paragraphs],
        "truncated": cut(paragraphs, 0.7),
        "reprint": furnish([headline, *edited(1)[1:]]),
        # Harsher than the target covers; reported apart, outside the pairwise score.
        "half": cut(paragraphs, 0.5),
        "third-dropped": [p for i, p in enumerate(paragraphs) if i not in third],
    }


@cache
def shingle_set(text: str, size: int) -> frozenset:
    return frozenset(shingles(normalise_text(text), size))


def jaccard(a: str, b: str, size: int) -> float:
    x, y = shingle_set(a, size), shingle_set(b, size)
    return len(x & y) / len(x | y)


def merge_real_reprints(stories, size: int) -> tuple[list[int], list[tuple[str, str, float]]]:
    """Story label of each story, joining gold bodies that are already near-identical."""
    label = list(range(len(stories)))
    merged = []
    texts = ["\n".join(p) for _, p in stories]
    for i, j in itertools.combinations(range(len(stories)), 2):
        score = jaccard(texts[i], texts[j], size)
        if score >= 0.8:
            old, new = label[j], label[i]
            label = [new if x == old else x for x in label]
            merged.append((stories[i][0], stories[j][0], score))
    return label, merged


def build_documents(stories, labels, seed: int) -> list[dict]:
    rng = random.Random(seed)
    s2t = opencc.OpenCC("s2hk")
    docs = []
    for (_, paragraphs), label in zip(stories, labels, strict=True):
        docs.append({"story": label, "kind": "original", "body": "\n".join(paragraphs)})
        for kind, text in variants(paragraphs, rng, s2t).items():
            docs.append({"story": label, "kind": kind, "body": "\n".join(text)})
    short = [i for i, (_, p) in enumerate(stories) if sum(map(len, p)) < 500]
    rng.shuffle(short)
    for i, j in zip(short[::2], short[1::2], strict=False):  # an odd one out is left unpaired
        for story in (i, j):
            docs.append({"story": labels[story], "kind": "furniture", "pair": (i, j),
                         "body": "\n".join(stories[story][1] + [DISCLAIMER])})
    return docs


def cluster(docs, params: DedupParams) -> tuple[list[int], float]:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.migrated(f"sqlite:///{tmp}/quality.db")
        rows = [{"site": f"site{i % 7}", "url": f"https://example{i % 7}.cn/{i}.html",
                 "title": doc["kind"], "body": doc["body"], "content_hash": content_hash(doc["body"])}
                for i, doc in enumerate(docs)]
        store.upsert_articles(rows)
        started = time.perf_counter()
        Deduplicator(store, params).update()
        elapsed = time.perf_counter() - started
        by_url = {row["url"]: row["cluster_id"]
                  for batch in store.article_batches(["url", "cluster_id"]) for row in batch}
        store.close()
    return [by_url[row["url"]] for row in rows], elapsed


def score(docs, clusters):
    """Pairwise precision and recall (harsh variants left out), per-kind recall against
    the original, false pairs."""
    scored = [i for i, doc in enumerate(docs) if doc["kind"] not in HARSH]
    true_pairs, predicted = set(), set()
    for members in group(scored, lambda i: docs[i]["story"]).values():
        true_pairs.update(itertools.combinations(sorted(members), 2))
    for members in group(scored, lambda i: clusters[i]).values():
        predicted.update(itertools.combinations(sorted(members), 2))
    hits = len(true_pairs & predicted)
    precision = hits / len(predicted) if predicted else 1.0
    recall = hits / len(true_pairs) if true_pairs else 1.0
    original = {docs[i]["story"]: clusters[i] for i in range(len(docs)) if docs[i]["kind"] == "original"}
    per_kind = defaultdict(list)
    for i, doc in enumerate(docs):
        if doc["kind"] != "original":
            per_kind[doc["kind"]].append(clusters[i] == original[doc["story"]])
    furniture_false = sum(1 for i, j in predicted - true_pairs
                          if docs[i]["kind"] == docs[j]["kind"] == "furniture")
    return precision, recall, per_kind, len(predicted - true_pairs), furniture_false, len(true_pairs)


def group(indices, key):
    groups = defaultdict(list)
    for i in indices:
        groups[key(i)].append(i)
    return groups


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--threshold", type=float, default=DedupParams.threshold)
    parser.add_argument("--shingle-size", type=int, default=DedupParams.shingle_size)
    parser.add_argument("--num-perm", type=int, default=DedupParams.num_perm)
    parser.add_argument("--min-chars", type=int, default=DedupParams.min_chars)
    parser.add_argument("--seed", type=int, default=7, help="seed of the variant generator")
    args = parser.parse_args()
    params = DedupParams(shingle_size=args.shingle_size, num_perm=args.num_perm,
                         threshold=args.threshold, min_chars=args.min_chars)

    stories = load_stories(args.eval_dir)
    labels, merged = merge_real_reprints(stories, args.shingle_size)
    docs = build_documents(stories, labels, args.seed)
    clusters, elapsed = cluster(docs, params)
    precision, recall, per_kind, false_pairs, furniture_false, true_count = score(docs, clusters)

    texts = ["\n".join(p) for _, p in stories]
    same_topic = [(i, j) for i, j in itertools.combinations(range(len(stories)), 2)
                  if labels[i] != labels[j] and jaccard(texts[i], texts[j], args.shingle_size) >= 0.1]
    same_topic_joined = sum(1 for i, j in same_topic if clusters_of(docs, clusters, labels[i])
                            & clusters_of(docs, clusters, labels[j]))

    print(f"params: {params.key}")
    print(f"stories: {len(stories)} ({len(set(labels))} after merging real reprints); "
          f"documents: {len(docs)}; true duplicate pairs: {true_count}")
    for a, b, s in merged:
        print(f"  real reprint in the corpus, merged: {a} ~ {b} (Jaccard {s:.2f})")
    print(f"indexing + clustering: {elapsed:.2f} s ({elapsed / len(docs) * 1000:.2f} ms/document)")
    print(f"pairwise precision {precision:.4f}  recall {recall:.4f}  false pairs {false_pairs}")
    print("recall per variant (variant clustered with its original):")
    for kind, outcomes in per_kind.items():
        label = kind + (" (harsh)" if kind in HARSH else "")
        print(f"  {label:22s} {sum(outcomes) / len(outcomes):.3f}  ({sum(outcomes)}/{len(outcomes)})")
    print(f"same-topic story pairs (Jaccard ≥ 0.1, different stories): {len(same_topic)}, "
          f"wrongly joined: {same_topic_joined}")
    furniture_pairs = Counter(doc["kind"] for doc in docs)["furniture"] // 2
    print(f"shared-disclaimer pairs: {furniture_pairs}, wrongly joined: {furniture_false}")
    met = recall >= 0.95 and precision >= 0.99
    print(f"target recall ≥ 0.95 at precision ≥ 0.99: {'met' if met else 'NOT met'}")
    return 0


def clusters_of(docs, clusters, story) -> set:
    return {clusters[i] for i, doc in enumerate(docs) if doc["story"] == story}


if __name__ == "__main__":
    sys.exit(main())
