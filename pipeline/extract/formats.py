"""Read the non-PDF formats: Word (.docx), web pages (.html/.htm) and plain text (.txt/.md).

These carry their structure explicitly (styles, tags, blank lines), so no
geometry is needed. Word and HTML have no fixed pages: everything is page 1,
except that explicit page breaks in Word and form feeds in text start a new page.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from pipeline import errors
from pipeline.extract import limits
from pipeline.extract.clean import clean_text, join_lines, strip_bullet
from pipeline.records import Block, OcrPage

TEXT_ENCODINGS = ("utf-8-sig", "cp1252")
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "title"})
BLOCK_TAGS = frozenset({"p", "li", "div", "td", "th", "tr", "br", "section", "article", "blockquote", "pre"})
SKIPPED_TAGS = frozenset({"script", "style", "nav", "noscript", "template", "svg", "head"})
MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
LIST_MARK = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")
FORM_FEED = "\f"
MAX_TITLE_LINES = 3


@dataclass
class Content:
    """What a reader recovered from one file, before sections and metadata."""

    pages: int
    blocks: list[Block]
    title_lines: list[str] = field(default_factory=list)
    first_pages: str = ""
    properties: dict[str, str] = field(default_factory=dict)
    engine: str = ""
    ocr_pages: list[OcrPage] = field(default_factory=list)


def read_other(path: Path) -> Content:
    """Read a .docx, .html/.htm, .txt or .md file into blocks."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        content = read_docx(path)
    elif suffix in (".html", ".htm"):
        content = read_html(_decode(path))
    else:
        text = _decode(path)
        limits.check_is_text(path, text)
        content = read_text(text)
    if not content.blocks:
        raise errors.NoTextLayerError(f"{path.name} contains no text. Check you have the right file.")
    content.first_pages = content.first_pages or "\n".join(b.text for b in content.blocks[:40])
    return content


def _decode(path: Path) -> str:
    limits.check_text_file_size(path, path.stat().st_size)
    data = path.read_bytes()
    if data.lstrip().startswith(b"%PDF-"):
        raise errors.NotADocumentError(f"{path.name} is a PDF with the wrong extension. Rename it to .pdf.")
    for encoding in TEXT_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def read_docx(path: Path) -> Content:
    """Read paragraphs (headings and lists from their styles) and table rows of a Word file."""
    import docx  # python-docx, imported here so PDF-only workers never load it
    from docx.opc.exceptions import PackageNotFoundError

    if not zipfile.is_zipfile(path):
        raise errors.NotADocumentError(
            f"{path.name} is not a Word .docx file (it may be an old .doc or another format). "
            "Open it in Word, save it as .docx, then add it again."
        )
    try:
        limits.check_docx_unpacked(path)
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, SyntaxError) as exc:
        raise errors.CorruptFileError(
            f"{path.name} is a damaged Word file. Open it in Word (which can often repair it), "
            "save it again and add it again."
        ) from exc
    blocks: list[Block] = []
    page = 1
    for item in document.iter_inner_content():
        if isinstance(item, docx.table.Table):
            blocks.extend(_docx_table(item, page))
            continue
        page += sum(1 for run in item.runs if 'w:type="page"' in run._r.xml)
        text = clean_text(item.text)
        if text:
            blocks.append(Block(page, strip_bullet(text), _docx_kind(item.style.name if item.style else "")))
    title = document.core_properties.title or ""
    return Content(page, blocks, _first_headings(blocks), properties={"Title": title}, engine="docx")


def _docx_kind(style: str) -> str:
    style = style.lower()
    if style.startswith(("heading", "title")):
        return "heading"
    return "list_item" if "list" in style else "paragraph"


def _docx_table(table, page: int) -> list[Block]:
    blocks = []
    for row in table.rows:
        cells = [join_lines(cell.text.splitlines()) for cell in row.cells]
        # python-docx repeats a merged cell's text in every grid column it spans
        cells = [cell for i, cell in enumerate(cells) if i == 0 or cell != cells[i - 1]]
        if any(cells):
            blocks.append(Block(page, " | ".join(cells), "table"))
    return blocks


def _first_headings(blocks: list[Block]) -> list[str]:
    return [b.text for b in blocks if b.kind == "heading"][:MAX_TITLE_LINES]


class _HtmlBlocks(HTMLParser):
    """Collect text per block-level element; table rows become 'cell | cell'."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.parts: list[str] = []
        self.cells: list[str] = []
        self.kind = "paragraph"
        self.skipping = 0
        self.title = ""

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping += 1
        elif tag in BLOCK_TAGS or tag in HEADING_TAGS:
            self._flush_text()
            self.kind = "heading" if tag in HEADING_TAGS else "list_item" if tag == "li" else "paragraph"

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in ("td", "th"):
            self.cells.append(clean_text(" ".join(self.parts)))
            self.parts = []
        elif tag == "tr":
            if any(self.cells):
                self.blocks.append(Block(1, " | ".join(self.cells), "table"))
            self.cells = []
        elif tag in BLOCK_TAGS or tag in HEADING_TAGS:
            self._flush_text()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)

    def _flush_text(self) -> None:
        text = clean_text(" ".join(self.parts))
        self.parts = []
        if text:
            self.blocks.append(Block(1, text, self.kind))
        self.kind = "paragraph"


def read_html(markup: str) -> Content:
    """Read headings, paragraphs, list items and table rows of a web page."""
    parser = _HtmlBlocks()
    parser.feed(markup)
    parser.close()
    parser._flush_text()
    title = re.search(r"<title[^>]*>(.*?)</title>", markup, re.I | re.S)
    properties = {"Title": clean_text(title.group(1))} if title else {}
    return Content(1, parser.blocks, _first_headings(parser.blocks), properties=properties, engine="html")


def read_text(text: str) -> Content:
    """Read plain text or Markdown: blank lines part blocks, form feeds part pages."""
    blocks: list[Block] = []
    pages = text.split(FORM_FEED)
    for number, page in enumerate(pages, start=1):
        for chunk in re.split(r"\n\s*\n", page):
            lines = [line for line in chunk.splitlines() if line.strip()]
            if lines:
                blocks.extend(_text_blocks(lines, number))
    return Content(len(pages), blocks, _first_headings(blocks), engine="text")


def _text_blocks(lines: list[str], page: int) -> list[Block]:
    if MARKDOWN_HEADING.match(lines[0]):
        heading = Block(page, clean_text(MARKDOWN_HEADING.sub("", lines[0])), "heading")
        return [heading, *(_text_blocks(lines[1:], page) if lines[1:] else [])]
    if LIST_MARK.match(lines[0]):
        items: list[list[str]] = []
        for line in lines:
            if LIST_MARK.match(line) or not items:
                items.append([LIST_MARK.sub("", line)])
            else:
                items[-1].append(line)
        return [Block(page, join_lines(item), "list_item") for item in items]
    return [Block(page, join_lines(lines), "paragraph")]
