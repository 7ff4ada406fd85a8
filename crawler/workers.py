"""Worker processes for a crawl's CPU work that is a pure function of its arguments.

Scrapy runs downloads, callbacks and item pipelines on one core.  Work that nothing needs
until later, such as signing bodies for the clustering at close, runs in
``WORKER_PROCESSES`` worker processes while the reactor goes on with the rest.  Handing
work over costs the crawl's process about a third of a millisecond (pickling, and the
executor's threads taking the GIL), so only work batched to cost far more is worth it:
reading each page in a worker, measured, saved the crawl nothing.  With no workers
(``WORKER_PROCESSES=0``, or a crawler outside a crawl) the work runs in place.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from typing import Any, TypeVar

from scrapy import signals
from scrapy.crawler import Crawler

from crawler.addon import running_extension

T = TypeVar("T")


def worker_processes(value: int | None) -> int:
    """``WORKER_PROCESSES``: None is one per core beyond the first (none on one core)."""
    return max(0, (os.cpu_count() or 1) - 1) if value is None else max(0, value)


class WorkerPool:
    """Extension: the crawl's worker processes, started at the first piece of work.

    Spawned, not forked: the crawl's process has threads (DNS, the database) that a fork
    would copy in whatever state they were.  A worker that dies fails the work handed to
    the pool until then (its futures raise), and the pool starts afresh for the next piece.
    """

    def __init__(self, processes: int):
        self.processes = processes
        self.executor: ProcessPoolExecutor | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WorkerPool:
        processes = crawler.settings.get("WORKER_PROCESSES")
        pool = cls(worker_processes(None if processes in (None, "") else int(processes)))
        crawler.signals.connect(pool.close, signal=signals.engine_stopped)
        return pool

    def submit(self, function: Callable[..., T], *args: Any) -> Future[T] | None:
        """``function(*args)`` handed to a worker; None when there are no workers."""
        if not self.processes:
            return None
        if self.executor is None:
            self.executor = ProcessPoolExecutor(self.processes, mp_context=get_context("spawn"))
        try:
            return self.executor.submit(function, *args)
        except BrokenProcessPool:
            self.executor = ProcessPoolExecutor(self.processes, mp_context=get_context("spawn"))
            return self.executor.submit(function, *args)

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(cancel_futures=True)
            self.executor = None


def pool_of(crawler: Crawler) -> WorkerPool | None:
    """The crawl's worker pool; None outside a crawl or with the extension off."""
    return running_extension(crawler, WorkerPool)
