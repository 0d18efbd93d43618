"""Page geometry: positioned lines in, reading order and text blocks out.

Pure functions over :class:`Line` records, so they test without PDFs. Reading
order comes from a recursive cut: split a region at vertical gutters (columns,
read left to right) when there are any, else at horizontal gaps (bands, read
top to bottom). Bands that share a gutter are merged again before cutting, so
a paragraph break that happens to line up in both columns does not split the
columns into rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median

# A gutter is an empty vertical strip at least this many font heights wide.
GUTTER_HEIGHTS = 1.0
# Horizontal gaps wider than this many font heights separate bands.
BAND_GAP_HEIGHTS = 0.9
# Fragments on one baseline closer than this many heights belong to one line.
MERGE_GAP_HEIGHTS = 1.0
# A lone bullet glyph joins the text up to this many heights to its right.
BULLET_GAP_HEIGHTS = 4.0
MAX_PAGE_NUMBER_DIGITS = 3
# A vertical gap between lines above this many heights starts a new block.
PARAGRAPH_GAP_HEIGHTS = 0.45
# Text this much larger than the body size is a heading.
HEADING_SIZE_RATIO = 1.15
MAX_HEADING_WORDS = 18
MAX_CUT_DEPTH = 12
BULLETS = frozenset("•▪■◦●○–—-*·")
# A paragraph or list number set apart from its text: "1.", "12)", "(a)", "iv."
LIST_MARKER = re.compile(r"^(?:\(?(?:\d{1,3}|[a-z]|[ivx]{1,4})[.)])$")
SENTENCE_END = ".!?:;"
# Punctuation that never follows a space: a fragment starting with it joins without one.
CLOSING = (",", ".", ";", ":", ")", "]")
CLOSING_QUOTES = "\"'”’)]"


@dataclass(slots=True)
class Line:
    """A run of text on one baseline, in top-down page coordinates (points).

    ``rows`` is set only for a table: its rows as lists of cell texts. ``children`` is set
    only for a region (a box, panel or sidebar read whole): its lines in reading order.
    """

    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    size: float
    bold: bool = False
    rows: tuple[tuple[str, ...], ...] = ()
    children: tuple[Line, ...] = ()

    @property
    def height(self) -> float:
        """Return the height of the line box."""
        return max(self.bottom - self.top, 1.0)


@dataclass(slots=True)
class RawBlock:
    """Lines grouped into a heading, paragraph, list item or table; ``region`` names the box it is in."""

    lines: list[Line]
    kind: str = "paragraph"
    region: int = 0


def merge_fragments(lines: list[Line]) -> list[Line]:
    """Join fragments that sit on one baseline with only a word gap between them."""
    merged: list[Line] = []
    for line in _by_rows(lines):
        last = merged[-1] if merged else None
        if last is not None and not last.rows and not line.rows and _same_line(last, line):
            joiner = "" if last.text.endswith(" ") or line.text.startswith((" ", *CLOSING)) else " "
            merged[-1] = Line(
                last.x0,
                min(last.top, line.top),
                max(last.x1, line.x1),
                max(last.bottom, line.bottom),
                last.text + joiner + line.text,
                last.size
                if len(last.text) >= len(line.text)
                else line.size,  # a bullet glyph's size is not the text's
                last.bold and line.bold,
            )
        else:
            merged.append(line)
    return merged


def _by_rows(lines: list[Line]) -> list[Line]:
    """Return lines sorted into rows of shared baselines (within half a height), each left to right."""
    rows: list[list[Line]] = []
    for line in sorted(lines, key=lambda ln: ln.bottom):
        if rows and line.bottom - rows[-1][0].bottom < line.height / 2:
            rows[-1].append(line)
        else:
            rows.append([line])
    return [line for row in rows for line in sorted(row, key=lambda ln: ln.x0)]


def _same_line(left: Line, right: Line) -> bool:
    height = max(left.height, right.height)
    on_baseline = abs(left.bottom - right.bottom) < height / 2
    gap = right.x0 - left.x1
    if right.text.isdigit() and len(right.text) <= MAX_PAGE_NUMBER_DIGITS:
        limit = float("inf")  # a contents entry and its right-aligned page number
    elif left.text in BULLETS or LIST_MARKER.match(left.text):
        limit = BULLET_GAP_HEIGHTS
    else:
        limit = MERGE_GAP_HEIGHTS
    return on_baseline and -height < gap < limit * height


def reading_order(lines: list[Line], depth: int = 0) -> list[Line]:
    """Return lines in reading order, whatever order the content stream used."""
    if len(lines) <= 1 or depth > MAX_CUT_DEPTH:
        return _sort_band(lines)
    columns = split_columns(lines)
    if len(columns) > 1:
        return [ln for column in columns for ln in reading_order(column, depth + 1)]
    bands = _merge_bands(split_bands(lines))
    if len(bands) == 1:
        return _sort_band(lines)
    return [ln for band in bands for ln in reading_order(band, depth + 1)]


def _sort_band(lines: list[Line]) -> list[Line]:
    """Return lines top to bottom, each region after the lines level with it on its left.

    A region with no such lines goes where its top falls. Reached when no gutter or gap
    separates a region (a sidebar close to the text) from the rest.
    """
    order = sorted((ln for ln in lines if not ln.children), key=lambda ln: (ln.top, ln.x0))
    for region in sorted((ln for ln in lines if ln.children), key=lambda ln: (ln.top, ln.x0)):
        beside = [i for i, ln in enumerate(order) if not ln.children and _beside(ln, region)]
        if beside:
            order.insert(beside[-1] + 1, region)
            continue
        later = (i for i, ln in enumerate(order) if (ln.top, ln.x0) > (region.top, region.x0))
        order.insert(next(later, len(order)), region)
    return order


def _beside(line: Line, region: Line) -> bool:
    """Return whether a line sits level with a region, on its left (read first, as a column would be)."""
    return line.top < region.bottom and line.bottom > region.top and line.x1 <= region.x0


def split_columns(lines: list[Line]) -> list[list[Line]]:
    """Split lines at empty vertical strips (gutters), left to right."""
    height = median(ln.height for ln in lines)
    spans = sorted((ln.x0, ln.x1) for ln in lines)
    cuts: list[float] = []
    reach = spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 - reach >= GUTTER_HEIGHTS * height:
            cuts.append((x0 + reach) / 2)
        reach = max(reach, x1)
    if not cuts:
        return [lines]
    columns: list[list[Line]] = [[] for _ in range(len(cuts) + 1)]
    for line in lines:
        columns[sum(line.x0 > cut for cut in cuts)].append(line)
    return columns


def split_bands(lines: list[Line]) -> list[list[Line]]:
    """Split lines at horizontal gaps wider than a line, top to bottom."""
    ordered = sorted(lines, key=lambda ln: ln.top)
    height = median(ln.height for ln in lines)
    bands: list[list[Line]] = [[ordered[0]]]
    reach = ordered[0].bottom
    for line in ordered[1:]:
        if line.top - reach > BAND_GAP_HEIGHTS * height:
            bands.append([])
        bands[-1].append(line)
        reach = max(reach, line.bottom)
    return bands


def _merge_bands(bands: list[list[Line]]) -> list[list[Line]]:
    merged = [bands[0]]
    for band in bands[1:]:
        if len(split_columns(merged[-1] + band)) > 1:
            merged[-1] = merged[-1] + band
        else:
            merged.append(band)
    return merged


def body_size(lines: list[Line]) -> float:
    """Return the most common font size, weighted by text length."""
    weights: dict[float, int] = {}
    for line in lines:
        size = round(line.size, 1)
        weights[size] = weights.get(size, 0) + len(line.text)
    return max(weights, key=weights.__getitem__) if weights else 0.0


def group_blocks(lines: list[Line], body: float) -> list[RawBlock]:
    """Group ordered lines into headings, paragraphs, list items and tables.

    A region's lines form blocks of their own; a paragraph that a region, a table or a
    pull quote interrupts mid-sentence is joined up again, the interruption after it.
    """
    return _heal(_group(lines, body, region=0), body)


def _group(lines: list[Line], body: float, region: int) -> list[RawBlock]:
    blocks: list[RawBlock] = []
    for line in lines:
        if line.children:
            blocks += _group(list(line.children), body, region=id(line))
            continue
        if line.rows:
            blocks.append(RawBlock([line], "table", region))
            continue
        last = blocks[-1] if blocks else None
        if (
            last is not None
            and last.kind != "table"
            and last.region == region
            and _continues(last, line, body)
        ):
            last.lines.append(line)
        else:
            kind = "list_item" if starts_with_bullet(line.text) else "paragraph"
            blocks.append(RawBlock([line], kind, region))
    for block in blocks:
        if block.kind == "paragraph" and is_heading(block, body):
            block.kind = "heading"
    return blocks


def _heal(blocks: list[RawBlock], body: float) -> list[RawBlock]:
    """Rejoin paragraphs cut mid-sentence by asides (regions, tables, pull quotes); asides follow them."""
    index = 0
    while index < len(blocks):
        block = blocks[index]
        end = index + 1
        while end < len(blocks) and _is_aside(blocks[end], block, body):
            end += 1
        rest = blocks[end] if end < len(blocks) else None
        if (
            end > index + 1
            and rest is not None
            and block.kind == rest.kind == "paragraph"
            and rest.region == block.region
            and not _ends_sentence(block.lines[-1].text)
            and rest.lines[0].text[:1].islower()
        ):
            block.lines += rest.lines
            blocks[index + 1 : end + 1] = blocks[index + 1 : end]
            continue
        index += 1
    return blocks


def _is_aside(block: RawBlock, flow: RawBlock, body: float) -> bool:
    """Return whether a block can interrupt the flow's paragraph: another region, a table, a pull quote."""
    if block.region != flow.region or block.kind == "table":
        return True
    large = all(_is_large(line, body) for line in block.lines)
    return large and block.kind != "list_item" and not any(_is_large(line, body) for line in flow.lines)


def _ends_sentence(text: str) -> bool:
    return text.rstrip().rstrip(CLOSING_QUOTES).endswith(tuple(SENTENCE_END))


def _continues(block: RawBlock, line: Line, body: float) -> bool:
    prev = block.lines[-1]
    if starts_with_bullet(line.text) or _is_large(prev, body) != _is_large(line, body):
        return False
    if prev.bold != line.bold and (prev.bold or line.bold) and _is_large(prev, body * 0.99):
        return False
    if line.top < prev.top:  # moved up: the text continues in the next column
        return not prev.text.rstrip().endswith(tuple(SENTENCE_END)) and line.text[:1].islower()
    gap = line.top - prev.bottom
    return gap <= PARAGRAPH_GAP_HEIGHTS * prev.height and line.x0 < prev.x1


def _is_large(line: Line, body: float) -> bool:
    return line.size >= body * HEADING_SIZE_RATIO


def starts_with_bullet(text: str) -> bool:
    """Return whether a line opens with a bullet glyph followed by a space."""
    stripped = text.lstrip()
    return len(stripped) > 1 and stripped[0] in BULLETS and stripped[1] == " "


def is_heading(block: RawBlock, body: float) -> bool:
    """Return whether a block looks like a heading: short, unpunctuated, large or bold."""
    text = " ".join(line.text for line in block.lines).strip()
    if not text or len(text.split()) > MAX_HEADING_WORDS or text[-1] in ".,;" or len(block.lines) > 3:
        return False
    if not any(ch.isalpha() for ch in text):
        return False
    large = all(_is_large(line, body) for line in block.lines)
    bold = all(line.bold for line in block.lines)
    return large or bold
