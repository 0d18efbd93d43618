"""OCR of PDF pages that have no text layer: scans, and scanned pages inside digital PDFs.

Optional (`pip install -e ".[ocr]"` plus the system Tesseract). A page with images and no
text is rendered at OCR_DPI with pdfium and read by the `tesseract` program (TSV output:
every word with its box and confidence). Words become the same positioned `Line`s the text
layer gives, in PDF points, so running heads, two-column reading order, blocks and page
numbers are handled by the code that handles digital pages. Nothing downloads at run time:
without Tesseract, `--ocr` quarantines the scan with a message that says how to install it.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import shutil
import subprocess
from collections.abc import Sequence
from statistics import mean

import pypdfium2 as pdfium
from PIL import ImageFilter

from pipeline.extract.layout import Line
from pipeline.extract.pdf import PageContent
from pipeline.records import OcrPage

OCR_DPI = 200  # the measurement: a 150-dpi scan read at 200 dpi, word recall 0.987
POINTS_PER_INCH = 72.0
MEDIAN_PX = 3  # a 3-pixel median filter removes scanner specks that Tesseract reads as marks
MIN_WORD_CONFIDENCE = 20.0  # words below this (usually specks read as "-" or "'") are dropped
LANGUAGE = "eng"
TESSERACT_TIMEOUT_S = 120.0
LINE_LEVEL, WORD_LEVEL = 4, 5  # Tesseract TSV levels
SPLIT_GAP_HEIGHTS = 1.5  # words further apart than this many line heights start a new fragment
ENABLE_HINT = (
    'To read scans here, install OCR (`pip install -e ".[ocr]"` and the Tesseract program with its English '
    "data, see the README) and run with --ocr (nightly: THEMES_OCR=1); or OCR it elsewhere "
    "(for example `ocrmypdf in.pdf out.pdf`) and add the result."
)


@functools.cache
def tesseract_version() -> str | None:
    """Return the installed Tesseract's version ("5.3.0"), or None when it cannot run."""
    program = shutil.which("tesseract")
    if program is None:
        return None
    try:
        done = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    first = (done.stdout or done.stderr).split("\n", 1)[0]
    return first.split()[-1] if first.strip() else "unknown"


def engine_name() -> str:
    """Return the engine label stored per page ("tesseract 5.3.0")."""
    return f"tesseract {tesseract_version() or 'unknown'}"


def needs_ocr(lines: Sequence[Line], images: int) -> bool:
    """True for a page that shows images but has no text layer."""
    return images > 0 and not lines


def ocr_page(pdf: pdfium.PdfDocument, index: int) -> tuple[list[Line], OcrPage]:
    """Render one page (0-based `index`) and OCR it; return its lines (PDF points) and the page flag."""
    scale = OCR_DPI / POINTS_PER_INCH
    page = pdf[index]
    try:
        bitmap = page.render(scale=scale, grayscale=True)
        image = bitmap.to_pil().filter(ImageFilter.MedianFilter(MEDIAN_PX))  # specks off, strokes kept
    finally:
        page.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(OCR_DPI, OCR_DPI))
    lines, confidences = parse_tsv(run_tesseract(buffer.getvalue()), 1.0 / scale)
    confidence = round(mean(confidences) / 100.0, 3) if confidences else 0.0
    return lines, OcrPage(index + 1, engine_name(), confidence, len(confidences))


def run_tesseract(png: bytes) -> str:
    """Run Tesseract on PNG bytes (one thread: workers give the parallelism) and return its TSV."""
    program = shutil.which("tesseract") or "tesseract"
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    done = subprocess.run(
        [program, "stdin", "stdout", "-l", LANGUAGE, "--dpi", str(OCR_DPI), "tsv"],
        input=png,
        capture_output=True,
        timeout=TESSERACT_TIMEOUT_S,
        env=env,
        check=True,
    )
    return done.stdout.decode("utf-8", errors="replace")


def parse_tsv(tsv: str, to_points: float) -> tuple[list[Line], list[float]]:
    """Turn Tesseract TSV into positioned fragments (boxes in points) and the word confidences.

    A Tesseract line is split where two words are further apart than SPLIT_GAP_HEIGHTS line
    heights: on a poor scan it may run across the gutter, and the layout code finds columns
    from the gaps between fragments.
    """
    line_boxes: dict[tuple[str, ...], tuple[float, float]] = {}
    words: dict[tuple[str, ...], list[tuple[float, float, str]]] = {}
    confidences: list[float] = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        key = (row["page_num"], row["block_num"], row["par_num"], row["line_num"])
        level, left, top = int(row["level"]), float(row["left"]), float(row["top"])
        if level == LINE_LEVEL:
            line_boxes[key] = (top, top + float(row["height"]))
        elif level == WORD_LEVEL and _kept(row):
            words.setdefault(key, []).append((left, left + float(row["width"]), row["text"].strip()))
            confidences.append(float(row["conf"]))
    lines = []
    for line_key, (top, bottom) in line_boxes.items():
        top, bottom = top * to_points, bottom * to_points
        for run in _runs(sorted(words.get(line_key, [])), (bottom - top) / to_points):
            x0, x1, text = run[0][0] * to_points, run[-1][1] * to_points, " ".join(w for _, _, w in run)
            lines.append(Line(x0, top, x1, bottom, text, size=bottom - top))
    return lines, confidences


def _kept(row: dict[str, str]) -> bool:
    """True for a word with text and a confidence of at least MIN_WORD_CONFIDENCE."""
    return bool((row.get("text") or "").strip()) and float(row["conf"]) >= MIN_WORD_CONFIDENCE


def _runs(words: list[tuple[float, float, str]], height: float) -> list[list[tuple[float, float, str]]]:
    """Split a line's words (sorted by x) where the gap between two is wider than SPLIT_GAP_HEIGHTS."""
    runs: list[list[tuple[float, float, str]]] = []
    for word in words:
        if runs and word[0] - runs[-1][-1][1] <= max(height, 1.0) * SPLIT_GAP_HEIGHTS:
            runs[-1].append(word)
        else:
            runs.append([word])
    return runs


def ocr_scanned_pages(pdf: pdfium.PdfDocument, pages: Sequence[PageContent | None]) -> list[OcrPage]:
    """OCR, in place, every page with images and no text layer; return the pages read by OCR."""
    flags = []
    for page in pages:
        if page is None or not needs_ocr(page.lines, page.images):
            continue
        lines, flag = ocr_page(pdf, page.number - 1)
        if lines:
            page.lines = lines
            flags.append(flag)
    return flags
