"""Plain records passed between pipeline stages.

Every stage between the first read and the last write takes and returns these
dataclasses, so stages stay pure and can run in worker processes (all records
pickle cheaply: no open files, no spaCy objects).

Offsets: a document's *text* is its blocks' texts joined by BLOCK_SEPARATOR, in
reading order. Every offset (text units, mentions, QDPX selections) counts
Unicode code points in that text, end exclusive: ``text[start:end]``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

BLOCK_SEPARATOR = "\n\n"

DOC_TYPES = (
    "annual_report",
    "sar",
    "cspr",
    "rapid_review",
    "dhr",
    "learning_review",
    "inspection",
    "evaluation",
    "other",
)
# How review types read in headings (the warehouse keeps the codes of ../shared/reference/cli.md).
DOC_TYPE_LABELS = {
    "annual_report": "Annual report",
    "sar": "SAR",
    "cspr": "CSPR",
    "rapid_review": "Rapid review",
    "dhr": "DHR",
    "learning_review": "Learning review",
    "inspection": "Inspection",
    "evaluation": "Evaluation",
    "other": "Other",
}

BLOCK_KINDS = ("heading", "paragraph", "list_item", "table")

# Sections whose matches are never counted as theme evidence.
UNCOUNTED_SECTIONS = ("contents", "glossary", "references")
# The key sections a report states its main messages in ("Executive summary", "Key findings";
# "Recommendations", "What needs to improve", "Areas for improvement", "Learning points"...).
KEY_SECTIONS = ("summary", "recommendations")
SECTIONS = ("front_matter", "body", *KEY_SECTIONS, *UNCOUNTED_SECTIONS)


@dataclass(frozen=True)
class Block:
    """A heading, paragraph, list item or table row group, on one page."""

    page: int  # 1-based page number, for citations
    text: str
    kind: str = "paragraph"  # one of BLOCK_KINDS
    section: str = "body"  # one of SECTIONS


@dataclass(frozen=True)
class DocumentMetadata:
    """What a learning lead filters and groups by."""

    title: str
    doc_type: str = "other"  # one of DOC_TYPES
    area: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class OcrPage:
    """A page whose text came from OCR (it had no text layer): the engine and its confidence."""

    page: int  # 1-based
    engine: str  # "tesseract 5.3.0"
    confidence: float  # mean word confidence, 0-1
    words: int = 0


@dataclass
class ExtractedDocument:
    """The cleaned, segmented text of one file."""

    path: Path
    sha256: str
    metadata: DocumentMetadata
    pages: int
    blocks: list[Block] = field(default_factory=list)
    extractor_version: str = ""
    metadata_source: str = "inferred"  # "manifest" when a manifest row supplied any of it
    ocr_pages: list[OcrPage] = field(default_factory=list)  # pages read by OCR, if any

    @property
    def text(self) -> str:
        """Return the document text that all offsets refer to."""
        return BLOCK_SEPARATOR.join(block.text for block in self.blocks)

    @property
    def words(self) -> int:
        """Return the number of whitespace-separated words."""
        return sum(len(block.text.split()) for block in self.blocks)


@dataclass(frozen=True)
class TextUnit:
    """A sentence of a document, with its place for citations."""

    unit_no: int  # 0-based ordinal within the document
    start: int
    end: int
    page: int
    section: str
    kind: str  # the kind of block the sentence came from
    text: str


@dataclass(frozen=True)
class Mention:
    """One theme match: the evidence behind every number."""

    theme: str
    start: int  # offsets in the document text (or in the tagged string)
    end: int
    text: str  # the matched text, == doc_text[start:end]
    sentence: str
    unit_no: int
    page: int
    section: str
    rule_id: str
    counted: bool
    reason: str | None = None  # why not counted: negated, hedged, boilerplate, glossary, reference_entry, ...
    source: str = "rules"  # rules | classifier
    hedged: bool = False  # a hedge cue ("possible", "suspected") precedes the match; still counted by default


@dataclass
class TaggedDocument:
    """An extracted document with its sentences and theme mentions."""

    document: ExtractedDocument
    units: list[TextUnit]
    mentions: list[Mention]
    taxonomy_version: str
