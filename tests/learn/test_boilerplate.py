"""`discover` leaves publisher boilerplate out (issue 19, item 7).

Before: on real reports it ranked "majesty inspector", "reports ofsted", "street",
"report available" and "www gov" first, all furniture of the inspectorate's template.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.analysis.boilerplate import publisher_groups, remove_boilerplate, strip_furniture
from pipeline.analysis.discover import Corpus, DiscoverSettings, discover, emerging_terms
from tests.factories import finish_run, load_all, make_tagged, register_codebook, start_run
from warehouse.db import connect_read, connect_write, run_query

VERSION = "test+0001"
BOILERPLATE_WORDS = ("ofsted", "https", "www", "gov", "majesty", "street", "gate", "inspector", "available")
AREAS = ("Northmoor", "Eastvale", "Southdean", "Westport", "Kestrel", "Ashby", "Brook", "Carrow")


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("See https://reports.ofsted.gov.uk/provider/44/80472 for the report.", "See for the report."),
        ("Contact enquiries@ofsted.gov.uk or www.gov.uk/ofsted today.", "Contact or today."),
        ("Lead inspector: Jo Bloggs, His Majesty's Inspector", ": Jo Bloggs,"),
        ("Kinship carers received support.", "Kinship carers received support."),
    ],
)
def test_web_addresses_and_formulae_are_cut_out(text: str, kept: str) -> None:
    assert strip_furniture(text) == kept


def _documents() -> list:
    """An inspectorate's 16 letters, 2018-2025: new web addresses from 2022, kinship care from 2023."""
    documents = []
    for number in range(16):
        year, area = 2018 + number // 2, AREAS[number % len(AREAS)]
        sentences = [
            "Ofsted, Piccadilly Gate, Store Street, Manchester M1 2WD.",  # the template's address
            f"Lead inspector: Inspector {number}, His Majesty's Inspector.",
            f"The local authority's arrangements in {area} were reviewed during {year}.",
            f"Children in {area} are seen by social workers who know them well.",
        ]
        if year >= 2022:
            sentences.append(f"This report is available at https://reports.ofsted.gov.uk/provider/44/{number}.")
            sentences.append("Reports are available at www.gov.uk/government/organisations/ofsted online.")
        if year >= 2023:
            sentences.append(f"Kinship carers in {area} received too little support and training.")
        documents.append(
            make_tagged(f"{number:02d}".ljust(64, "f"), sentences=[(s, []) for s in sentences], year=year,
                        doc_type="inspection", version=VERSION)
        )
    return documents


@pytest.fixture(scope="module")
def inspectorate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("boilerplate") / "w.duckdb"
    codebook = json.dumps([{"id": "neglect", "label": "Neglect", "scope": "children", "group": "harm",
                            "definition": "d"}])
    with connect_write(db) as con:
        register_codebook(con, VERSION, "test", codebook)
        run_id = start_run(con, VERSION)
        load_all(con, _documents(), run_id)
        finish_run(con, run_id, status="ok", seen=16, new=16, quarantined=0, pages=16)
    return db


def test_without_the_filter_the_template_change_ranks_first(inspectorate: Path) -> None:
    """The fault the issue saw, reproduced on the raw sentences: boilerplate outranks kinship care."""
    with connect_read(inspectorate) as con:
        rows = run_query(con, "discover_sentences")
    raw = emerging_terms(Corpus.from_rows(rows), DiscoverSettings(topics=0))
    assert any(word in raw[0]["term"] for word in BOILERPLATE_WORDS)


def test_discover_ranks_the_emerging_theme_first_and_no_boilerplate(inspectorate: Path) -> None:
    with connect_read(inspectorate) as con:
        candidates = discover(con, DiscoverSettings(topics=0, limit=10))
    assert "kinship" in {candidates[0]["term"], *candidates[0]["related"]}
    for candidate in candidates:
        vocabulary = " ".join([candidate["term"], *candidate["related"]])
        assert not any(word in vocabulary for word in BOILERPLATE_WORDS), candidate["term"]


def test_publishers_are_told_apart_by_shared_template_sentences() -> None:
    rows = [{"sha256": doc, "text": text} for doc in "abcd" for text in ("Template one.", "Template two.")]
    rows += [{"sha256": doc, "text": "Another publisher's line."} for doc in "xyz"]
    kept, groups = remove_boilerplate(rows)
    assert groups["a"] == groups["d"] and "x" not in groups  # x-z share one sentence only: no publisher
    assert [row["sha256"] for row in kept] == ["x", "y", "z"]  # a-d's template sentences are dropped
    assert publisher_groups({}) == {}
