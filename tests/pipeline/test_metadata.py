"""Metadata inference from file names, document properties and first pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.extract.metadata import infer_area, infer_doc_type, infer_metadata, infer_title, infer_year


@pytest.mark.parametrize(
    ("title", "doc_type"),
    [
        ("Safeguarding Adults Review: Adult C", "sar"),
        ("Child Safeguarding Practice Review: Child Q", "cspr"),
        ("Serious Case Review into the death of Baby D", "cspr"),
        ("Rapid Review: Child T", "rapid_review"),
        ("Domestic Homicide Review into the death of Ann", "dhr"),
        ("SVPP Annual Report 2023-2024", "annual_report"),
        ("Thematic learning review: neglect", "learning_review"),
        ("Joint targeted area inspection of Leeds", "inspection"),
        ("Focused visit to Bristol children's services", "inspection"),
        ("Area SEND inspection of Cornwall Local Area Partnership", "inspection"),
        ("Families First pathfinder: implementation and process evaluation", "evaluation"),
        ("Working together: statutory guidance", "other"),
        ("Untitled notes", "other"),
    ],
)
def test_doc_type_from_title(title: str, doc_type: str) -> None:
    assert infer_doc_type({"name": "", "title": title, "first": ""}) == doc_type


def test_title_outweighs_documents_cited_on_the_first_pages() -> None:
    evidence = {
        "name": "",
        "title": "Annual Report 2022-23",
        "first": "We published a Safeguarding Adults Review",
    }
    assert infer_doc_type(evidence) == "annual_report"


@pytest.mark.parametrize(
    ("name", "title", "first", "year"),
    [
        ("report", "SVPP Annual Report 2023-2024", "", 2024),
        ("report", "Annual Report 2022/23", "", 2023),
        ("jtai_2017_hampshire", "Joint targeted area inspection", "", 2017),
        ("report", "Inspection of York", "Inspection dates: 4 to 8 April 2022. Published 4 May 2022", 2022),
        ("report", "Findings", "", None),
        ("report", "Report 12345 of 1850", "", None),
    ],
)
def test_year(name: str, title: str, first: str, year: int | None) -> None:
    assert infer_year(name, title, first) == year


def test_year_falls_back_to_the_pdf_creation_date() -> None:
    assert infer_year("report", "Findings", "", "D:20190412103000Z") == 2019


@pytest.mark.parametrize(
    ("text", "area"),
    [
        ("Inspection of progress in the London Borough of Haringey", "Haringey"),
        ("Julie Longworth, Director of Children's Services, Leeds City Council", "Leeds"),
        ("Surrey Safeguarding Children Board", "Surrey"),
        ("Safer Northmoor Partnership", "Northmoor"),
        ("Kestrel Bay Community Safety Partnership", "Kestrel Bay"),
        ("Area SEND inspection of East Sussex Local Area Partnership", "East Sussex"),
        ("Focused visit to Birmingham children’s services", "Birmingham"),
        ("Joint targeted area inspection of the response to abuse in Islington", "Islington"),
        ("National guidance for all agencies", None),
    ],
)
def test_area(text: str, area: str | None) -> None:
    assert infer_area(text) == area


def test_title_prefers_large_type_then_a_meaningful_property_then_the_file_name() -> None:
    path = Path("sar-adult-c.pdf")
    assert infer_title(path, "Microsoft Word - draft.docx", ["Safeguarding Adults Review", "Adult C"]) == (
        "Safeguarding Adults Review Adult C"
    )
    assert (
        infer_title(path, "Safeguarding Adults Review: Adult C", []) == "Safeguarding Adults Review: Adult C"
    )
    assert infer_title(path, "Microsoft Word - draft.docx", []) == "sar adult c"


def test_infer_metadata_combines_the_evidence() -> None:
    meta = infer_metadata(
        Path("svpp-annual-report.pdf"),
        properties={"Title": "", "CreationDate": "D:20241001"},
        title_lines=["Somerset Safeguarding Adults Board", "Annual Report 2023-2024"],
        first_pages="Somerset Safeguarding Adults Board annual report",
    )
    assert (meta.doc_type, meta.year, meta.area) == ("annual_report", 2024, "Somerset")


@pytest.mark.parametrize(
    ("text", "area"),
    [
        ("St. Helens Safeguarding Children Partnership\nAnnual Report 2022-23", "St. Helens"),
        ("Annual report\nPublished by St Helens Borough Council", "St Helens"),
        (
            "Child Safeguarding Practice Review\n"
            "The West Northamptonshire Safeguarding Children Partnership commissioned this review.",
            "West Northamptonshire",
        ),
        ("Adult D\nKingston upon Thames Safeguarding Adults Board", "Kingston upon Thames"),
        ("Inspection of Islington local authority children’s services", "Islington"),
        ("Review of services in\nNorth Somerset for children", "North Somerset"),
        ("Director of Children, Families and Safer Communities\nBristol City Council\nCouncil House",
         "Bristol"),
        ("Gloucestershire\nInspection\nOverall, services for children in Gloucestershire are good.",
         "Gloucestershire"),
        # an author's affiliation in brackets is not the subject; a board with no place is no area
        ("Learning review\nWritten with help from Jo Bloggs (Hertfordshire County Council)", None),
        ("Our annual report\nThe Local Safeguarding Children Board met four times.", None),
        ("Information Sharing\nAdvice on information sharing for practitioners", None),
    ],
)
def test_area_names_with_st_compass_points_and_joining_words(text: str, area: str | None) -> None:
    assert infer_area(text) == area
