"""A small fixture warehouse built through the real migrations and `load.load_document`.

Documents (all counted ones tagged with taxonomy ACTIVE):

| doc       | year | doc_type | area       | counted themes                                          |
|-----------|------|----------|------------|---------------------------------------------------------|
| a         | 2020 | sar      | Northshire | self_neglect (2 mentions), professional_curiosity;      |
|           |      |          |            | hoarding only negated (uncounted)                       |
| b         | 2020 | cspr     | Southshire | neglect, professional_curiosity                         |
| c         | 2021 | sar      | Northshire | self_neglect, hoarding                                  |
| d         | 2021 | dhr      | (none)     | professional_curiosity (recommendations section)        |
| e v1      | 2022 | sar      | Northshire | self_neglect x3: superseded by e v2, must not count     |
| e v2      | 2022 | sar      | Northshire | professional_curiosity                                  |
| f         | 2022 | cspr     | Southshire | self_neglect, tagged with taxonomy OLD: must not count  |

So 2022 has documents but no counted self_neglect (an empty bucket), and the
theme transitional_safeguarding is never mentioned at all.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.ingest.load import block_offsets
from pipeline.records import Block, DocumentMetadata, ExtractedDocument, Mention, TaggedDocument, TextUnit
from tests.factories import finish_run, load_all, register_codebook, start_run
from warehouse.db import connect_write, run_statement

ACTIVE = "2.0+fixture"
OLD = "1.0+fixture"
THEMES = ("hoarding", "neglect", "professional_curiosity", "self_neglect", "transitional_safeguarding")
YEARS = ("2020", "2021", "2022")


@dataclass(frozen=True)
class Hit:
    """A phrase of a sentence tagged with a theme."""

    theme: str
    phrase: str
    counted: bool = True
    reason: str | None = None


@dataclass(frozen=True)
class Sentence:
    """One sentence (its own block) with its theme hits."""

    text: str
    hits: tuple[Hit, ...] = ()
    section: str = "body"
    page: int = 1


def _codebook(themes: tuple[str, ...]) -> str:
    return json.dumps(
        [
            {
                "id": t,
                "label": t.replace("_", " ").title(),
                "scope": "all_age",
                "group": "practice",
                "definition": f"Fixture definition of {t}.",
            }
            for t in themes
        ]
    )


def _mentions(sentence: Sentence, unit: TextUnit) -> list[Mention]:
    mentions = []
    for hit in sentence.hits:
        start = unit.start + sentence.text.index(hit.phrase)
        mentions.append(
            Mention(
                theme=hit.theme,
                start=start,
                end=start + len(hit.phrase),
                text=hit.phrase,
                sentence=sentence.text,
                unit_no=unit.unit_no,
                page=unit.page,
                section=unit.section,
                rule_id=f"{hit.theme}:core:0",
                counted=hit.counted,
                reason=hit.reason,
            )
        )
    return mentions


def make_document(
    name: str, metadata: DocumentMetadata, sentences: list[Sentence], *, version: str = ACTIVE
) -> TaggedDocument:
    """Build a tagged document whose path is `<name>.pdf` and whose text is the sentences."""
    blocks = [Block(page=s.page, text=s.text, section=s.section) for s in sentences]
    document = ExtractedDocument(
        path=Path(f"/reviews/{name}.pdf"),
        sha256=hashlib.sha256("\n".join(s.text for s in sentences).encode()).hexdigest(),
        metadata=metadata,
        pages=max(s.page for s in sentences),
        blocks=blocks,
        extractor_version="fixture",
    )
    units, mentions = [], []
    for unit_no, (sentence, (start, end)) in enumerate(zip(sentences, block_offsets(blocks), strict=True)):
        unit = TextUnit(unit_no, start, end, sentence.page, sentence.section, "paragraph", sentence.text)
        units.append(unit)
        mentions += _mentions(sentence, unit)
    return TaggedDocument(document=document, units=units, mentions=mentions, taxonomy_version=version)


FILLER = Sentence("The panel met four times and read the chronology.")
PC = Hit("professional_curiosity", "professional curiosity")
SN = Hit("self_neglect", "self-neglect")

DOCUMENTS = [
    make_document(
        "a",
        DocumentMetadata("Adult A", "sar", "Northshire", 2020),
        [
            FILLER,
            Sentence("Mr A lived with severe self-neglect for years.", (SN,), page=2),
            Sentence(
                "The self-neglect was not escalated; professional curiosity was lacking.", (SN, PC), page=3
            ),
            Sentence("There was no evidence of hoarding.", (Hit("hoarding", "hoarding", False, "negated"),)),
        ],
    ),
    make_document(
        "b",
        DocumentMetadata("Child B", "cspr", "Southshire", 2020),
        [
            FILLER,
            Sentence(
                "Neglect of the child and weak professional curiosity.", (Hit("neglect", "Neglect"), PC)
            ),
        ],
    ),
    make_document(
        "c",
        DocumentMetadata("Adult C", "sar", "Northshire", 2021),
        [
            Sentence(
                "Self-neglect and hoarding filled the flat.",
                (Hit("self_neglect", "Self-neglect"), Hit("hoarding", "hoarding")),
            )
        ],
    ),
    make_document(
        "d",
        DocumentMetadata("Domestic Homicide D", "dhr", None, 2021),
        [FILLER, Sentence("Agencies should show professional curiosity.", (PC,), section="recommendations")],
    ),
    make_document(
        "e",
        DocumentMetadata("Adult E", "sar", "Northshire", 2022),
        [Sentence("Self-neglect, self-neglect and more self-neglect.", (SN, SN, SN))],
    ),
    make_document(
        "e",
        DocumentMetadata("Adult E (revised)", "sar", "Northshire", 2022),
        [FILLER, Sentence("The revised report praises professional curiosity.", (PC,))],
    ),
    make_document(
        "f",
        DocumentMetadata("Child F", "cspr", "Southshire", 2022),
        [Sentence("Old codebook: self-neglect.", (SN,))],
        version=OLD,
    ),
]


def build_fixture_warehouse(path: Path) -> Path:
    """Create the fixture warehouse at `path` through the real migrations and loader."""
    con = connect_write(path)
    try:
        for version, themes in ((OLD, THEMES[1:4]), (ACTIVE, THEMES)):
            register_codebook(con, version, version.split("+")[0], _codebook(themes), activate=False)
        run_statement(con, "activate_taxonomy", version=ACTIVE)
        run_id = start_run(con, ACTIVE, extractor_version="fixture")
        load_all(con, DOCUMENTS, run_id)
        finish_run(con, run_id, status="ok", seen=7, new=7, quarantined=0, pages=9)
    finally:
        con.close()
    return path


@pytest.fixture(scope="session")
def warehouse_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the path of the fixture warehouse (built once per session; tests only read it)."""
    return build_fixture_warehouse(tmp_path_factory.mktemp("warehouse") / "fixture.duckdb")


@pytest.fixture(scope="session")
def empty_warehouse_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the path of a warehouse with the active taxonomy but no documents."""
    path = tmp_path_factory.mktemp("empty") / "empty.duckdb"
    con = connect_write(path)
    try:
        register_codebook(con, ACTIVE, "2.0", _codebook(THEMES))
    finally:
        con.close()
    return path
