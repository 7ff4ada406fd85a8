"""``crawler crawl --shard K/N``: every spider in exactly one shard, the same on every machine."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from crawler.distributed.shard import in_shard, parse_shard, shard_of
from crawler.errors import ArgumentError
from tests.conftest import ROOT, rows

NAMES = [f"site{number}" for number in range(200)]


def test_every_spider_falls_in_exactly_one_shard_and_the_shards_are_balanced():
    for count in (1, 2, 3, 5):
        shards = [in_shard(NAMES, shard, count) for shard in range(1, count + 1)]
        assert sorted(name for shard in shards for name in shard) == sorted(NAMES)
        assert min(map(len, shards)) > len(NAMES) / count / 2


def test_the_split_does_not_depend_on_pythons_hash_seed():
    script = "from crawler.distributed.shard import shard_of; print([shard_of(f'site{n}', 3) for n in range(200)])"
    answers = {subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}, check=True).stdout
               for seed in ("1", "2", "3")}
    assert answers == {f"{[shard_of(name, 3) for name in NAMES]}\n"}


@pytest.mark.parametrize("text", ["0/2", "3/2", "1", "a/b", "1/0", ""])
def test_a_bad_shard_is_a_usage_error(text):
    with pytest.raises(ArgumentError, match="--shard expects K/N"):
        parse_shard(text)


def test_crawl_runs_only_the_spiders_of_its_shard(tmp_path):
    db = tmp_path / "news.db"
    mine = {name: shard_of(name, 2) for name in ("jszf", "wjga")}
    assert sorted(mine.values()) == [1, 2], "the two spiders fall in different shards of 2"
    shard = mine["jszf"]
    result = subprocess.run([sys.executable, "-m", "crawler.cli", "crawl", "jszf", "wjga", "--shard", f"{shard}/2",
                             "-s", f"DATABASE_URL=sqlite:///{db}", "-s", "FIXTURES=replay",
                             "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode in (0, 3), result.stderr[-2000:]
    assert [run["spider"] for run in rows(db, "SELECT spider FROM crawl_runs")] == ["jszf"]

    bad = subprocess.run([sys.executable, "-m", "crawler.cli", "crawl", "--all", "--shard", "3/2"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "--shard expects K/N" in bad.stderr and "Traceback" not in bad.stderr
