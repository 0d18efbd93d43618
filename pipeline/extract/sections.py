"""Label every block with the section it belongs to (records.SECTIONS).

Headings switch the section: "Contents", "Glossary"/"Abbreviations" and
"References"/"Bibliography" open the uncounted sections; the key sections open
under the titles reports actually use: "Executive summary", "Key findings",
"Headline findings", "Overview", "Summary of findings" (summary) and
"Recommendations", "What needs to improve", "Areas for improvement/development",
"Learning points", "Priorities", "Actions" (recommendations). Inside a key
section a run-in label ("Immediately:", "Within three months:", "Strengths")
does not end it; any other heading returns to the body. The unheaded lead
paragraphs of an inspection report (between its title block and a first heading
that opens a key section, e.g. "What needs to improve?") are its summary. A
contents list also ends where its pages end, and pages that look like a contents
list (entries ending in page numbers) are contents even without a heading.
"""

from __future__ import annotations

import re
from dataclasses import replace

from pipeline.records import KEY_SECTIONS, Block

SECTION_PATTERNS = (
    ("contents", re.compile(r"^(table of )?contents$|^contents page$")),
    ("glossary", re.compile(r"glossary|abbreviations|acronyms|^key terms|^definitions|terminology")),
    (
        "references",
        re.compile(r"^(references|bibliography|further reading|endnotes|sources|reference list)\b"),
    ),
    ("recommendations", re.compile(r"\brecommendations?\b")),
    (
        "recommendations",
        re.compile(
            r"^what (?:needs|need|has) to (?:improve|be improved|be done|change|happen)"
            r"|^what (?:does|do|should) .{0,80}\b(?:do better|improve)\b"
            r"|^(?:key )?areas? (?:for|of|requiring|needing) (?:further )?(?:improvement|development)"
            r"|^(?:our |key |strategic )?priorit(?:y|ies)\b|^next steps and priorities"
            r"|^(?:key )?learning points?\b|^(?:key )?lessons (?:learned|learnt|identified)"
            r"|^(?:key |agreed |recommended )?actions?(?: plan| required| needed)?$"
        ),
    ),
    (
        "summary",
        re.compile(
            r"^(?:executive |overall )?summary(?: of (?:the )?(?:key |main )?(?:findings|learning))?$"
            r"|^executive summary\b|^(?:summary of )?key (?:findings|messages|issues|learning)$"
            r"|^headline findings$|^overview$|^summary for children(?: and young people)?$|^conclusions?$"
        ),
    ),
)
# Inside a key section these headings are run-in labels of the same section, not new sections.
KEY_CONTINUATION = re.compile(
    r"^(?:immediately|within (?:the next )?\w+ (?:weeks|months))\b|^(?:key )?strengths$|^areas of strength$"
)
LEAD_PAGES = 2  # an inspection report's unheaded summary lies on its first pages
LEAD_FOLLOWER = re.compile(r"^what (?:needs|need) to improve")  # the heading that ends an unheaded summary
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


def _title(text: str) -> str:
    """Return a heading's words without numbering, quotes or closing punctuation, lower-cased."""
    return HEADING_NUMBER.sub("", text.strip()).strip(" :.?!").lower().replace("\u2019", "'")


def classify_heading(text: str) -> str | None:
    """Return the section a heading opens, or None for an ordinary (body) heading."""
    title = _title(text)
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
            section, opened_on = _next_section(section, opened_on, block, block.page in contents_pages)
        on_contents = block.page in contents_pages and section not in UNCOUNTED
        current = "contents" if on_contents else section
        labelled.append(replace(block, section=current))
    return _lead_summary(labelled)


def _next_section(section: str, opened_on: int, heading: Block, on_contents_page: bool) -> tuple[str, int]:
    if (section == "contents" or on_contents_page) and is_toc_entry(heading.text):
        return section, opened_on  # "References ....... 60" lists a section, it does not open one
    found = classify_heading(heading.text)
    if found is not None:
        return found, heading.page
    if section in UNCOUNTED and (GLOSSARY_TERM.match(heading.text) or is_toc_entry(heading.text)):
        return section, opened_on  # a glossary term or contents entry set in bold, not a new section
    if section in KEY_SECTIONS and _is_run_in_label(heading.text):
        return section, opened_on  # "Immediately:", "Strengths": a label inside the key section
    return "body", heading.page


def _is_run_in_label(text: str) -> bool:
    """Return whether a heading inside a key section only labels part of it ("Within three months:")."""
    return text.rstrip().endswith(":") or bool(KEY_CONTINUATION.search(_title(text)))


def _lead_summary(blocks: list[Block]) -> list[Block]:
    """Mark the unheaded lead paragraphs before a first key heading as the summary.

    An Ofsted report opens with its title block (headings, the judgements table),
    then the inspectors' summary without a heading of its own, then "What needs to
    improve?". The paragraphs count as summary only when the first heading after
    them is that one (LEAD_FOLLOWER) and they lie on the first LEAD_PAGES pages.
    """
    first_text = next((i for i, b in enumerate(blocks) if b.kind in ("paragraph", "list_item")), None)
    if first_text is None:
        return blocks
    following = next((i for i in range(first_text, len(blocks)) if blocks[i].kind == "heading"), None)
    if following is None or not LEAD_FOLLOWER.search(_title(blocks[following].text)):
        return blocks  # not an inspection report's opening, or its summary has a heading of its own
    lead = range(first_text, following)
    if any(blocks[i].page > LEAD_PAGES or blocks[i].section != "body" for i in lead):
        return blocks
    return [
        replace(block, section="summary") if i in lead and block.kind != "table" else block
        for i, block in enumerate(blocks)
    ]
