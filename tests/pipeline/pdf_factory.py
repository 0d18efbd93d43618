"""Build small PDFs with known ground truth, one per extraction problem.

Every builder writes a file and returns what a perfect extractor would read:
the body lines of each page in reading order (running headers and footers
excluded) and the words it hyphenated at line ends. Text is drawn line by line
with ``drawString`` so the content-stream order is under our control.
"""

from __future__ import annotations

import io
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import registerFont, stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONT, BOLD, SIZE, LEADING = "Helvetica", "Helvetica-Bold", 10, 12.5
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN, GUTTER = 56, 24
TOP, BOTTOM = PAGE_HEIGHT - 80, 70
PARAGRAPH_GAP = 8
HEADER = "Anytown Safeguarding Children Partnership Annual Report 2023-2024"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
SAMPLE_TEXT = (
    "the child and family were known to several agencies over many years while practitioners "
    "shared information about risk at home school and in the community when the mother asked "
    "for help professional curiosity about the circumstances of the children was limited "
    "because records were incomplete and managers did not challenge decisions made at the "
    "strategy meeting safeguarding partners agreed that assessment of neglect should consider "
    "cumulative harm accommodation transport communication understanding vulnerability "
    "exploitation neighbourhood responsibilities consultation representatives commissioning "
    "independent interpretation self-neglect multi-agency well-being decision-making long-term "
    "co-ordinated"
)
WORDS = tuple(SAMPLE_TEXT.split())
LONG_WORD = 9  # words at least this long may be hyphenated at a line end


@dataclass
class Generated:
    """A generated PDF and its ground truth."""

    path: Path
    pages: list[list[str]] = field(default_factory=list)  # body lines per page, in reading order
    hyphenated: list[str] = field(default_factory=list)  # words broken across lines, as they should read

    @property
    def lines(self) -> list[str]:
        """Return all body lines in reading order."""
        return [line for page in self.pages for line in page]


def wrap(words: list[str], width: float, hyphenated: list[str]) -> list[str]:
    """Break words into lines no wider than ``width``, hyphenating long words that do not fit."""
    lines, current = [], ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if stringWidth(candidate, FONT, SIZE) <= width:
            current = candidate
            continue
        head, tail = _split_word(word, current, width)
        if head:
            lines.append(f"{current} {head}-".strip())
            hyphenated.append(word)
            current = tail
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def _split_word(word: str, current: str, width: float) -> tuple[str, str]:
    if "-" in word:
        head, tail = word.split("-", 1)
        fits = stringWidth(f"{current} {head}-", FONT, SIZE) <= width
        return (head, tail) if fits else ("", "")
    if len(word) < LONG_WORD or not word.isalpha():
        return "", ""
    for cut in range(len(word) - 3, 2, -1):
        if stringWidth(f"{current} {word[:cut]}-", FONT, SIZE) <= width:
            return word[:cut], word[cut:]
    return "", ""


def _paragraphs(rng: random.Random, width: float, count: int, hyphenated: list[str]) -> list[list[str]]:
    return [
        wrap([rng.choice(WORDS) for _ in range(rng.randint(25, 60))], width, hyphenated) for _ in range(count)
    ]


def column_pdf(
    path: Path,
    *,
    columns: int = 2,
    stream: str = "column",
    pages: int = 2,
    running: bool = True,
    title: str | None = None,
    seed: int = 42,
) -> Generated:
    """Write a page-filling multi-column document.

    Args:
        path: Where to write.
        columns: 1, 2 or 3 columns.
        stream: "column" draws each column top to bottom; "row" interleaves the columns line by line.
        pages: Number of pages.
        running: Draw a running header and a "Page N of M" footer on every page.
        title: A large title across the columns of page 1.
        seed: Seed of the text generator.
    """
    rng = random.Random(seed)
    canvas = Canvas(str(path), pagesize=A4)
    result = Generated(path)
    width = (PAGE_WIDTH - 2 * MARGIN - (columns - 1) * GUTTER) / columns
    for number in range(1, pages + 1):
        top = TOP
        truth: list[str] = []
        if title and number == 1:
            canvas.setFont(BOLD, 20)
            canvas.drawString(MARGIN, top, title)
            truth.append(title)
            top -= 40
        placed = [_fill_column(rng, width, top, result.hyphenated) for _ in range(columns)]
        for column in placed:
            truth.extend(text for text, _ in column)
        draws = [(y, col, text) for col, column in enumerate(placed) for text, y in column]
        if stream == "row":
            draws.sort(key=lambda item: (-item[0], item[1]))
        canvas.setFont(FONT, SIZE)
        for y, col, text in draws:
            canvas.drawString(MARGIN + col * (width + GUTTER), y, text)
        if running:
            _draw_running(canvas, number, pages)
        result.pages.append(truth)
        canvas.showPage()
    canvas.save()
    return result


def _fill_column(
    rng: random.Random, width: float, top: float, hyphenated: list[str]
) -> list[tuple[str, float]]:
    placed, y = [], top
    while True:
        paragraph = _paragraphs(rng, width, 1, hyphenated)[0]
        if y - len(paragraph) * LEADING < BOTTOM:
            return placed
        for line in paragraph:
            placed.append((line, y))
            y -= LEADING
        y -= PARAGRAPH_GAP


def _draw_running(canvas: Canvas, number: int, pages: int) -> None:
    canvas.setFont(FONT, 8)
    canvas.drawString(MARGIN, PAGE_HEIGHT - 40, HEADER)
    canvas.drawCentredString(PAGE_WIDTH / 2, 30, f"Page {number} of {pages}")


def table_pdf(
    path: Path, rows: list[tuple[str, str]], *, intro: str = "Progress on our recommendations"
) -> Generated:
    """Write a heading, a paragraph and a ruled two-column table."""
    canvas = Canvas(str(path), pagesize=A4)
    canvas.setFont(BOLD, 16)
    canvas.drawString(MARGIN, TOP, intro)
    canvas.setFont(FONT, SIZE)
    canvas.drawString(MARGIN, TOP - 30, "The table shows what partners have done since the last review.")
    x0, x1, x2 = MARGIN, MARGIN + 200, PAGE_WIDTH - MARGIN
    y = TOP - 60
    row_height = 22
    for index, (left, right) in enumerate(rows):
        canvas.setFont(BOLD if index == 0 else FONT, SIZE)
        canvas.drawString(x0 + 4, y - 15, left)
        canvas.drawString(x1 + 4, y - 15, right)
        y -= row_height
    top, bottom = TOP - 60, TOP - 60 - row_height * len(rows)
    for k in range(len(rows) + 1):
        canvas.line(x0, top - k * row_height, x2, top - k * row_height)
    for x in (x0, x1, x2):
        canvas.line(x, top, x, bottom)
    canvas.save()
    return Generated(path, [[intro, "The table shows what partners have done since the last review."]])


def lines_pdf(
    path: Path,
    pages: list[list[str]],
    *,
    font: str = FONT,
    size: float = SIZE,
    bold_lines: frozenset[int] = frozenset(),
) -> Generated:
    """Write the given lines, one page per list, in one font (DejaVu unless built in)."""
    if font not in (FONT, BOLD) and DEJAVU.exists():
        registerFont(TTFont(font, str(DEJAVU)))
    canvas = Canvas(str(path), pagesize=A4)
    for lines in pages:
        for index, line in enumerate(lines):
            canvas.setFont(BOLD if index in bold_lines else font, size)
            canvas.drawString(MARGIN, TOP - index * LEADING, line)
        canvas.showPage()
    canvas.save()
    return Generated(path, [list(lines) for lines in pages])


def bullets_pdf(path: Path, items: list[str], *, font: str = "Symbol", glyph: str = "\u2022") -> Generated:
    """Write a list whose symbol-font bullets sit apart from their text, as Word does."""
    canvas = Canvas(str(path), pagesize=A4)
    canvas.setFont(FONT, SIZE)
    canvas.drawString(MARGIN, TOP, "Partners agreed the following actions:")
    for index, item in enumerate(items):
        y = TOP - (index + 2) * LEADING * 1.5
        canvas.setFont(font, SIZE)
        canvas.drawString(MARGIN + 10, y, glyph)
        canvas.setFont(FONT, SIZE)
        canvas.drawString(MARGIN + 28, y, item)
    canvas.save()
    return Generated(path, [["Partners agreed the following actions:", *items]])


def encrypted_pdf(path: Path, password: str = "secret") -> Path:
    """Write a PDF that needs a password to open."""
    from reportlab.lib.pdfencrypt import StandardEncryption

    canvas = Canvas(str(path), pagesize=A4, encrypt=StandardEncryption(password, canPrint=0))
    canvas.drawString(MARGIN, TOP, "Confidential learning review")
    canvas.save()
    return path


def truncated_pdf(path: Path) -> Path:
    """Write the first third of a valid PDF, as an interrupted download leaves it."""
    full = path.with_suffix(".full.pdf")
    column_pdf(full, pages=2)
    data = full.read_bytes()
    full.unlink()
    path.write_bytes(data[: len(data) // 3])
    return path


def image_only_pdf(path: Path) -> Path:
    """Write a one-page 'scan': an image and no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader

    image = Image.new("L", (400, 500), 255)
    ImageDraw.Draw(image).rectangle((40, 40, 360, 60), fill=0)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    canvas = Canvas(str(path), pagesize=A4)
    canvas.drawImage(ImageReader(io.BytesIO(buffer.getvalue())), MARGIN, 200, 400, 500)
    canvas.save()
    return path


def blank_pages_pdf(path: Path, pages: int = 2) -> Path:
    """Write pages with nothing on them."""
    canvas = Canvas(str(path), pagesize=A4)
    for _ in range(pages):
        canvas.showPage()
    canvas.save()
    return path


def normalise(text: str) -> str:
    """Return text as lower-case letters and digits only, so order checks ignore hyphens and spaces."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def pair_accuracy(truth: list[str], text: str) -> float:
    """Return the share of adjacent ground-truth line pairs that are also adjacent in the text."""
    flat = normalise(text)
    pairs = list(zip(truth, truth[1:], strict=False))
    hits = sum(1 for first, second in pairs if normalise(first) + normalise(second) in flat)
    return hits / len(pairs) if pairs else 1.0


ORDER_PIECE = 8  # letters per piece located by order_adjacency


def order_adjacency(truth: list[str], text: str) -> float:
    """Return the share of adjacent ground-truth line pairs read one after the other, despite misreads.

    `pair_accuracy` needs both lines letter-perfect, so on OCR text one misread letter ("tisk"
    for "risk") fails two pairs whose order is right. Here a pair counts when pieces of both
    lines are found in the text at offsets consistent with the second line following the first
    (within a tenth of the pair's length), at least half of each line's pieces found there:
    a line read out of order still fails, a misread letter does not.
    """
    flat = normalise(text)
    pairs = list(zip(truth, truth[1:], strict=False))
    hits = sum(1 for first, second in pairs if _read_in_sequence(normalise(first), normalise(second), flat))
    return hits / len(pairs) if pairs else 1.0


def _read_in_sequence(first: str, second: str, flat: str) -> bool:
    """True when `first` then `second` (normalised) appear in `flat` in sequence, misreads allowed."""
    joined = first + second
    starts = range(0, len(joined) - ORDER_PIECE + 1, ORDER_PIECE // 2)
    sides = {start: start + ORDER_PIECE // 2 <= len(first) for start in starts}  # True: the piece is first's
    if len(set(sides.values())) < 2:
        return joined in flat  # a line too short to cut into pieces
    found = [
        (start, position - start)
        for start in starts
        for position in _positions(flat, joined[start : start + ORDER_PIECE])
    ]
    slack = max(2, len(joined) // 10)
    totals = Counter(sides.values())
    for _, offset in found:
        aligned = Counter(
            sides[start] for start in {start for start, other in found if abs(other - offset) <= slack}
        )
        if all(aligned[side] * 2 >= totals[side] for side in (True, False)):
            return True
    return False


def _positions(text: str, piece: str) -> list[int]:
    """Every offset at which `piece` occurs in `text`."""
    found, start = [], text.find(piece)
    while start >= 0:
        found.append(start)
        start = text.find(piece, start + 1)
    return found


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def word_recall(truth: list[str], text: str) -> float:
    """Share of the true words found, counted with multiplicity (words broken at line ends rejoined)."""
    truth = [re.sub(r"(\w)-\n(\w)", r"\1\2", "\n".join(truth))]
    found: dict[str, int] = {}
    for word in _words(text):
        found[word] = found.get(word, 0) + 1
    hits = 0
    for word in _words(" ".join(truth)):
        if found.get(word, 0):
            found[word] -= 1
            hits += 1
    return hits / max(len(_words(" ".join(truth))), 1)
