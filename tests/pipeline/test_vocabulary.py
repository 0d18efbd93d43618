"""Document types and years as people write them (issue 19, item 2): SAR and sar, 2018-19."""

from __future__ import annotations

import pytest

from pipeline.errors import UsageError
from pipeline.vocabulary import nearest, normalise_doc_type, parse_year


@pytest.mark.parametrize(
    ("text", "doc_type"),
    [
        ("sar", "sar"),
        ("SAR", "sar"),
        (" Safeguarding Adults Review ", "sar"),
        ("CSPR", "cspr"),
        ("LCSPR", "cspr"),
        ("SCR", "cspr"),
        ("serious-case-review", "cspr"),
        ("DHR", "dhr"),
        ("DARDR", "dhr"),
        ("Domestic Abuse Related Death Review", "dhr"),
        ("annual report", "annual_report"),
        ("Annual_Report", "annual_report"),
        ("Rapid Review", "rapid_review"),
        ("JTAI", "inspection"),
    ],
)
def test_doc_types_by_code_name_or_abbreviation_in_any_case(text: str, doc_type: str) -> None:
    assert normalise_doc_type(text) == doc_type


def test_an_unknown_doc_type_suggests_the_nearest_and_lists_the_codes() -> None:
    with pytest.raises(UsageError, match=r"'sra'. Did you mean sar\b.*Use one of annual_report, sar"):
        normalise_doc_type("sra")


@pytest.mark.parametrize(
    ("text", "year"),
    [("2023", 2023), ("2022-23", 2023), ("2018-19", 2019), ("2022/23", 2023), ("2022-2023", 2023),
     ("2022 – 2023", 2023), ("1999-00", 2000)],
)
def test_years_and_reporting_periods_give_the_end_year(text: str, year: int) -> None:
    assert parse_year(text) == year


@pytest.mark.parametrize("text", ["twenty", "2023-21", "2023-2030", "23", "3023"])
def test_other_text_is_not_a_year(text: str) -> None:
    with pytest.raises(UsageError):
        parse_year(text)


def test_nearest_prefers_a_transposition() -> None:
    assert nearest("sra", ["scr", "slr", "sar"])[0] == "sar"
    assert nearest("zzz", ["sar"]) == []
