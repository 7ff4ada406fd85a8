"""A local copy of the jszf column, served over HTTP on 127.0.0.1, that can hold one page back.

Replayed fixtures never wait, so a test that must stop a crawl in the middle serves
the saved pages itself: requests for the held page block until the test opens the
gate, which leaves the crawl mid-run for as long as the test needs.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
import time
from pathlib import Path

from tests.conftest import ROOT

COLUMN_PATH = "zyyg/jscawq_1/wuxi/"


class GatedSite:
    def __init__(self, root: Path, held: str):
        for page in (ROOT / "fixtures" / "jszf").glob("*.shtml"):
            folder = root / COLUMN_PATH / ("" if page.name.startswith("index") else "202301")
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copy(page, folder / page.name)
        self.gate = threading.Event()
        self.requested: list[str] = []
        site = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def do_GET(self):
                site.requested.append(self.path)
                if self.path.endswith(held):
                    site.gate.wait(timeout=120)
                super().do_GET()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
        self.server.daemon_threads = True
        self.column = f"http://127.0.0.1:{self.server.server_address[1]}/{COLUMN_PATH}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def crawl_args(self) -> list[str]:
        """Arguments of a crawl of this column (give it ``fixtures=""``): no robots.txt, one
        request at a time, every article committed as soon as it is stored."""
        return ["-a", f"start_url={self.column}index.shtml", "-s", "ROBOTSTXT_OBEY=False",
                "-s", "CONCURRENT_REQUESTS=1", "-s", "STORE_BATCH_SIZE=1"]

    def close(self) -> None:
        self.gate.set()
        self.server.shutdown()


def wait_for(condition, timeout: float = 90) -> None:
    """Poll ``condition`` until it holds; fail if the crawl never gets there."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the crawl did not reach the expected point in time")
        time.sleep(0.2)
