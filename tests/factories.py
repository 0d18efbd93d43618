"""Build records by hand, for tests that need warehouse rows without PDFs."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import duckdb

from pipeline.ingest.load import load_document
from pipeline.records import Block, DocumentMetadata, ExtractedDocument, Mention, TaggedDocument, TextUnit
from warehouse.db import run_statement


def make_tagged(
    sha256: str,
    *,
    sentences: list[tuple[str, list[str]]],
    year: int = 2024,
    doc_type: str = "sar",
    path: str | None = None,
    version: str = "test+0001",
) -> TaggedDocument:
    """Make a one-block-per-sentence document; each listed theme matches the sentence's first word."""
    blocks = [Block(page=i + 1, text=text) for i, (text, _) in enumerate(sentences)]
    document = ExtractedDocument(
        path=Path(path or f"/reviews/{sha256}.pdf"),
        sha256=sha256,
        metadata=DocumentMetadata(title=f"Review {sha256}", doc_type=doc_type, area="Northmoor", year=year),
        pages=len(blocks),
        blocks=blocks,
        extractor_version="test",
    )
    units, mentions, start = [], [], 0
    for number, (text, themes) in enumerate(sentences):
        units.append(TextUnit(number, start, start + len(text), number + 1, "body", "paragraph", text))
        word = text.split()[0]
        for theme in themes:
            mentions.append(
                Mention(
                    theme,
                    start,
                    start + len(word),
                    word,
                    text,
                    number,
                    number + 1,
                    "body",
                    f"{theme}/t",
                    True,
                )
            )
        start += len(text) + 2
    return TaggedDocument(document=document, units=units, mentions=mentions, taxonomy_version=version)


# (section, [(sentence, theme ids)]): one block of sentences
Paragraph = tuple[str, list[tuple[str, list[str]]]]


def make_report(
    name: str,
    version: str,
    paragraphs: list[Paragraph],
    *,
    year: int = 2023,
    doc_type: str = "inspection",
) -> TaggedDocument:
    """Make a report of multi-sentence paragraphs in sections; a theme matches its sentence's first word."""
    blocks, units, mentions, offset = [], [], [], 0
    for section, sentences in paragraphs:
        text = " ".join(sentence for sentence, _ in sentences)
        blocks.append(Block(page=len(blocks) + 1, text=text, section=section))
        start = offset
        for sentence, themes in sentences:
            end = start + len(sentence)
            unit = TextUnit(len(units), start, end, len(blocks), section, "paragraph", sentence)
            units.append(unit)
            word = sentence.split()[0]
            mentions += [
                Mention(theme, start, start + len(word), word, sentence, unit.unit_no, unit.page, section,
                        f"{theme}/t", True)
                for theme in themes
            ]
            start += len(sentence) + 1
        offset += len(text) + 2
    document = ExtractedDocument(
        path=Path(f"/reviews/{name}.pdf"),
        sha256=hashlib.sha256(name.encode()).hexdigest(),
        metadata=DocumentMetadata(title=name, doc_type=doc_type, area="Northmoor", year=year),
        pages=len(blocks),
        blocks=blocks,
        extractor_version="test",
    )
    return TaggedDocument(document=document, units=units, mentions=mentions, taxonomy_version=version)


# ---------------------------------------------------------------- fixture warehouses


def register_codebook(
    con: duckdb.DuckDBPyConnection,
    version: str,
    human_version: str,
    themes_json: str,
    *,
    activate: bool = True,
) -> None:
    """Register a codebook version through the real statement (and make it the active one)."""
    run_statement(con, "register_taxonomy", version=version, human_version=human_version, themes=themes_json)
    if activate:
        run_statement(con, "activate_taxonomy", version=version)


def start_run(con: duckdb.DuckDBPyConnection, version: str, *, extractor_version: str = "test") -> int:
    """Open an `ingest` run row and return its id."""
    (run_id,) = run_statement(
        con,
        "start_run",
        command="ingest",
        workers=1,
        taxonomy_version=version,
        extractor_version=extractor_version,
    )[0]
    return int(run_id)


def finish_run(
    con: duckdb.DuckDBPyConnection,
    run_id: int,
    *,
    status: str,
    seen: int,
    new: int,
    quarantined: int,
    pages: int,
) -> None:
    """Close a run row with its counts (nothing skipped or re-tagged)."""
    run_statement(
        con,
        "finish_run",
        run_id=run_id,
        status=status,
        seen=seen,
        new=new,
        skipped=0,
        retagged=0,
        quarantined=quarantined,
        pages=pages,
        still_quarantined=0,
    )


def load_all(con: duckdb.DuckDBPyConnection, documents: Iterable[TaggedDocument], run_id: int) -> None:
    """Load tagged documents one by one through the real loader."""
    for tagged in documents:
        load_document(con, tagged, run_id=run_id)
