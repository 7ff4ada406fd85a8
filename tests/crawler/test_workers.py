"""The crawl's worker processes: work comes back as done in place, a worker that dies
fails the work it had and the pool goes on, and no workers means no pool."""

import asyncio
import os
import signal
from concurrent.futures.process import BrokenProcessPool

import pytest

from crawler.readers import TRSReader
from crawler.readers.base import read_article
from crawler.workers import Batched, WorkerPool, worker_processes

PAGE = ("<html><head><title>公安局召开会议</title></head><body><div class='article'><h1>公安局召开会议</h1>"
        "<div class='TRS_Editor'><p>" + "会议强调，要坚持人民至上，守护平安。" * 8 + "</p></div></div>"
        "</body></html>").encode("utf-8")
URL = "http://www.example.gov.cn/zfxx/202301/t20230105_100.shtml"


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def test_work_done_in_a_worker_is_the_work_done_in_place():
    pool = WorkerPool(processes=1)
    try:
        remote = pool.submit(read_article, TRSReader(), URL, PAGE, {}).result()
    finally:
        pool.close()
    assert remote == read_article(TRSReader(), URL, PAGE, {})
    assert remote[0].title == "公安局召开会议" and "守护平安" in remote[0].body_html


def test_a_worker_that_dies_fails_its_work_and_the_pool_goes_on():
    pool = WorkerPool(processes=1)
    try:
        with pytest.raises(BrokenProcessPool):
            pool.submit(die).result()
        assert pool.submit(read_article, TRSReader(), URL, PAGE, {}).result()[0].title == "公安局召开会议"
    finally:
        pool.close()


def test_crawls_in_one_process_share_the_workers_until_the_last_ends():
    first, second = WorkerPool(processes=1), WorkerPool(processes=1)
    try:
        pids = {first.submit(os.getpid).result(), second.submit(os.getpid).result()}
        assert len(pids) == 1 and first.executor is second.executor
        first.close()
        assert second.submit(os.getpid).result() in pids
    finally:
        first.close()
        second.close()
    assert WorkerPool(processes=1).executor is None and not WorkerPool._executors


def test_without_workers_nothing_is_handed_over():
    pool = WorkerPool(processes=0)
    assert pool.submit(os.getpid) is None and pool.executor is None


def test_one_worker_per_core_beyond_the_first(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert worker_processes(None) == 1
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    assert worker_processes(None) == 0
    assert worker_processes(3) == 3


def halve(number: int) -> float:
    if number < 0:
        raise ValueError(f"negative: {number}")
    return number / 2


def halve_or_die(number: int) -> float:
    if number == 13:
        die()
    return halve(number)


def gather(batched: Batched, numbers: list[int]) -> list:
    async def run() -> list:
        return await asyncio.gather(*(batched(number) for number in numbers), return_exceptions=True)

    return asyncio.run(run())


def test_batched_calls_are_each_answered_as_in_place_and_go_over_a_batch_at_a_time():
    pool = WorkerPool(processes=1)
    batched = Batched(pool, halve, size=4, delay=60)
    try:
        sent = []
        original = pool.submit
        pool.submit = lambda function, *args: sent.append(len(args[1])) or original(function, *args)
        assert gather(batched, list(range(8))) == [number / 2 for number in range(8)]
    finally:
        pool.close()
    assert sent == [4, 4], "a full batch goes at once, without waiting for the delay"


def test_a_batched_call_that_raises_fails_its_own_caller_only():
    pool = WorkerPool(processes=1)
    try:
        outcomes = gather(Batched(pool, halve, size=3), [2, -1, 4])
    finally:
        pool.close()
    assert outcomes[0] == 1 and outcomes[2] == 2
    assert isinstance(outcomes[1], ValueError) and "negative: -1" in str(outcomes[1])
    assert "halve" in "".join(outcomes[1].__notes__), "the worker's traceback comes with it"


def test_the_call_that_kills_a_worker_fails_alone_and_the_rest_are_answered():
    pool = WorkerPool(processes=1)
    try:
        outcomes = gather(Batched(pool, halve_or_die, size=2), [13, 4, 6, 8])
    finally:
        pool.close()
    assert isinstance(outcomes[0], BrokenProcessPool)
    assert outcomes[1:] == [2, 3, 4]


def test_a_batch_that_cannot_be_handed_over_is_made_in_place():
    pool = WorkerPool(processes=1)
    try:
        outcomes = gather(Batched(pool, lambda number: number + 1, size=2), [1, 2, 3])
    finally:
        pool.close()
    assert outcomes == [2, 3, 4]


def test_without_workers_batched_calls_run_in_place():
    assert gather(Batched(WorkerPool(processes=0), halve), [2, 4]) == [1, 2]
