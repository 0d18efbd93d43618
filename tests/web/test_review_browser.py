"""The review screen in headless Chromium: the keys do what the screen says (issue 19, item 6)."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.web.app import create_app
from tests.browser import launched_chromium, require_browser, watched_page
from warehouse.db import connect_read

pytestmark = pytest.mark.browser
sync_api = require_browser()
HOST = "127.0.0.1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@pytest.fixture
def served(warehouse_path: Path, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    import uvicorn

    db = tmp_path / "review.duckdb"
    shutil.copy(warehouse_path, db)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db), host=HOST, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://{HOST}:{port}", db
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launched_chromium(sync_api) as chromium:
        yield chromium


def test_keys_move_between_hits_and_record_decisions(browser: Any, served: tuple[str, Path]) -> None:
    base, db = served
    with watched_page(browser, requests_within=base, console_errors=True) as (page, problems):
        page.goto(f"{base}/review?theme=self_neglect&reviewer=Keys")
        refs = page.locator("li.hit").evaluate_all("hits => hits.map(h => h.dataset.ref)")
        assert len(refs) >= 2
        with page.expect_navigation(url="**/review?*done=*"):
            page.keyboard.press("a")  # the first hit has the focus
        assert "Recorded: accept" in page.inner_text("p.flash")
        page.keyboard.press("j")
        with page.expect_navigation(url="**/review?*done=reject*"):
            page.keyboard.press("r")  # the second of the remaining hits
        assert "Recorded: reject" in page.inner_text("p.flash")
        assert not problems
    with connect_read(db) as con:
        decisions = con.execute("SELECT decision, reviewer FROM reviews ORDER BY review_id").fetchall()
    assert decisions == [("accept", "Keys"), ("reject", "Keys")]
