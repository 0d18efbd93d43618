"""Read positioned text lines and ruled tables from PDF pages.

pypdfium2 gives every character's box and every path's bounds at a few
hundred pages/s; pdfplumber is about 75 times slower, and 1 report page in 8
carries ruling lines, so tables are rebuilt from pdfium's rules instead
(pipeline.tables). Pages are closed as soon as they are read, so memory stays
flat however long the document.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline import errors
from pipeline.clean import normalise_glyphs
from pipeline.layout import Line
from pipeline.tables import Grid, Rule, apply_grids, find_grids

# Characters further apart than this many heights start a new fragment (a gutter or a tab stop).
SPLIT_GAP_HEIGHTS = 1.0
# Ruling lines: thinner than RULE_THICKNESS points and longer than RULE_MIN_LENGTH.
RULE_THICKNESS = 2.0
RULE_MIN_LENGTH = 8.0
MAX_PATHS_SCANNED = 3000  # charts hold thousands of paths; a table shows its rules early
BOLD_WEIGHT = 600
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


def read_page(pdf: pdfium.PdfDocument, index: int) -> PageContent:
    """Read the lines, ruled tables and image count of one page, then release it."""
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
    return PageContent(index + 1, width, height, apply_grids(lines, grids), images)


def _cell_walls(grids: list[Grid]) -> list[tuple[float, float, float]]:
    """Return the inner vertical rules of tables as (x, top, bottom), where fragments must break."""
    return [(x, grid.ys[0], grid.ys[-1]) for grid in grids for x in grid.xs[1:-1]]


def page_lines(
    textpage: pdfium.PdfTextPage, page_height: float, walls: list[tuple[float, float, float]] = ()
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
    builder = _LineBuilder(raw_page, page_height, walls)
    box = pdfium_c.FS_RECTF()
    for index, char in enumerate(text):
        if char in LINE_BREAKS:
            builder.flush()
            continue
        pdfium_c.FPDFText_GetLooseCharBox(raw_page, index, box)
        builder.add(index, char, box.left, box.right, box.bottom, box.top)
    builder.flush()
    return builder.lines


class _LineBuilder:
    """Accumulate characters into fragments, breaking at baseline changes and wide gaps."""

    def __init__(self, raw_page, page_height: float, walls) -> None:
        self.raw_page = raw_page
        self.page_height = page_height
        self.walls = [(x, page_height - bottom, page_height - top) for x, top, bottom in walls]
        self.lines: list[Line] = []
        self.chars: list[str] = []
        self.x0 = self.x1 = self.base = self.top = 0.0
        self.first = 0
        self.pending = ""

    def add(self, index: int, char: str, left: float, right: float, bottom: float, top: float) -> None:
        if char.isspace():
            if self.chars and self.chars[-1] != " ":
                self.chars.append(" ")
            return
        height = top - bottom
        if height < MIN_GLYPH_HEIGHT:  # a glyph the font lacks (often a bullet): keep it, not its box
            self.pending = char
            return
        if self.chars and (
            abs(bottom - self.base) > height / 2
            or left - self.x1 > SPLIT_GAP_HEIGHTS * height
            or left < self.x1 - height
            or (self.walls and self._crosses_wall(left, bottom))
        ):
            self.flush()
        if not self.chars:
            self.x0, self.x1, self.base, self.top, self.first = left, right, bottom, top, index
            if self.pending:
                self.chars.extend((self.pending, " "))
        self.top = max(self.top, top)
        self.x1 = max(self.x1, right)
        self.chars.append(char)
        self.pending = ""

    def _crosses_wall(self, left: float, bottom: float) -> bool:
        return any(self.x1 - 1 <= x <= left + 1 and low <= bottom <= high for x, low, high in self.walls)

    def flush(self) -> None:
        text = normalise_glyphs("".join(self.chars)).strip()
        self.chars = []
        if not text:
            return
        size = self.top - self.base
        bold = pdfium_c.FPDFText_GetFontWeight(self.raw_page, self.first) >= BOLD_WEIGHT
        top, bottom = self.page_height - self.top, self.page_height - self.base
        self.lines.append(Line(self.x0, top, self.x1, bottom, text, size, bold))


def _graphics(page: pdfium.PdfPage, height: float) -> tuple[int, list[Rule]]:
    """Count the images on a page and collect its thin rules (top-down coordinates)."""
    images = paths = 0
    rules: list[Rule] = []
    for obj in page.get_objects(max_depth=2):
        if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            images += 1
        elif obj.type == pdfium_c.FPDF_PAGEOBJ_PATH and paths < MAX_PATHS_SCANNED:
            paths += 1
            left, bottom, right, top = obj.get_bounds()
            if right - left >= RULE_MIN_LENGTH and top - bottom <= RULE_THICKNESS:
                y = height - (top + bottom) / 2
                rules.append(Rule(y, left, right, vertical=False))
            elif top - bottom >= RULE_MIN_LENGTH and right - left <= RULE_THICKNESS:
                rules.append(Rule((left + right) / 2, height - top, height - bottom, vertical=True))
    return images, rules
