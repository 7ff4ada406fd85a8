"""``scrapy genspider -t trs|empirecms|phpcms`` writes a dialect spider and its test module."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.parametrize("dialect, base", [("trs", "TRSSpider"), ("empirecms", "EmpireCMSSpider"),
                                           ("phpcms", "PHPCMSSpider")])
def test_genspider_writes_a_spider_on_the_dialect_base_and_its_test(tmp_path, dialect, base):
    (tmp_path / "newspiders").mkdir()
    (tmp_path / "newspiders" / "__init__.py").write_text("")
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    subprocess.run([sys.executable, "-m", "scrapy", "genspider", "-t", dialect, "-s",
                    "NEWSPIDER_MODULE=newspiders", "examplesite", "www.example.gov.cn"],
                   cwd=ROOT, env=environment, check=True, capture_output=True, timeout=120)
    spider = (tmp_path / "newspiders" / "examplesite.py").read_text(encoding="utf-8")
    assert f"class ExamplesiteSpider({base}):" in spider and 'name = "examplesite"' in spider
    assert '"www.example.gov.cn"' in spider
    test_module = tmp_path / "tests" / "spiders" / "test_examplesite.py"
    # the new spider's setup test passes; its saved-pages test waits for a saved page
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test_module)],
                            cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300)
    assert "1 failed, 1 passed" in result.stdout, result.stdout[-2000:]
    assert "no saved page with an expected file in fixtures/examplesite/" in result.stdout
