"""Size limits that keep one odd or hostile file from stalling or exhausting a night.

Each check raises an `ExtractionError` with a reason a learning lead can act on, so
the file is quarantined and the rest of the batch loads. The numbers are far above
any real review: the largest report in the real corpus has about 1.5 million
characters; a 300-page Word report unpacks to about 3 MB of XML.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from pathlib import Path

from pipeline import errors
from pipeline.records import Block

# spaCy refuses texts over 1,000,000 characters, and its memory grows with the text, so
# a longer paragraph is cut into pieces (at a sentence end when there is one).
MAX_BLOCK_CHARS = 50_000
MAX_TEXT_CHARS = 10_000_000  # the whole document's text, after extraction
MAX_TEXT_FILE_BYTES = 50_000_000  # .txt/.md/.html, refused before reading
MAX_DOCX_XML_BYTES = 20_000_000  # the XML a .docx unpacks to (python-docx builds a tree of it)
MAX_DOCX_UNPACKED_BYTES = 500_000_000  # everything it unpacks to, images included
BINARY_SAMPLE_CHARS = 100_000
MAX_CONTROL_SHARE = 0.01  # text with more control or undecodable characters than this is binary
ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
SENTENCE_END = re.compile(r"[.!?;:][\"')\]]*\s+")


def check_text_file_size(path: Path, size: int) -> None:
    """Refuse a text or web file too large to be a report, before reading it."""
    if size > MAX_TEXT_FILE_BYTES:
        raise errors.FileTooLargeError(
            f"{path.name} is {size / 1e6:.0f} MB of text, over the {MAX_TEXT_FILE_BYTES / 1e6:.0f} MB limit "
            "for text and web files (a long review is about 2 MB). Check it is a report; split it if it is."
        )


def check_docx_unpacked(path: Path) -> None:
    """Refuse a Word file that unpacks to far more than any report (a zip bomb)."""
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
    xml = sum(m.file_size for m in members if m.filename.endswith((".xml", ".rels")))
    total = sum(m.file_size for m in members)
    if xml > MAX_DOCX_XML_BYTES or total > MAX_DOCX_UNPACKED_BYTES:
        raise errors.FileTooLargeError(
            f"{path.name} unpacks to {total / 1e6:.0f} MB ({xml / 1e6:.0f} MB of text markup), over the "
            f"{MAX_DOCX_XML_BYTES / 1e6:.0f} MB a Word report can hold. It may be damaged or built to "
            "overload the computer; open it in Word and save it again if it is a real report."
        )


def check_is_text(path: Path, text: str) -> None:
    """Refuse binary data saved with a text extension (undecodable or control characters)."""
    sample = text[:BINARY_SAMPLE_CHARS]
    if not sample:
        return
    odd = sum(
        1
        for char in sample
        if char == "\ufffd" or (unicodedata.category(char) == "Cc" and char not in ALLOWED_CONTROLS)
    )
    if odd / len(sample) > MAX_CONTROL_SHARE:
        raise errors.NotADocumentError(
            f"{path.name} is not a text file: {odd / len(sample):.0%} of its characters are binary data. "
            "Check you have the right file (a renamed program or archive?)."
        )


def check_text_chars(path: Path, blocks: list[Block]) -> None:
    """Refuse a document whose text is far longer than any report."""
    chars = sum(len(block.text) for block in blocks)
    if chars > MAX_TEXT_CHARS:
        raise errors.FileTooLargeError(
            f"{path.name} holds {chars / 1e6:.1f} million characters of text, over the "
            f"{MAX_TEXT_CHARS / 1e6:.0f} million limit (a long review has about 1.5 million). "
            "Check it is a single report; split it if it is."
        )


def split_long_blocks(blocks: list[Block], limit: int = MAX_BLOCK_CHARS) -> list[Block]:
    """Cut blocks longer than `limit` characters into pieces, at sentence ends where possible.

    A 2 MB one-line text file is so read in bounded pieces (spaCy's limit is 1,000,000
    characters, and its memory grows with the text) instead of failing the night.
    """
    if all(len(block.text) <= limit for block in blocks):
        return blocks
    pieces: list[Block] = []
    for block in blocks:
        text = block.text
        while len(text) > limit:
            cut = _cut_point(text, limit)
            pieces.append(Block(block.page, text[:cut].rstrip(), block.kind, block.section))
            text = text[cut:].lstrip()
        if text:
            pieces.append(Block(block.page, text, block.kind, block.section))
    return pieces


def _cut_point(text: str, limit: int) -> int:
    """Return where to cut `text` at most `limit` characters in: a sentence end, else a space."""
    window = text[: limit + 1]
    ends = [match.end() for match in SENTENCE_END.finditer(window, limit // 2)]
    if ends:
        return ends[-1]
    space = window.rfind(" ", limit // 2)
    return space + 1 if space > 0 else limit
