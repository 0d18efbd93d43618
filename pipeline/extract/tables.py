"""Ruled tables from ruling lines and positioned text, without pdfplumber.

A table is a connected set of thin horizontal and vertical rules: the rules'
positions give the row and column boundaries, and each text fragment goes to
the cell that holds its centre. This is the same idea as pdfplumber's
``lines`` strategy, but it reuses the geometry pdfium already gave us and so
costs nothing on the ~1 in 8 report pages that carry rules. All coordinates
are top-down page points.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from pipeline.extract.layout import Line, merge_fragments, reading_order

# Rules closer than this (points) are the same boundary, or touch.
SNAP_TOLERANCE = 3.0
MIN_TABLE_RULES = 3  # horizontal rules, and at least MIN_TABLE_RULES - 1 vertical ones
MIN_TABLE_ROWS = 2
MIN_TABLE_COLUMNS = 2


@dataclass(frozen=True, slots=True)
class Rule:
    """A thin horizontal (``at`` = y) or vertical (``at`` = x) line from ``start`` to ``end``."""

    at: float
    start: float
    end: float
    vertical: bool


@dataclass(frozen=True, slots=True)
class Grid:
    """Row boundaries (``ys``) and column boundaries (``xs``) of one ruled table."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        """Return (x0, top, x1, bottom)."""
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def contains(self, x: float, y: float) -> bool:
        """Return whether a point lies inside the table."""
        x0, top, x1, bottom = self.bbox
        return x0 <= x <= x1 and top <= y <= bottom


def find_grids(rules: list[Rule]) -> list[Grid]:
    """Group touching rules into tables and return each table's boundaries."""
    groups = _connected(rules)
    grids = []
    for group in groups:
        ys = _snap(sorted(r.at for r in group if not r.vertical))
        xs = _snap(sorted(r.at for r in group if r.vertical))
        if len(ys) >= MIN_TABLE_RULES and len(xs) >= MIN_TABLE_RULES - 1:
            grids.append(Grid(tuple(xs), tuple(ys)))
    return grids


def _connected(rules: list[Rule]) -> list[list[Rule]]:
    parent = list(range(len(rules)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    horizontal = [i for i, r in enumerate(rules) if not r.vertical]
    vertical = [i for i, r in enumerate(rules) if r.vertical]
    for h in horizontal:
        for v in vertical:
            if _touch(rules[h], rules[v]):
                parent[root(h)] = root(v)
    groups: dict[int, list[Rule]] = {}
    for i, rule in enumerate(rules):
        groups.setdefault(root(i), []).append(rule)
    return list(groups.values())


def _touch(horizontal: Rule, vertical: Rule) -> bool:
    tol = SNAP_TOLERANCE
    return (
        horizontal.start - tol <= vertical.at <= horizontal.end + tol
        and vertical.start - tol <= horizontal.at <= vertical.end + tol
    )


def _snap(values: list[float]) -> list[float]:
    snapped: list[float] = []
    for value in values:
        if not snapped or value - snapped[-1] > SNAP_TOLERANCE:
            snapped.append(value)
    return snapped


def apply_grids(lines: list[Line], grids: list[Grid]) -> list[Line]:
    """Replace the fragments inside each table with one line carrying the table's rows."""
    for grid in grids:
        inside = [ln for ln in lines if grid.contains((ln.x0 + ln.x1) / 2, (ln.top + ln.bottom) / 2)]
        rows = table_rows(inside, grid)
        if len(rows) < MIN_TABLE_ROWS or max(sum(bool(c) for c in row) for row in rows) < MIN_TABLE_COLUMNS:
            continue
        taken = {id(ln) for ln in inside}
        size = min(ln.size for ln in inside)
        lines = [ln for ln in lines if id(ln) not in taken]
        lines.append(Line(*grid.bbox, text="", size=size, rows=rows))
    return lines


def apply_tables(
    lines: list[Line], tables: list[tuple[tuple[float, float, float, float], tuple]]
) -> list[Line]:
    """Replace the fragments inside tables found elsewhere (bbox, rows) with one line per table."""
    for bbox, rows in tables:
        rows = tuple(row for row in rows if any(cell.strip() for cell in row))
        if len(rows) < MIN_TABLE_ROWS or max(len(row) for row in rows) < MIN_TABLE_COLUMNS:
            continue
        x0, top, x1, bottom = bbox
        inside = [
            ln
            for ln in lines
            if x0 <= (ln.x0 + ln.x1) / 2 <= x1 and top <= (ln.top + ln.bottom) / 2 <= bottom
        ]
        size = min((ln.size for ln in inside), default=min(ln.size for ln in lines))
        taken = {id(ln) for ln in inside}
        lines = [ln for ln in lines if id(ln) not in taken] + [Line(*bbox, text="", size=size, rows=rows)]
    return lines


def table_rows(lines: list[Line], grid: Grid) -> tuple[tuple[str, ...], ...]:
    """Return the non-empty rows of a table, each a tuple of cell texts."""
    cells: dict[tuple[int, int], list[Line]] = {}
    for line in lines:
        row = bisect_right(grid.ys, (line.top + line.bottom) / 2) - 1
        col = bisect_right(grid.xs, (line.x0 + line.x1) / 2) - 1
        cells.setdefault((row, col), []).append(line)
    rows: list[tuple[str, ...]] = []
    for r in range(len(grid.ys) - 1):
        texts = tuple(
            "\n".join(ln.text for ln in reading_order(merge_fragments(cells.get((r, c), []))))
            for c in range(len(grid.xs) - 1)
        )
        if any(texts):
            rows.append(texts)
    return tuple(rows)
