"""Every project setting has one default, the add-on's; the README's table says the same, and
components get it wherever a crawler is made."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from crawler.addon import COMPONENTS, PROJECT_ROOT, SETTINGS, ProjectAddon
from crawler.health import HealthRules
from crawler.runner import project_settings
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
ROW = re.compile(r"^\| `([A-Z][A-Z0-9_]+)` \| `([^`]*)`[^|]* \| [^|]+ \|$", re.M)


def shown(value) -> str:
    """A default as the README writes it."""
    if isinstance(value, str) and value.startswith(str(PROJECT_ROOT)):
        value = value[len(str(PROJECT_ROOT)) + 1:]
    if isinstance(value, dict):
        return json.dumps(value)
    return '""' if value == "" else str(value)


def settings_table() -> dict[str, str]:
    section = README[README.index("### Settings"):]
    section = section[:section.index("\n## ")]
    return dict(ROW.findall(section))


def test_the_readme_table_lists_every_setting_with_the_add_on_default():
    table = settings_table()
    assert list(table) == list(SETTINGS)
    assert table == {name: shown(value) for name, value in SETTINGS.items()}


def test_defaults_quoted_in_the_readme_prose_agree_with_the_add_on():
    quoted = re.findall(r"`([A-Z][A-Z0-9_]+)`(?: seconds)? \((\d[\d,.]*)[),:]", README)
    checked = [(name, number) for name, number in quoted if name in SETTINGS]
    assert len(checked) >= 8
    for name, number in checked:
        assert float(number.replace(",", "")) == float(SETTINGS[name]), name


def test_crawlers_get_the_defaults_and_the_components_from_the_add_on(tmp_path):
    crawler = get_crawler(settings_dict={"ADDONS": {ProjectAddon: 0}, "STORE_BATCH_SIZE": "7",
                                         "DATABASE_URL": f"sqlite:///{tmp_path / 'news.db'}",
                                         "ITEM_PIPELINES": {"pipelines.dates.DatesPipeline": None}})
    settings = crawler.settings
    assert settings.getint("STORE_BATCH_SIZE") == 7  # a project value wins
    assert settings.getint("VALIDATE_MIN_BODY_CHARS") == SETTINGS["VALIDATE_MIN_BODY_CHARS"]
    pipelines = settings.getdict("ITEM_PIPELINES")
    assert pipelines["pipelines.dates.DatesPipeline"] is None  # a component switched off stays off
    assert pipelines["pipelines.store.StorePipeline"] == COMPONENTS["ITEM_PIPELINES"]["pipelines.store.StorePipeline"]
    assert settings["LOG_FORMATTER"] == "crawler.logformatter.QuietDropLogFormatter"


def test_commands_see_the_defaults_before_any_crawler_exists(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert project_settings().get("DATABASE_URL") == SETTINGS["DATABASE_URL"]
    monkeypatch.setenv("DATABASE_URL", "sqlite:///elsewhere.db")
    assert project_settings().get("DATABASE_URL") == "sqlite:///elsewhere.db"
    assert project_settings(DATABASE_URL="sqlite:///given.db").get("DATABASE_URL") == "sqlite:///given.db"


def test_the_rules_dataclasses_default_to_the_settings():
    settings = Settings()
    ProjectAddon().update_settings(settings)
    assert HealthRules.from_settings(settings) == HealthRules()


def test_scrapy_settings_shows_what_a_crawl_gets():
    env = {name: value for name, value in os.environ.items() if name != "DATABASE_URL"}
    shown_url = subprocess.run([sys.executable, "-m", "scrapy", "settings", "--get", "DATABASE_URL"], cwd=ROOT,
                               capture_output=True, text=True, timeout=120, env=env)
    assert shown_url.stdout.strip() == SETTINGS["DATABASE_URL"], shown_url.stderr[-1000:]
