"""Label every block with the section it belongs to (records.SECTIONS).

Headings switch the section: "Contents", "Glossary"/"Abbreviations",
"References"/"Bibliography" and "Recommendations" open their section; any
other heading returns to the body. A contents list also ends where its pages
end, and pages that look like a contents list (entries ending in page numbers)
are contents even without a heading.
"""

from __future__ import annotations

import re
from dataclasses import replace

from pipeline.records import Block

SECTION_PATTERNS = (
    ("contents", re.compile(r"^(table of )?contents$|^contents page$")),
    ("glossary", re.compile(r"glossary|abbreviations|acronyms|^key terms|^definitions|terminology")),
    (
        "references",
        re.compile(r"^(references|bibliography|further reading|endnotes|sources|reference list)\b"),
    ),
    ("recommendations", re.compile(r"\brecommendations?\b")),
)
HEADING_NUMBER = re.compile(
    r"^(?:(?:section|part|chapter|appendix|annex)\s+)?(?:\d+|[ivxlc]+|[a-h])(?:\.\d+)*[.):]?\s+", re.I
)
TOC_ENTRY = re.compile(r"(?:\.{3,}|…|\s)\s*\d{1,3}$")
MIN_TOC_ENTRIES = 4
TOC_SHARE = 0.5  # a page is a contents page when this share of its blocks are entries
MAX_TOC_ENTRY_WORDS = 16
ACRONYM = re.compile(r"^[A-Z][A-Z0-9&/-]{1,9}$")
UNCOUNTED = ("contents", "glossary", "references")


def classify_heading(text: str) -> str | None:
    """Return the section a heading opens, or None for an ordinary (body) heading."""
    title = HEADING_NUMBER.sub("", text.strip()).strip(" :.").lower()
    for section, pattern in SECTION_PATTERNS:
        if pattern.search(title):
            return section
    return None


def is_toc_entry(text: str) -> bool:
    """Return whether a block reads like a contents entry ("Findings ....... 12")."""
    return len(text.split()) <= MAX_TOC_ENTRY_WORDS and bool(TOC_ENTRY.search(text))


def toc_pages(blocks: list[Block]) -> set[int]:
    """Return the pages where most blocks are contents entries."""
    per_page: dict[int, list[bool]] = {}
    for block in blocks:
        per_page.setdefault(block.page, []).append(is_toc_entry(block.text))
    return {
        page
        for page, flags in per_page.items()
        if sum(flags) >= MIN_TOC_ENTRIES and sum(flags) >= TOC_SHARE * len(flags)
    }


def assign_sections(blocks: list[Block]) -> list[Block]:
    """Return the blocks with ``section`` set from the headings before them."""
    contents_pages = toc_pages(blocks)
    section, opened_on = "body", 0
    labelled = []
    for block in blocks:
        if section == "contents" and block.page > opened_on and block.page not in contents_pages:
            section = "body"
        if block.kind == "heading":
            section, opened_on = _next_section(section, opened_on, block)
        current = "contents" if block.page in contents_pages and section == "body" else section
        labelled.append(replace(block, section=current))
    return labelled


def _next_section(section: str, opened_on: int, heading: Block) -> tuple[str, int]:
    found = classify_heading(heading.text)
    if found is not None:
        return found, heading.page
    if section in UNCOUNTED and (ACRONYM.match(heading.text) or is_toc_entry(heading.text)):
        return section, opened_on  # a glossary term or contents entry set in bold, not a new section
    return "body", heading.page
