"""Worker processes for a crawl's CPU work that is a pure function of its arguments.

Scrapy runs downloads, callbacks and item pipelines on one core.  Work that nothing needs
until later, such as signing bodies for the clustering at close, runs in
``WORKER_PROCESSES`` worker processes while the reactor goes on with the rest, and so do
the search-index entries of each batch the store pipeline writes.  Handing
work over costs the crawl's process about a third of a millisecond (pickling, and the
executor's threads taking the GIL), so only work batched to cost far more is worth it:
reading each page in a worker, measured, saved the crawl nothing.  With no workers
(``WORKER_PROCESSES=0``, or a crawler outside a crawl) the work runs in place.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from typing import Any, ClassVar, TypeVar

from scrapy import signals
from scrapy.crawler import Crawler

T = TypeVar("T")


def worker_processes(value: int | None) -> int:
    """``WORKER_PROCESSES``: None is one per core beyond the first (none on one core)."""
    return max(0, (os.cpu_count() or 1) - 1) if value is None else max(0, value)


class WorkerPool:
    """Extension: the crawl's worker processes, started at the first piece of work.

    Crawls that run together in one process (``crawler crawl --all`` runs every spider in
    one) share the same workers, so that the machine gets one set, not one per spider;
    the workers stop when the last crawl using them ends.  Spawned, not forked: the crawl's
    process has threads (DNS, the database) that a fork would copy in whatever state they
    were.  A worker that dies fails the work handed over until then (its futures raise),
    and the next piece of work starts the workers afresh.
    """

    _executors: ClassVar[dict[int, ProcessPoolExecutor]] = {}
    _holders: ClassVar[Counter[int]] = Counter()

    def __init__(self, processes: int):
        self.processes = processes
        self.holding = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WorkerPool:
        processes = crawler.settings.get("WORKER_PROCESSES")
        pool = cls(worker_processes(None if processes in (None, "") else int(processes)))
        crawler.signals.connect(pool.close, signal=signals.engine_stopped)
        return pool

    @property
    def executor(self) -> ProcessPoolExecutor | None:
        return self._executors.get(self.processes) if self.holding else None

    def submit(self, function: Callable[..., T], *args: Any) -> Future[T] | None:
        """``function(*args)`` handed to a worker; None when there are no workers."""
        if not self.processes:
            return None
        if not self.holding:
            self.holding = True
            self._holders[self.processes] += 1
        executor = self._executors.get(self.processes) or self._start()
        try:
            return executor.submit(function, *args)
        except BrokenProcessPool:
            executor.shutdown(wait=False)
            return self._start().submit(function, *args)

    def _start(self) -> ProcessPoolExecutor:
        executor = self._executors[self.processes] = ProcessPoolExecutor(
            self.processes, mp_context=get_context("spawn"))
        return executor

    def close(self) -> None:
        if not self.holding:
            return
        self.holding = False
        self._holders[self.processes] -= 1
        if not self._holders[self.processes]:
            executor = self._executors.pop(self.processes, None)
            if executor is not None:
                executor.shutdown(cancel_futures=True)
