"""Write tagged documents into the warehouse: one transaction per document.

The last stage of the pipeline and the only one that writes. Rows go in as
Arrow tables (DuckDB scans them in bulk), never row by row.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import duckdb
import pyarrow as pa

from pipeline.records import (
    BLOCK_SEPARATOR,
    Block,
    DocumentMetadata,
    ExtractedDocument,
    Mention,
    TaggedDocument,
    TextUnit,
)
from warehouse.db import run_statement


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Commit the enclosed writes together, or roll them all back."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def block_offsets(blocks: list[Block]) -> list[tuple[int, int]]:
    """Return each block's (start, end) in the document text."""
    offsets, position = [], 0
    for block in blocks:
        offsets.append((position, position + len(block.text)))
        position += len(block.text) + len(BLOCK_SEPARATOR)
    return offsets


def _append(con: duckdb.DuckDBPyConnection, table: str, rows: pa.Table) -> None:
    # `table` is one of this module's constants, never user input.
    con.register("incoming_rows", rows)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming_rows")
    finally:
        con.unregister("incoming_rows")


def _blocks_table(sha256: str, blocks: list[Block]) -> pa.Table:
    offsets = block_offsets(blocks)
    return pa.table(
        {
            "sha256": [sha256] * len(blocks),
            "block_no": list(range(len(blocks))),
            "page": [b.page for b in blocks],
            "kind": [b.kind for b in blocks],
            "section": [b.section for b in blocks],
            "start_offset": [start for start, _ in offsets],
            "end_offset": [end for _, end in offsets],
        }
    )


def _units_table(sha256: str, units: list[TextUnit]) -> pa.Table:
    return pa.table(
        {
            "sha256": [sha256] * len(units),
            "unit_no": [u.unit_no for u in units],
            "page": [u.page for u in units],
            "section": [u.section for u in units],
            "kind": [u.kind for u in units],
            "start_offset": [u.start for u in units],
            "end_offset": [u.end for u in units],
            "text": [u.text for u in units],
        },
        schema=pa.schema(
            [
                ("sha256", pa.string()),
                ("unit_no", pa.int32()),
                ("page", pa.int32()),
                ("section", pa.string()),
                ("kind", pa.string()),
                ("start_offset", pa.int32()),
                ("end_offset", pa.int32()),
                ("text", pa.string()),
            ]
        ),
    )


def mentions_table(sha256s: list[str], mentions: list[Mention], version: str) -> pa.Table:
    """Build the Arrow table of mention rows (sha256s[i] is the document of mentions[i])."""
    return pa.table(
        {
            "sha256": pa.array(sha256s, pa.string()),
            "taxonomy_version": pa.array([version] * len(mentions), pa.string()),
            "theme": pa.array([m.theme for m in mentions], pa.string()),
            "start_offset": pa.array([m.start for m in mentions], pa.int32()),
            "end_offset": pa.array([m.end for m in mentions], pa.int32()),
            "matched_text": pa.array([m.text for m in mentions], pa.string()),
            "unit_no": pa.array([m.unit_no for m in mentions], pa.int32()),
            "page": pa.array([m.page for m in mentions], pa.int32()),
            "section": pa.array([m.section for m in mentions], pa.string()),
            "rule_id": pa.array([m.rule_id for m in mentions], pa.string()),
            "counted": pa.array([m.counted for m in mentions], pa.bool_()),
            "reason": pa.array([m.reason for m in mentions], pa.string()),
            "source": pa.array([m.source for m in mentions], pa.string()),
        }
    )


def _write_tagging(con: duckdb.DuckDBPyConnection, tagged: TaggedDocument) -> None:
    sha256 = tagged.document.sha256
    _append(con, "text_units", _units_table(sha256, tagged.units))
    mentions = tagged.mentions
    _append(con, "mentions", mentions_table([sha256] * len(mentions), mentions, tagged.taxonomy_version))


def load_document(con: duckdb.DuckDBPyConnection, tagged: TaggedDocument, *, run_id: int) -> str | None:
    """Write a document, its text, blocks, sentences and mentions in one transaction.

    A document whose path already holds another version supersedes it: both are
    kept and linked, and only the new one counts in trends.

    Returns:
        The sha256 of the version it superseded, if any.
    """
    doc = tagged.document
    with transaction(con):
        replaced = run_statement(con, "supersede_path", path=str(doc.path), sha256=doc.sha256)
        supersedes = replaced[0][0] if replaced else None
        run_statement(
            con,
            "insert_document",
            **asdict(doc.metadata),
            sha256=doc.sha256,
            path=str(doc.path),
            pages=doc.pages,
            words=doc.words,
            extractor_version=doc.extractor_version,
            metadata_source=doc.metadata_source,
            run_id=run_id,
            supersedes=supersedes,
            tagged_version=tagged.taxonomy_version,
        )
        con.execute("INSERT INTO document_texts VALUES (?, ?)", [doc.sha256, doc.text])
        _append(con, "blocks", _blocks_table(doc.sha256, doc.blocks))
        _write_tagging(con, tagged)
    return supersedes


def replace_tagging(con: duckdb.DuckDBPyConnection, tagged: TaggedDocument) -> None:
    """Swap a stored document's sentences and mentions for a new tagging, atomically."""
    sha256 = tagged.document.sha256
    with transaction(con):
        run_statement(con, "delete_tagging", sha256=sha256)
        _write_tagging(con, tagged)
        run_statement(con, "set_tagged_version", sha256=sha256, version=tagged.taxonomy_version)


def read_document(con: duckdb.DuckDBPyConnection, sha256: str) -> ExtractedDocument:
    """Rebuild a stored document (text and blocks) so it can be re-tagged without re-extracting."""
    meta = con.execute(
        "SELECT path, title, doc_type, area, year, pages, extractor_version FROM documents WHERE sha256 = ?",
        [sha256],
    ).fetchone()
    if meta is None:
        raise KeyError(sha256)
    path, title, doc_type, area, year, pages, extractor_version = meta
    (text,) = con.execute("SELECT text FROM document_texts WHERE sha256 = ?", [sha256]).fetchone() or ("",)
    rows = con.execute(
        "SELECT page, kind, section, start_offset, end_offset FROM blocks WHERE sha256 = ? ORDER BY block_no",
        [sha256],
    ).fetchall()
    blocks = [Block(page=p, text=text[s:e], kind=k, section=sec) for p, k, sec, s, e in rows]
    return ExtractedDocument(
        path=Path(path),
        sha256=sha256,
        metadata=DocumentMetadata(title=title, doc_type=doc_type, area=area, year=year),
        pages=pages,
        blocks=blocks,
        extractor_version=extractor_version,
    )
