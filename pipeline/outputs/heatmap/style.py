"""What every heatmap format shares: the palette, the colour scale, cell text and captions.

PNG, SVG, HTML and XLSX colour cells from the same function, so a cell has the
same shade in every format.
"""

from __future__ import annotations

import re
from textwrap import shorten
from typing import TYPE_CHECKING

from pipeline.analysis.filters import SHARE_METRICS

if TYPE_CHECKING:
    from pipeline.outputs.heatmap.matrix import HeatmapMatrix

# Sequential palettes that stay readable with colour-vision deficiencies and in greyscale print,
# by name -> matplotlib colour map, all light = low and dark = high (cividis and viridis reversed).
# YlGnBu is ColorBrewer's colour-blind-safe yellow-green-blue.
PALETTES = {
    "YlGnBu": "YlGnBu",
    "cividis": "cividis_r",
    "viridis": "viridis_r",
    "Blues": "Blues",
    "Greys": "Greys",
}
# Counts and rates: the colour scale tops out at this quantile of the non-zero cells, so that one
# outlier does not wash out every other cell (cells above it take the darkest shade).
SCALE_QUANTILE = 0.95
DEFAULT_PALETTE = "YlGnBu"
# Below this relative luminance a cell's text is white, above it near-black: the point where
# both give the same WCAG contrast ratio, so the chosen one always gives at least 4.6:1.
DARK_CELL_LUMINANCE = 0.18
DARK_TEXT = "#1a1a1a"
LIGHT_TEXT = "#ffffff"
BLANK_CELL = "#f7f7f7"  # cells with no document: a neutral, not the palette's lowest shade

METRIC_TITLES = {
    "share": "Share of documents with the theme",
    "prominent": "Share of documents where the theme is prominent",
    "documents": "Documents with the theme",
    "mentions": "Counted mentions of the theme",
    "per_10k": "Counted mentions per 10,000 words",
}
METRIC_NOTES = {
    "share": "Cell = % of the column's documents that discuss the theme.",
    "prominent": (
        "Cell = % of the column's documents where the theme is prominent: in the summary, findings or "
        "recommendations, or the subject of a paragraph."
    ),
    "documents": "Cell = number of the column's documents with at least one counted mention.",
    "mentions": "Cell = number of counted mentions in the column's documents.",
    "per_10k": "Cell = counted mentions per 10,000 words of the column's documents.",
}
MAX_DOCUMENT_LABEL_CHARS = 48
YEAR_SUFFIX = re.compile(r" \(\d{4}\)$")
ORDER_NOTES = {
    "total": "Rows: most documents first.",
    "trend": "Rows: steepest rise first, steepest fall last.",
    "cluster": "Rows: themes with similar patterns side by side.",
}
EMPTY_NOTE = "No document matches: ingest some reviews first, or widen the filters."
REVIEWED_NOTE = " (review decisions applied)"
SMALL_COLUMN = 5  # columns with fewer documents get a caution in the footnote
BLANK_NOTE = "Grey blank = no document with the theme."
SATURATED_NOTE = (
    "Saturated: discussed in nearly every document of every year (a heading every report has); the "
    "share of documents where it is prominent is shown beside it, and on shares it comes last."
)
LEGEND_STEPS = 5
BY_TITLES = {"year": "year", "doc_type": "review type", "area": "area", "document": "document"}


def short_document_label(label: str) -> str:
    """Shorten a long "Title (year)" column heading, keeping the year."""
    match = YEAR_SUFFIX.search(label)
    title, year = (label[: match.start()], match.group(0)) if match else (label, "")
    return shorten(title, MAX_DOCUMENT_LABEL_CHARS - len(year), placeholder="…") + year


def is_presence(matrix: HeatmapMatrix) -> bool:
    """Return True when each cell only says whether one document has the theme (no scale needed)."""
    return matrix.by == "document" and matrix.metric in ("share", "prominent", "documents")


def chart_title(matrix: HeatmapMatrix) -> str:
    """Return the heading shown above the heatmap in every format."""
    if is_presence(matrix):
        title = f"Themes {'prominent' if matrix.metric == 'prominent' else 'discussed'} in each document"
    else:
        title = f"{METRIC_TITLES[matrix.metric]}, by {BY_TITLES[matrix.by]}"
    return title + (REVIEWED_NOTE if matrix.reviewed else "")


def chart_note(matrix: HeatmapMatrix) -> str:
    """Return the footnote that says how to read a cell."""
    if not matrix.buckets:
        return EMPTY_NOTE
    if is_presence(matrix):
        found = "prominent in" if matrix.metric == "prominent" else "discussed by"
        return f"Dark cell = the theme is {found} the document; grey = not."
    note = f"{METRIC_NOTES[matrix.metric]} n = documents in the column. {BLANK_NOTE}"
    note += f" {ORDER_NOTES[matrix.order]}"
    if is_clipped(matrix):
        note += f" The darkest shade means {scale_max(matrix):.3g} or more."
    if any(total < SMALL_COLUMN for total in matrix.totals):
        note += f" Columns with n < {SMALL_COLUMN} swing widely: one document moves the share a lot."
    if matrix.saturation:
        note += f" {SATURATED_NOTE}"
    return note


def colour_map(palette: str):  # noqa: ANN201 - a matplotlib Colormap
    """Return the matplotlib colour map of a palette name from PALETTES."""
    from matplotlib import colormaps

    return colormaps[PALETTES[palette]]


def scale_max(matrix: HeatmapMatrix) -> float:
    """Return the top of the colour scale: 100% for shares, else a high quantile of the non-zero values."""
    if matrix.metric in SHARE_METRICS:
        return 1.0
    values = sorted(value for row in matrix.values for value in row if value > 0)
    if not values:
        return 1.0
    return values[min(len(values) - 1, int(SCALE_QUANTILE * len(values)))]


def is_clipped(matrix: HeatmapMatrix) -> bool:
    """Return True when some cells exceed the top of the colour scale."""
    return any(value > scale_max(matrix) for row in matrix.values for value in row)


def cell_text(value: float, documents: int, metric: str) -> str:
    """Return the number written in a cell (blank when no document has the theme)."""
    if not documents:
        return ""
    if metric in SHARE_METRICS:
        return f"{value:.0%}"
    if metric == "per_10k":
        return f"{value:.1f}"
    return f"{value:.0f}"


def _luminance(rgb: tuple[float, float, float]) -> float:
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def text_colour(background: str) -> str:
    """Return the text colour (near-black or white) with the better contrast on `background`."""
    from matplotlib.colors import to_rgb

    return LIGHT_TEXT if _luminance(to_rgb(background)) < DARK_CELL_LUMINANCE else DARK_TEXT


def cell_colours(matrix: HeatmapMatrix, palette: str = DEFAULT_PALETTE) -> list[list[tuple[str, str]]]:
    """Return (background, text) hex colours for every cell of the matrix."""
    from matplotlib.colors import to_hex

    cmap = colour_map(palette)
    top = scale_max(matrix)
    colours = []
    for values, documents in zip(matrix.values, matrix.documents, strict=True):
        row = []
        for value, count in zip(values, documents, strict=True):
            if not count:
                row.append((BLANK_CELL, DARK_TEXT))
                continue
            background = to_hex(cmap(min(value / top, 1.0)))
            row.append((background, text_colour(background)))
        colours.append(row)
    return colours


def legend_stops(matrix: HeatmapMatrix, palette: str = DEFAULT_PALETTE) -> list[tuple[str, str, str]]:
    """Return (background, text colour, label) for a legend from low to high."""
    from matplotlib.colors import to_hex

    cmap, top = colour_map(palette), scale_max(matrix)
    stops = []
    for index in range(LEGEND_STEPS):
        fraction = index / (LEGEND_STEPS - 1)
        label = f"{fraction:.0%}" if matrix.metric in SHARE_METRICS else f"{fraction * top:.3g}"
        if index == LEGEND_STEPS - 1 and is_clipped(matrix):
            label = f"≥ {label}"
        background = to_hex(cmap(fraction))
        stops.append((background, text_colour(background), label))
    return stops


def bin_colours(palette: str = DEFAULT_PALETTE, bins: int = 6) -> list[tuple[str, str]]:
    """Return (background, text) for colour bins 1..`bins` of a palette, each at its middle.

    The dashboard shades its cells in bins of the shared scale (`scale_max`); taking each
    bin's colour from the files' colour map keeps one palette everywhere.
    """
    from matplotlib.colors import to_hex

    cmap = colour_map(palette)
    colours = []
    for number in range(1, bins + 1):
        background = to_hex(cmap((number - 0.5) / bins))
        colours.append((background, text_colour(background)))
    return colours
