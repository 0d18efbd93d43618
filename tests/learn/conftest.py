"""A fixture warehouse for train, review and discover, built through the real migrations and loader.

Sixteen documents, two a year from 2018 to 2025. Every document has hoarding and
self-neglect sentences (counted rule mentions) and uncovered filler; from 2023 on
each document also discusses gambling, a theme the codebook does not name.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from pipeline.records import Block, DocumentMetadata, ExtractedDocument, Mention, TaggedDocument, TextUnit
from tests.factories import load_all, register_codebook, start_run
from warehouse.db import connect_write

VERSION = "test+0001"
YEARS = range(2018, 2026)
DOCS_PER_YEAR = 2
EMERGING_SINCE = 2023
SEED = 42
THEMES = ("hoarding", "self_neglect", "domestic_abuse")
HOARDING = [
    "The flat was full of hoarded newspapers and boxes.",
    "Hoarding blocked the exits and the stairs.",
    "Her hoarding made the kitchen unusable.",
]
SELF_NEGLECT = [
    "There was evidence of self-neglect in the home.",
    "Self-neglect was recognised by the GP late.",
]
FILLER = [
    "The review panel met four times during the year.",
    "Agencies provided written reports to the panel.",
    "The chair thanked the family for their contribution.",
    "Meetings were held in the council offices.",
    "The report was shared with the partnership board.",
]
GAMBLING = [
    "Online betting on a mobile phone had increased before the incident.",
    "Nobody asked about gambling, although the gambling debts were growing.",
]


def _sentences(year: int, rng: random.Random) -> list[tuple[str, str | None]]:
    """Return (sentence, counted theme or None) for one document."""
    picked = [(rng.choice(HOARDING), "hoarding"), (rng.choice(SELF_NEGLECT), "self_neglect")]
    picked += [(sentence, None) for sentence in rng.sample(FILLER, 3)]
    if year >= EMERGING_SINCE:
        picked += [(sentence, None) for sentence in GAMBLING]
    rng.shuffle(picked)
    return picked


def make_document(
    sha256: str, title: str, year: int, sentences: list[tuple[str, str | None]]
) -> TaggedDocument:
    """Build a one-block-per-sentence tagged document; a theme's mention spans its sentence."""
    blocks = [Block(page=1, text=text) for text, _ in sentences]
    document = ExtractedDocument(
        path=Path(f"/reviews/{sha256}.pdf"),
        sha256=sha256,
        metadata=DocumentMetadata(title=title, doc_type="sar", area="Northmoor", year=year),
        pages=1,
        blocks=blocks,
        extractor_version="test",
    )
    units, mentions, start = [], [], 0
    for number, (text, theme) in enumerate(sentences):
        units.append(TextUnit(number, start, start + len(text), 1, "body", "paragraph", text))
        if theme:
            end = start + len(text)
            mentions.append(Mention(theme, start, end, text, text, number, 1, "body", f"{theme}/t", True))
        start += len(text) + 2
    return TaggedDocument(document=document, units=units, mentions=mentions, taxonomy_version=VERSION)


def fixture_documents() -> list[TaggedDocument]:
    """Return the sixteen fixture documents (seeded, so always the same)."""
    rng = random.Random(SEED)
    documents = []
    for year in YEARS:
        for number in range(DOCS_PER_YEAR):
            sha256 = f"{year}{number:02d}".ljust(64, "a")
            title = f"Review {year}-{number + 1}"
            documents.append(make_document(sha256, title, year, _sentences(year, rng)))
    return documents


def _codebook() -> str:
    return json.dumps(
        [{"id": t, "label": t, "scope": "all_age", "group": "harm", "definition": t} for t in THEMES]
    )


def build_warehouse(path: Path) -> Path:
    """Create the fixture warehouse at `path` through the real migrations and loader."""
    con = connect_write(path)
    try:
        register_codebook(con, VERSION, "test", _codebook())
        load_all(con, fixture_documents(), start_run(con, VERSION))
    finally:
        con.close()
    return path


@pytest.fixture(scope="session")
def _session_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("learn") / "fixture.duckdb")


@pytest.fixture
def warehouse(_session_warehouse: Path, tmp_path: Path) -> Path:
    """A private copy of the fixture warehouse (tests may write reviews into it)."""
    copy = tmp_path / "warehouse.duckdb"
    copy.write_bytes(_session_warehouse.read_bytes())
    return copy
