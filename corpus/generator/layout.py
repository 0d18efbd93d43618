"""Lay sections out on A4 pages (one or two columns, running header and footer); draw them with reportlab."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, Table, TableStyle

from corpus.generator.fonts import FONT, FONT_BOLD, UNLIGATE
from corpus.generator.plan import MONTHS, SHORT, Block, DocPlan, Line, Page, Section, Sentence, _all_sentences
from corpus.generator.report_texts import HYPHENATE
from corpus.generator.sections import _board, build_sections, glossary_section

PAGE_W, PAGE_H = A4
MARGIN_X = 56


TOP_Y = PAGE_H - 78  # first baseline below the running header


BOTTOM_Y = 62  # last baseline above the footer


GUTTER = 20


BULLET_INDENT = 11


@dataclass
class Style:
    """Font sizes for a column count."""

    size: float
    leading: float


STYLES = {1: Style(10.5, 14.5), 2: Style(9.5, 12.5), 3: Style(8.5, 11.0)}


HEADING_SIZE = 12.0


SECTION_SIZE = 16.0


class Layout:
    """Flow sections into pages of positioned lines, tracking where sentences start."""

    def __init__(self, sentence_ids: dict[int, int]) -> None:
        """Start with no pages; ``sentence_ids`` maps id(Sentence) -> global sentence number."""
        self.pages: list[Page] = []
        self.sids = sentence_ids
        self.section_pages: list[tuple[str, int]] = []
        self.columns = 1
        self.frame = 0
        self.y = self.frame_top = TOP_Y

    def frame_x(self) -> tuple[float, float]:
        """Return the left x and width of the current frame."""
        width = (PAGE_W - 2 * MARGIN_X - GUTTER * (self.columns - 1)) / self.columns
        return self._x_of(self.frame), width

    def new_page(self, columns: int) -> None:
        """Start a new page with ``columns`` frames."""
        self.pages.append(Page(columns=columns))
        self.columns, self.frame, self.y, self.frame_top = columns, 0, TOP_Y, TOP_Y

    def need(self, height: float) -> None:
        """Move to the next frame or page unless ``height`` fits below the current line."""
        if self.y - height >= BOTTOM_Y:
            return
        if self.frame + 1 < self.columns:
            self.frame += 1
            self.y = self.frame_top
        else:
            self.new_page(self.columns)

    def add_section(self, section: Section) -> None:
        """Lay out one section: on a new page with a full-width title, or continuing in the columns."""
        if section.new_page or not self.pages or section.columns != self.columns:
            self.finish()
            self.new_page(section.columns)
            self._place(Line(section.title, MARGIN_X, self.y, FONT_BOLD, SECTION_SIZE, 0))
            self.y = self.frame_top = self.y - SECTION_SIZE - 10
        else:
            self.need(SECTION_SIZE + 3 * STYLES[self.columns].leading)
            self.y -= 8
            self._place(
                Line(section.title, self.frame_x()[0], self.y, FONT_BOLD, SECTION_SIZE - 2, self.frame)
            )
            self.y -= SECTION_SIZE + 4
        self.section_pages.append((section.title, len(self.pages)))
        for block in section.blocks:
            self._add_block(block)

    def finish(self) -> None:
        """Balance the columns of the last page so a short final page fills its columns evenly."""
        if not self.pages or self.columns == 1:
            return
        leading = STYLES[self.columns].leading
        height = self.frame_top - BOTTOM_Y + leading
        body = sorted(
            (ln for ln in self.pages[-1].lines if ln.y <= self.frame_top + 0.01),
            key=lambda ln: ln.frame * height + self.frame_top - ln.y,
        )
        if not body:
            return
        offsets = [ln.frame * height + self.frame_top - ln.y for ln in body]
        target = (offsets[-1] + leading) / self.columns
        starts = [0]
        for i, offset in enumerate(offsets):
            if len(starts) < self.columns and offset >= len(starts) * target:
                keep_with_next = i > starts[-1] + 1 and body[i - 1].font == FONT_BOLD
                starts.append(i - 1 if keep_with_next else i)
        for frame, (first, end) in enumerate(zip(starts, [*starts[1:], len(body)], strict=True)):
            for line, offset in zip(body[first:end], offsets[first:end], strict=True):
                indent = line.x - self._x_of(line.frame)
                line.frame, line.x = frame, self._x_of(frame) + indent
                line.y = self.frame_top - (offset - offsets[first])

    def _x_of(self, frame: int) -> float:
        """Return the left x of column ``frame`` on the current page."""
        width = (PAGE_W - 2 * MARGIN_X - GUTTER * (self.columns - 1)) / self.columns
        return MARGIN_X + frame * (width + GUTTER)

    def _place(self, line: Line) -> None:
        """Append a line to the current page."""
        self.pages[-1].lines.append(line)

    def _add_block(self, block: Block) -> None:
        """Lay out one block in the current frame."""
        style = STYLES[self.columns]
        if block.kind == "table":
            self._add_table(block)
            return
        if block.kind == "heading":
            self.need(HEADING_SIZE + 3 * style.leading)
            self.y -= 4
            self._place(
                Line(block.sentences[0].text, self.frame_x()[0], self.y, FONT_BOLD, HEADING_SIZE, self.frame)
            )
            self.y -= HEADING_SIZE + 5
            return
        indent = BULLET_INDENT if block.kind == "bullet" else 0
        x, width = self.frame_x()
        for i, (text, sids) in enumerate(wrap(block.sentences, self.sids, width - indent, style.size)):
            self.need(style.leading)
            x, _ = self.frame_x()
            self._place(
                Line(
                    text,
                    x + indent,
                    self.y,
                    FONT,
                    style.size,
                    self.frame,
                    sids,
                    bullet=block.kind == "bullet" and i == 0,
                )
            )
            self.pages[-1].sids.extend(sids)
            self.y -= style.leading
        self.y -= style.leading * (0.2 if block.kind in ("bullet", "line") else 0.6)

    def _add_table(self, block: Block) -> None:
        """Place a ruled two-column table (header plus rows) across the frame."""
        x, width = self.frame_x()
        cell = ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=11.5)
        head = ParagraphStyle("head", parent=cell, fontName=FONT_BOLD)
        data = [[Paragraph("Recommendation", head), Paragraph("What has been done", head)]]
        data += [[Paragraph(escape(a.text), cell), Paragraph(escape(b.text), cell)] for a, b in block.rows]
        table = Table(data, colWidths=[width * 0.55, width * 0.45])
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        _, height = table.wrap(width, PAGE_H)
        self.need(height)
        rows = ["Recommendation | What has been done"] + [f"{a.text} | {b.text}" for a, b in block.rows]
        self.pages[-1].tables.append((table, x, self.y + 10 - height, rows))
        self.pages[-1].sids.extend(self.sids[id(s)] for pair in block.rows for s in pair)
        self.y -= height + 10


def wrap(
    sentences: list[Sentence], sids: dict[int, int], width: float, size: float
) -> list[tuple[str, list[int]]]:
    """Greedy-wrap sentences into lines, hyphenating known long words and compounds at line ends.

    Returns (line text, ids of the sentences whose first word is on the line).
    """
    words: list[tuple[str, int | None]] = []
    for s in sentences:
        for k, word in enumerate(s.text.split()):
            words.append((word, sids.get(id(s)) if k == 0 else None))
    lines: list[tuple[str, list[int]]] = []
    current: list[str] = []
    starts: list[int] = []
    queue = list(words)
    while queue:
        word, sid = queue.pop(0)
        trial = " ".join([*current, word])
        if current and pdfmetrics.stringWidth(trial, FONT, size) > width:
            head, tail = _split(word, " ".join(current), width, size)
            if head:
                current.append(head)
                queue.insert(0, (tail, None))
                sid_here, sid = sid, None
                if sid_here is not None:
                    starts.append(sid_here)
                lines.append((" ".join(current), starts))
                current, starts = [], []
                continue
            lines.append((" ".join(current), starts))
            current, starts = [], []
        current.append(word)
        if sid is not None:
            starts.append(sid)
    if current:
        lines.append((" ".join(current), starts))
    return lines


def _split(word: str, line: str, width: float, size: float) -> tuple[str, str]:
    """Return (head with hyphen, tail) if ``word`` can be broken to end ``line``, else ('', '')."""
    core = word.rstrip(".,;:")
    hyphenated = HYPHENATE.get(core.lower())
    if hyphenated and "-" in hyphenated:
        cut = hyphenated.index("-")
        head, tail = word[:cut] + "-", word[cut:]
    elif "-" in core[1:-1]:
        cut = core.index("-", 1) + 1
        head, tail = word[:cut], word[cut:]
    else:
        return "", ""
    if pdfmetrics.stringWidth(f"{line} {head}", FONT, size) <= width:
        return head, tail
    return "", ""


def doc_title(plan: DocPlan) -> tuple[str, str, str]:
    """Return the document title, the big title-page heading and the running header."""
    key, board = _board(plan)
    short = f"{plan.area} {SHORT[key]}"
    if plan.doc_type == "annual_report":
        heading = f"Annual Report {plan.year - 1}-{plan.year}"
        return f"{board} {heading}", heading, f"{short} Annual Report {plan.year - 1}-{str(plan.year)[2:]}"
    dhr = "Domestic Abuse Related Death Review" if plan.year >= 2023 else "Domestic Homicide Review"
    heading = {
        "sar": f"Safeguarding Adult Review: '{plan.subject}'",
        "cspr": f"Child Safeguarding Practice Review: '{plan.subject}'",
        "rapid_review": f"Rapid Review: '{plan.subject}'",
        "dhr": f"{dhr}: '{plan.subject}'",
        "learning_review": "Thematic Review: Adults Known to Many Services"
        if plan.audience == "adults"
        else "Thematic Review: Young People and Their Families",
        "inspection": f"Joint Targeted Area Inspection of {plan.area}: Summary of Findings",
    }[plan.doc_type]
    return f"{board} \u2014 {heading}", heading, f"{short} {heading.split(':')[0]} {plan.year}"


def title_page(plan: DocPlan, heading: str) -> Page:
    """Return the title page: publisher, heading, area and date (no header or footer)."""
    page = Page(lines=[Line(_board(plan)[1], MARGIN_X, PAGE_H - 160, FONT_BOLD, 14, 0)])
    y = PAGE_H - 230
    for text, _ in wrap([Sentence(heading)], {}, PAGE_W - 2 * MARGIN_X, 22):
        page.lines.append(Line(text, MARGIN_X, y, FONT_BOLD, 22, 0))
        y -= 28
    month = MONTHS[(plan.year + len(plan.subject)) % len(MONTHS)]
    when = (
        f"Reporting period April {plan.year - 1} to March {plan.year}"
        if plan.doc_type == "annual_report"
        else f"Published {month} {plan.year}"
    )
    page.lines += [Line(plan.area, MARGIN_X, y - 30, FONT, 13, 0), Line(when, MARGIN_X, y - 50, FONT, 12, 0)]
    return page


def contents_page(section_pages: list[tuple[str, int]]) -> Page:
    """Return the contents page listing each section with its page number."""
    page = Page(lines=[Line("Contents", MARGIN_X, TOP_Y, FONT_BOLD, SECTION_SIZE, 0)])
    y = TOP_Y - 36
    for title, number in [("Glossary of abbreviations", 3), *section_pages]:
        page.lines.append(Line(title, MARGIN_X, y, FONT, 11, 0))
        page.lines.append(Line(str(number), PAGE_W - MARGIN_X - 12, y, FONT, 11, 0))
        y -= 20
    return page


def draw_page(c: canvas.Canvas, page: Page, number: int, total: int, header: str, plan: DocPlan) -> None:
    """Draw one page: header, body lines in the chosen stream order, tables, footer."""
    if number > 1:
        c.setFont(FONT, 8.5)
        c.drawString(MARGIN_X, PAGE_H - 40, header)
        c.line(MARGIN_X, PAGE_H - 46, PAGE_W - MARGIN_X, PAGE_H - 46)
    order = (
        (lambda ln: (-round(ln.y, 1), ln.x)) if plan.stream_order == "row" else (lambda ln: (ln.frame, -ln.y))
    )
    for line in sorted(page.lines, key=order):
        if line.bullet:
            _draw_bullet(c, line, plan.bullets)
        c.setFont(line.font, line.size)
        c.drawString(line.x, line.y, line.text)
    for table, x, y, _ in page.tables:
        table.wrapOn(c, PAGE_W, PAGE_H)
        table.drawOn(c, x, y)
    if number > 1:
        c.setFont(FONT, 8.5)
        c.drawCentredString(PAGE_W / 2, 34, f"Page {number} of {total}")
    c.showPage()


def _draw_bullet(c: canvas.Canvas, line: Line, style: str) -> None:
    """Draw a bullet glyph left of a list line: Helvetica, ZapfDingbats or Symbol."""
    font, glyph = {
        "helvetica": (FONT, "\u2022"),
        "zapf": ("ZapfDingbats", "\u25cf"),
        "symbol": ("Symbol", "\u2022"),
    }[style]
    c.setFont(font, line.size - (2 if style == "zapf" else 0))
    c.drawString(line.x - BULLET_INDENT, line.y, glyph)


def page_text(page: Page) -> list[str]:
    """Return a page's lines in reading order (frames left to right, then tables), without header/footer."""
    rows: dict[tuple[int, float], list[Line]] = {}
    for ln in sorted(page.lines, key=lambda ln: (ln.frame, -ln.y, ln.x)):
        rows.setdefault((ln.frame, round(ln.y, 1)), []).append(ln)
    lines = [" ".join(("\u2022 " if ln.bullet else "") + ln.text for ln in row) for row in rows.values()]
    for *_, table_rows in page.tables:
        lines.extend(table_rows)
    return [line.translate(UNLIGATE) for line in lines]


def lay_out(plan: DocPlan, rng: random.Random) -> tuple[list[Page], list[Sentence], str, str]:
    """Compose and lay out a document; return pages, sentences in order, title and header."""
    body = build_sections(plan, rng)
    glossary = glossary_section(plan, rng)
    sentences = _all_sentences([glossary, *body])
    ids = {id(s): i for i, s in enumerate(sentences)}
    front = Layout(ids)
    front.add_section(glossary)
    front.finish()
    main = Layout(ids)
    for section in body:
        main.add_section(section)
    main.finish()
    offset = 2 + len(front.pages)
    section_pages = [(t, n + offset) for t, n in main.section_pages]
    title, heading, header = doc_title(plan)
    pages = [title_page(plan, heading), contents_page(section_pages), *front.pages, *main.pages]
    return pages, sentences, title, header


def write_pdf(path: Path, pages: list[Page], title: str, header: str, plan: DocPlan) -> None:
    """Write the pages to ``path`` with reportlab (invariant, compressed)."""
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1)
    c.setTitle(title)
    c.setAuthor(_board(plan)[1])
    for number, page in enumerate(pages, start=1):
        draw_page(c, page, number, len(pages), header, plan)
    c.save()
