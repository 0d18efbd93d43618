"""End to end in headless Chromium: open the heatmap, click a cell, read its evidence sentences.

Needs Debian's chromium (`apt-get install -y chromium`, giving /usr/bin/chromium) and the
playwright Python package; never `playwright install`. Skips cleanly when either is absent.
Set WEB_SCREENSHOTS=DIR to keep a screenshot of each step.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.web.app import create_app
from tests.browser import launched_chromium, require_browser, watched_page

pytestmark = pytest.mark.browser

HOST = "127.0.0.1"
START_TIMEOUT_S = 10.0

sync_api = require_browser()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def base_url(warehouse_path: Path) -> Iterator[str]:
    """Run the dashboard with uvicorn on a free localhost port for the module's tests."""
    import uvicorn

    port = _free_port()
    config = uvicorn.Config(create_app(warehouse_path), host=HOST, port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the dashboard did not start")
        time.sleep(0.05)
    yield f"http://{HOST}:{port}"
    server.should_exit = True
    thread.join(timeout=START_TIMEOUT_S)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launched_chromium(sync_api) as chromium:
        yield chromium


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page that fails the test on any dialog (an executed alert), console or page error."""
    with watched_page(browser, console_errors=True) as (page, problems):
        yield page
    assert problems == []


def _shot(page: Any, name: str) -> None:
    folder = os.environ.get("WEB_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_click_a_heatmap_cell_and_read_its_evidence(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/heatmap")
    _shot(page, "heatmap")
    cell = page.locator("#heatmap tr", has_text="Self-neglect").locator('a[href*="bucket=2022"]')
    assert cell.inner_text() == "50%"
    cell.click()
    page.wait_for_url("**/evidence?**")
    _shot(page, "evidence")
    assert page.locator("#summary").inner_text().startswith("1 mention in 1 sentence from 1 document")
    sentence = page.locator("ol.evidence li blockquote").first
    assert sentence.inner_text() == "Self-neglect was recognised late."
    assert sentence.locator("mark").inner_text() == "Self-neglect"
    assert "SAR Adult B" in page.locator("ol.evidence .cite").first.inner_text()
    page.get_by_role("link", name="read in the full document").first.click()
    page.wait_for_url("**/text#m*")
    _shot(page, "document-text")
    assert page.locator("article.fulltext mark", has_text="Self-neglect").first.is_visible()


def test_filters_change_the_heatmap_and_keep_a_bookmarkable_url(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/heatmap")
    page.select_option("select[name=by]", "doc_type")  # the form applies itself on change
    page.wait_for_url("**/heatmap?by=doc_type**")
    assert page.locator("#heatmap thead th.bucket", has_text="cspr").count() == 1
    assert "since=" not in page.url  # empty fields are left out of the address


def test_report_text_with_a_script_tag_is_shown_as_text(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/evidence?theme=professional_curiosity&bucket=2022")
    _shot(page, "escaping")
    assert page.get_by_text("<script>alert(1)</script>", exact=False).count() == 1


def test_search_box_finds_sentences(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/")
    page.fill("#site-search", "escalated")
    page.press("#site-search", "Enter")
    page.wait_for_url("**/search?q=escalated")
    assert page.locator("ol.evidence mark").first.inner_text() == "escalated"
