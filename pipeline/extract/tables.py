"""Ruled tables, and ruled boxes that are not tables, from ruling lines and positioned text.

A grid is a connected set of thin horizontal and vertical rules. Its horizontal
rules cut it into rows; each row has the cell walls of the vertical rules that
really cross it, so a caption or a summary drawn in one wide cell across the
top or bottom of a table is one cell, not cut at the columns below it. A table
is a run of at least two rows that each have two or more cells: its text goes
to the cell that holds each fragment's centre, and it becomes one line carrying
the rows. Every other row of a grid (a ruled box, an Ofsted judgement panel, a
table's caption row) is a box: a region of the page read whole
(pipeline.extract.regions). This reuses the geometry pdfium already gave us,
so it costs nothing on the ~1 in 8 report pages that carry rules. All
coordinates are top-down page points.
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

Box = tuple[float, float, float, float]  # x0, top, x1, bottom


@dataclass(frozen=True, slots=True)
class Rule:
    """A thin horizontal (``at`` = y) or vertical (``at`` = x) line from ``start`` to ``end``."""

    at: float
    start: float
    end: float
    vertical: bool


@dataclass(frozen=True, slots=True)
class Grid:
    """Row boundaries (``ys``), column boundaries (``xs``) and the vertical rules of one ruled grid."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]
    verticals: tuple[tuple[float, float, float], ...] = ()  # (x, top, bottom) of each vertical rule

    @property
    def bbox(self) -> Box:
        """Return (x0, top, x1, bottom)."""
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def contains(self, x: float, y: float) -> bool:
        """Return whether a point lies inside the grid."""
        x0, top, x1, bottom = self.bbox
        return x0 <= x <= x1 and top <= y <= bottom

    def walls(self, row: int) -> tuple[float, ...]:
        """Return the cell boundaries of one row: the grid's edges and the vertical rules crossing it."""
        middle = (self.ys[row] + self.ys[row + 1]) / 2
        inner = {
            _snap_to(x, self.xs)
            for x, top, bottom in self.verticals
            if top - SNAP_TOLERANCE <= middle <= bottom + SNAP_TOLERANCE
        }
        return tuple(sorted(inner | {self.xs[0], self.xs[-1]}))

    def inner_walls(self) -> list[tuple[float, float, float]]:
        """Return the vertical rules inside the grid as (x, top, bottom): where fragments must break."""
        x0, _, x1, _ = self.bbox
        return [
            (x, top, bottom)
            for x, top, bottom in self.verticals
            if x0 + SNAP_TOLERANCE < x < x1 - SNAP_TOLERANCE
        ]


def find_grids(rules: list[Rule]) -> list[Grid]:
    """Group touching rules into grids and return each grid's boundaries and vertical rules."""
    grids = []
    for group in _connected(rules):
        ys = _snap(sorted(r.at for r in group if not r.vertical))
        xs = _snap(sorted(r.at for r in group if r.vertical))
        if len(ys) >= MIN_TABLE_RULES and len(xs) >= MIN_TABLE_RULES - 1:
            verticals = tuple(sorted((r.at, r.start, r.end) for r in group if r.vertical))
            grids.append(Grid(tuple(xs), tuple(ys), verticals))
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


def _snap_to(value: float, boundaries: tuple[float, ...]) -> float:
    """Return the boundary a rule position was snapped to (the last one not above it plus tolerance)."""
    index = max(0, bisect_right(boundaries, value + SNAP_TOLERANCE) - 1)
    return boundaries[index]


def apply_grids(lines: list[Line], grids: list[Grid]) -> tuple[list[Line], list[Box]]:
    """Replace the fragments of each table with one line carrying its rows; return the lines and boxes.

    The boxes are the cells of a grid's rows that are not part of a table, and the whole
    grid when it is not one table: pipeline.extract.regions reads each as a region.
    """
    boxes: list[Box] = []
    for grid in grids:
        inside = [ln for ln in lines if grid.contains((ln.x0 + ln.x1) / 2, (ln.top + ln.bottom) / 2)]
        tables, grid_boxes = _split_grid(grid, inside)
        boxes += grid_boxes
        for first, last in tables:
            taken = [ln for ln in inside if grid.ys[first] <= (ln.top + ln.bottom) / 2 <= grid.ys[last + 1]]
            rows = table_rows(taken, grid, range(first, last + 1))
            if (
                len(rows) < MIN_TABLE_ROWS
                or max(sum(bool(c) for c in row) for row in rows) < MIN_TABLE_COLUMNS
            ):
                boxes += [
                    (grid.xs[0], grid.ys[r], grid.xs[-1], grid.ys[r + 1]) for r in range(first, last + 1)
                ]
                continue
            ids = {id(ln) for ln in taken}
            size = min(ln.size for ln in taken)
            lines = [ln for ln in lines if id(ln) not in ids]
            bbox = (grid.xs[0], grid.ys[first], grid.xs[-1], grid.ys[last + 1])
            lines.append(Line(*bbox, text="", size=size, rows=rows))
    return lines, boxes


def _split_grid(grid: Grid, inside: list[Line]) -> tuple[list[tuple[int, int]], list[Box]]:
    """Return the runs of multi-cell rows (first, last row) that are tables, and the other cells as boxes."""
    rows = len(grid.ys) - 1
    walls = [grid.walls(row) for row in range(rows)]
    tables: list[tuple[int, int]] = []
    row = 0
    while row < rows:
        end = row
        while end < rows and len(walls[end]) - 1 >= MIN_TABLE_COLUMNS:
            end += 1
        if end - row >= MIN_TABLE_ROWS:
            tables.append((row, end - 1))
            row = end
        else:
            row = max(end, row + 1)
    in_table = {r for first, last in tables for r in range(first, last + 1)}
    boxes = [
        (left, grid.ys[r], right, grid.ys[r + 1])
        for r in range(rows)
        if r not in in_table
        for left, right in zip(walls[r], walls[r][1:], strict=False)
    ]
    whole = tables == [(0, rows - 1)]
    return tables, boxes if whole or not inside else [*boxes, grid.bbox]


def apply_tables(lines: list[Line], tables: list[tuple[Box, tuple]]) -> list[Line]:
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


def table_rows(lines: list[Line], grid: Grid, rows: range | None = None) -> tuple[tuple[str, ...], ...]:
    """Return the non-empty rows of a table (each row cut at its own walls), each a tuple of cell texts."""
    rows = rows if rows is not None else range(len(grid.ys) - 1)
    walls = {r: grid.walls(r) for r in rows}
    cells: dict[tuple[int, int], list[Line]] = {}
    for line in lines:
        row = bisect_right(grid.ys, (line.top + line.bottom) / 2) - 1
        if row not in walls:
            continue
        col = bisect_right(walls[row], (line.x0 + line.x1) / 2) - 1
        cells.setdefault((row, col), []).append(line)
    result: list[tuple[str, ...]] = []
    for r in rows:
        texts = tuple(
            "\n".join(ln.text for ln in reading_order(merge_fragments(cells.get((r, c), []))))
            for c in range(len(walls[r]) - 1)
        )
        if any(texts):
            result.append(texts)
    return tuple(result)
