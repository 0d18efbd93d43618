"""Boxes become regions: text boxes, shaded panels, sidebars, pull quotes and ruled cells read whole.

A box is a drawn rectangle (stroked, or filled in a colour) or a ruled cell that is
not part of a table (pipeline.extract.tables). Its text is read on its own: fragments
inside never merge with fragments outside, and the lines inside become one region
(a :class:`Line` with ``children``) that the reading order places as a unit, so a
sidebar's text no longer lands mid-paragraph and a box's lines are never cut at the
columns of a table beside or below it. A box counts only when it is at least two
lines tall (not a highlight behind a phrase), holds some text but not all of the
page's, is not one strip of a stack (Word shades paragraphs line by line), and no
line of text crosses its edge.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from statistics import median

from pipeline.extract.layout import Line, merge_fragments, reading_order
from pipeline.extract.tables import Box

# A box must hold lines on at least MIN_LINES baselines and be MIN_BOX_LINES times as tall as
# the tallest of them: a highlight behind a phrase, a shaded heading bar or one shaded line is not a region.
MIN_LINES = 2
MIN_BOX_LINES = 1.5
# A box edge between two fragments of one line closer than this many heights cuts running text.
WORD_GAP_HEIGHTS = 0.5
EDGE_TOLERANCE = 2.0  # points a line may stick out of its box (glyph boxes overhang)
ROUND_TO = 1  # decimals when de-duplicating boxes drawn twice (a path and a ruled cell)


def region_boxes(fragments: list[Line], boxes: list[Box]) -> list[Box]:
    """Return the boxes that bound regions, innermost (smallest) first.

    Args:
        fragments: The page's text fragments (and table lines), before merging.
        boxes: Candidate boxes from drawn paths and ruled cells, top-down (x0, top, x1, bottom).
    """
    if not boxes:
        return []
    unique = list({tuple(round(v, ROUND_TO) for v in box): box for box in boxes}.values())
    rows = _Rows(fragments)
    kept = [box for box in unique if not _stacked(box, unique) and _bounds_region(box, rows)]
    return sorted(kept, key=_area)


def _stacked(box: Box, boxes: list[Box]) -> bool:
    """Return whether a box is one strip of a stack (Word shades a paragraph line by line)."""
    tol = EDGE_TOLERANCE
    return any(
        abs(other[0] - box[0]) <= tol
        and abs(other[2] - box[2]) <= tol
        and (abs(other[1] - box[3]) <= tol or abs(other[3] - box[1]) <= tol)
        for other in boxes
        if other is not box
    )


def _bounds_region(box: Box, rows: _Rows) -> bool:
    """Return whether a box holds some but not all text, is two lines tall, and cuts no line."""
    fragments = rows.fragments
    inside = [ln for ln in fragments if _holds(box, ln)]
    if len(inside) == len(fragments) or len({round(ln.bottom) for ln in inside}) < MIN_LINES:
        return False
    if box[3] - box[1] < MIN_BOX_LINES * max(ln.height for ln in inside):
        return False
    if any(_crosses(box, ln) for ln in fragments):
        return False
    return not _cuts_a_line(box, rows)


def _holds(box: Box, line: Line) -> bool:
    """Return whether a line's centre lies in the box."""
    x, y = (line.x0 + line.x1) / 2, (line.top + line.bottom) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _crosses(box: Box, line: Line) -> bool:
    """Return whether a line overlaps the box without lying inside it."""
    tol = EDGE_TOLERANCE
    overlaps = (
        line.x0 < box[2] - tol
        and line.x1 > box[0] + tol
        and line.top < box[3] - tol
        and line.bottom > box[1] + tol
    )
    inside = (
        line.x0 >= box[0] - tol
        and line.x1 <= box[2] + tol
        and line.top >= box[1] - tol
        and line.bottom <= box[3] + tol
    )
    return overlaps and not inside


def _cuts_a_line(box: Box, rows: _Rows) -> bool:
    """Return whether the box edge separates two fragments of one line a word gap apart (a highlight)."""
    for line in rows.fragments:
        if not _holds(box, line):
            continue
        for other in rows.near(line):
            if _holds(box, other):
                continue
            gap = max(other.x0 - line.x1, line.x0 - other.x1)
            if gap < WORD_GAP_HEIGHTS * max(line.height, other.height):
                return True
    return False


class _Rows:
    """Fragments sorted by baseline, to find a fragment's neighbours on its line quickly."""

    def __init__(self, fragments: list[Line]) -> None:
        self.fragments = fragments
        self.ordered = sorted(fragments, key=lambda ln: ln.bottom)
        self.bottoms = [ln.bottom for ln in self.ordered]

    def near(self, line: Line) -> list[Line]:
        """Return the other fragments whose baseline is within half a height of the line's."""
        low = bisect_left(self.bottoms, line.bottom - line.height / 2)
        high = bisect_right(self.bottoms, line.bottom + line.height / 2)
        return [other for other in self.ordered[low:high] if other is not line]


def merge_in_zones(fragments: list[Line], boxes: list[Box]) -> list[Line]:
    """Merge fragments on one baseline within each innermost box separately, never across a box edge."""
    if not boxes:
        return merge_fragments(fragments)
    zones: dict[int, list[Line]] = {}
    for line in fragments:
        zone = next((i for i, box in enumerate(boxes) if _holds(box, line)), -1)
        zones.setdefault(zone, []).append(line)
    return [line for zone in zones.values() for line in merge_fragments(zone)]


def build_regions(lines: list[Line], boxes: list[Box]) -> list[Line]:
    """Replace the lines in each box (innermost first) by one region line holding them in reading order."""
    items = list(lines)
    for box in boxes:
        members = [ln for ln in items if _holds(box, ln)]
        if not members or len(members) == len(items):
            continue
        taken = {id(ln) for ln in members}
        size = median(ln.size for ln in members)
        region = Line(*box, text="", size=size, children=tuple(reading_order(members)))
        items = [ln for ln in items if id(ln) not in taken] + [region]
    return items


def _area(box: Box) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])
