"""Headless Chromium for browser tests: Debian's chromium driven by Playwright.

Never `playwright install` (it downloads a browser, which fails offline): the
tests use /usr/bin/chromium and skip cleanly when it or playwright is absent.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps trying hosts this closed network refuses.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_browser() -> Any:
    """Return playwright's sync API, or skip the calling test module."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent (apt-get install -y chromium)", allow_module_level=True)
    return sync_api


@contextmanager
def launched_chromium(sync_api: Any) -> Iterator[Any]:
    """Launch the system Chromium and close it afterwards."""
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


PAGE_TIMEOUT_MS = 10_000
VIEWPORT = {"width": 1280, "height": 900}


@contextmanager
def watched_page(
    browser: Any, *, requests_within: str | None = None, console_errors: bool = False
) -> Iterator[tuple[Any, list[str]]]:
    """Open a fresh page and a list that collects its problems, closing the page afterwards.

    Dialogs (an executed alert) and page errors are always problems; so are requests
    to URLs not starting with `requests_within` when it is given, and console errors
    when `console_errors` is true. The caller asserts the list is empty.
    """
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    problems: list[str] = []

    def on_request(request: Any) -> None:
        if requests_within is not None and not request.url.startswith(requests_within):
            problems.append(request.url)

    def on_console(message: Any) -> None:
        if console_errors and message.type == "error":
            problems.append(f"console: {message.text}")

    def on_dialog(dialog: Any) -> None:
        problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    page.on("request", on_request)
    page.on("console", on_console)
    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    try:
        yield page, problems
    finally:
        context.close()
