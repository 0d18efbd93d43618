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
DOT_LEADER = re.compile(r"(?:\.{4,}|…|(?:\. ){3,})\s*\d{0,3}$")
PAGE_NUMBER_END = re.compile(r"\s\d{1,3}$")
MIN_TOC_ENTRIES = 4
MIN_LEADER_ENTRIES = 3
TOC_SHARE = 0.5  # an early page is a contents page when this share of its blocks end in page numbers
EARLY_PAGES = 6  # contents lists without dot leaders are only looked for this near the front
MAX_TOC_ENTRY_WORDS = 16
# A glossary term: a token with two or more capitals, alone or followed by ":" or a dash ("CLA: Children...").
GLOSSARY_TERM = re.compile(r"^[A-Z][\w&/]*[A-Z][\w&/]*(?:\s*[:–—=-]\s|\s*$)")
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
    return bool(DOT_LEADER.search(text)) or (
        len(text.split()) <= MAX_TOC_ENTRY_WORDS and bool(PAGE_NUMBER_END.search(text))
    )


def toc_pages(blocks: list[Block]) -> set[int]:
    """Return the pages that are contents lists: dot leaders anywhere, or page numbers near the front."""
    leaders: dict[int, int] = {}
    numbered: dict[int, list[bool]] = {}
    for block in blocks:
        if block.kind == "table":
            continue
        leaders[block.page] = leaders.get(block.page, 0) + bool(DOT_LEADER.search(block.text))
        numbered.setdefault(block.page, []).append(is_toc_entry(block.text))
    pages = {page for page, count in leaders.items() if count >= MIN_LEADER_ENTRIES}
    return pages | {
        page
        for page, flags in numbered.items()
        if page <= EARLY_PAGES and sum(flags) >= MIN_TOC_ENTRIES and sum(flags) >= TOC_SHARE * len(flags)
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
    if section == "contents" and is_toc_entry(heading.text):
        return section, opened_on  # "References ....... 60" lists a section, it does not open one
    found = classify_heading(heading.text)
    if found is not None:
        return found, heading.page
    if section in UNCOUNTED and (GLOSSARY_TERM.match(heading.text) or is_toc_entry(heading.text)):
        return section, opened_on  # a glossary term or contents entry set in bold, not a new section
    return "body", heading.page
