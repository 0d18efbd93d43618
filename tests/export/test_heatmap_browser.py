"""The interactive HTML heatmap in headless Chromium: hover shows the evidence; no network; no injection.

Needs Debian's chromium (/usr/bin/chromium) and the playwright package (never `playwright
install`); skips cleanly when either is absent.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from pipeline.outputs.heatmap.html import write_html
from pipeline.outputs.heatmap.matrix import build_matrix
from pipeline.outputs.heatmap.write import write_heatmap
from tests.browser import launched_chromium, require_browser, watched_page

pytestmark = pytest.mark.browser

LOCAL = "file:"
HOSTILE = '</script><img src=x onerror="alert(1)">'

sync_api = require_browser()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Launch the system Chromium once for the module."""
    with launched_chromium(sync_api) as chromium:
        yield chromium


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """Return a page that fails the test on any non-file request, dialog or page error."""
    with watched_page(browser, requests_within=LOCAL) as (page, problems):
        yield page
    assert problems == []


def test_hovering_a_cell_shows_its_figures_and_cited_evidence(con, tmp_path, page):
    out = tmp_path / "heatmap.html"
    matrix = write_heatmap(con, out)
    row, column = matrix.themes.index("self_neglect"), matrix.buckets.index("2020")
    page.goto(out.as_uri())
    page.hover(f'td[data-cell="{row}-{column}"]')
    tip = page.locator("#tip")
    assert tip.is_visible()
    text = tip.inner_text()
    assert "Self-neglect · 2020" in text
    assert "50% of documents (1 of 2 documents)" in text
    assert "Zoë 🙂 refused help" in text and "SAR Adult C — Zoë, 2020, p. 1" in text
    assert tip.locator("mark").inner_text() == "self-neglect"


def test_the_theme_filter_hides_other_rows(con, tmp_path, page):
    out = tmp_path / "heatmap.html"
    write_heatmap(con, out)
    page.goto(out.as_uri())
    page.fill("#theme-filter", "neglect")
    assert page.locator("table.heatmap tbody tr:visible").count() == 1


def test_hostile_text_is_shown_not_run(tmp_path, page):
    rows = [{"theme": "t", "bucket": "2020", "value": 1.0, "documents": 1, "total_documents": 1}]
    matrix = build_matrix(rows, {"t": HOSTILE}, "share", definitions={"t": HOSTILE})
    quote = {"title": HOSTILE, "year": 2020, "doc_type": "sar", "page": 1, "sentence": f"{HOSTILE} neglect",
             "match_start": len(HOSTILE) + 1, "match_end": len(HOSTILE) + 8}
    matrix.evidence[("t", "2020")] = [quote]
    out = tmp_path / "hostile.html"
    write_html(matrix, out)
    page.goto(out.as_uri())
    page.hover('td[data-cell="0-0"]')
    assert HOSTILE in page.locator("#tip").inner_text()
