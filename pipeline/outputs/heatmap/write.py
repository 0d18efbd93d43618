"""Write a heatmap in the format its file name asks for: PNG, SVG, HTML, CSV or XLSX."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from pipeline.analysis import queries
from pipeline.analysis.filters import TrendFilters
from pipeline.errors import UsageError
from pipeline.output import writing
from pipeline.outputs.heatmap.matrix import HeatmapMatrix, heatmap_matrix
from pipeline.outputs.heatmap.style import DEFAULT_PALETTE, PALETTES

HEATMAP_SUFFIXES = (".png", ".svg", ".html", ".csv", ".xlsx")
DEFAULT_EVIDENCE_PER_CELL = 3
# Formats that carry the evidence sentences behind each cell.
EVIDENCE_SUFFIXES = (".html", ".xlsx")


def _write_csv(matrix: HeatmapMatrix, out: Path) -> None:
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        headings = (f"{b} (n={n})" for b, n in zip(matrix.bucket_labels, matrix.totals, strict=True))
        writer.writerow(["theme", "label", *headings, "saturated", "prominent_share"])
        for theme, label, row in zip(matrix.themes, matrix.labels, matrix.values, strict=True):
            saturation = matrix.saturation.get(theme)
            marks = [True, round(saturation.prominent_share, 4)] if saturation else [False, ""]
            writer.writerow([theme, label, *(round(value, 4) for value in row), *marks])


def write_heatmap(
    con: duckdb.DuckDBPyConnection,
    out: Path,
    filters: TrendFilters | None = None,
    *,
    order: str = "total",
    palette: str = DEFAULT_PALETTE,
    show_values: bool = True,
    evidence_per_cell: int = DEFAULT_EVIDENCE_PER_CELL,
) -> HeatmapMatrix:
    """Write a theme heatmap to `out`; the format follows the extension.

    Args:
        con: an open warehouse connection.
        out: .png/.svg (print), .html (interactive, self-contained), .csv or .xlsx.
        order: row order, one of ROW_ORDERS.
        palette: one of heatmap_style.PALETTES.
        show_values: write the number in every cell (PNG, SVG, HTML).
        evidence_per_cell: quotes per cell in HTML and XLSX.
        filters: the documents, themes and metric (`TrendFilters`).

    Raises:
        UsageError: the extension, palette or a filter is not one we know.
        NoDocumentsError: no document matches the filters (nothing is written).
        UsageError: `out` cannot be written (no such folder, no permission, a folder).
    """
    suffix = out.suffix.lower()
    if suffix not in HEATMAP_SUFFIXES:
        raise UsageError(f"Cannot write {out.name}: use one of {', '.join(HEATMAP_SUFFIXES)}")
    if palette not in PALETTES:
        raise UsageError(f"Unknown --palette {palette!r}; choose one of {', '.join(PALETTES)}")
    queries.require_documents(con, filters)
    per_cell = evidence_per_cell if suffix in EVIDENCE_SUFFIXES else 0
    with writing(out):
        matrix = heatmap_matrix(con, filters, order=order, evidence_per_cell=per_cell)
        _write(matrix, out, palette=palette, show_values=show_values)
    return matrix


def _write(matrix: HeatmapMatrix, out: Path, *, palette: str, show_values: bool) -> None:
    suffix = out.suffix.lower()
    if suffix == ".csv":
        _write_csv(matrix, out)
    elif suffix == ".xlsx":
        from pipeline.outputs.heatmap.xlsx import write_xlsx

        write_xlsx(matrix, out, palette=palette)
    elif suffix == ".html":
        from pipeline.outputs.heatmap.html import write_html

        write_html(matrix, out, palette=palette, show_values=show_values)
    else:
        from pipeline.outputs.heatmap.chart import render_chart

        render_chart(matrix, out, palette=palette, show_values=show_values)
