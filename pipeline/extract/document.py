"""Turn one file into an ExtractedDocument: clean text blocks with page numbers.

The only stage besides loading that touches files. Safe to call in a worker
process: every handle is opened and closed within the call.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

from pipeline import errors
from pipeline.extract import formats
from pipeline.extract.clean import (
    document_vocabulary,
    edge_key,
    join_lines,
    normalise_glyphs,
    running_keys,
    strip_bullet,
)
from pipeline.extract.layout import Line, RawBlock, body_size, group_blocks, reading_order
from pipeline.extract.limits import check_text_chars, split_long_blocks
from pipeline.extract.metadata import infer_metadata
from pipeline.extract.ocr import ENABLE_HINT, ocr_scanned_pages, tesseract_version
from pipeline.extract.pdf import PageContent, PlumberTables, open_pdf, read_page
from pipeline.extract.regions import build_regions, merge_in_zones, region_boxes
from pipeline.extract.sections import assign_sections
from pipeline.hashing import sha256_file
from pipeline.records import Block, ExtractedDocument, OcrPage

EXTRACTOR_VERSION = "extract-1.1"  # 1.1: key sections (summary, what needs to improve...)
SUPPORTED_SUFFIXES = (".pdf", ".docx", ".html", ".htm", ".txt", ".md")
PDF_MAGIC = b"%PDF-"
MAGIC_WINDOW = 1024  # the PDF spec lets the header start anywhere in the first 1 KB
# Lines within this share of the page height from the top or bottom edge may be running heads.
EDGE_ZONE = 0.12
EDGE_LINES = 4  # at most this many lines at each edge
# A running head or footer repeats on this many pages (fewer in short documents such as Ofsted letters).
MIN_RUNNING_PAGES = 3
MIN_RUNNING_PAGES_SHORT = 2
SHORT_DOCUMENT_PAGES = 4
METADATA_PAGES = 2  # pages whose text metadata inference reads
TABLE_CELL_SEPARATOR = " | "
TABLE_ENGINES = ("pdfium", "pdfplumber")
TITLE_SIZE_RATIO = 1.2  # the title must be this much larger than the first page's body text
TITLE_LINE_RATIO = 0.9  # lines this close to the largest size belong to the title
MAX_TITLE_LINES = 4
MIN_TITLE_WORDS = 3
MIN_LETTER_CHARS = 300  # a first page in one type size with this much text is a letter, not a cover


@dataclass(frozen=True)
class ExtractSettings:
    """Limits and options for extraction, validated on creation.

    Attributes:
        max_bytes: Files larger than this are refused with FileTooLargeError.
        max_pages: PDFs with more pages than this are refused with FileTooLargeError.
        password: Password for encrypted PDFs, if the user has one.
        table_engine: "pdfium" rebuilds ruled tables from pdfium's rules (fast, the default);
            "pdfplumber" asks pdfplumber on pages with ruling lines (about 0.1 s a page more).
        ocr: read pages without a text layer with Tesseract (pipeline.extract.ocr).
    """

    max_bytes: int = 1_000_000_000
    max_pages: int = 5_000
    password: str | None = None
    table_engine: str = "pdfium"
    ocr: bool = False  # OCR pages that have images and no text layer (needs Tesseract)

    def __post_init__(self) -> None:
        """Reject limits that could never let a file through, and unknown table engines."""
        if self.max_bytes <= 0 or self.max_pages <= 0:
            raise errors.UsageError("max_bytes and max_pages must be positive")
        if self.table_engine not in TABLE_ENGINES:
            raise errors.UsageError(f"table_engine must be one of {', '.join(TABLE_ENGINES)}")


def extract_document(
    path: Path, *, settings: ExtractSettings | None = None, sha256: str | None = None
) -> ExtractedDocument:
    """Extract the cleaned, segmented text and inferred metadata of one file.

    Args:
        path: the file.
        settings: limits and the table engine.
        sha256: the file's digest when the caller has it already (ingest hashes every
            file once, or reuses its file index); computed here otherwise.

    Raises:
        errors.ExtractionError: A subclass saying why no text could be recovered.
    """
    settings = settings or ExtractSettings()
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise errors.UnsupportedFormatError(
            f"{path.name}: '{suffix or 'no extension'}' files are not read. "
            f"Save it as one of {', '.join(SUPPORTED_SUFFIXES)} and add it again."
        )
    digest = check_size_and_hash(path, settings, sha256)
    content = _extract_pdf(path, settings) if suffix == ".pdf" else formats.read_other(path)
    check_text_chars(path, content.blocks)
    blocks = assign_sections(split_long_blocks(content.blocks))
    metadata = infer_metadata(
        path, properties=content.properties, title_lines=content.title_lines, first_pages=content.first_pages
    )
    return ExtractedDocument(
        path=path,
        sha256=digest,
        metadata=metadata,
        pages=content.pages,
        blocks=blocks,
        extractor_version=f"{EXTRACTOR_VERSION}+{content.engine}",
        ocr_pages=content.ocr_pages,
    )


def extract_pages_text(doc: ExtractedDocument) -> list[tuple[int, str]]:
    """Return (page number, cleaned text) for every page, blocks separated by blank lines."""
    pages: dict[int, list[str]] = {number: [] for number in range(1, doc.pages + 1)}
    for block in doc.blocks:
        prefix = "• " if block.kind == "list_item" else ""
        pages.setdefault(block.page, []).append(prefix + block.text)
    return [(number, "\n\n".join(texts)) for number, texts in sorted(pages.items())]


def check_size_and_hash(path: Path, settings: ExtractSettings, sha256: str | None) -> str:
    """Refuse empty, unreadable and oversized files; return the sha256 of the bytes (`sha256` if known)."""
    try:
        size = path.stat().st_size
        if size == 0:
            raise errors.EmptyFileError(
                f"{path.name} is empty (0 bytes): the download or copy failed. "
                "Fetch it again and add it again."
            )
        if size > settings.max_bytes:
            raise errors.FileTooLargeError(
                f"{path.name} is {size / 1e6:.0f} MB, over the {settings.max_bytes / 1e6:.0f} MB limit. "
                "Split it into parts, or raise the limit if this really is one report."
            )
        digest = sha256 or sha256_file(path)
    except OSError as exc:
        raise errors.CorruptFileError(
            f"{path.name} cannot be read ({exc.strerror}). Check it exists and you may open it."
        ) from exc
    return digest


def _extract_pdf(path: Path, settings: ExtractSettings) -> formats.Content:
    """Read a PDF page by page, drop running heads, order, block and clean its text."""
    _check_pdf_header(path)
    pages, info, ocr_pages = _read_pages(path, settings)
    if not any(page.lines for page in pages):
        raise _no_text_error(path, pages, settings.ocr)
    boxes = [region_boxes(page.lines, page.boxes) for page in pages]
    for page, page_boxes in zip(pages, boxes, strict=True):
        page.lines = merge_in_zones(page.lines, page_boxes)
    title_lines = _title_lines(pages[0].lines)
    first_pages = "\n".join(line.text for page in pages[:METADATA_PAGES] for line in page.lines)
    _drop_running_lines(pages)
    all_lines = [line for page in pages for line in page.lines]
    body = body_size([line for line in all_lines if not line.rows])
    vocabulary = document_vocabulary([line.text for line in all_lines])
    blocks = [
        block
        for page, page_boxes in zip(pages, boxes, strict=True)
        for raw in group_blocks(reading_order(build_regions(page.lines, page_boxes)), body)
        for block in _to_blocks(raw, page.number, vocabulary)
    ]
    engine = "pdfium+ocr" if ocr_pages else "pdfium"
    return formats.Content(len(pages), blocks, title_lines, first_pages, info, engine, ocr_pages)


def _check_pdf_header(path: Path) -> None:
    """Refuse a file whose first kilobyte has no PDF header, naming what it is instead when we can."""
    with path.open("rb") as handle:
        head = handle.read(MAGIC_WINDOW)
    if PDF_MAGIC in head:
        return
    sniffed = head.lstrip()[:100].lower()
    if sniffed.startswith((b"<!doctype html", b"<html")) or b"<html" in sniffed:
        what = "a web page (HTML) saved with a .pdf name, probably the download page rather than the report"
    else:
        what = "not a PDF, although its name ends in .pdf"
    raise errors.NotADocumentError(f"{path.name} is {what}. Download the PDF itself and add it again.")


def _read_pages(
    path: Path, settings: ExtractSettings
) -> tuple[list[PageContent], dict[str, str], list[OcrPage]]:
    """Return every page's content, the document information (Title, CreationDate...) and OCR flags."""
    pdf = open_pdf(path, settings.password)
    try:
        count = len(pdf)
        if count > settings.max_pages:
            raise errors.FileTooLargeError(
                f"{path.name} has {count} pages, over the {settings.max_pages}-page limit. "
                "Split it into parts, or raise the limit if this really is one report."
            )
        info = {key: value for key, value in pdf.get_metadata_dict().items() if value}
        plumber = PlumberTables(path) if settings.table_engine == "pdfplumber" else None
        try:
            pages = [_read_page_or_blank(pdf, index, plumber) for index in range(count)]
        finally:
            if plumber is not None:
                plumber.close()
        ocr_pages = ocr_scanned_pages(pdf, pages) if settings.ocr and tesseract_version() else []
    finally:
        pdf.close()
    if count and all(page is None for page in pages):
        raise errors.CorruptFileError(
            f"{path.name} is damaged: none of its {count} pages can be read. "
            "Download it again, or open and re-save it in a PDF reader, then add it again."
        )
    blank = [page or PageContent(number, 0.0, 0.0, [], 0) for number, page in enumerate(pages, 1)]
    return blank, info, ocr_pages


def _read_page_or_blank(
    pdf: pdfium.PdfDocument, index: int, plumber: PlumberTables | None
) -> PageContent | None:
    """Read one page; a damaged page yields None so the rest of the document still loads."""
    try:
        return read_page(pdf, index, plumber)
    except pdfium.PdfiumError:
        return None


def _no_text_error(path: Path, pages: list[PageContent], ocr: bool) -> errors.ExtractionError:
    if any(page.images for page in pages):
        if ocr and tesseract_version():
            what = "OCR found no words on its pages (blank or unreadable images)"
        elif ocr:
            what = "it needs OCR, and --ocr was asked for but the Tesseract program is not installed"
        else:
            what = "it needs OCR"
        return errors.NoTextLayerError(
            f"{path.name} has no text layer: its pages are images (a scan), so {what}. {ENABLE_HINT}"
        )
    return errors.NoTextLayerError(
        f"{path.name} has {len(pages)} page(s) but no text or images on them. "
        "Check you have the right file; if it shows text in a PDF reader, print it to PDF and add that."
    )


def _title_lines(lines: list[Line]) -> list[str]:
    """Return the first page's largest-type lines, top to bottom: the title, usually."""
    text_lines = [line for line in lines if line.text and any(ch.isalpha() for ch in line.text)]
    if not text_lines:
        return []
    largest = max(line.size for line in text_lines)
    ordered = sorted(text_lines, key=lambda ln: ln.top)
    uniform = largest < body_size(text_lines) * TITLE_SIZE_RATIO
    if uniform and sum(len(line.text) for line in text_lines) >= MIN_LETTER_CHARS:
        return _bold_subject(ordered)  # a letter: one type size, the subject line in bold
    return [line.text for line in ordered if line.size >= largest * TITLE_LINE_RATIO][:MAX_TITLE_LINES]


def _bold_subject(ordered: list[Line]) -> list[str]:
    """Return the first run of bold lines that reads like a subject line (a letter's title)."""
    starts = (i for i, line in enumerate(ordered) if line.bold and _word_count(line.text) >= MIN_TITLE_WORDS)
    start = next(starts, None)
    if start is None:
        return []
    subject = [ordered[start].text]
    for line in ordered[start + 1 : start + MAX_TITLE_LINES]:
        if not line.bold:
            break
        subject.append(line.text)
    return subject


def _word_count(text: str) -> int:
    return sum(1 for word in text.split() if word.isalpha())


def _drop_running_lines(pages: list[PageContent]) -> None:
    """Remove lines that repeat at the top or bottom edge of many pages (headers, footers, page numbers)."""
    edges = [_edge_lines(page) for page in pages]
    min_pages = MIN_RUNNING_PAGES_SHORT if len(pages) <= SHORT_DOCUMENT_PAGES else MIN_RUNNING_PAGES
    keys = running_keys([[line.text for line in page_edges] for page_edges in edges], min_pages=min_pages)
    for page, page_edges in zip(pages, edges, strict=True):
        running = {id(line) for line in page_edges if edge_key(line.text) in keys}
        page.lines = [line for line in page.lines if id(line) not in running]


def _edge_lines(page: PageContent) -> list[Line]:
    """Return the few lines nearest the top and bottom edges of a page, inside the edge zones."""
    text_lines = sorted((line for line in page.lines if not line.rows), key=lambda ln: ln.top)
    top_zone, bottom_zone = page.height * EDGE_ZONE, page.height * (1 - EDGE_ZONE)
    head = [line for line in text_lines[:EDGE_LINES] if line.top <= top_zone]
    taken = {id(line) for line in head}
    return head + [
        line for line in text_lines[-EDGE_LINES:] if line.bottom >= bottom_zone and id(line) not in taken
    ]


def _to_blocks(raw: RawBlock, page: int, vocabulary: frozenset[str]) -> list[Block]:
    """Turn a layout block into records: one per table row, else one joined, cleaned text."""
    if raw.kind == "table":
        cells = ([join_lines(cell.split("\n"), vocabulary) for cell in row] for row in raw.lines[0].rows)
        texts = [TABLE_CELL_SEPARATOR.join(cell for cell in row if cell) for row in cells]
        return [Block(page, text, "table") for text in texts if text.strip(" |")]
    text = join_lines([normalise_glyphs(line.text) for line in raw.lines], vocabulary)
    if raw.kind == "list_item":
        text = strip_bullet(text)
    return [Block(page, text, raw.kind)] if text else []
