"""Extraction over the real reports in ../shared/corpus/real (skipped when it is absent)."""

from __future__ import annotations

import csv

import pytest

from benchmarks.bench_extract import DEFAULT_CORPUS, compare_document, expected_kind
from pipeline import errors
from pipeline.extract.document import extract_document

pytestmark = [
    pytest.mark.shared,
    pytest.mark.slow,
    pytest.mark.skipif(
        not (DEFAULT_CORPUS / "MANIFEST.tsv").exists(), reason="../shared/corpus/real is absent"
    ),
]
MIN_METADATA_ACCURACY = 0.9
MIN_WORD_RECALL = 0.99
SAMPLE = (
    "jtai_2024_leeds.pdf",
    "ofsted-ilacs_2017_york-0e5585.pdf",
    "ofsted-focused-visit_2024_birmingham.pdf",
    "dfe-information-sharing-advice-2024.pdf",
    "d2i-standard-safeguarding-dataset-final-report-2024.pdf",
)


@pytest.fixture(scope="module")
def manifest() -> list[dict[str, str]]:
    with (DEFAULT_CORPUS / "MANIFEST.tsv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


# The local authority each report is about (None: a national report, no authority named as
# its subject), read from the reports by hand. Issue 19: inference left 12 of 67 blank and
# cut "St. Helens" and "West Northamptonshire"; here every one must be right.
AREAS = {
    "adcs-safeguarding-pressures-phase9.pdf": None,
    "d2i-standard-safeguarding-dataset-final-report-2024.pdf": None,
    "dfe-childrens-social-care-national-framework-2023.pdf": None,
    "dfe-families-first-pathfinder-evaluation.pdf": None,
    "dfe-information-sharing-advice-2024.pdf": None,
    "dfe-keeping-children-safe-in-education-2025.pdf": None,
    "essex-understanding-social-worker-recording.pdf": "Essex",
    "jtai_2009_haringey.pdf": "Haringey",
    "jtai_2017_hampshire.pdf": "Hampshire",
    "jtai_2019_islington.pdf": "Islington",
    "jtai_2022_barnsley.pdf": "Barnsley",
    "jtai_2024_leeds.pdf": "Leeds",
    "north-yorkshire-reimagining-case-management-evaluation.pdf": "North Yorkshire",
    "ofsted-cqc-area-send_2023_cornwall.pdf": "Cornwall",
    "ofsted-cqc-area-send_2025_east-sussex.pdf": "East Sussex",
    "ofsted-focused-visit_2018_cambridgeshire.pdf": "Cambridgeshire",
    "ofsted-focused-visit_2020_birmingham.pdf": "Birmingham",
    "ofsted-focused-visit_2022_bristol.pdf": "Bristol",
    "ofsted-focused-visit_2024_birmingham.pdf": "Birmingham",
    "ofsted-ilacs_2013_kent.pdf": "Kent",
    "ofsted-ilacs_2015_cheshire-east.pdf": "Cheshire East",
    "ofsted-ilacs_2016_torbay.pdf": "Torbay",
    "ofsted-ilacs_2017_gloucestershire-6ea99b.pdf": "Gloucestershire",
    "ofsted-ilacs_2017_knowsley.pdf": "Knowsley",
    "ofsted-ilacs_2017_redcar-and-cleveland-e3d826.pdf": "Redcar and Cleveland",
    "ofsted-ilacs_2017_york-0e5585.pdf": "York",
    "ofsted-ilacs_2018_oxfordshire.pdf": "Oxfordshire",
    "ofsted-ilacs_2019_stoke-on-trent.pdf": "Stoke-on-Trent",
    "ofsted-ilacs_2020_telford-wrekin.pdf": "Telford and Wrekin",
    "ofsted-ilacs_2021_knowsley.pdf": "Knowsley",
    "ofsted-ilacs_2022_merton-d0eb00.pdf": "Merton",
    "ofsted-ilacs_2022_somerset-61ae68.pdf": "Somerset",
    "ofsted-ilacs_2022_warwickshire-2d5128.pdf": "Warwickshire",
    "ofsted-ilacs_2022_york.pdf": "York",
    "ofsted-ilacs_2023_wandsworth.pdf": "Wandsworth",
    "ofsted-ilacs_2024_salford.pdf": "Salford",
    "ofsted-ilacs_2025_islington.pdf": "Islington",
    "ofsted-lscb-review_2015_surrey.pdf": "Surrey",
}


def test_area_inference_is_right_on_every_real_report() -> None:
    wrong = {}
    for name, area in AREAS.items():
        found = extract_document(DEFAULT_CORPUS / name).metadata.area
        if found != area:
            wrong[name] = found
    assert not wrong, wrong


def test_metadata_without_the_manifest(manifest: list[dict[str, str]]) -> None:
    right_type = right_year = read = 0
    for row in manifest:
        try:
            meta = extract_document(DEFAULT_CORPUS / row["filename"]).metadata
        except errors.NotADocumentError:
            continue
        read += 1
        right_type += meta.doc_type == expected_kind(row["document_kind"])
        right_year += str(meta.year) == row["year"]
    assert read >= 38
    assert right_type / read >= MIN_METADATA_ACCURACY and right_year / read >= MIN_METADATA_ACCURACY


def test_web_pages_saved_as_pdf_are_refused(manifest: list[dict[str, str]]) -> None:
    html = [row["filename"] for row in manifest if row["pages"] == "?"]
    for name in html:
        with pytest.raises(errors.NotADocumentError, match="web page"):
            extract_document(DEFAULT_CORPUS / name)


@pytest.mark.parametrize("name", SAMPLE)
def test_no_running_heads_left_and_words_kept(name: str) -> None:
    left, seen, recalled, reference = compare_document(DEFAULT_CORPUS / name)
    assert left == 0 and recalled / reference >= MIN_WORD_RECALL


WHAT_NEEDS_TO_IMPROVE = ("what needs to improve", "what does the area partnership need to do better")


def test_every_what_needs_to_improve_section_is_recommendations(manifest: list[dict[str, str]]) -> None:
    """Ofsted's "What needs to improve" (and the SEND "need to do better") open recommendations."""
    found = 0
    for row in manifest:
        if not row["filename"].startswith(("ofsted", "jtai")) or row["pages"] == "?":
            continue
        blocks = extract_document(DEFAULT_CORPUS / row["filename"]).blocks
        for number, block in enumerate(blocks):
            if block.text.lower().startswith(WHAT_NEEDS_TO_IMPROVE):
                found += 1
                assert block.kind == "heading" and block.section == "recommendations", row["filename"]
                assert blocks[number + 1].section == "recommendations", row["filename"]
    assert found >= 19  # 11 ILACS, 4 focused visits, 2 JTAIs, 2 SEND inspections
