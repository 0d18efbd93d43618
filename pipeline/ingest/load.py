"""Write tagged documents into the warehouse: one transaction per document.

The last stage of the pipeline and the only one that writes. Rows go in as
Arrow tables (DuckDB scans them in bulk), never row by row.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from pipeline.ingest.evidence import evidence_tables
from pipeline.records import (
    BLOCK_SEPARATOR,
    Block,
    DocumentMetadata,
    ExtractedDocument,
    Mention,
    TaggedDocument,
    TextUnit,
)
from warehouse.db import append_rows, run_query, run_statement, transaction

BLOCKS_SCHEMA = pa.schema(
    [
        ("sha256", pa.string()),
        ("block_no", pa.int32()),
        ("page", pa.int32()),
        ("kind", pa.string()),
        ("section", pa.string()),
        ("start_offset", pa.int32()),
        ("end_offset", pa.int32()),
    ]
)
UNITS_SCHEMA = pa.schema(
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
)


def block_offsets(blocks: list[Block]) -> list[tuple[int, int]]:
    """Return each block's (start, end) in the document text."""
    offsets, position = [], 0
    for block in blocks:
        offsets.append((position, position + len(block.text)))
        position += len(block.text) + len(BLOCK_SEPARATOR)
    return offsets


def _documents_table(batch: list[TaggedDocument], run_id: int) -> pa.Table:
    docs = [tagged.document for tagged in batch]
    return pa.table(
        {
            "sha256": pa.array([d.sha256 for d in docs], pa.string()),
            "path": pa.array([str(d.path) for d in docs], pa.string()),
            "title": pa.array([d.metadata.title for d in docs], pa.string()),
            "doc_type": pa.array([d.metadata.doc_type for d in docs], pa.string()),
            "area": pa.array([d.metadata.area for d in docs], pa.string()),
            "year": pa.array([d.metadata.year for d in docs], pa.int32()),
            "pages": pa.array([d.pages for d in docs], pa.int32()),
            "words": pa.array([d.words for d in docs], pa.int32()),
            "extractor_version": pa.array([d.extractor_version for d in docs], pa.string()),
            "metadata_source": pa.array([d.metadata_source for d in docs], pa.string()),
            "run_id": pa.array([run_id] * len(docs), pa.int64()),
            "tagged_version": pa.array([t.taxonomy_version for t in batch], pa.string()),
        }
    )


def _ocr_pages_table(batch: list[TaggedDocument]) -> pa.Table:
    flags = [(t.document.sha256, flag) for t in batch for flag in t.document.ocr_pages]
    return pa.table(
        {
            "sha256": pa.array([sha for sha, _ in flags], pa.string()),
            "page": pa.array([flag.page for _, flag in flags], pa.int32()),
            "engine": pa.array([flag.engine for _, flag in flags], pa.string()),
            "confidence": pa.array([flag.confidence for _, flag in flags], pa.float64()),
            "words": pa.array([flag.words for _, flag in flags], pa.int32()),
        }
    )


def _texts_table(batch: list[TaggedDocument]) -> pa.Table:
    docs = [tagged.document for tagged in batch]
    return pa.table({"sha256": [d.sha256 for d in docs], "text": [d.text for d in docs]})


def _blocks_table(batch: list[TaggedDocument]) -> pa.Table:
    shas: list[str] = []
    numbers: list[int] = []
    offsets: list[tuple[int, int]] = []
    blocks: list[Block] = []
    for tagged in batch:
        doc_blocks = tagged.document.blocks
        shas += [tagged.document.sha256] * len(doc_blocks)
        numbers += range(len(doc_blocks))
        offsets += block_offsets(doc_blocks)
        blocks += doc_blocks
    columns = {
        "sha256": shas,
        "block_no": numbers,
        "page": [b.page for b in blocks],
        "kind": [b.kind for b in blocks],
        "section": [b.section for b in blocks],
        "start_offset": [start for start, _ in offsets],
        "end_offset": [end for _, end in offsets],
    }
    return pa.table(columns, schema=BLOCKS_SCHEMA)


def units_table(batch: list[TaggedDocument]) -> pa.Table:
    """Build the Arrow table of the sentences (text units) of a batch."""
    shas: list[str] = []
    units: list[TextUnit] = []
    for tagged in batch:
        shas += [tagged.document.sha256] * len(tagged.units)
        units += tagged.units
    columns = {
        "sha256": shas,
        "unit_no": [u.unit_no for u in units],
        "page": [u.page for u in units],
        "section": [u.section for u in units],
        "kind": [u.kind for u in units],
        "start_offset": [u.start for u in units],
        "end_offset": [u.end for u in units],
        "text": [u.text for u in units],
    }
    return pa.table(columns, schema=UNITS_SCHEMA)


def mentions_table(sha256s: list[str], mentions: list[Mention], version: str | list[str]) -> pa.Table:
    """Build the Arrow table of mention rows (sha256s[i] is the document of mentions[i])."""
    versions = version if isinstance(version, list) else [version] * len(mentions)
    return pa.table(
        {
            "sha256": pa.array(sha256s, pa.string()),
            "taxonomy_version": pa.array(versions, pa.string()),
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


def _batch_mentions_table(batch: list[TaggedDocument]) -> pa.Table:
    shas: list[str] = []
    versions: list[str] = []
    mentions: list[Mention] = []
    for tagged in batch:
        shas += [tagged.document.sha256] * len(tagged.mentions)
        versions += [tagged.taxonomy_version] * len(tagged.mentions)
        mentions += tagged.mentions
    return mentions_table(shas, mentions, versions)


def _write_tagging(con: duckdb.DuckDBPyConnection, batch: list[TaggedDocument]) -> None:
    append_rows(con, "text_units", units_table(batch))
    append_rows(con, "mentions", _batch_mentions_table(batch))
    scopes = {
        version: {row["theme"]: row["scope"] for row in run_query(con, "theme_scopes", version=version)}
        for version in {tagged.taxonomy_version for tagged in batch}
    }
    totals, sections = evidence_tables(batch, scopes)
    append_rows(con, "theme_evidence", totals)
    append_rows(con, "theme_section_evidence", sections)


def refresh_theme_evidence(con: duckdb.DuckDBPyConnection, shas: list[str]) -> None:
    """Recompute the per-theme evidence of these documents from their stored mentions (SQL).

    `document_themes` reads it (migration 010); the loader writes it with each batch
    (`evidence.evidence_tables`), and a re-tag swap, which moves stored mentions, calls
    this in the same transaction.
    """
    if shas:
        run_statement(con, "refresh_theme_evidence", shas=shas)


def _paths_table(batch: list[TaggedDocument], also_at: dict[str, tuple[Path, ...]]) -> pa.Table:
    pairs = [
        (str(path), tagged.document.sha256)
        for tagged in batch
        for path in (tagged.document.path, *also_at.get(tagged.document.sha256, ()))
    ]
    return pa.table(
        {"path": [p for p, _ in pairs], "sha256": [s for _, s in pairs]},
        schema=pa.schema([("path", pa.string()), ("sha256", pa.string())]),
    )


def load_documents(
    con: duckdb.DuckDBPyConnection,
    batch: list[TaggedDocument],
    *,
    run_id: int,
    also_at: dict[str, tuple[Path, ...]] | None = None,
) -> None:
    """Write new documents with their text, blocks, sentences and mentions in one transaction.

    Group commit: the whole batch lands or none of it, so no document is ever half
    loaded. A document whose path held other content supersedes it there (both kept and
    linked); a document counts in trends while some path was last seen holding it.
    `also_at` gives other paths holding the same content (one document, several paths).
    """
    if not batch:
        return
    # Arrow views are registered outside the transaction: unregistering inside an
    # aborted transaction would raise and hide the real error.
    con.register("incoming_documents", _documents_table(batch, run_id))
    con.register("incoming_paths", _paths_table(batch, also_at or {}))
    try:
        with transaction(con):
            run_statement(con, "insert_documents")
            append_rows(con, "document_texts", _texts_table(batch))
            append_rows(con, "blocks", _blocks_table(batch))
            append_rows(con, "ocr_pages", _ocr_pages_table(batch))
            _write_tagging(con, batch)
    finally:
        con.unregister("incoming_documents")
        con.unregister("incoming_paths")


def load_document(con: duckdb.DuckDBPyConnection, tagged: TaggedDocument, *, run_id: int) -> str | None:
    """Write one document in its own transaction; return the sha256 of the version it superseded."""
    load_documents(con, [tagged], run_id=run_id)
    rows = run_query(con, "document_supersedes", sha256=tagged.document.sha256)
    return rows[0]["supersedes"] if rows else None


def replace_tagging(con: duckdb.DuckDBPyConnection, tagged: TaggedDocument) -> None:
    """Swap a stored document's sentences and mentions for a new tagging, atomically."""
    sha256 = tagged.document.sha256
    with transaction(con):
        run_statement(con, "delete_tagging", sha256=sha256)
        _write_tagging(con, [tagged])
        run_statement(con, "set_tagged_version", sha256=sha256, version=tagged.taxonomy_version)


def read_document(con: duckdb.DuckDBPyConnection, sha256: str) -> ExtractedDocument:
    """Rebuild a stored document (text and blocks) so it can be re-tagged without re-extracting."""
    found = run_query(con, "stored_document", sha256=sha256)
    if not found:
        raise KeyError(sha256)
    meta = found[0]
    texts = run_query(con, "stored_document_text", sha256=sha256)
    text = texts[0]["text"] if texts else ""
    rows = [tuple(row.values()) for row in run_query(con, "stored_document_blocks", sha256=sha256)]
    blocks = [Block(page=p, text=text[s:e], kind=k, section=sec) for p, k, sec, s, e in rows]
    return ExtractedDocument(
        path=Path(meta["path"]),
        sha256=sha256,
        metadata=DocumentMetadata(
            title=meta["title"], doc_type=meta["doc_type"], area=meta["area"], year=meta["year"]
        ),
        pages=meta["pages"],
        blocks=blocks,
        extractor_version=meta["extractor_version"],
    )
