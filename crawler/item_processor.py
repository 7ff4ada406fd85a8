"""``ITEM_PROCESSOR``: Scrapy's item pipelines, with the stages that are pure functions of
the item made in the crawl's worker processes.

The cleaning stages (boilerplate, text, dates, bylines, validation) cost about a
millisecond an article, which the crawl's process need not spend.  Each run of consecutive
stages that say ``runs_in_worker`` goes to the workers as one call per item, batched
(``crawler.workers.Batched``), while the reactor goes on with the next pages; the other
stages (storing, dedup, a user's own pipelines) run in the crawl's process, in
``ITEM_PIPELINES`` order as ever.  A stage's rejection (``DropItem``) reaches Scrapy as if
the stage had run in place.  Without workers every stage runs in place.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any

from scrapy.pipelines import ItemPipelineManager
from scrapy.utils.defer import ensure_awaitable

from crawler.addon import running_extension
from crawler.workers import Batched, WorkerPool


class WorkerStage:
    """A pipeline stage that is a pure function of the item and of what the stage holds,
    which goes to the workers without the attributes of the crawl (``crawl_attributes``)."""

    crawl_attributes: tuple[str, ...] = ("crawler",)
    process_item: Callable[[Any], Any]

    @property
    def runs_in_worker(self) -> bool:
        return True

    def __getstate__(self) -> dict[str, Any]:
        return {name: value for name, value in vars(self).items() if name not in self.crawl_attributes}


def run_stages(stages: list[WorkerStage], item: Any) -> Any:
    for stage in stages:
        item = stage.process_item(item)
    return item


class ItemProcessor(ItemPipelineManager):
    @cached_property
    def pool(self) -> WorkerPool | None:
        return running_extension(self.crawler, WorkerPool) if self.crawler is not None else None

    @cached_property
    def plan(self) -> list[tuple[Any, list[WorkerStage]]]:
        """Each step: a stage's ``process_item`` to run in place (with no stages), or a run of
        worker stages.  Made at the first item, once every stage is open."""
        pool = self.pool
        steps: list[tuple[Any, list[WorkerStage]]] = []
        for method in self.methods["process_item"]:
            stage = getattr(method, "__self__", None)
            if pool is not None and pool.processes and isinstance(stage, WorkerStage) and stage.runs_in_worker:
                if steps and steps[-1][1]:
                    steps[-1][1].append(stage)
                else:
                    steps.append((None, [stage]))
            else:
                steps.append((method, []))
        return steps

    @cached_property
    def in_workers(self) -> Batched | None:
        return Batched(self.pool, run_stages) if self.pool is not None else None

    async def process_item_async(self, item: Any) -> Any:
        if self.in_workers is None or not any(stages for _method, stages in self.plan):
            return await super().process_item_async(item)
        for method, stages in self.plan:
            if stages:
                item = await self.in_workers(stages, item)
            elif method in self._mw_methods_requiring_spider:
                item = await ensure_awaitable(method(item, self._spider))
            else:
                item = await ensure_awaitable(method(item))
        return item
