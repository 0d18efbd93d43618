"""Heatmaps of theme x bucket for board reports: PNG, SVG and CSV.

The matrix comes from the same named `trends` query as the CLI, so a heatmap
cell always equals the number `trends` prints.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from pipeline import queries
from pipeline.errors import UsageError

HEATMAP_SUFFIXES = (".png", ".svg", ".csv")
CELL_WIDTH_IN = 0.62
ROW_HEIGHT_IN = 0.26
LABEL_MARGIN_IN = 3.2
COLOUR_MAP = "viridis_r"  # perceptually uniform and colour-blind safe
PNG_DPI = 200


@dataclass(frozen=True)
class HeatmapMatrix:
    """Theme rows x bucket columns, with document counts for every cell and column."""

    themes: list[str]
    labels: list[str]
    buckets: list[str]
    values: list[list[float]]
    documents: list[list[int]]
    totals: list[int]
    metric: str


def build_matrix(rows: Sequence[dict[str, Any]], labels: dict[str, str], metric: str) -> HeatmapMatrix:
    """Arrange trend rows as a matrix, themes with any hit first by total documents."""
    buckets, table = queries.pivot_trends(rows)
    present = [theme for theme, cells in table.items() if any(c["documents"] for c in cells.values())]
    present.sort(key=lambda theme: -sum(c["documents"] for c in table[theme].values()))
    totals = [next(r["total_documents"] for r in rows if r["bucket"] == b) for b in buckets]
    return HeatmapMatrix(
        themes=present,
        labels=[labels.get(theme, theme) for theme in present],
        buckets=buckets,
        values=[[float(table[t][b]["value"] or 0) for b in buckets] for t in present],
        documents=[[int(table[t][b]["documents"]) for b in buckets] for t in present],
        totals=totals,
        metric=metric,
    )


def heatmap_matrix(con: duckdb.DuckDBPyConnection, **trend_filters: Any) -> HeatmapMatrix:
    """Query the warehouse and build the heatmap matrix."""
    rows = queries.trends(con, **trend_filters)
    labels = {theme["id"]: theme["label"] for theme in queries.active_themes(con)}
    return build_matrix(rows, labels, trend_filters.get("metric", "share"))


def _cell_text(value: float, documents: int, metric: str) -> str:
    if metric == "share":
        return f"{value:.0%}" if documents else ""
    return f"{value:.3g}" if value else ""


def _render(matrix: HeatmapMatrix, out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    width = LABEL_MARGIN_IN + CELL_WIDTH_IN * max(len(matrix.buckets), 1) + 1.2
    height = 1.4 + ROW_HEIGHT_IN * max(len(matrix.themes), 1)
    fig, ax = plt.subplots(figsize=(width, height))
    vmax = 1.0 if matrix.metric == "share" else max((max(r) for r in matrix.values), default=1.0) or 1.0
    image = ax.imshow(matrix.values or [[0.0]], cmap=COLOUR_MAP, vmin=0, vmax=vmax, aspect="auto")
    ax.set_xticks(range(len(matrix.buckets)))
    ax.set_xticklabels(
        [f"{b}\nn={n}" for b, n in zip(matrix.buckets, matrix.totals, strict=True)], fontsize=8
    )
    ax.set_yticks(range(len(matrix.themes)))
    ax.set_yticklabels(matrix.labels, fontsize=8)
    ax.xaxis.tick_top()
    for i, row in enumerate(matrix.values):
        for j, value in enumerate(row):
            colour = "white" if value > vmax * 0.55 else "black"
            text = _cell_text(value, matrix.documents[i][j], matrix.metric)
            ax.text(j, i, text, ha="center", va="center", fontsize=7, color=colour)
    fig.colorbar(image, ax=ax, fraction=0.03, pad=0.02, label=matrix.metric.replace("_", " "))
    fig.tight_layout()
    fig.savefig(out, dpi=PNG_DPI)
    plt.close(fig)


def _write_csv(matrix: HeatmapMatrix, out: Path) -> None:
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["theme", "label", *(f"{b} (n={n})" for b, n in zip(matrix.buckets, matrix.totals, strict=True))]
        )
        for theme, label, row in zip(matrix.themes, matrix.labels, matrix.values, strict=True):
            writer.writerow([theme, label, *(round(value, 4) for value in row)])


def write_heatmap(con: duckdb.DuckDBPyConnection, out: Path, **trend_filters: Any) -> HeatmapMatrix:
    """Write a theme heatmap to `out`; the format follows the extension.

    Raises:
        UsageError: the extension is not one we write.
    """
    suffix = out.suffix.lower()
    if suffix not in HEATMAP_SUFFIXES:
        raise UsageError(f"Cannot write {out.name}: use one of {', '.join(HEATMAP_SUFFIXES)}")
    matrix = heatmap_matrix(con, **trend_filters)
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        _write_csv(matrix, out)
    else:
        _render(matrix, out)
    return matrix
