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
        ("What needs to improve?", "recommendations"),
        ("What needs to improve in this area of social work practice?", "recommendations"),
        ("What does the area partnership need to do better?", "recommendations"),
        ("Areas for improvement", "recommendations"),
        ("4. Areas for development", "recommendations"),
        ("Priorities for further improvement", "recommendations"),
        ("Key learning points", "recommendations"),
        ("Actions", "recommendations"),
        ("Executive summary", "summary"),
        ("Summary of findings", "summary"),
        ("Summary of key findings", "summary"),
        ("Key findings", "summary"),
        ("Headline findings", "summary"),
        ("Overview", "summary"),
        ("Section 2: Key messages and recommendations", "recommendations"),
        # Not key sections: a case study about improvement, a judgement, the main body of findings.
        ("Practice study: areas for improvement", None),
        ("Capacity to improve", None),
        ("The graded judgement for adoption performance is that it requires improvement", None),
        ("Main findings", None),
        ("Overview of safeguarding pressures on families", None),
        ("Actions taken by the police", None),
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


def _sections(blocks: list[Block]) -> list[str]:
    return [block.section for block in assign_sections(blocks)]


def test_an_inspection_report_has_its_lead_summary_and_what_needs_to_improve() -> None:
    blocks = [
        Block(1, "Inspection of Northmoor local authority children's services", "heading"),
        Block(1, "Judgement | Grade", "table"),
        Block(1, "Overall effectiveness | Good", "table"),
        Block(1, "Children in Northmoor benefit from good services.", "paragraph"),
        Block(2, "Leaders know their services well.", "paragraph"),
        Block(2, "What needs to improve?", "heading"),
        Block(2, "The quality of support for care leavers.", "list_item"),
        Block(3, "The experiences and progress of children in care: good", "heading"),
        Block(3, "1. Children come into care when they need to.", "paragraph"),
    ]
    assert _sections(blocks) == [
        "body",
        "body",
        "body",
        "summary",
        "summary",
        *["recommendations"] * 2,
        "body",
        "body",
    ]


def test_run_in_labels_stay_in_their_key_section() -> None:
    blocks = [
        Block(8, "Areas for improvement", "heading"),
        Block(8, "Immediately:", "heading"),
        Block(8, "improve the quality of supervision", "list_item"),
        Block(9, "Within three months:", "heading"),
        Block(9, "improve the timeliness of care proceedings.", "list_item"),
        Block(9, "Headline findings", "heading"),
        Block(9, "Most children receive the right help.", "paragraph"),
        Block(9, "Strengths", "heading"),
        Block(9, "Leaders are ambitious.", "list_item"),
        Block(10, "Help and protection", "heading"),
        Block(10, "Referrals are timely.", "paragraph"),
    ]
    assert _sections(blocks) == [*["recommendations"] * 5, *["summary"] * 4, "body", "body"]


def test_a_report_with_a_summary_heading_has_no_lead_summary_and_contents_entries_open_nothing() -> None:
    blocks = [
        Block(1, "Torbay", "heading"),
        Block(1, "Ofsted produces this report under its power to combine reports.", "paragraph"),
        Block(2, "Executive summary", "heading"),
        Block(2, "Children's services are inadequate.", "paragraph"),
        *(Block(3, f"Part {n} {n * 3}", "heading") for n in range(1, 4)),
        Block(3, "Recommendations 7", "heading"),
        Block(4, "The local authority", "heading"),
        Block(4, "Recommendations", "heading"),
        Block(4, "1. Improve the quality of plans.", "paragraph"),
    ]
    assert _sections(blocks) == [
        "body",
        "body",
        "summary",
        "summary",
        *["contents"] * 4,
        "body",
        "recommendations",
        "recommendations",
    ]
