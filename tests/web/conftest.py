"""A small fixture warehouse built through the real migrations, statements and loader."""

from __future__ import annotations

import hashlib
import json
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

with warnings.catch_warnings():  # Starlette 1.x nudges towards httpx2; httpx is what the project pins
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from pipeline.ingest.load import load_document
from pipeline.records import Block, DocumentMetadata, ExtractedDocument, Mention, TaggedDocument, TextUnit
from pipeline.web.app import create_app
from tests.factories import finish_run, load_all, register_codebook, start_run
from warehouse.db import connect_write, run_statement

VERSION = "test-1+abcd1234"
THEMES = [
    {
        "id": "self_neglect",
        "label": "Self-neglect",
        "scope": "adults",
        "group": "harm",
        "definition": "Not caring for one's own health, hygiene or surroundings.",
    },
    {
        "id": "professional_curiosity",
        "label": "Professional curiosity",
        "scope": "all_age",
        "group": "practice",
        "definition": "Probing beyond presenting information.",
    },
    {
        "id": "information_sharing",
        "label": "Information sharing",
        "scope": "all_age",
        "group": "practice",
        "definition": "Sharing case information between agencies.",
    },
    {
        "id": "hoarding",
        "label": "Hoarding",
        "scope": "adults",
        "group": "harm",
        "definition": "Excessive acquisition and difficulty discarding possessions.",
    },
    {
        "id": "unused_theme",
        "label": "Never mentioned",
        "scope": "all_age",
        "group": "system",
        "definition": "A theme no fixture document mentions.",
    },
]
TERMS = {
    "self-neglect": "self_neglect",
    "professional curiosity": "professional_curiosity",
    "information sharing": "information_sharing",
    "hoarding": "hoarding",
}
NEGATION_CUE = "no evidence of"
SCRIPT = "<script>alert(1)</script>"

# (title, year, doc_type, area, pages of sentences); the path is the title's slug unless given.
DOCUMENTS = [
    (
        "SAR Adult A",
        2021,
        "sar",
        "Northshire",
        [
            ["Adult A lived with severe self-neglect for years.", "Professional curiosity was limited."],
            ["Information sharing between the GP and housing was poor.", "Self-neglect was not escalated."],
        ],
    ),
    (
        "SAR Adult B",
        2022,
        "sar",
        "Southborough",
        [
            ["There was no evidence of hoarding at the property.", "Self-neglect was recognised late."],
            [f"A note read {SCRIPT} and professional curiosity about it was absent."],
        ],
    ),
    (
        "CSPR Child C",
        2022,
        "cspr",
        "Northshire",
        [
            [
                "Information sharing failed at the point of referral.",
                "Professional curiosity was shown by the school.",
            ],
        ],
    ),
    (
        "DHR Victim D",
        2023,
        "dhr",
        None,
        [
            ["Hoarding and self-neglect were both present.", "Information sharing was timely."],
        ],
    ),
    (
        "Annual report",
        None,
        "annual_report",
        "Southborough",
        [
            ["The board promoted professional curiosity in training."],
        ],
    ),
]
OLD_VERSION = ("SAR Adult A", 2021, "sar", "Northshire", [["An early draft mentioned hoarding only."]])


def _sha(title: str, salt: str = "") -> str:
    return hashlib.sha256(f"{title}{salt}".encode()).hexdigest()


def _mentions(sentence: str, start: int, unit_no: int, page: int) -> list[Mention]:
    negated = NEGATION_CUE in sentence.lower()
    found = []
    for term, theme in TERMS.items():
        at = sentence.lower().find(term)
        if at >= 0:
            found.append(
                Mention(
                    theme=theme,
                    start=start + at,
                    end=start + at + len(term),
                    text=sentence[at : at + len(term)],
                    sentence=sentence,
                    unit_no=unit_no,
                    page=page,
                    section="body",
                    rule_id=f"{theme}:core:0",
                    counted=not negated,
                    reason="negated" if negated else None,
                )
            )
    return found


def make_tagged(
    title: str, year: int | None, doc_type: str, area: str | None, pages: list[list[str]], *, salt: str = ""
) -> TaggedDocument:
    """Build a tagged document whose offsets follow the real text layout (blocks joined by a blank line)."""
    blocks = [Block(page=number, text=" ".join(sentences)) for number, sentences in enumerate(pages, start=1)]
    doc = ExtractedDocument(
        path=Path(f"/reviews/{title.lower().replace(' ', '-')}.pdf"),
        sha256=_sha(title, salt),
        metadata=DocumentMetadata(title=title, doc_type=doc_type, area=area, year=year),
        pages=len(pages),
        blocks=blocks,
        extractor_version="test",
        metadata_source="manifest",
    )
    units, mentions, position = [], [], 0
    for number, sentences in enumerate(pages, start=1):
        for sentence in sentences:
            unit = TextUnit(
                unit_no=len(units),
                start=position,
                end=position + len(sentence),
                page=number,
                section="body",
                kind="paragraph",
                text=sentence,
            )
            units.append(unit)
            mentions += _mentions(sentence, position, unit.unit_no, number)
            position += len(sentence) + 1
        position += 1  # the block separator is two characters, the sentence separator one
    assert all(doc.text[m.start : m.end] == m.text for m in mentions)
    return TaggedDocument(document=doc, units=units, mentions=mentions, taxonomy_version=VERSION)


def build_warehouse(path: Path) -> None:
    """Write the fixture warehouse: taxonomy, a run, the documents (one superseded), a quarantined file."""
    con = connect_write(path)
    register_codebook(con, VERSION, "test-1", json.dumps(THEMES))
    run_id = start_run(con, VERSION)
    load_document(con, make_tagged(*OLD_VERSION, salt="old"), run_id=run_id)
    load_all(con, (make_tagged(*document) for document in DOCUMENTS), run_id)
    run_statement(
        con,
        "quarantine_file",
        run_id=run_id,
        path="/reviews/locked.pdf",
        sha256=None,
        reason="encrypted",
        message="The PDF needs a password; save an unlocked copy.",
    )
    finish_run(con, run_id, status="quarantined", seen=7, new=6, quarantined=1, pages=9)
    con.close()


@pytest.fixture(scope="session")
def warehouse_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("web") / "themes.duckdb"
    build_warehouse(path)
    return path


@pytest.fixture(scope="session")
def client(warehouse_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(warehouse_path), base_url="http://localhost") as test_client:
        yield test_client


@pytest.fixture(scope="session")
def sha() -> dict[str, str]:
    """The sha256 of each fixture document by title ("old" for the superseded version)."""
    return {**{title: _sha(title) for title, *_ in DOCUMENTS}, "old": _sha(OLD_VERSION[0], "old")}
