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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline import errors
from pipeline.extract.clean import normalise_glyphs
from pipeline.extract.layout import Line
from pipeline.extract.tables import Grid, Rule, apply_grids, apply_tables, find_grids

# Characters further apart than this many heights start a new fragment (a gutter or a tab stop).
SPLIT_GAP_HEIGHTS = 1.0
# Ruling lines: thinner than RULE_THICKNESS points and longer than RULE_MIN_LENGTH.
RULE_THICKNESS = 2.0
RULE_MIN_LENGTH = 8.0
MAX_RULES = 2000  # enough for any table; charts can hold tens of thousands of paths
BOLD_WEIGHT = 600
BOLD_NAME = b"Bold"
FONT_NAME_BYTES = 128
MIN_GLYPH_HEIGHT = 0.1
LINE_BREAKS = "\r\n"


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


def page_lines(
    textpage: pdfium.PdfTextPage, page_height: float, walls: Sequence[tuple[float, float, float]] = ()
) -> list[Line]:
    """Return the page's text as fragments: runs of characters on one baseline without a wide gap.

    Args:
        textpage: The pdfium text page.
        page_height: Page height, to turn pdfium's bottom-up y into top-down.
        walls: Vertical table rules (x, top, bottom) that a fragment never crosses.
    """
    raw_page = textpage.raw
    count = textpage.count_chars()
    text = textpage.get_text_range()
    if len(text) != count:  # characters outside the BMP: fall back to one code point per index
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(raw_page, i)) for i in range(count))
    flipped = [(x, page_height - bottom, page_height - top) for x, top, bottom in walls]
    lines = []
    font_name = ctypes.create_string_buffer(FONT_NAME_BYTES)
    for first, x0, x1, base, top, chars in _fragments(raw_page, text, flipped):
        chars = normalise_glyphs(chars).strip()
        if chars:
            bold = _is_bold(raw_page, first, font_name)
            lines.append(Line(x0, page_height - top, x1, page_height - base, chars, top - base, bold))
    return lines


def _fragments(raw_page, text: str, walls: list[tuple[float, float, float]]) -> Iterator[tuple]:
    """Yield (first index, x0, x1, bottom, top, text) per run of characters, in pdfium's coordinates.

    The hot loop of extraction (one pass per character), hence plain locals and no helper calls.
    """
    get_box, box = pdfium_c.FPDFText_GetLooseCharBox, pdfium_c.FS_RECTF()
    chars: list[str] = []
    x0 = x1 = base = low = top = 0.0
    first, pending = 0, ""
    for index, char in enumerate(text):
        if char.isspace():
            if char in LINE_BREAKS and chars:
                yield first, x0, x1, low, top, "".join(chars)
                chars = []
            elif chars and chars[-1] != " ":
                chars.append(" ")
            continue
        get_box(raw_page, index, box)
        left, right, bottom, box_top = box.left, box.right, box.bottom, box.top
        height = box_top - bottom
        if height < MIN_GLYPH_HEIGHT:  # a glyph the font lacks (often a bullet): keep it, not its box
            pending = char
            continue
        if chars and (
            not -height / 2 <= bottom - base <= height / 2
            or not -height <= left - x1 <= SPLIT_GAP_HEIGHTS * height
            or (walls and _crosses_wall(walls, x1, left, bottom))
        ):
            yield first, x0, x1, low, top, "".join(chars)
            chars = []
        if not chars:
            x0, x1, base, low, top, first = left, right, bottom, bottom, box_top, index
            if pending:
                chars += (pending, " ")
        if right > x1:
            x1 = right
        if box_top > top:
            top = box_top
        if bottom < low:
            low = bottom
        chars.append(char)
        pending = ""
    if chars:
        yield first, x0, x1, low, top, "".join(chars)


def _is_bold(raw_page, index: int, buffer: ctypes.Array) -> bool:
    """Return whether a character is bold, by weight or, for fonts without one, by name ("Helvetica-Bold")."""
    if pdfium_c.FPDFText_GetFontWeight(raw_page, index) >= BOLD_WEIGHT:
        return True
    flags = ctypes.c_int()
    pdfium_c.FPDFText_GetFontInfo(raw_page, index, buffer, len(buffer), flags)
    return BOLD_NAME in buffer.value


def _crosses_wall(walls: list[tuple[float, float, float]], x1: float, left: float, bottom: float) -> bool:
    return any(x1 - 1 <= x <= left + 1 and low <= bottom <= high for x, low, high in walls)


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
