"""Render a learning briefing as an A4 PDF with reportlab (pure Python: no browser, no system tools).

The same sections as the HTML briefing (key messages with their evidence, recurring and
saturated themes, rising and falling, heatmap, quotes, checks, method); the heatmap is the
print PNG, scaled to the page.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from pipeline.outputs.heatmap.chart import render_chart

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

    from pipeline.outputs.report.briefing import Briefing
    from pipeline.outputs.report.figures import ThemeChange, ThemeSummary

MARGIN = 16 * mm
RULE_COLOUR = colors.HexColor("#dddddd")
MARK_COLOUR = "#fdd49e"
QUOTE_STYLE = ParagraphStyle("quote", fontSize=9.5, leading=12.5, leftIndent=10, spaceAfter=1)
CITE_STYLE = ParagraphStyle(
    "cite", fontSize=8, leading=10, leftIndent=10, textColor=colors.HexColor("#555555"), spaceAfter=6
)
CELL_STYLE = ParagraphStyle("cell", fontSize=9, leading=11)
MESSAGE_STYLE = ParagraphStyle(
    "message", fontSize=10, leading=13, leftIndent=10, bulletIndent=0, spaceBefore=3
)
SATURATED_TEXT = (
    "Discussed in nearly every document of every year: headings every report has. Their share says "
    "little; how often they are prominent says more."
)
HEATMAP_HEIGHT_SHARE = 0.92  # of the page's text height, leaving room for the heading
TABLE_STYLE = TableStyle(
    [
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE_COLOUR),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
)


def _percent(share: float) -> str:
    return f"{share:.0%}"


def _table(rows: list[list[str]], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TABLE_STYLE)
    return table


def _change_table(changes: list[ThemeChange], width: float) -> Table:
    header = ["Theme", changes[0].early_years, changes[0].late_years, "Change", "Documents", "Test"]
    rows = [
        [
            Paragraph(escape(c.label), CELL_STYLE),
            _percent(c.early_share),
            _percent(c.late_share),
            f"{c.change * 100:+.0f} pts",
            Paragraph(escape(c.counts), CELL_STYLE),
            c.test_text,
        ]
        for c in changes
    ]
    shares = [0.3, 0.1, 0.1, 0.1, 0.26, 0.14]
    return _table([header, *rows], [width * share for share in shares])


def _quote(quote: dict[str, Any]) -> list[Paragraph]:
    text = (
        f"“{escape(quote['before'])}<font backColor='{MARK_COLOUR}'>{escape(quote['match'])}</font>"
        f"{escape(quote['after'])}”"
    )
    where = ", ".join(str(part) for part in (quote["title"], quote["year"]) if part)
    page = f", p. {quote['page']}" if quote.get("page") else ""
    return [Paragraph(text, QUOTE_STYLE), Paragraph(f"— {escape(where)}{page}", CITE_STYLE)]


def _heatmap_image(briefing: Briefing, folder: Path, width: float, height: float) -> Image:
    path = folder / "heatmap.png"
    render_chart(briefing.matrix, path)
    image = Image(str(path))
    scale = min(width / image.imageWidth, height / image.imageHeight)
    image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
    return image


def _recurring_table(briefing: Briefing, summaries: list[ThemeSummary], width: float) -> Table:
    header = ["Theme", "Share of documents", "Prominent", "Documents", "Years present"]
    rows = [
        [
            Paragraph(escape(s.label + (" (saturated)" if s.saturated else "")), CELL_STYLE),
            _percent(s.share),
            _percent(s.prominent_share),
            str(s.documents),
            f"{s.years_present} of {len(briefing.years)}",
        ]
        for s in summaries
    ]
    return _table([header, *rows], [width * 0.42, width * 0.17, width * 0.13, width * 0.13, width * 0.15])


def _key_messages(briefing: Briefing) -> list[Flowable]:
    """Return the key messages, each followed by its evidence, as in the HTML briefing."""
    story: list[Flowable] = []
    for message in briefing.key_messages:
        story += [
            Paragraph(escape(message.text), MESSAGE_STYLE, bulletText="•"),
            Paragraph(f"Evidence: {escape(message.evidence)}", CITE_STYLE),
        ]
    return story


def _changes(briefing: Briefing, width: float, style: dict[str, ParagraphStyle]) -> list[Flowable]:
    changes = briefing.changes
    tables = [("Rising significantly", changes.rising), ("Falling significantly", changes.falling)]
    if not changes.tested:
        tables = []
    heading = (
        "Changed, but not significantly"
        if changes.tested
        else "Changes between the halves of the years (not tested)"
    )
    story: list[Flowable] = [
        Paragraph("Rising and falling themes", style["h2"]),
        Paragraph(escape(changes.method), style["body"]),
    ]
    for title, found in [*tables, (heading, changes.not_significant)]:
        table = _change_table(found, width) if found else Paragraph("None.", style["body"])
        story += [Paragraph(title, style["h3"]), table]
    return story


def _checks_table(briefing: Briefing, width: float) -> Table:
    header = ["Theme", "Hits checked", "Judged right", "Precision (95% interval)"]
    rows = [[c.label, str(c.reviewed), str(c.accepted), c.precision_text] for c in briefing.checks]
    return _table([header, *rows], [width * 0.45, width * 0.15, width * 0.15, width * 0.25])


def _styles() -> dict[str, ParagraphStyle]:
    """Return the paragraph styles; headings stay with what follows them."""
    sample = getSampleStyleSheet()
    styles = {"h1": sample["Title"], "body": sample["BodyText"]}
    for name, base in (("h2", "Heading2"), ("h3", "Heading3")):
        styles[name] = ParagraphStyle(name, parent=sample[base], keepWithNext=1)
    return styles


def _sections(briefing: Briefing, folder: Path, width: float, height: float) -> list[Flowable]:
    style = _styles()
    types = ", ".join(f"{n} {kind}" for kind, n in briefing.doc_types.items())
    span = f", {briefing.years[0]}–{briefing.years[-1]}" if briefing.years else ""
    story: list[Flowable] = [
        Paragraph(escape(briefing.title), style["h1"]),
        Paragraph(
            f"{briefing.documents} documents{span} ({escape(types)}) · prepared "
            f"{briefing.generated:%d %B %Y}",
            style["body"],
        ),
        Paragraph("Key messages", style["h2"]),
        *_key_messages(briefing),
        Paragraph("Top recurring themes", style["h2"]),
        _recurring_table(briefing, briefing.recurring, width),
    ]
    if briefing.saturated:
        story += [
            Paragraph("In nearly every report (saturated)", style["h3"]),
            Paragraph(escape(SATURATED_TEXT), style["body"]),
            _recurring_table(briefing, briefing.saturated, width),
        ]
    story += _changes(briefing, width, style)
    image = _heatmap_image(briefing, folder, width, height * HEATMAP_HEIGHT_SHARE)
    story += [
        KeepTogether([Paragraph("Themes by year", style["h2"]), image]),
        Paragraph("What the reviews say", style["h2"]),
    ]
    for theme, quotes in briefing.quotes.items():
        heading = Paragraph(escape(briefing.labels.get(theme, theme)), style["h3"])
        blocks = [_quote(quote) for quote in quotes]
        if blocks:  # a heading never ends a page alone; a quote never splits from its citation
            story += [KeepTogether([heading, *blocks[0]]), *(KeepTogether(block) for block in blocks[1:])]
    story += [
        Spacer(1, 6),
        Paragraph("How often the hits are right", style["h2"]),
        Paragraph(escape(briefing.checks_note), style["body"]),
    ]
    if briefing.reviewed_any:
        story.append(_checks_table(briefing, width))
    story += [
        Spacer(1, 6),
        Paragraph("How these numbers were made", style["h2"]),
        Paragraph(escape(briefing.method), style["body"]),
    ]
    return story


def write_pdf(briefing: Briefing, out: Path) -> None:
    """Write the briefing to `out` as an A4 PDF."""
    document = SimpleDocTemplate(
        str(out),
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=briefing.title,
        author="safeguarding-themes",
    )
    with tempfile.TemporaryDirectory() as folder:
        document.build(_sections(briefing, Path(folder), document.width, document.height))
