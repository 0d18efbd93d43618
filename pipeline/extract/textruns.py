"""Positioned text fragments from a pdfium text page, at run level rather than per character.

pdfium already knows the page's text (``get_text_range``, with its own line breaks)
and the rectangle of every run of characters drawn by one text object
(``FPDFText_CountRects``/``GetRect``, computed in C). A fragment is a run of such
rectangles on one baseline without a gap wider than a font height; only where a
line must be cut between two rectangles is the character index of the cut looked
up (a binary search over ``CountRects``). So a page costs a few ctypes calls per
line instead of one per character, which was half of extraction time. The one
case rectangles cannot settle, a single text object drawn across a table's cell
wall, falls back to character boxes for that line only.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.extract.clean import normalise_glyphs
from pipeline.extract.layout import BULLETS, Line

# Characters further apart than this many heights start a new fragment (a gutter or a tab stop).
SPLIT_GAP_HEIGHTS = 1.0
# Two runs share a line when their boxes overlap by this share of the smaller height.
SAME_LINE_OVERLAP = 0.25
# A run this much smaller than its line and raised this far above its bottom is a superscript
# (a footnote mark): it becomes its own fragment, so "framework¹" reads "framework 1".
SUPERSCRIPT_HEIGHT = 0.8
SUPERSCRIPT_RAISE = 0.25
MAX_MARK_CHARS = 6
BOLD_WEIGHT = 600
BOLD_NAME = b"Bold"
FONT_NAME_BYTES = 128
MIN_GLYPH_HEIGHT = 0.1
MIN_RECT_SIZE = 0.01
WALL_TOLERANCE = 1.0
LINE_SPANS = re.compile(r"[^\r\n]+")
LINE_BREAKS = "\r\n"
MOVABLE_BULLETS = frozenset(BULLETS) | {"\u2022", "\uf0b7", "\uf0a7"}

Wall = tuple[float, float, float]  # x, low, high in pdfium's bottom-up coordinates
Rect = tuple[float, float, float, float]  # left, right, bottom, top


@dataclass(slots=True)
class _Run:
    """Consecutive rectangles of one fragment: the first rectangle's index and the union box."""

    first: int
    x0: float
    x1: float
    low: float
    top: float


def page_lines(
    textpage: pdfium.PdfTextPage, page_height: float, walls: Sequence[tuple[float, float, float]] = ()
) -> list[Line]:
    """Return the page's text as fragments: runs of text on one baseline without a wide gap.

    Args:
        textpage: The pdfium text page.
        page_height: Page height, to turn pdfium's bottom-up y into top-down.
        walls: Vertical table rules (x, top, bottom) that a fragment never crosses.
    """
    raw = textpage.raw
    count = textpage.count_chars()
    text = textpage.get_text_range()
    if len(text) != count:  # characters outside the BMP: fall back to one code point per index
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(raw, i)) for i in range(count))
    flipped = [(x, page_height - bottom, page_height - top) for x, top, bottom in walls]
    font_name = ctypes.create_string_buffer(FONT_NAME_BYTES)
    lines = []
    for span in LINE_SPANS.finditer(text):
        for index, x0, x1, low, top, chars in _line_fragments(raw, text, span.start(), span.end(), flipped):
            chars = normalise_glyphs(chars).strip()
            if chars:
                bold = _is_bold(raw, index, font_name)
                lines.append(Line(x0, page_height - top, x1, page_height - low, chars, top - low, bold))
    return lines


def _line_fragments(raw, text: str, start: int, end: int, walls: list[Wall]) -> Iterator[tuple]:
    """Yield (index of the first visible char, x0, x1, bottom, top, text) per fragment of one pdfium line."""
    rects = _rects(raw, start, end - start)
    if not rects:
        return
    if walls and any(_inside_wall(walls, rect) for rect in rects):
        yield from _char_fragments(raw, text, start, end, walls)
        return
    runs = _group(rects, walls, lambda rect: _is_mark(raw, text, start, end, rect, len(rects)))
    cuts = _cut_indices(raw, start, end, [run.first for run in runs[1:]])
    bounds = list(zip([start, *cuts], [*cuts, end], strict=True))
    texts = _move_bullets([text[a:b] for a, b in bounds])
    box = pdfium_c.FS_RECTF()
    for run, (first, last), chars in zip(runs, bounds, texts, strict=True):
        yield (*_loose_extent(raw, text, first, last, box, run), chars)


def _rects(raw, start: int, count: int) -> list[Rect]:
    """Return the rectangles pdfium computes for chars [start, start + count), one per text-object run."""
    total = pdfium_c.FPDFText_CountRects(raw, start, count)
    left, top, right, bottom = (ctypes.c_double() for _ in range(4))
    rects = []
    for index in range(total):
        pdfium_c.FPDFText_GetRect(raw, index, left, top, right, bottom)
        rect = (left.value, right.value, min(bottom.value, top.value), max(bottom.value, top.value))
        if rect[1] - rect[0] >= MIN_RECT_SIZE or rect[3] - rect[2] >= MIN_RECT_SIZE:
            rects.append(rect)
    # pdfium returns one empty rectangle for a range without visible chars; otherwise none is empty
    return rects if len(rects) == total else []


def _group(rects: list[Rect], walls: list[Wall], is_mark: Callable[[int], bool]) -> list[_Run]:
    """Group a line's rectangles into fragments: split at baseline changes, wide gaps and walls.

    A footnote mark (a small raised run of letters or digits, ``is_mark``) gets a fragment of
    its own, which merge_fragments joins back with a space.
    """
    left, right, bottom, top = rects[0]
    runs = [_Run(0, left, right, bottom, top)]
    line_low, line_top, in_mark = bottom, top, False
    for index, (left, right, bottom, top) in enumerate(rects[1:], start=1):
        run = runs[-1]
        rect_h, line_h = top - bottom, line_top - line_low
        height = max(rect_h, line_h)
        new_line = (
            min(top, line_top) - max(bottom, line_low) < SAME_LINE_OVERLAP * min(rect_h, line_h)
            or not -height <= left - run.x1 <= SPLIT_GAP_HEIGHTS * height
            or (walls and _crosses_wall(walls, run.x1, left, bottom))
        )
        raised = rect_h < SUPERSCRIPT_HEIGHT * line_h and bottom > line_low + SUPERSCRIPT_RAISE * line_h
        mark = not new_line and raised and is_mark(index)
        if new_line or mark != in_mark:
            runs.append(_Run(index, left, right, bottom, top))
            if new_line:
                line_low, line_top = bottom, top
            in_mark = mark
            continue
        run.x0, run.x1 = min(run.x0, left), max(run.x1, right)
        run.low, run.top = min(run.low, bottom), max(run.top, top)
        if not in_mark:
            line_low, line_top = min(line_low, bottom), max(line_top, top)
    return runs


def _is_mark(raw, text: str, start: int, end: int, rect: int, rects: int) -> bool:
    """Return whether a raised rectangle is a footnote mark: a few letters or digits in a smaller font.

    Loose boxes decide (the tight box of an "s" after a "g" also looks small and raised): the
    mark's font is smaller than the text just before it, and its box sits higher.
    """
    first, *rest = _cut_indices(raw, start, end, [rect, rect + 1] if rect + 1 < rects else [rect])
    chunk = text[first : rest[0] if rest else end].strip()
    if not (0 < len(chunk) <= MAX_MARK_CHARS and chunk.replace(",", "").isalnum()):
        return False
    box = pdfium_c.FS_RECTF()
    mark = _loose_box(raw, text, range(first, end), box)
    before = _loose_box(raw, text, range(first - 1, start - 1, -1), box)
    if mark is None or before is None:
        return False
    mark_h, before_h = mark[4] - mark[3], before[4] - before[3]
    return mark_h < SUPERSCRIPT_HEIGHT * before_h and mark[3] > before[3] + SUPERSCRIPT_RAISE * before_h


def _cut_indices(raw, start: int, end: int, first_rects: list[int]) -> list[int]:
    """Return the char index where each given rectangle starts (a binary search over CountRects)."""
    cuts, low = [], 1
    for rect in first_rects:
        high = end - start
        while low < high:  # the smallest prefix of the line that has rect + 1 rectangles
            middle = (low + high) // 2
            if pdfium_c.FPDFText_CountRects(raw, start, middle) > rect:
                high = middle
            else:
                low = middle + 1
        cuts.append(start + low - 1)
    return cuts


def _move_bullets(texts: list[str]) -> list[str]:
    """Give a bullet left at the end of a fragment (glyphs without a box) to the text after it."""
    for i in range(len(texts) - 1):
        stripped = texts[i].rstrip()
        if stripped and stripped[-1] in MOVABLE_BULLETS and (len(stripped) == 1 or stripped[-2] == " "):
            texts[i], texts[i + 1] = stripped[:-1], stripped[-1] + " " + texts[i + 1]
    return texts


def _loose_extent(raw, text: str, start: int, end: int, box, run: _Run) -> tuple:
    """Return (first visible char, x0, x1, bottom, top) of a fragment, from its end glyphs' loose boxes.

    Loose boxes (advance width, font ascent to descent) give every line of one font the same
    height, which paragraph and heading detection rely on, and measure gaps as the character
    boxes always did; tight rectangles vary with the letters. The first and the last glyph
    cover a bullet in another font and the text after it.
    """
    first = _loose_box(raw, text, range(start, end), box)
    if first is None:
        return start, run.x0, run.x1, run.low, run.top
    index, x0, x1, low, top = first
    last = _loose_box(raw, text, range(end - 1, index, -1), box)
    if last is not None:
        x1, low, top = last[2], min(low, last[3]), max(top, last[4])
    return index, min(x0, run.x0), max(x1, run.x1), low, top


def _loose_box(raw, text: str, indices: range, box) -> tuple[int, float, float, float, float] | None:
    """Return (index, left, right, bottom, top) of the first char in ``indices`` with a visible loose box."""
    for index in indices:
        if text[index].isspace():
            continue
        pdfium_c.FPDFText_GetLooseCharBox(raw, index, box)
        if box.top - box.bottom >= MIN_GLYPH_HEIGHT:
            return index, box.left, box.right, box.bottom, box.top
    return None


def _char_fragments(raw, text: str, start: int, end: int, walls: list[Wall]) -> Iterator[tuple]:
    """Yield fragments of chars [start, end) from character boxes (a run crosses a table wall).

    The hot loop of the old extractor, kept for the lines rectangles cannot split.
    """
    get_box, box = pdfium_c.FPDFText_GetLooseCharBox, pdfium_c.FS_RECTF()
    chars: list[str] = []
    x0 = x1 = base = low = top = 0.0
    first, pending = start, ""
    for index in range(start, end):
        char = text[index]
        if char.isspace():
            if chars and chars[-1] != " ":
                chars.append(" ")
            continue
        get_box(raw, index, box)
        left, right, bottom, box_top = box.left, box.right, box.bottom, box.top
        height = box_top - bottom
        if height < MIN_GLYPH_HEIGHT:  # a glyph the font lacks (often a bullet): keep it, not its box
            pending = char
            continue
        if chars and (
            not -height / 2 <= bottom - base <= height / 2
            or not -height <= left - x1 <= SPLIT_GAP_HEIGHTS * height
            or _crosses_wall(walls, x1, left, bottom)
        ):
            yield first, x0, x1, low, top, "".join(chars)
            chars = []
        if not chars:
            x0, x1, base, low, top, first = left, right, bottom, bottom, box_top, index
            if pending:
                chars += (pending, " ")
        x1, top, low = max(x1, right), max(top, box_top), min(low, bottom)
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


def _inside_wall(walls: list[Wall], rect: Rect) -> bool:
    """Return whether a table wall runs through a rectangle (one text object drawn across two cells)."""
    left, right, bottom, top = rect
    middle = (bottom + top) / 2
    return any(
        left + WALL_TOLERANCE < x < right - WALL_TOLERANCE and low <= middle <= high for x, low, high in walls
    )


def _crosses_wall(walls: list[Wall], x1: float, left: float, bottom: float) -> bool:
    return any(
        x1 - WALL_TOLERANCE <= x <= left + WALL_TOLERANCE and low <= bottom <= high for x, low, high in walls
    )
