"""Read positioned text lines, ruled tables and boxes from PDF pages.

pypdfium2 gives the rectangles of text runs (pipeline.extract.textruns) and
every path's bounds (pipeline.extract.graphics) at several hundred pages/s;
pdfplumber is about 75 times slower, and 1 report page in 8 carries ruling
lines, so by default tables are rebuilt from pdfium's rules
(pipeline.extract.tables); pdfplumber's finder is an opt-in (PlumberTables)
that runs only on pages with rules. Pages are closed as soon as they are read,
so memory stays flat however long the document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium

from pipeline import errors
from pipeline.extract.graphics import page_graphics
from pipeline.extract.layout import Line
from pipeline.extract.tables import Box, apply_grids, apply_tables, find_grids
from pipeline.extract.textruns import page_lines


@dataclass(slots=True)
class PageContent:
    """What one PDF page yields: its lines (tables included as lines with rows) and images."""

    number: int
    width: float
    height: float
    lines: list[Line]
    images: int
    boxes: list[Box] = field(default_factory=list)


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
    """Read the lines, ruled tables, boxes and image count of one page, then release it.

    Args:
        pdf: The open document.
        index: 0-based page index.
        plumber: When given, pdfplumber finds the tables on pages that have ruling lines.
    """
    page = pdf[index]
    try:
        width, height = page.get_size()
        images, rules, boxes = page_graphics(page, height)
        grids = find_grids(rules)
        textpage = page.get_textpage()
        try:
            lines = page_lines(textpage, height, [wall for grid in grids for wall in grid.inner_walls()])
        finally:
            textpage.close()
    finally:
        page.close()
    if plumber is not None and grids:
        lines = apply_tables(lines, plumber.tables(index))
        return PageContent(index + 1, width, height, lines, images, boxes)
    lines, grid_boxes = apply_grids(lines, grids)
    return PageContent(index + 1, width, height, lines, images, boxes + grid_boxes)
