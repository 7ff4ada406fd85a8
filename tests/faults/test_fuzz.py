"""A bounded fuzz run: 1,000 mutated fixture pages of the five site spiders, read and put
through the pipelines, with no exception other than a rejection."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT

RUN = """
import json, sys
from tests.faults.fuzz import fuzz
result = fuzz(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3])
print(json.dumps({"pages": result.pages, "crashes": result.crashes, "outcomes": result.outcomes,
                  "examples": result.examples}))
"""


def run_fuzz(pages: int, seed: int, db) -> dict:
    """In a subprocess: the harness installs Twisted's reactor."""
    result = subprocess.run([sys.executable, "-c", RUN, str(pages), str(seed), f"sqlite:///{db}"],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_thousand_mutated_pages_raise_nothing_unexpected(tmp_path):
    found = run_fuzz(1000, 13, tmp_path / "fuzz.db")
    assert found["pages"] == 1000
    assert found["crashes"] == 0, "\n".join(found["examples"])
    outcomes = found["outcomes"]
    assert outcomes.get("items", 0) > 100, "most mutations still leave an article to read"
    assert outcomes.get("rejected: Rejected", 0) and outcomes.get("rejected: PageRejected", 0)
