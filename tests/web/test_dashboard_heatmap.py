"""The dashboard heatmap as the files draw it (issue 19, item 8): by document, in the same palette.

Before: `/heatmap?by=document` was a 400 although the CLI draws it, and the dashboard shaded
cells in its own blues while every heatmap file uses YlGnBu.
"""

from __future__ import annotations

import re
import warnings

from pipeline.outputs.heatmap.style import BLANK_CELL, DEFAULT_PALETTE, colour_map, text_colour
from pipeline.web.pages import COLOUR_BINS

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


def test_the_heatmap_by_document_has_a_column_per_document(client: TestClient) -> None:
    response = client.get("/heatmap?by=document")
    assert response.status_code == 200
    rows = client.get("/heatmap?by=document&format=json").json()
    documents = client.get("/documents?format=json").json()
    assert {row["bucket"] for row in rows} == {document["sha256"] for document in documents}
    assert 'option value="document" selected' in response.text


def test_the_dashboard_shades_cells_with_the_palette_of_the_files(client: TestClient) -> None:
    from matplotlib.colors import to_hex

    css = client.get("/static/palette.css").text
    html = client.get("/heatmap").text
    assert re.search(r'href="/static/palette\.css\?v=\w+"', html)
    colours = dict(re.findall(r"--c(\d): (#[0-9a-f]{6})", css))
    assert colours["0"] == BLANK_CELL
    cmap = colour_map(DEFAULT_PALETTE)
    for number in range(1, COLOUR_BINS + 1):
        expected = to_hex(cmap((number - 0.5) / COLOUR_BINS))
        assert colours[str(number)] == expected
        rule = f"background: {expected}; color: {text_colour(expected)};"
        assert f".c{number}, table.heatmap td.c{number} a {{ {rule} }}" in css
    assert len(colours) == COLOUR_BINS + 1 and "#08519c" not in css  # not the old blues
