"""Section labels from headings and contents pages."""

from __future__ import annotations

import pytest

from pipeline.extract.sections import assign_sections, classify_heading, is_toc_entry
from pipeline.records import Block


@pytest.mark.parametrize(
    ("heading", "section"),
    [
        ("Contents", "contents"),
        ("Table of contents", "contents"),
        ("Glossary of terms", "glossary"),
        ("Abbreviations and acronyms", "glossary"),
        ("References", "references"),
        ("Appendix 3: Bibliography", "references"),
        ("5. Recommendations", "recommendations"),
        ("Recommendation 2", "recommendations"),
        ("Findings", None),
        ("Contents of the case file", None),
    ],
)
def test_classify_heading(heading: str, section: str | None) -> None:
    assert classify_heading(heading) == section


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("Findings ........ 12", True),
        ("Introduction 4", True),
        ("The child was seen on 12", True),
        ("The review found that the mother had asked for help on many occasions since 2019", False),
    ],
)
def test_is_toc_entry(text: str, entry: bool) -> None:
    assert is_toc_entry(text) is entry


def test_sections_follow_headings_and_contents_end_with_their_page() -> None:
    blocks = [
        Block(1, "Safeguarding Adults Review", "heading"),
        Block(2, "Contents", "heading"),
        Block(2, "Glossary ........ 3", "heading"),
        Block(2, "Findings ........ 4", "paragraph"),
        Block(3, "Glossary", "heading"),
        Block(3, "MASH: Multi-Agency Safeguarding Hub", "heading"),
        Block(3, "GP General Practitioner", "paragraph"),
        Block(4, "Findings", "heading"),
        Block(4, "Self-neglect was not recognised.", "paragraph"),
        Block(5, "Recommendations", "heading"),
        Block(5, "Recommendation | What have we done", "table"),
        Block(6, "References", "heading"),
        Block(6, "Preston-Shoot, M. (2020) Second national analysis.", "paragraph"),
    ]
    sections = [block.section for block in assign_sections(blocks)]
    assert sections == [
        "body",
        "contents",
        "contents",
        "contents",
        "glossary",
        "glossary",
        "glossary",
        "body",
        "body",
        "recommendations",
        "recommendations",
        "references",
        "references",
    ]


def test_a_dotted_contents_page_without_a_heading_is_contents() -> None:
    blocks = [Block(9, f"Part {n} ........ {n * 3}") for n in range(1, 5)] + [Block(10, "Body text.")]
    assert [b.section for b in assign_sections(blocks)] == ["contents"] * 4 + ["body"]
