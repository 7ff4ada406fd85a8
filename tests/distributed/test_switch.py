"""``DISTRIBUTED`` switches a crawl to the shared components, and only when set."""

from __future__ import annotations

import subprocess
import sys

from scrapy.settings import Settings
from scrapy.utils.misc import load_object

import crawler.settings as project
from crawler.addon import ProjectAddon
from crawler.distributed.addon import DistributedAddon
from tests.conftest import ROOT


def settings_for(**overrides) -> Settings:
    settings = Settings()
    settings.setmodule(project, priority="project")
    settings.setdict(overrides, priority="cmdline")
    ProjectAddon().update_settings(settings)
    DistributedAddon().update_settings(settings)
    return settings


def component_names(settings, name: str) -> set[str]:
    return {load_object(path).__name__ for path, order in settings.getdict(name).items() if order is not None}


def test_off_by_default_the_crawl_is_local():
    settings = settings_for()
    assert settings.get("SCHEDULER") == "scrapy.core.scheduler.Scheduler"
    assert {"RunRecorder", "HealthMonitor", "CrawlLock"} <= component_names(settings, "EXTENSIONS")
    assert "SharedRateLimit" not in component_names(settings, "DOWNLOADER_MIDDLEWARES")
    assert settings.getfloat("DOWNLOAD_DELAY") == 1.0


def test_redis_mode_shares_the_queue_the_budget_and_the_run_records():
    settings = settings_for(DISTRIBUTED="redis", DOWNLOAD_DELAY="0.5")
    assert settings["SCHEDULER"].__name__ == "SharedScheduler"
    extensions = component_names(settings, "EXTENSIONS")
    assert {"SharedRunRecorder", "SharedHealthMonitor"} <= extensions
    assert not {"RunRecorder", "HealthMonitor"} & extensions
    assert "SharedRateLimit" in component_names(settings, "DOWNLOADER_MIDDLEWARES")
    # The given delay becomes the site's budget across workers; no worker adds its own.
    assert settings.getfloat("DISTRIBUTED_DOWNLOAD_DELAY") == 0.5
    assert settings.getfloat("DOWNLOAD_DELAY") == 0 and not settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getint("STORE_BATCH_SIZE") == 1


def test_a_bad_mode_or_an_unreachable_redis_is_one_line_and_status_2(tmp_path):
    base = [sys.executable, "-m", "scrapy", "crawl", "jszf", "-s", f"DATABASE_URL=sqlite:///{tmp_path}/news.db",
            "-s", "FIXTURES=replay"]
    bad = subprocess.run([*base, "-s", "DISTRIBUTED=zookeeper"], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert bad.returncode == 2 and "DISTRIBUTED must be empty or 'redis'" in bad.stderr
    assert "Traceback" not in bad.stderr
    down = subprocess.run([*base, "-s", "DISTRIBUTED=redis", "-s", "REDIS_URL=redis://127.0.0.1:1/0"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert down.returncode == 2 and "cannot reach Redis at redis://127.0.0.1:1/0" in down.stderr
    assert "Traceback" not in down.stderr
