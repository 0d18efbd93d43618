"""Generated PDFs with boxes, sidebars and pull quotes, and the reading order a person would follow.

Each builder returns a :class:`Layout`: the file, the text's expected reading order as
groups of lines (a flow of body text, a box, a sidebar, a quote), and the order of the
groups. A good extractor keeps every group's lines adjacent and in order (nothing cuts
into a box, a box never lands mid-sentence) and reads the groups in that order. The
content stream can draw the groups in another order (``stream="reverse"``) or line by
line across them (``stream="row"``), so the order must come from the page's geometry.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from tests.pipeline import pdf_factory
from tests.pipeline.pdf_factory import BOLD, FONT, LEADING, MARGIN, SIZE, TOP, WORDS, normalise

PAGE_WIDTH, PAGE_HEIGHT = A4
BODY_WIDTH = PAGE_WIDTH - 2 * MARGIN
PADDING = 8
QUOTE_FONT, QUOTE_SIZE, QUOTE_LEADING = "Helvetica-Oblique", 15, 19
GREY = (0.88, 0.9, 0.93)
# The sidebar's shading starts this far right of the main column, its text as far inside it: the
# gap between the two texts (8 pt) is narrower than a font height, so no gutter separates them.
SIDEBAR_GAP = 4


@dataclass
class Layout:
    """A generated page layout and its ground truth."""

    path: Path
    groups: list[list[str]] = field(default_factory=list)  # each read whole, in this order

    @property
    def lines(self) -> list[str]:
        """Return every line in reading order."""
        return [line for group in self.groups for line in group]


def group_accuracy(groups: list[list[str]], text: str) -> float:
    """Return the share of adjacent line pairs inside each group that are adjacent in the text."""
    flat = normalise(text)
    pairs = [(a, b) for group in groups for a, b in zip(group, group[1:], strict=False)]
    hits = sum(1 for a, b in pairs if normalise(a) + normalise(b) in flat)
    return hits / len(pairs) if pairs else 1.0


def sentences(rng: random.Random, width: float, count: int) -> list[list[str]]:
    """Return ``count`` paragraphs of wrapped lines that read as sentences (capital, full stop)."""
    paragraphs = []
    for _ in range(count):
        words = [rng.choice(WORDS) for _ in range(rng.randint(30, 55))]
        words[0] = words[0].capitalize()
        words[-1] += "."
        paragraphs.append(pdf_factory.wrap(words, width, []))
    return paragraphs


class _Page:
    """Draw calls collected per group, so the stream order can differ from the reading order."""

    def __init__(self) -> None:
        self.draws: list[tuple[int, float, float, str, str, float]] = []  # group, y, x, text, font, size

    def text(self, group: int, x: float, y: float, text: str, font: str = FONT, size: float = SIZE) -> None:
        self.draws.append((group, y, x, text, font, size))

    def paint(self, canvas: Canvas, stream: str) -> None:
        draws = list(self.draws)
        if stream == "reverse":
            draws.sort(key=lambda d: -d[0])
        elif stream == "row":
            draws.sort(key=lambda d: (-round(d[1]), d[2]))
        for _, y, x, text, font, size in draws:
            canvas.setFont(font, size)
            canvas.drawString(x, y, text)


def boxed_pdf(path: Path, *, stream: str = "column", seed: int = 7) -> Layout:
    """Write a page of body text with a stroked text box between its paragraphs, and a judgement panel.

    Page 1: heading, two paragraphs, a box ("Key finding" and a paragraph), two paragraphs.
    Page 2: an Ofsted-style panel: a ruled header row (title | judgement) over one wide ruled
    cell of summary paragraphs, whose lines run under the header's inner rule.
    """
    rng = random.Random(seed)
    canvas = Canvas(str(path), pagesize=A4)
    page, groups, y = _Page(), [["Findings from the review"]], TOP
    page.text(0, MARGIN, y, "Findings from the review", BOLD, 16)
    y -= 30
    before, after = sentences(rng, BODY_WIDTH, 2), sentences(rng, BODY_WIDTH, 2)
    box_lines = ["Key finding", *sentences(rng, BODY_WIDTH - 2 * PADDING, 1)[0]]
    groups.append([line for p in before for line in p])
    y = _paragraphs(page, 1, MARGIN, y, before)
    top, first = y + SIZE, y - PADDING
    for index, line in enumerate(box_lines):
        page.text(2, MARGIN + PADDING, first - index * LEADING, line, BOLD if index == 0 else FONT)
    bottom = first - (len(box_lines) - 1) * LEADING - PADDING - 3
    canvas.rect(MARGIN, bottom, BODY_WIDTH, top - bottom)
    groups.append(box_lines)
    groups.append([line for p in after for line in p])
    _paragraphs(page, 3, MARGIN, bottom - PADDING - SIZE - 4, after)
    page.paint(canvas, stream)
    canvas.showPage()
    groups += _judgement_panel(canvas, rng, stream)
    canvas.save()
    return Layout(path, groups)


def _paragraphs(page: _Page, group: int, x: float, y: float, paragraphs: list[list[str]]) -> float:
    for paragraph in paragraphs:
        for line in paragraph:
            page.text(group, x, y, line)
            y -= LEADING
        y -= pdf_factory.PARAGRAPH_GAP
    return y


def _judgement_panel(canvas: Canvas, rng: random.Random, stream: str) -> list[list[str]]:
    page, x0, x2 = _Page(), MARGIN, PAGE_WIDTH - MARGIN
    x1 = x0 + 0.62 * (x2 - x0)
    title = ["The experiences and progress of children who", "need help and protection"]
    y = TOP
    for index, line in enumerate(title):
        page.text(0, x0 + 6, y - index * 14, line, BOLD, 12)
    page.text(1, x1 + 6, y - 7, "Requires improvement", BOLD, 12)
    header_bottom = y - 14 * len(title) - 4
    summary = ["Summary", *[line for p in sentences(rng, x2 - x0 - 12, 3) for line in p]]
    y = header_bottom - 16
    for index, line in enumerate(summary):
        page.text(2, x0 + 6, y, line, BOLD if index == 0 else FONT)
        y -= LEADING + (pdf_factory.PARAGRAPH_GAP if index and index % 7 == 0 else 0)
    bottom = y + 4
    for rule_y in (TOP + 16, header_bottom, bottom):
        canvas.line(x0, rule_y, x2, rule_y)
    for x in (x0, x2):
        canvas.line(x, TOP + 16, x, bottom)
    canvas.line(x1, TOP + 16, x1, header_bottom)
    page.paint(canvas, stream)
    canvas.showPage()
    return [title, ["Requires improvement"], summary]


def sidebar_pdf(path: Path, *, stream: str = "column", seed: int = 11) -> Layout:
    """Write a page whose main text runs beside a shaded sidebar, then on across the page below it.

    The sidebar's lines sit on the main text's baselines, so a row-wise stream interleaves them,
    and its text starts closer to the main text than a font height, so no gutter separates them.
    A reader takes the text beside the sidebar, the sidebar, then the text below it.
    """
    rng = random.Random(seed)
    canvas = Canvas(str(path), pagesize=A4)
    main_width, side_x, inset = 330.0, MARGIN + 330.0 + SIDEBAR_GAP, SIDEBAR_GAP
    side_width = PAGE_WIDTH - MARGIN - side_x
    page = _Page()
    side = ["At a glance", *sentences(rng, side_width - 2 * inset, 1)[0]]
    y = TOP
    for index, line in enumerate(side):
        page.text(1, side_x + inset, y - index * LEADING, line, BOLD if index == 0 else FONT)
    side_bottom = y - (len(side) - 1) * LEADING - PADDING - 3
    canvas.setFillColorRGB(*GREY)
    canvas.rect(side_x, side_bottom, side_width, TOP + SIZE + PADDING - side_bottom, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    main: list[str] = []
    for paragraph in sentences(rng, main_width, 2):
        for line in paragraph:
            page.text(0, MARGIN, y, line)
            main.append(line)
            y -= LEADING
        y -= pdf_factory.PARAGRAPH_GAP
    beside = len(main)
    y = min(y, side_bottom - 2 * LEADING)
    for paragraph in sentences(rng, BODY_WIDTH, 3):
        for line in paragraph:
            page.text(0, MARGIN, y, line)
            main.append(line)
            y -= LEADING
        y -= pdf_factory.PARAGRAPH_GAP
    page.paint(canvas, stream)
    canvas.save()
    return Layout(path, [main[:beside], side, main[beside:]])


def pull_quote_pdf(path: Path, *, stream: str = "column", seed: int = 5) -> Layout:
    """Write two columns where a pull quote between rules interrupts a sentence in the left column.

    The paragraph goes on after the quote mid-sentence; a reader finishes it, then reads the quote.
    """
    rng = random.Random(seed)
    canvas = Canvas(str(path), pagesize=A4)
    width = (BODY_WIDTH - pdf_factory.GUTTER) / 2
    page, flow, y = _Page(), [], TOP
    quote = ['"Nobody asked the family what', 'help they needed, or listened."']
    paragraphs = sentences(rng, width, 6)
    cut = len(paragraphs[1]) // 2
    for number, paragraph in enumerate(paragraphs[:3]):
        for index, line in enumerate(paragraph):
            if number == 1 and index == cut:
                y = _quote(canvas, page, quote, MARGIN, y, width)
            page.text(0, MARGIN, y, line)
            flow.append(line)
            y -= LEADING
        y -= pdf_factory.PARAGRAPH_GAP
    x, y = MARGIN + width + pdf_factory.GUTTER, TOP
    for paragraph in paragraphs[3:]:
        for line in paragraph:
            page.text(0, x, y, line)
            flow.append(line)
            y -= LEADING
        y -= pdf_factory.PARAGRAPH_GAP
    page.paint(canvas, stream)
    canvas.save()
    split = sum(len(p) for p in paragraphs[:2])
    return Layout(path, [flow[:split], quote, flow[split:]])


def _quote(canvas: Canvas, page: _Page, quote: list[str], x: float, y: float, width: float) -> float:
    """Draw a pull quote between two rules below baseline ``y``; return the next body baseline."""
    canvas.line(x, y + 2, x + width, y + 2)
    y -= QUOTE_LEADING
    for line in quote:
        page.text(1, x, y, line, QUOTE_FONT, QUOTE_SIZE)
        y -= QUOTE_LEADING
    canvas.line(x, y + QUOTE_LEADING - 8, x + width, y + QUOTE_LEADING - 8)
    return y - 6


def two_column_bullets_pdf(path: Path, *, stream: str = "column", pages: int = 3, seed: int = 3) -> Layout:
    """Write pages of two columns mixing paragraphs (hyphenated at line ends) and bulleted lists.

    Bullets are Symbol-font glyphs set apart from their text, as Word draws them; an item's
    second line is indented under its text. Page numbers sit at the foot of each page.
    """
    rng = random.Random(seed)
    canvas = Canvas(str(path), pagesize=A4)
    width = (BODY_WIDTH - pdf_factory.GUTTER) / 2
    lines: list[str] = []
    for number in range(1, pages + 1):
        page = _Page()
        for column in range(2):
            lines += _fill_bullet_column(page, rng, MARGIN + column * (width + pdf_factory.GUTTER), width)
        page.paint(canvas, stream)
        canvas.setFont(FONT, 8)
        canvas.drawCentredString(PAGE_WIDTH / 2, 30, f"Page {number} of {pages}")
        canvas.showPage()
    canvas.save()
    return Layout(path, [lines])


def _fill_bullet_column(page: _Page, rng: random.Random, x: float, width: float) -> list[str]:
    """Fill one column with alternating paragraphs and lists; return its lines in reading order."""
    placed, y = [], TOP
    while True:
        hyphenated: list[str] = []
        words = [rng.choice(WORDS) for _ in range(rng.randint(25, 45))]
        words[0], words[-1] = words[0].capitalize(), words[-1] + ":"
        paragraph = pdf_factory.wrap(words, width, hyphenated)
        items = [
            pdf_factory.wrap([rng.choice(WORDS) for _ in range(rng.randint(4, 14))], width - 18, [])
            for _ in range(3)
        ]
        height = LEADING * (len(paragraph) + sum(len(item) for item in items)) + 3 * pdf_factory.PARAGRAPH_GAP
        if y - height < pdf_factory.BOTTOM:
            return placed
        for line in paragraph:
            page.text(0, x, y, line)
            placed.append(line)
            y -= LEADING
        y -= pdf_factory.PARAGRAPH_GAP
        for item in items:
            page.text(0, x + 4, y, "\u2022", "Symbol")
            for line in item:
                page.text(0, x + 18, y, line)
                placed.append(line)
                y -= LEADING
            y -= pdf_factory.PARAGRAPH_GAP / 2
        y -= pdf_factory.PARAGRAPH_GAP
