"""Static heatmaps for print: PNG (raster) and SVG (vector, text kept as text) via matplotlib.

Sizes are set in inches from the number of rows and columns so that cells stay
legible at 49 themes x 10 years and nothing is clipped (the figure is saved with a
tight bounding box around every label).
"""

from __future__ import annotations

from pathlib import Path
from textwrap import fill
from typing import TYPE_CHECKING

from pipeline.analysis.filters import SHARE_METRICS
from pipeline.outputs.heatmap.style import (
    DEFAULT_PALETTE,
    cell_colours,
    cell_text,
    chart_note,
    chart_title,
    colour_map,
    is_clipped,
    is_presence,
    scale_max,
    short_document_label,
)

if TYPE_CHECKING:
    from pipeline.outputs.heatmap.matrix import HeatmapMatrix

Rect = tuple[float, float, float, float]  # left, bottom, width, height as fractions of the figure
PNG_DPI = 200
CELL_WIDTH_IN = 0.62
DOCUMENT_CELL_WIDTH_IN = 0.32
ROW_HEIGHT_IN = 0.27
MARGIN_IN = 0.2
COLOUR_BAR_GAP_IN = 0.25
COLOUR_BAR_WIDTH_IN = 0.18
COLOUR_BAR_MAX_HEIGHT_IN = 3.0
LABEL_FONT_PT = 8
CELL_FONT_PT = 7
TITLE_FONT_PT = 10
NOTE_FONT_PT = 7
NOTE_GAP_ROWS = 0.4
NOTE_COLOUR = "#444444"
NOTE_MIN_CHARS = 70
NOTE_CHARS_PER_IN = 17
COLUMN_LABEL_WRAP_CHARS = 10  # what fits over a cell at LABEL_FONT_PT
GRID_COLOUR = "white"
GRID_WIDTH_PT = 1.0


def _column_labels(matrix: HeatmapMatrix) -> list[str]:
    if matrix.by == "document":
        return [short_document_label(label) for label in matrix.bucket_labels]
    return [
        f"{fill(label, COLUMN_LABEL_WRAP_CHARS, break_long_words=False)}\nn={n}"
        for label, n in zip(matrix.bucket_labels, matrix.totals, strict=True)
    ]


def _layout(matrix: HeatmapMatrix) -> tuple[tuple[float, float], Rect, Rect]:
    """Return the figure size and the heatmap and colour-bar axes rectangles (figure fractions).

    Cells get a fixed size in inches; labels outside the axes are kept by the tight bounding box.
    """
    cell_width = DOCUMENT_CELL_WIDTH_IN if matrix.by == "document" else CELL_WIDTH_IN
    grid_width = cell_width * max(len(matrix.buckets), 1)
    grid_height = ROW_HEIGHT_IN * max(len(matrix.themes), 1)
    width = grid_width + COLOUR_BAR_GAP_IN + COLOUR_BAR_WIDTH_IN + MARGIN_IN
    height = grid_height + MARGIN_IN
    grid = (0.0, 0.0, grid_width / width, grid_height / height)
    bar_height = min(grid_height, COLOUR_BAR_MAX_HEIGHT_IN)
    bar = (
        (grid_width + COLOUR_BAR_GAP_IN) / width,
        (grid_height - bar_height) / height,
        COLOUR_BAR_WIDTH_IN / width,
        bar_height / height,
    )
    return (width, height), grid, bar


def _draw_cells(ax, matrix: HeatmapMatrix, palette: str, show_values: bool):  # noqa: ANN001, ANN202
    """Draw coloured cells (vector rectangles) and their numbers; return a mappable for the colour bar."""
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize, to_rgba

    colours = cell_colours(matrix, palette)
    rgba = [[to_rgba(background) for background, _ in row] for row in colours] or [[to_rgba("white")]]
    ax.pcolormesh(rgba, edgecolors=GRID_COLOUR, linewidth=GRID_WIDTH_PT)
    if show_values and not is_presence(matrix):
        for i, row in enumerate(matrix.values):
            for j, value in enumerate(row):
                text = cell_text(value, matrix.documents[i][j], matrix.metric)
                ax.text(j + 0.5, i + 0.5, text, ha="center", va="center", fontsize=CELL_FONT_PT,
                        color=colours[i][j][1])
    return ScalarMappable(norm=Normalize(0, scale_max(matrix)), cmap=colour_map(palette))


def _label_axes(ax, matrix: HeatmapMatrix) -> None:  # noqa: ANN001
    ax.set_xticks([j + 0.5 for j in range(len(matrix.buckets))])
    rotation = 90 if matrix.by == "document" else 0
    ax.set_xticklabels(_column_labels(matrix), fontsize=LABEL_FONT_PT, rotation=rotation)
    ax.set_yticks([i + 0.5 for i in range(len(matrix.themes))])
    ax.set_yticklabels(matrix.display_labels, fontsize=LABEL_FONT_PT)
    ax.set_xlim(0, max(len(matrix.buckets), 1))
    ax.set_ylim(max(len(matrix.themes), 1), 0)
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)


def _colour_bar(fig, mappable, rect: Rect, matrix: HeatmapMatrix) -> None:  # noqa: ANN001
    from matplotlib.ticker import PercentFormatter

    extend = "max" if is_clipped(matrix) else "neither"  # an arrow: darker cells may be higher still
    bar = fig.colorbar(mappable, cax=fig.add_axes(rect), extend=extend)
    bar.ax.tick_params(labelsize=LABEL_FONT_PT)
    if matrix.metric in SHARE_METRICS:
        bar.ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0))


def render_chart(
    matrix: HeatmapMatrix, out: Path, *, palette: str = DEFAULT_PALETTE, show_values: bool = True
) -> None:
    """Render the heatmap to a .png or .svg file (format from the extension)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with plt.rc_context({"svg.fonttype": "none", "font.family": "DejaVu Sans"}):
        size, grid, bar_rect = _layout(matrix)
        fig = plt.figure(figsize=size)
        ax = fig.add_axes(grid)
        mesh = _draw_cells(ax, matrix, palette, show_values)
        _label_axes(ax, matrix)
        if not is_presence(matrix):
            _colour_bar(fig, mesh, bar_rect, matrix)
        ax.set_title(chart_title(matrix), fontsize=TITLE_FONT_PT, loc="left", pad=8)
        below_grid = max(len(matrix.themes), 1) + NOTE_GAP_ROWS
        note = fill(chart_note(matrix), max(NOTE_MIN_CHARS, int(size[0] * NOTE_CHARS_PER_IN)))
        ax.text(0, below_grid, note, fontsize=NOTE_FONT_PT, va="top", color=NOTE_COLOUR)
        fig.savefig(out, dpi=PNG_DPI, bbox_inches="tight", pad_inches=0.15, metadata=_metadata(out))
        plt.close(fig)


def _metadata(out: Path) -> dict[str, str | None]:
    """Keep output reproducible: no creation date (PNG) and no date in the SVG."""
    if out.suffix.lower() == ".svg":
        return {"Date": None}
    return {"Software": "safeguarding-themes"}
