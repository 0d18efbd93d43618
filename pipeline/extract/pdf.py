"""Read positioned text lines and ruled tables from PDF pages.

pypdfium2 gives every character's box and every path's bounds at a few
hundred pages/s; pdfplumber is about 75 times slower, and 1 report page in 8
carries ruling lines, so by default tables are rebuilt from pdfium's rules
(pipeline.extract.tables); pdfplumber's finder is an opt-in (PlumberTables) that runs
only on pages with rules. Pages are closed as soon as they are read, so memory
stays flat however long the document.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline import errors
from pipeline.extract.layout import Line
from pipeline.extract.tables import Grid, Rule, apply_grids, apply_tables, find_grids
from pipeline.extract.textruns import page_lines

# Ruling lines: thinner than RULE_THICKNESS points and longer than RULE_MIN_LENGTH.
RULE_THICKNESS = 2.0
RULE_MIN_LENGTH = 8.0
MAX_RULES = 2000  # enough for any table; charts can hold tens of thousands of paths


@dataclass(slots=True)
class PageContent:
    """What one PDF page yields: its lines (tables included as lines with rows) and images."""

    number: int
    width: float
    height: float
    lines: list[Line]
    images: int


def open_pdf(path: Path, password: str | None = None) -> pdfium.PdfDocument:
    """Open a PDF with pdfium, turning its failures into typed extraction errors."""
    try:
        return pdfium.PdfDocument(str(path), password=password)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise errors.EncryptedPdfError(
                f"{path.name} is password-protected. Ask the author for an unprotected copy "
                "(or save it again without a password) and add it again."
            ) from exc
        raise errors.CorruptFileError(
            f"{path.name} is damaged or incomplete and cannot be opened as a PDF "
            "(the download may have been cut short). Download it again and add it again."
        ) from exc


class PlumberTables:
    """pdfplumber's table finder for the pages that have ruling lines, opened on first use.

    The opt-in alternative to pipeline.extract.tables: slower (about 0.1 s a page), and it also
    reads boxed diagrams as tables, but it copes with cells drawn as filled rectangles.
    """

    def __init__(self, path: Path) -> None:
        """Remember the file; nothing is opened until a page asks."""
        self.path = path
        self._pdf: Any = None

    def tables(
        self, index: int
    ) -> list[tuple[tuple[float, float, float, float], tuple[tuple[str, ...], ...]]]:
        """Return (bbox, rows) of the ruled tables pdfplumber finds on a page (0-based index)."""
        if self._pdf is None:
            import pdfplumber  # imported lazily: the default engine never needs it

            self._pdf = pdfplumber.open(self.path)
        page = self._pdf.pages[index]
        try:
            found = [(table.bbox, table.extract()) for table in page.find_tables()]
        finally:
            page.close()  # pdfplumber keeps every parsed page in memory unless closed
        return [(bbox, tuple(tuple(cell or "" for cell in row) for row in rows)) for bbox, rows in found]

    def close(self) -> None:
        """Close the pdfplumber document if it was opened."""
        if self._pdf is not None:
            self._pdf.close()
            self._pdf = None


def read_page(pdf: pdfium.PdfDocument, index: int, plumber: PlumberTables | None = None) -> PageContent:
    """Read the lines, ruled tables and image count of one page, then release it.

    Args:
        pdf: The open document.
        index: 0-based page index.
        plumber: When given, pdfplumber finds the tables on pages that have ruling lines.
    """
    page = pdf[index]
    try:
        width, height = page.get_size()
        images, rules = _graphics(page, height)
        grids = find_grids(rules)
        textpage = page.get_textpage()
        try:
            lines = page_lines(textpage, height, _cell_walls(grids))
        finally:
            textpage.close()
    finally:
        page.close()
    if plumber is not None and grids:
        return PageContent(index + 1, width, height, apply_tables(lines, plumber.tables(index)), images)
    return PageContent(index + 1, width, height, apply_grids(lines, grids), images)


def _cell_walls(grids: list[Grid]) -> list[tuple[float, float, float]]:
    """Return the inner vertical rules of tables as (x, top, bottom), where fragments must break."""
    return [(x, grid.ys[0], grid.ys[-1]) for grid in grids for x in grid.xs[1:-1]]


def _graphics(page: pdfium.PdfPage, height: float) -> tuple[int, list[Rule]]:
    """Count the images on a page and collect its thin rules (top-down coordinates).

    Uses pdfium's C calls directly: the Python wrappers cost more than the work on chart-heavy pages.
    """
    images, rules = 0, list[Rule]()
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for obj in _page_objects(page.raw):
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            images += 1
        elif kind == pdfium_c.FPDF_PAGEOBJ_PATH and len(rules) < MAX_RULES:
            pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
            width, tall = right.value - left.value, top.value - bottom.value
            if width >= RULE_MIN_LENGTH and tall <= RULE_THICKNESS:
                y = height - (top.value + bottom.value) / 2
                rules.append(Rule(y, left.value, right.value, vertical=False))
            elif tall >= RULE_MIN_LENGTH and width <= RULE_THICKNESS:
                x = (left.value + right.value) / 2
                rules.append(Rule(x, height - top.value, height - bottom.value, vertical=True))
    return images, rules


def _page_objects(raw_page) -> Iterator:
    """Yield the raw page objects of a page, and those one level down inside form XObjects."""
    for index in range(pdfium_c.FPDFPage_CountObjects(raw_page)):
        obj = pdfium_c.FPDFPage_GetObject(raw_page, index)
        yield obj
        if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_FORM:
            for inner in range(pdfium_c.FPDFFormObj_CountObjects(obj)):
                yield pdfium_c.FPDFFormObj_GetObject(obj, inner)
