"""The interactive heatmap: one self-contained HTML file (inline CSS, JS and data; no network).

Hovering, focusing or clicking a cell shows its share, document count and the top
evidence sentences with title, year and page. The cell data and quotes sit in one
JSON block, so the page works offline and tests can read exactly what it shows.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from pipeline.analysis.quotes import trim_quote
from pipeline.outputs.heatmap.style import (
    DEFAULT_PALETTE,
    cell_colours,
    cell_text,
    chart_note,
    chart_title,
    is_presence,
    legend_stops,
    short_document_label,
)

if TYPE_CHECKING:
    from pipeline.outputs.heatmap.matrix import HeatmapMatrix

EVIDENCE_KEYS = ("title", "year", "doc_type", "page", "before", "match", "after")


def template_env() -> Environment:
    """Return the jinja2 environment of pipeline/outputs/templates (HTML autoescaped)."""
    return Environment(
        loader=PackageLoader("pipeline.outputs", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def script_json(data: Any) -> str:
    """Serialise `data` for a <script type="application/json"> block (no `</script>` breakout)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def cell_figures(matrix: HeatmapMatrix, i: int, j: int) -> str:
    """Return a cell's numbers in words, e.g. "45% of documents (9 of 20)"."""
    value, documents, total = matrix.values[i][j], matrix.documents[i][j], matrix.totals[j]
    if is_presence(matrix):
        found = "prominent" if matrix.metric == "prominent" else "discussed"
        return f"theme {found} in this document" if documents else f"theme not {found} in this document"
    of_total = f"{documents} of {total} document{'s' if total != 1 else ''}"
    if matrix.metric == "share":
        return f"{value:.0%} of documents ({of_total})"
    if matrix.metric == "prominent":
        return f"prominent in {value:.0%} of documents ({of_total})"
    if matrix.metric == "documents":
        return of_total
    if matrix.metric == "mentions":
        return f"{value:.0f} counted mentions in {of_total}"
    return f"{value:.1f} mentions per 10,000 words; {of_total}"


def _evidence(matrix: HeatmapMatrix, theme: str, bucket: str) -> list[dict[str, Any]]:
    rows = matrix.evidence.get((theme, bucket), [])
    return [{key: quote[key] for key in EVIDENCE_KEYS} for quote in map(trim_quote, rows)]


def _cell(matrix: HeatmapMatrix, i: int, j: int, column: str) -> dict[str, Any]:
    """Return the JSON data of cell (i, j): numbers, words and evidence."""
    theme, bucket = matrix.themes[i], matrix.buckets[j]
    return {
        "theme": theme,
        "label": matrix.labels[i],
        "bucket": bucket,
        "column": column,
        "value": matrix.values[i][j],
        "documents": matrix.documents[i][j],
        "total_documents": matrix.totals[j],
        "figures": cell_figures(matrix, i, j),
        "evidence": _evidence(matrix, theme, bucket),
    }


def _rows(matrix: HeatmapMatrix, cells: dict[str, dict[str, Any]], palette: str, show_values: bool) -> list:
    """Return the table rows: label, definition and each cell's colours and text."""
    colours = cell_colours(matrix, palette)
    write_numbers = show_values and not is_presence(matrix)
    rows = []
    for i, label in enumerate(matrix.display_labels):
        row_cells = []
        for j in range(len(matrix.buckets)):
            data = cells[f"{i}-{j}"]
            text = cell_text(data["value"], data["documents"], matrix.metric) if write_numbers else ""
            background, colour = colours[i][j]
            row_cells.append({"key": f"{i}-{j}", "background": background, "colour": colour,
                              "figures": data["figures"], "column": data["column"], "text": text})
        definition = matrix.definitions[i] if matrix.definitions else ""
        rows.append({"label": label, "definition": definition, "cells": row_cells})
    return rows


def heatmap_context(
    matrix: HeatmapMatrix, *, palette: str = DEFAULT_PALETTE, show_values: bool = True
) -> dict[str, Any]:
    """Return what the heatmap templates render: columns, rows of cells, legend and the JSON block."""
    shorten = short_document_label if matrix.by == "document" else str
    columns = [
        {"label": label, "short": shorten(label), "total": total}
        for label, total in zip(matrix.bucket_labels, matrix.totals, strict=True)
    ]
    cells = {
        f"{i}-{j}": _cell(matrix, i, j, label)
        for i in range(len(matrix.themes))
        for j, label in enumerate(matrix.bucket_labels)
    }
    return {
        "title": chart_title(matrix),
        "subtitle": _subtitle(matrix),
        "note": chart_note(matrix),
        "per_document": matrix.by == "document",
        "columns": columns,
        "rows": _rows(matrix, cells, palette, show_values),
        "legend": [] if is_presence(matrix) else legend_stops(matrix, palette),
        "json": script_json({"metric": matrix.metric, "by": matrix.by, "cells": cells}),
    }


def _subtitle(matrix: HeatmapMatrix) -> str:
    documents = sum(matrix.totals)
    return (
        f"{documents} documents · {len(matrix.themes)} themes with at least one counted mention · "
        f"generated {date.today():%d %B %Y}"
    )


def write_html(
    matrix: HeatmapMatrix, out: Path, *, palette: str = DEFAULT_PALETTE, show_values: bool = True
) -> None:
    """Write the interactive, self-contained heatmap page to `out`."""
    context = heatmap_context(matrix, palette=palette, show_values=show_values)
    html = template_env().get_template("heatmap.html").render(heatmap=context)
    out.write_text(html, encoding="utf-8")
