"""``scrapy genspider -t trs|empirecms|phpcms NAME DOMAIN``: a site spider on a dialect base,
and its test module, from the project's templates (``TEMPLATES_DIR``)."""

from __future__ import annotations

import os
import string
from pathlib import Path

import scrapy
from scrapy.commands.genspider import Command as ScrapyGenspiderCommand

TEST_TEMPLATE = "spider_test.tmpl"


class Command(ScrapyGenspiderCommand):
    def _find_template(self, template: str) -> Path | None:
        """The project's template, else Scrapy's own (``basic``, ``crawl`` …)."""
        filename = template if template.endswith(".tmpl") else f"{template}.tmpl"
        scrapy_own = Path(scrapy.__path__[0], "templates", "spiders", filename)
        if not Path(self.templates_dir, filename).exists() and scrapy_own.exists():
            return scrapy_own
        return super()._find_template(template)

    def _genspider(self, module: str, name: str, url: str, template_name: str,
                   template_file: str | os.PathLike[str]) -> Path:
        assert self.settings is not None
        spider_file = super()._genspider(module, name, url, template_name, template_file)
        test_template = Path(self.settings["TEMPLATES_DIR"], "tests", TEST_TEMPLATE)
        if Path(template_file).parent == Path(self.templates_dir) and test_template.exists():
            variables = {**self._generate_template_variables(module, name, url, template_name),
                         "spiders_module": self.settings["NEWSPIDER_MODULE"]}
            test_file = spider_file.parent.parent / "tests" / "spiders" / f"test_{module}.py"
            test_file.parent.mkdir(parents=True, exist_ok=True)
            text = string.Template(test_template.read_text(encoding="utf-8")).substitute(variables)
            test_file.write_text(text, encoding="utf-8")
            print(f"Created its test module:\n  {test_file}")
        return spider_file
