"""Signatures made during a crawl in the worker processes: the same as made in place, and
nothing lost when a batch fails."""

import logging

import numpy as np

from crawler.dedup.extension import Signatures
from crawler.dedup.minhash import DedupParams, signature
from crawler.workers import WorkerPool

SENTENCES = ["炎热的夏夜,川流不息的马路上,一抹抹亮眼的“警察蓝”护佑平安。",
             "自夏季治安打击整治“百日行动”开展以来,各级公安机关闻令而动。",
             "截至目前,全省共投入巡防力量76.8万人次,抓获现行违法犯罪嫌疑人。"]


def texts(count: int) -> dict[str, str]:
    return {f"hash{number}": f"第{number}号通报。" + SENTENCES[number % 3] * (1 + number % 4)
            for number in range(count)}


def test_worker_signatures_are_those_made_in_place():
    params = DedupParams()
    bodies = texts(Signatures.BATCH * 2 + 5)  # two batches for the worker, the rest at close
    pool = WorkerPool(processes=1)
    signatures = Signatures(params, pool)
    for content_hash, text in bodies.items():
        signatures.add(content_hash, text)
    assert len(signatures.handed) == 2 and pool.executor is not None
    made = signatures.collect()
    pool.close()
    assert made.keys() == bodies.keys()
    for content_hash, text in bodies.items():
        assert np.array_equal(made[content_hash], signature(text, params))


def test_a_small_crawl_starts_no_worker():
    pool = WorkerPool(processes=1)
    signatures = Signatures(DedupParams(), pool)
    for content_hash, text in texts(Signatures.BATCH - 1).items():
        signatures.add(content_hash, text)
    assert pool.executor is None
    assert len(signatures.collect()) == Signatures.BATCH - 1


def test_a_batch_a_worker_cannot_sign_is_left_for_clustering(caplog):
    pool = WorkerPool(processes=1)
    signatures = Signatures(DedupParams(), pool)
    bodies = texts(Signatures.BATCH)
    first = next(iter(bodies))
    bodies[first] = lambda: None  # cannot be handed to a worker: the whole batch fails
    for content_hash, text in bodies.items():
        signatures.add(content_hash, text)
    for content_hash, text in texts(Signatures.BATCH * 2).items():
        signatures.add(content_hash + "b", text)
    with caplog.at_level(logging.WARNING):
        made = signatures.collect()
    pool.close()
    assert first not in made and len(made) == Signatures.BATCH * 2
    assert f"{Signatures.BATCH} signatures could not be made" in caplog.text




def test_a_body_already_handed_over_is_not_signed_again():
    pool = WorkerPool(processes=1)
    signatures = Signatures(DedupParams(), pool)
    bodies = texts(Signatures.BATCH)
    for content_hash, text in bodies.items():
        signatures.add(content_hash, text)
    assert len(signatures.handed) == 1 and not signatures.batch
    signatures.add("hash0", bodies["hash0"])  # a reprint with the same body, later in the crawl
    assert not signatures.batch
    assert len(signatures.collect()) == Signatures.BATCH
    pool.close()
