"""The mixed workload: what visitors ask for, in these proportions, with no pause between requests.

Each simulated client asks again as soon as it has its answer (a closed loop), so 50 or 200
clients are 50 or 200 requests in flight. The URLs come from the archive being measured
(`loadtest/__main__.py` writes them to the file named by LOADTEST_TARGETS).
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from urllib.parse import quote

from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser

TARGETS = json.loads(Path(os.environ["LOADTEST_TARGETS"]).read_text(encoding="utf-8"))
# A request still unanswered after this long counts as an error (gunicorn's worker timeout).
TIMEOUT_SECONDS = 30


class Visitor(FastHttpUser):
    wait_time = constant(0)
    network_timeout = TIMEOUT_SECONDS
    connection_timeout = TIMEOUT_SECONDS

    def _get(self, url: str, name: str) -> None:
        self.client.get(url, name=name)

    @task(1)
    def home(self) -> None:
        self._get("/", "home")

    @task(3)
    def meeting(self) -> None:
        self._get(random.choice(TARGETS["meeting"]), "meeting")

    @task(2)
    def case(self) -> None:
        self._get(random.choice(TARGETS["case"]), "case")

    @task(3)
    def search(self) -> None:
        self._get("/soeg/?q=" + quote(random.choice(TARGETS["search"])), "search")

    @task(1)
    def api(self) -> None:
        self._get("/api/search?q=" + quote(random.choice(TARGETS["search"])), "api")
