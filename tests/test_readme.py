"""The README's commands run as written, so that the README cannot drift from the code.

They run in a fresh copy of the project's tracked files (no ``data/``, no ``logs/``), kept
offline by the environment alone: ``SCRAPY_SETTINGS_MODULE`` names settings that replay the
fixtures, as a crontab's environment line would set ``DATABASE_URL``.  The cron lines run
verbatim but for their ``cd`` folder.  Every ``crawler`` and ``scrapy crawl`` example is parsed
by the real command line; those that need only the checkout are also run; those that name a
server, a folder outside the checkout or the live sites are checked without running.
"""

from __future__ import annotations

import glob
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, rows

README = (ROOT / "README.md").read_text(encoding="utf-8")
CRON_FOLDER = "/srv/zhengfa-crawler"
# What an example needs beyond the checkout: a named server, a folder outside it, the live sites.
OUTSIDE = re.compile(r"\.internal\b|@dbhost\b|/srv/|\$|FIXTURES=record")
OFFLINE_SETTINGS = """\
from crawler.settings import *  # noqa: F401,F403  (the project's settings, replaying fixtures)

FIXTURES = "replay"
DOWNLOAD_DELAY = 0
AUTOTHROTTLE_ENABLED = False
"""


def code_blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", README, flags=re.S | re.M)


def cron_commands() -> list[str]:
    """The command of every crontab line that runs in the checkout (not the scrapyd one)."""
    lines = [line for block in code_blocks("crontab") for line in block.splitlines()]
    entries = [line.split(None, 5)[5] for line in lines
               if line.strip() and not line.startswith("#") and not re.match(r"^\w+=", line)]
    return [entry for entry in entries if entry.startswith(f"cd {CRON_FOLDER} && crawler ")]


def simple_commands(block: str) -> list[list[str]]:
    """The simple commands of a shell block: comments dropped, continuations joined, split at
    ``;``, ``&&``, ``||`` and ``|``; each a list of words with its environment assignments first."""
    commands = []
    for line in block.replace("\\\n", " ").splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|")
        lexer.whitespace_split, lexer.commenters = True, "#"
        command: list[str] = []
        for word in lexer:
            if word in (";", "&&", "||", "|"):
                commands.append(command)
                command = []
            else:
                command.append(word)
        commands.append(command)
    return [command for command in commands if command]


def examples(program: list[str]) -> list[tuple[dict[str, str], list[str]]]:
    """Every example of ``program`` (e.g. ``["scrapy", "crawl"]``) in the README's shell blocks:
    its environment assignments and its arguments."""
    found = []
    for block in code_blocks("sh"):
        exported: dict[str, str] = {}  # `export NAME=VALUE` holds for the rest of its block
        for command in simple_commands(block):
            environment = dict(exported)
            if command[0] == "export":
                exported.update(word.split("=", 1) for word in command[1:])
                continue
            while command and re.match(r"^[A-Z_]+=", command[0]):
                name, _, value = command.pop(0).partition("=")
                environment[name] = value
            if command[:len(program)] == program:
                found.append((environment, command[len(program):]))
    return found


def needs_outside(environment: dict[str, str], arguments: list[str]) -> bool:
    return any(OUTSIDE.search(word) for word in [*environment.values(), *arguments])


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    """A fresh copy of the project's tracked files, as a clone would give."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    target = tmp_path_factory.mktemp("checkout") / "zhengfa-crawler"
    for name in filter(None, listed.stdout.decode().split("\0")):
        if (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    assert not (target / "logs").exists() and not (target / "data").exists()
    return target


@pytest.fixture(scope="module")
def offline_env(tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("offline-settings")
    (folder / "offline_settings.py").write_text(OFFLINE_SETTINGS, encoding="utf-8")
    env = {name: value for name, value in os.environ.items()
           if name not in ("DATABASE_URL", "DISTRIBUTED", "REDIS_URL")}
    env.update(SCRAPY_SETTINGS_MODULE="offline_settings", PYTHONPATH=str(folder),
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}")
    return env


def test_the_readme_has_the_examples_this_module_runs():
    assert len(cron_commands()) >= 3
    assert len(examples(["crawler"])) >= 30 and len(examples(["scrapy", "crawl"])) >= 8


def test_the_cron_lines_run_verbatim_in_a_fresh_checkout_and_print_nothing_on_a_good_night(
        checkout, offline_env):
    for line in cron_commands():
        command = line.replace(f"cd {CRON_FOLDER} ", f"cd {shlex.quote(str(checkout))} ", 1)
        result = subprocess.run(["/bin/sh", "-c", command], env=offline_env, capture_output=True,
                                text=True, timeout=600)
        assert result.returncode == 0, (line, result.stdout, result.stderr[-2000:])
        assert (result.stdout, result.stderr) == ("", ""), line  # cron mails whatever is printed
    log = (checkout / "logs" / "crawl.log").read_text(encoding="utf-8")
    assert log.count("Summary (exit status 0):") == len(cron_commands())
    spiders = {row["spider"] for row in rows(checkout / "data" / "news.db", "SELECT spider FROM crawl_runs")}
    assert {"jszf", "wjga", "fzsdzk", "wjyanghu", "jazx"} <= spiders
    ignored = subprocess.run(["git", "check-ignore", "logs/crawl.log", "data/news.db"], cwd=ROOT,
                             capture_output=True, text=True)
    assert ignored.stdout.split() == ["logs/crawl.log", "data/news.db"]


def crawler_parses(arguments: list[str]) -> None:
    """The real ``crawler`` command line accepts these arguments (exit 2 otherwise)."""
    from crawler.cli import build_parser, chosen_command

    build_parser(chosen_command(arguments)).parse_args(arguments)


def expanded(arguments: list[str], folder: Path) -> list[str]:
    """Shell globs, as the shell would expand them in ``folder``."""
    words = []
    for word in arguments:
        matches = sorted(glob.glob(word, root_dir=folder)) if "*" in word else []
        words.extend(matches or [word])
    return words


def test_every_crawler_example_parses_and_runs_in_a_fresh_checkout(checkout, offline_env):
    demo = subprocess.run(["crawler", "demo"], cwd=checkout, env=offline_env, capture_output=True,
                          text=True, timeout=600)
    assert demo.returncode == 0, demo.stderr[-2000:]
    shutil.copy2(checkout / "data" / "demo.db", checkout / "data" / "news.db")
    ran, runnable = 0, [example for example in examples(["crawler"]) if not needs_outside(*example)]
    for environment, arguments in examples(["crawler"]):
        crawler_parses(arguments)
        if needs_outside(environment, arguments):
            continue
        result = subprocess.run(["crawler", *expanded(arguments, checkout)], cwd=checkout,
                                env={**offline_env, **environment}, capture_output=True, text=True,
                                timeout=600)
        where = (arguments, result.stdout[-1000:], result.stderr[-2000:])
        if arguments[:2] == ["probe", "saved/article.html"]:  # a page of the reader's own
            assert result.returncode == 2 and result.stderr.startswith("crawler probe: no such file"), where
            continue
        # A crawl or health table may raise alarms on the demo's few runs (exit status 3).
        allowed = {0, 3} if arguments[0] in ("crawl", "health") else {0}
        assert result.returncode in allowed, where
        assert "Traceback" not in result.stderr, where
        ran += 1
    assert ran == len(runnable) - 1 >= 20  # all but the reader's own page
    assert (checkout / "data" / "report.html").is_file()
    assert (checkout / "articles.parquet").is_file() and (checkout / "jszf.csv").is_file()


def test_every_scrapy_crawl_example_is_accepted_and_the_offline_ones_run(checkout, offline_env):
    from crawler.runner import check_spiders, project_settings

    ran, runnable = 0, [example for example in examples(["scrapy", "crawl"]) if not needs_outside(*example)]
    for environment, arguments in examples(["scrapy", "crawl"]):
        spider, rest = arguments[0], arguments[1:]
        spider_arguments = dict(rest[i + 1].split("=", 1) for i, word in enumerate(rest) if word == "-a")
        check_spiders([spider], project_settings(), spider_arguments)
        if needs_outside(environment, arguments):
            continue
        result = subprocess.run(["scrapy", "crawl", *arguments], cwd=checkout,
                                env={**offline_env, **environment}, capture_output=True, text=True,
                                timeout=600)
        assert result.returncode == 0, (arguments, result.stderr[-2000:])
        assert "Traceback" not in result.stderr, arguments
        ran += 1
    assert ran == len(runnable) >= 5
    assert (checkout / "jszf.jsonl").is_file()
