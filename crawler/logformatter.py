"""Log lines for dropped items: one short line, since ``rejects`` keeps the details."""

import logging

from scrapy.logformatter import LogFormatter


class QuietDropLogFormatter(LogFormatter):
    def dropped(self, item, exception, response, spider=None):
        return {"level": logging.DEBUG, "msg": "Dropped %(url)s: %(exception)s",
                "args": {"url": getattr(response, "url", None), "exception": exception}}
