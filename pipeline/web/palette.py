"""The dashboard's heatmap colours, made from the palette of the heatmap files at start-up.

The dashboard cannot colour cells inline (its Content-Security-Policy forbids inline
styles), so it shades them with classes c0..c6; this stylesheet gives those classes the
colours of `outputs.heatmap.style` (the files' default palette, each bin at its middle),
so a cell has the same shade on screen as in the PNG, SVG, HTML and XLSX.
"""

from __future__ import annotations

from pipeline.outputs.heatmap.style import BLANK_CELL, DARK_TEXT, DEFAULT_PALETTE, bin_colours

PALETTE_ASSET = "palette.css"


def palette_css(bins: int, palette: str = DEFAULT_PALETTE) -> bytes:
    """Return the stylesheet of the colour classes c0 (no document) and c1..c`bins`."""
    rules = [f":root {{ --c0: {BLANK_CELL}; }}"]
    rules.append(f".c0 {{ background: {BLANK_CELL}; color: {DARK_TEXT}; }}")
    for number, (background, text) in enumerate(bin_colours(palette, bins), start=1):
        rules.append(f":root {{ --c{number}: {background}; }}")
        selector = f".c{number}, table.heatmap td.c{number} a"
        rules.append(f"{selector} {{ background: {background}; color: {text}; }}")
    return ("\n".join(rules) + "\n").encode("utf-8")
