"""A small fixture warehouse for the export tests, built through the real migrations and loader.

Documents are hand-made `TaggedDocument`s: every sentence is one block and one text unit,
and each mention is found in the text by its matched phrase, so offsets are exact.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from pipeline.ingest.load import block_offsets
from pipeline.records import (
    Block,
    DocumentMetadata,
    ExtractedDocument,
    Mention,
    TaggedDocument,
    TextUnit,
)
from tests.factories import load_all, register_codebook
from warehouse.db import connect_read, connect_write

TAXONOMY_VERSION = "test-1.0+fixture"
RUN_ID = 1

THEMES = [
    {
        "id": "self_neglect",
        "label": "Self-neglect",
        "scope": "adults",
        "group": "harm",
        "definition": "Not caring for one's own hygiene, health or home.",
    },
    {
        "id": "professional_curiosity",
        "label": "Professional curiosity",
        "scope": "all_age",
        "group": "practice",
        "definition": "Looking beyond the presenting picture & asking <why>.",
    },
    {
        "id": "information_sharing",
        "label": "Information sharing between agencies",
        "scope": "all_age",
        "group": "system",
        "definition": "Passing information between agencies in time.",
    },
    {
        "id": "domestic_abuse",
        "label": "Domestic abuse",
        "scope": "all_age",
        "group": "harm",
        "definition": "Abuse between intimate partners or family members.",
    },
    {
        "id": "hoarding",
        "label": "Hoarding",
        "scope": "adults",
        "group": "harm",
        "definition": "Excessive acquisition of items (no hits in the fixture).",
    },
]

# (title, doc_type, area, year, [(page, sentence, [(theme, phrase, counted)])])
DOCUMENTS = [
    ("SAR Adult A", "sar", "Northshire", 2019, [
        (1, "Adult A lived alone and self-neglect was evident.", [("self_neglect", "self-neglect", True)]),
        (2, "Practitioners showed little professional curiosity.",
         [("professional_curiosity", "professional curiosity", True)]),
    ]),
    ("CSPR Child B", "cspr", "Northshire", 2019, [
        (1, "Information sharing between school and health was slow.",
         [("information_sharing", "Information sharing", True)]),
        (3, "There was no evidence of domestic abuse.", [("domestic_abuse", "domestic abuse", False)]),
    ]),
    ("SAR Adult C — Zoë", "sar", "Southvale", 2020, [
        (1, "Zoë 🙂 refused help; self-neglect deepened over the winter.",
         [("self_neglect", "self-neglect", True)]),
        (2, "Agencies missed chances for information sharing.",
         [("information_sharing", "information sharing", True)]),
    ]),
    ("DHR Family D", "dhr", "Southvale", 2020, [
        (4, "Domestic abuse had been disclosed to the GP.", [("domestic_abuse", "Domestic abuse", True)]),
        (5, "Professional curiosity about the partner was lacking.",
         [("professional_curiosity", "Professional curiosity", True)]),
    ]),
    ("SAR Adult E", "sar", "Northshire", 2021, [
        (2, "Self-neglect and domestic abuse were both present.",
         [("self_neglect", "Self-neglect", True), ("domestic_abuse", "domestic abuse", True)]),
    ]),
    ("CSPR Child F", "cspr", "Eastmoor", 2021, [
        (1, "Professional curiosity was shown by the health visitor.",
         [("professional_curiosity", "Professional curiosity", True)]),
        (2, "Information sharing worked well.", [("information_sharing", "Information sharing", True)]),
    ]),
    ("SAR Adult G", "sar", "Eastmoor", 2022, [
        (3, "Self-neglect was recognised early.", [("self_neglect", "Self-neglect", True)]),
    ]),
    ("DHR Family H", "dhr", "Northshire", 2022, [
        (1, "Domestic abuse by the partner escalated.", [("domestic_abuse", "Domestic abuse", True)]),
        (2, "Information sharing with the police was timely.",
         [("information_sharing", "Information sharing", True)]),
    ]),
]


def _tagged(title: str, doc_type: str, area: str, year: int, sentences: list) -> TaggedDocument:
    blocks = [Block(page=page, text=text) for page, text, _ in sentences]
    document = ExtractedDocument(
        path=Path(f"/corpus/{title}.pdf"),
        sha256=hashlib.sha256(title.encode()).hexdigest(),
        metadata=DocumentMetadata(title=title, doc_type=doc_type, area=area, year=year),
        pages=max(page for page, _, _ in sentences),
        blocks=blocks,
        extractor_version="fixture",
        metadata_source="manifest",
    )
    units, mentions = [], []
    for unit_no, ((page, text, hits), (start, end)) in enumerate(
        zip(sentences, block_offsets(blocks), strict=True)
    ):
        units.append(TextUnit(unit_no, start, end, page, "body", "paragraph", text))
        for theme, phrase, counted in hits:
            at = start + text.index(phrase)
            mentions.append(
                Mention(theme, at, at + len(phrase), phrase, text, unit_no, page, "body", f"{theme}:core:0",
                        counted, None if counted else "negated")
            )
    return TaggedDocument(document, units, mentions, TAXONOMY_VERSION)


def build_warehouse(path: Path) -> None:
    """Create a warehouse at `path` with the fixture taxonomy and documents."""
    con = connect_write(path)
    register_codebook(con, TAXONOMY_VERSION, "test-1.0", json.dumps(THEMES))
    load_all(con, (_tagged(*document) for document in DOCUMENTS), RUN_ID)
    con.close()


@pytest.fixture(scope="session")
def warehouse_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the path of the fixture warehouse (built once per session)."""
    path = tmp_path_factory.mktemp("warehouse") / "themes.duckdb"
    build_warehouse(path)
    return path


@pytest.fixture
def con(warehouse_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the fixture warehouse read-only."""
    connection = connect_read(warehouse_path)
    yield connection
    connection.close()
