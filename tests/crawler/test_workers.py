"""The crawl's worker processes: work comes back as done in place, a worker that dies
fails the work it had and the pool goes on, and no workers means no pool."""

import os
import signal
from concurrent.futures.process import BrokenProcessPool

import pytest

from crawler.readers import TRSReader
from crawler.readers.base import read_article
from crawler.workers import WorkerPool, worker_processes

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
