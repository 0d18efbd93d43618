"""The drawings of a page that shape its text: ruling lines, boxes, and how many images it has.

Thin paths are rules (table grids, pipeline.extract.tables); paths at least
BOX_MIN_SIZE on both sides that are stroked or filled in a colour are boxes
(text boxes, shaded panels, sidebars: pipeline.extract.regions). Word and many
converters draw a whole row of cell borders as one path of several rectangles,
so a path of a few subpaths is split into them. Everything goes through pdfium's
C calls directly: the Python wrappers cost more than the work on chart-heavy pages.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.extract.tables import Box, Rule

# Ruling lines: thinner than RULE_THICKNESS points and longer than RULE_MIN_LENGTH.
RULE_THICKNESS = 2.0
RULE_MIN_LENGTH = 8.0
MAX_RULES = 2000  # enough for any table; charts can hold tens of thousands of paths
# Boxes (text boxes, shaded panels, sidebars): drawn paths at least this big on both sides.
BOX_MIN_SIZE = 12.0
MAX_BOXES = 200
WHITE = 255
SEGMENTS_PER_RECTANGLE = 5  # move, three lines, close: a path with more may be several rectangles
MAX_SPLIT_SEGMENTS = 400  # longer paths are drawings (charts, maps), not rows of cell borders

Bounds = tuple[float, float, float, float]  # left, bottom, right, top in pdfium's bottom-up coordinates


def page_graphics(page: pdfium.PdfPage, height: float) -> tuple[int, list[Rule], list[Box]]:
    """Count the images on a page and collect its thin rules and its boxes (top-down coordinates)."""
    images, rules, boxes = 0, list[Rule](), list[Box]()
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for obj in _page_objects(page.raw):
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            images += 1
        elif kind == pdfium_c.FPDF_PAGEOBJ_PATH and len(rules) < MAX_RULES:
            pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
            bounds = (left.value, bottom.value, right.value, top.value)
            for part in _parts(obj, bounds):
                _classify(part, height, rules, boxes, obj)
    return images, rules, boxes


def _parts(obj, bounds: Bounds) -> list[Bounds]:
    """Return the bounds of a path, or of each of its subpaths when it is a few rectangles in one."""
    if _is_rule(bounds):
        return [bounds]
    count = pdfium_c.FPDFPath_CountSegments(obj)
    if not SEGMENTS_PER_RECTANGLE < count <= MAX_SPLIT_SEGMENTS:
        return [bounds]
    matrix = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, matrix):
        return [bounds]
    x, y = ctypes.c_float(), ctypes.c_float()
    parts: list[list[tuple[float, float]]] = []
    for index in range(count):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, index)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        point = (
            matrix.a * x.value + matrix.c * y.value + matrix.e,
            matrix.b * x.value + matrix.d * y.value + matrix.f,
        )
        if pdfium_c.FPDFPathSegment_GetType(segment) == pdfium_c.FPDF_SEGMENT_MOVETO or not parts:
            parts.append([point])
        else:
            parts[-1].append(point)
    return [_bounds_of(points) for points in parts if len(points) > 1]


def _bounds_of(points: list[tuple[float, float]]) -> Bounds:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _is_rule(bounds: Bounds) -> bool:
    width, tall = bounds[2] - bounds[0], bounds[3] - bounds[1]
    return (width >= RULE_MIN_LENGTH and tall <= RULE_THICKNESS) or (
        tall >= RULE_MIN_LENGTH and width <= RULE_THICKNESS
    )


def _classify(bounds: Bounds, height: float, rules: list[Rule], boxes: list[Box], obj) -> None:
    """Add a path (or subpath) to the rules or the boxes, turned top-down; ignore anything else."""
    left, bottom, right, top = bounds
    width, tall = right - left, top - bottom
    if width >= RULE_MIN_LENGTH and tall <= RULE_THICKNESS:
        rules.append(Rule(height - (top + bottom) / 2, left, right, vertical=False))
    elif tall >= RULE_MIN_LENGTH and width <= RULE_THICKNESS:
        rules.append(Rule((left + right) / 2, height - top, height - bottom, vertical=True))
    elif min(width, tall) >= BOX_MIN_SIZE and len(boxes) < MAX_BOXES and _visible(obj):
        boxes.append((left, height - top, right, height - bottom))


def _visible(path) -> bool:
    """Return whether a path is stroked or filled in a colour other than white (a box, not a knock-out)."""
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    pdfium_c.FPDFPath_GetDrawMode(path, fill_mode, stroke)
    if stroke.value:
        return True
    if not fill_mode.value:
        return False
    red, green, blue, alpha = (ctypes.c_uint() for _ in range(4))
    pdfium_c.FPDFPageObj_GetFillColor(path, red, green, blue, alpha)
    return alpha.value > 0 and min(red.value, green.value, blue.value) < WHITE


def _page_objects(raw_page) -> Iterator:
    """Yield the raw page objects of a page, and those one level down inside form XObjects."""
    for index in range(pdfium_c.FPDFPage_CountObjects(raw_page)):
        obj = pdfium_c.FPDFPage_GetObject(raw_page, index)
        yield obj
        if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_FORM:
            for inner in range(pdfium_c.FPDFFormObj_CountObjects(obj)):
                yield pdfium_c.FPDFFormObj_GetObject(obj, inner)
