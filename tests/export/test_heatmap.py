"""Heatmap matrix, row order and every output format (PNG, SVG, HTML, CSV, XLSX)."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import openpyxl
import pytest
from PIL import Image

from pipeline.analysis import queries
from pipeline.analysis.filters import TrendFilters as F
from pipeline.errors import NoDocumentsError, UsageError
from pipeline.outputs.heatmap.chart import render_chart
from pipeline.outputs.heatmap.matrix import HeatmapMatrix, build_matrix, heatmap_matrix
from pipeline.outputs.heatmap.style import cell_colours, chart_note, legend_stops, scale_max
from pipeline.outputs.heatmap.write import write_heatmap
from tests.export.conftest import DOCUMENTS, THEMES

LABELS = {theme["id"]: theme["label"] for theme in THEMES}
YEARS = ["2019", "2020", "2021", "2022"]
EXTERNAL_REFERENCE = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)
FULL_THEMES, FULL_YEARS = 49, 10


def _phrases() -> dict[str, set[str]]:
    """Return {theme: the phrases the fixture marks for it}."""
    found: dict[str, set[str]] = {}
    for *_, sentences in DOCUMENTS:
        for _, _, hits in sentences:
            for theme, phrase, _counted in hits:
                found.setdefault(theme, set()).add(phrase)
    return found


PHRASES = _phrases()


def test_matrix_cells_equal_the_trends_query(con):
    matrix = heatmap_matrix(con)
    rows = {(r["theme"], r["bucket"]): r for r in queries.trends(con)}
    assert matrix.buckets == YEARS
    assert matrix.totals == [2, 2, 2, 2]
    assert "hoarding" not in matrix.themes  # no counted mention anywhere
    for i, theme in enumerate(matrix.themes):
        for j, bucket in enumerate(matrix.buckets):
            assert matrix.values[i][j] == pytest.approx(float(rows[theme, bucket]["value"]))
            assert matrix.documents[i][j] == rows[theme, bucket]["documents"]


def test_requested_themes_are_kept_even_without_hits(con):
    matrix = heatmap_matrix(con, F(themes=["hoarding", "self_neglect"]))
    assert set(matrix.themes) == {"hoarding", "self_neglect"}


def test_uncounted_mentions_do_not_count(con):
    matrix = heatmap_matrix(con)
    row = matrix.themes.index("domestic_abuse")
    assert matrix.documents[row][YEARS.index("2019")] == 0  # only a negated mention in 2019


def test_order_by_total_puts_the_most_documents_first(con):
    matrix = heatmap_matrix(con, order="total")
    totals = [sum(row) for row in matrix.documents]
    assert totals == sorted(totals, reverse=True)


def test_order_by_trend_puts_rising_themes_first(con):
    matrix = heatmap_matrix(con, order="trend")
    assert matrix.themes[0] == "domestic_abuse"  # 0% in 2019, 50% after
    assert matrix.themes[-1] == "professional_curiosity"  # 50% until 2021, then 0%


def test_cluster_order_is_a_permutation(con):
    assert sorted(heatmap_matrix(con, order="cluster").themes) == sorted(heatmap_matrix(con).themes)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"order": "trend", "by": "doc_type"}, "--order trend needs --by year"),
        ({"order": "alphabetical"}, "Unknown --order"),
        ({"by": "week"}, "Unknown --by"),
        ({"by": "document", "metric": "nonsense"}, "Unknown --metric"),
        ({"themes": ["not_a_theme"]}, "Unknown theme id"),
    ],
)
def test_bad_options_are_usage_errors(con, options, message):
    order = options.pop("order", "total")
    with pytest.raises(UsageError, match=message):
        heatmap_matrix(con, F(**options), order=order)


def test_by_document_has_one_column_per_document(con):
    matrix = heatmap_matrix(con, F(by="document"))
    assert len(matrix.buckets) == len(DOCUMENTS)
    assert matrix.totals == [1] * len(DOCUMENTS)
    assert matrix.bucket_labels[0] == "CSPR Child B (2019)"
    assert {value for row in matrix.values for value in row} == {0.0, 1.0}


def test_by_document_mentions_counts_each_mention(con):
    matrix = heatmap_matrix(con, F(by="document", metric="mentions"))
    counted = sum(hit[2] for _, _, _, _, sentences in DOCUMENTS for _, _, hits in sentences for hit in hits)
    assert sum(map(sum, matrix.values)) == counted


def test_doc_type_filter_and_columns(con):
    matrix = heatmap_matrix(con, F(by="doc_type", doc_types=["sar", "dhr"]))
    assert sorted(matrix.buckets) == ["dhr", "sar"]
    assert sum(matrix.totals) == 6


def test_png_decodes_with_a_print_size(con, tmp_path):
    out = tmp_path / "heatmap.png"
    write_heatmap(con, out)
    with Image.open(out) as image:
        image.verify()
    with Image.open(out) as image:
        width, height = image.size
    assert 900 <= width <= 3000
    assert 300 <= height <= 1500


def _full_matrix() -> HeatmapMatrix:
    """Return a synthetic 49-theme x 10-year matrix, the largest the issue asks to stay legible."""
    rows = [
        {"theme": f"theme_{t:02d}", "bucket": str(2015 + y), "value": ((t * 7 + y * 3) % 11) / 10,
         "documents": (t * 7 + y * 3) % 11, "total_documents": 10}
        for t in range(FULL_THEMES) for y in range(FULL_YEARS)
    ]
    labels = {f"theme_{t:02d}": f"A long theme label number {t} & its scope" for t in range(FULL_THEMES)}
    return build_matrix(rows, labels, "share")


def test_png_of_49_themes_by_10_years_keeps_cells_legible(tmp_path):
    out = tmp_path / "full.png"
    matrix = _full_matrix()
    render_chart(matrix, out)
    with Image.open(out) as image:
        width, height = image.size
    assert len(matrix.themes) == FULL_THEMES
    assert 1800 <= width <= 4000
    assert height / FULL_THEMES >= 50  # >= 0.25 in per row at 200 dpi: 7-8 pt text fits


def test_svg_parses_and_names_every_theme(con, tmp_path):
    out = tmp_path / "heatmap.svg"
    matrix = write_heatmap(con, out)
    texts = {"".join(node.itertext()).strip() for node in ET.parse(out).iter("{http://www.w3.org/2000/svg}text")}
    assert set(matrix.labels) <= texts
    assert {"2019", "n=2"} & {part for text in texts for part in text.split("\n")}


def test_csv_has_a_row_per_theme_and_a_column_per_year(con, tmp_path):
    out = tmp_path / "heatmap.csv"
    matrix = write_heatmap(con, out)
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[0] == ["theme", "label", *(f"{year} (n=2)" for year in YEARS), "saturated", "prominent_share"]
    assert [row[0] for row in rows[1:]] == matrix.themes


def test_xlsx_opens_with_the_expected_cells(con, tmp_path):
    out = tmp_path / "heatmap.xlsx"
    matrix = write_heatmap(con, out)
    workbook = openpyxl.load_workbook(out)
    sheet = workbook["Heatmap"]
    assert sheet["A1"].value.startswith("Share of documents")
    assert [sheet.cell(4, 3 + j).value for j in range(4)] == YEARS
    assert [sheet.cell(5, 3 + j).value for j in range(4)] == [2, 2, 2, 2]
    for i, theme in enumerate(matrix.themes):
        assert sheet.cell(6 + i, 1).value == theme
        assert sheet.cell(6 + i, 2).value == LABELS[theme]
        assert [sheet.cell(6 + i, 3 + j).value for j in range(4)] == pytest.approx(matrix.values[i])
    assert sheet.cell(6, 3).number_format == "0%"
    evidence = list(workbook["Evidence"].iter_rows(values_only=True))
    non_empty = sum(1 for row in matrix.documents for count in row if count)
    assert len(evidence) - 1 == non_empty  # one document per non-empty cell in the fixture


def _html_data(html: str) -> dict:
    block = re.search(r'<script type="application/json" id="heatmap-data">(.*?)</script>', html, re.DOTALL)
    assert block, "no data block"
    return json.loads(block.group(1))


def test_html_holds_every_cell_and_its_evidence(con, tmp_path):
    out = tmp_path / "heatmap.html"
    matrix = write_heatmap(con, out)
    html = out.read_text(encoding="utf-8")
    cells = _html_data(html)["cells"]
    assert len(cells) == len(matrix.themes) * len(matrix.buckets)
    for i, theme in enumerate(matrix.themes):
        for j, bucket in enumerate(matrix.buckets):
            cell = cells[f"{i}-{j}"]
            assert (cell["theme"], cell["bucket"]) == (theme, bucket)
            assert cell["documents"] == matrix.documents[i][j]
            assert f'data-cell="{i}-{j}"' in html
            assert len(cell["evidence"]) == min(cell["documents"], 3)
            for quote in cell["evidence"]:
                assert {"title", "year", "page"} <= quote.keys()
                assert quote["match"] in PHRASES[theme]


def test_html_evidence_is_cut_at_the_match_by_code_points(con, tmp_path):
    out = tmp_path / "heatmap.html"
    write_heatmap(con, out)
    cells = _html_data(out.read_text(encoding="utf-8"))["cells"].values()
    quotes = [quote for cell in cells for quote in cell["evidence"]]
    zoe = next(q for q in quotes if "🙂" in q["before"])
    assert (zoe["before"], zoe["match"]) == ("Zoë 🙂 refused help; ", "self-neglect")


def test_html_makes_no_external_requests(con, tmp_path):
    out = tmp_path / "heatmap.html"
    write_heatmap(con, out, F(by="document"))
    html = out.read_text(encoding="utf-8")
    assert not EXTERNAL_REFERENCE.search(html)
    assert "cdn" not in html.lower()
    assert "<script src" not in html and "<link" not in html
    assert "&lt;why&gt;" in html  # definitions are escaped in tooltips


def test_one_outlier_does_not_wash_out_the_colour_scale():
    rows = [
        {"theme": f"t{t}", "bucket": "2020", "value": t or 500, "documents": 1, "total_documents": 1}
        for t in range(40)
    ]
    matrix = build_matrix(rows, {}, "mentions")
    assert scale_max(matrix) < 50
    assert legend_stops(matrix)[-1][2].startswith("≥")
    assert "or more" in chart_note(matrix)
    backgrounds = [colours[0][0] for colours in cell_colours(matrix)]
    assert len(set(backgrounds)) > 20  # the other 39 cells keep distinct shades


def test_an_empty_selection_is_refused_before_anything_is_written(con, tmp_path):
    out = tmp_path / "empty.html"
    with pytest.raises(NoDocumentsError, match="No document matches --since 2030"):
        write_heatmap(con, out, F(since=2030))
    assert not out.exists()


def test_unknown_extension_and_palette_are_refused(con, tmp_path):
    with pytest.raises(UsageError, match="use one of"):
        write_heatmap(con, tmp_path / "heatmap.gif")
    with pytest.raises(UsageError, match="palette"):
        write_heatmap(con, tmp_path / "heatmap.png", palette="jet")


def test_default_run_call_still_works(con, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    matrix = write_heatmap(con, Path("heatmap.png"))
    assert (tmp_path / "heatmap.png").stat().st_size > 0
    assert matrix.metric == "share"
