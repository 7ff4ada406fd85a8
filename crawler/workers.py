"""Worker processes for a crawl's CPU work that is a pure function of its arguments.

Scrapy runs downloads, callbacks and item pipelines on one core.  Work that is a pure
function of its arguments runs in ``WORKER_PROCESSES`` worker processes while the reactor
goes on with the rest: reading each article page, signing bodies for the clustering at
close, the search-index entries of each batch the store pipeline writes.  Handing work
over costs the crawl's process about a third of a millisecond (pickling, and the
executor's threads taking the GIL), so work goes over in batches (:class:`Batched`):
reading each page in a worker one at a time, measured, saved the crawl nothing.  With no
workers (``WORKER_PROCESSES=0``, or a crawler outside a crawl) the work runs in place.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import sys
import traceback
from collections import Counter, deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from typing import Any, ClassVar, TypeVar

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.utils.asyncio import is_asyncio_available

T = TypeVar("T")
Call = tuple[tuple, "asyncio.Future[Any]"]  # a call's arguments and its caller's future


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
            self.processes, mp_context=get_context("spawn"), initializer=_exit_without_teardown)
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


def _exit_without_teardown() -> None:
    """In a worker: end without tearing the interpreter down.  A worker holds nothing to save
    once its last result is sent, and freeing the parsers' and converters' memory object by
    object took it about half a second, which the crawl's close waited for."""
    def exit_now() -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
    atexit.register(exit_now)


def call_each(function: Callable[..., T], calls: list[tuple]) -> list[tuple[bool, Any]]:
    """``function(*args)`` for each of ``calls``, each outcome apart: (True, its value), or
    (False, the exception it raised, with the traceback as a note: a pickled exception
    loses its own)."""
    outcomes: list[tuple[bool, Any]] = []
    for args in calls:
        try:
            outcomes.append((True, function(*args)))
        except Exception as error:
            error.add_note(traceback.format_exc())
            outcomes.append((False, error))
    return outcomes


class Batched:
    """Calls of ``function`` made in the pool's workers a batch at a time, each awaited apart.

    A batch goes when it holds ``size`` calls, or ``delay`` seconds after its first call, so
    that a crawl fetching a page at a time waits no longer than that.  An exception one call
    raises reaches its own caller only, and so does a worker's death: the calls of a batch
    whose worker died go again one at a time, one after the other, so that the call that
    kills a worker (a page that crashes the parser) fails alone and never the crawl's own
    process.  A batch that cannot be handed over (an argument or a result that does not
    pickle) is made in place.  Without workers, or outside an asyncio event loop, every call
    runs in place.
    """

    def __init__(self, pool: WorkerPool, function: Callable[..., T], size: int = 16, delay: float = 0.005):
        self.pool = pool
        self.function = function
        self.size = size
        self.delay = delay
        self.pending: list[Call] = []
        self.timer: asyncio.TimerHandle | None = None
        self.again: deque[Call] = deque()  # the calls of batches whose worker died
        self.retrying = False

    async def __call__(self, *args: Any) -> Any:
        if not self.pool.processes or not is_asyncio_available():
            return self.function(*args)
        loop = asyncio.get_running_loop()
        waiter = loop.create_future()
        self.pending.append((args, waiter))
        if len(self.pending) >= self.size:
            self._send()
        elif self.timer is None:
            self.timer = loop.call_later(self.delay, self._send)
        return await waiter

    def _send(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        batch, self.pending = self.pending, []
        self._submit(batch, alone=False)

    def _submit(self, batch: list[Call], alone: bool) -> None:
        future = self.pool.submit(call_each, self.function, [args for args, _waiter in batch])
        if future is None:
            self._make_in_place(batch)
        else:
            asyncio.wrap_future(future).add_done_callback(lambda done: self._settle(batch, done, alone))

    def _settle(self, batch: list[Call], done: asyncio.Future, alone: bool) -> None:
        try:
            self._answer(batch, done.result())
        except BrokenProcessPool as died:
            if alone:
                self._answer(batch, [(False, died)])
            else:
                self.again.extend(batch)
        except Exception:  # not handed over (pickling): made in place
            self._make_in_place(batch)
        if alone:
            self.retrying = False
        if self.again and not self.retrying:
            self.retrying = True
            self._submit([self.again.popleft()], alone=True)

    def _make_in_place(self, batch: list[Call]) -> None:
        self._answer(batch, call_each(self.function, [args for args, _waiter in batch]))

    @staticmethod
    def _answer(batch: list[Call], outcomes: list[tuple[bool, Any]]) -> None:
        for (_args, waiter), (made, value) in zip(batch, outcomes, strict=True):
            if waiter.cancelled():
                continue
            if made:
                waiter.set_result(value)
            else:
                waiter.set_exception(value)
