"""The heatmap as an Excel workbook: a shaded matrix sheet plus the evidence behind each cell.

Sheet "Heatmap": title, one column per bucket with its document count (n), one row
per theme; numbers stay numbers (shares formatted as %) and cells carry the same
shades as the PNG. Sheet "Evidence": the quotes behind every cell with citations.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from pipeline.outputs.heatmap.style import DEFAULT_PALETTE, cell_colours, chart_note, chart_title

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from pipeline.outputs.heatmap.matrix import HeatmapMatrix

TITLE_ROW = 1
NOTE_ROW = 2
HEADER_ROW = 4
COUNT_ROW = 5
FIRST_DATA_ROW = 6
FIRST_VALUE_COLUMN = 3  # A: theme id, B: theme label
LABEL_COLUMN_WIDTH = 42
ID_COLUMN_WIDTH = 26
VALUE_COLUMN_WIDTH = 11
SENTENCE_COLUMN_WIDTH = 90
NUMBER_FORMATS = {"share": "0%", "prominent": "0%", "documents": "0", "mentions": "0", "per_10k": "0.0"}
EVIDENCE_COLUMNS = (
    "theme", "label", "column", "rank", "title", "year", "doc_type", "page", "sentence", "matched_text"
)
BOLD = Font(bold=True)


def _fill(hex_colour: str) -> PatternFill:
    rgb = hex_colour.lstrip("#").upper()
    return PatternFill(fill_type="solid", start_color=rgb, end_color=rgb)


def _write_header(sheet: Worksheet, matrix: HeatmapMatrix) -> None:
    sheet.cell(TITLE_ROW, 1, chart_title(matrix)).font = Font(bold=True, size=13)
    sheet.cell(NOTE_ROW, 1, chart_note(matrix))
    sheet.cell(HEADER_ROW, 1, "theme").font = BOLD
    sheet.cell(HEADER_ROW, 2, "label").font = BOLD
    sheet.cell(COUNT_ROW, 2, "documents (n)").font = BOLD
    for offset, (label, total) in enumerate(zip(matrix.bucket_labels, matrix.totals, strict=True)):
        column = FIRST_VALUE_COLUMN + offset
        header = sheet.cell(HEADER_ROW, column, label)
        header.font = BOLD
        header.alignment = Alignment(horizontal="center", wrap_text=True)
        sheet.cell(COUNT_ROW, column, total).alignment = Alignment(horizontal="center")


def _write_cells(sheet: Worksheet, matrix: HeatmapMatrix, palette: str) -> None:
    colours = cell_colours(matrix, palette)
    number_format = NUMBER_FORMATS[matrix.metric]
    for i, (theme, label) in enumerate(zip(matrix.themes, matrix.display_labels, strict=True)):
        row = FIRST_DATA_ROW + i
        sheet.cell(row, 1, theme)
        sheet.cell(row, 2, label)
        for j, value in enumerate(matrix.values[i]):
            cell = sheet.cell(row, FIRST_VALUE_COLUMN + j, value)
            background, text = colours[i][j]
            cell.fill = _fill(background)
            cell.font = Font(color=text.lstrip("#").upper())
            cell.number_format = number_format
            cell.alignment = Alignment(horizontal="center")


def _size_columns(sheet: Worksheet, matrix: HeatmapMatrix) -> None:
    sheet.column_dimensions["A"].width = ID_COLUMN_WIDTH
    sheet.column_dimensions["B"].width = LABEL_COLUMN_WIDTH
    for offset in range(len(matrix.buckets)):
        sheet.column_dimensions[get_column_letter(FIRST_VALUE_COLUMN + offset)].width = VALUE_COLUMN_WIDTH
    sheet.freeze_panes = sheet.cell(FIRST_DATA_ROW, FIRST_VALUE_COLUMN)


def _write_evidence(sheet: Worksheet, matrix: HeatmapMatrix) -> None:
    sheet.append(list(EVIDENCE_COLUMNS))
    for cell in sheet[1]:
        cell.font = BOLD
    columns = dict(zip(matrix.buckets, matrix.bucket_labels, strict=True))
    labels = dict(zip(matrix.themes, matrix.labels, strict=True))
    for (theme, bucket), rows in matrix.evidence.items():
        for row in rows:
            values = {**row, "label": labels.get(theme, theme), "column": columns.get(bucket, bucket)}
            sheet.append([values.get(key) for key in EVIDENCE_COLUMNS])
    sentence_column = EVIDENCE_COLUMNS.index("sentence") + 1
    sheet.column_dimensions[get_column_letter(sentence_column)].width = SENTENCE_COLUMN_WIDTH
    sheet.freeze_panes = "A2"


def write_xlsx(matrix: HeatmapMatrix, out: Path, *, palette: str = DEFAULT_PALETTE) -> None:
    """Write the heatmap (and, when the matrix carries it, its evidence) to an .xlsx workbook."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Heatmap"
    _write_header(sheet, matrix)
    _write_cells(sheet, matrix, palette)
    _size_columns(sheet, matrix)
    _write_evidence(workbook.create_sheet("Evidence"), matrix)
    workbook.save(out)
