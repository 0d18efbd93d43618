"""Ingest: the orchestrator. Reads like a table of contents of the pipeline.

    find files -> hash (skip known) -> extract + tag (worker processes) -> load (single writer)

Guarantees, whatever happens (a corrupt file, a kill, a second ingest):
- each document commits with its blocks, sentences and mentions or not at all;
- files already in the warehouse (same sha256) are skipped, so a rerun completes
  a killed run without duplicating anything;
- a file that cannot be read is quarantined with a reason and the batch goes on;
- one writer at a time (a lock file); readers get in between the writer's batches.
"""

from __future__ import annotations

import json
import time

import duckdb

from pipeline.errors import UsageError
from pipeline.extract import document as extract
from pipeline.ingest.file_index import hash_files, split_known
from pipeline.ingest.inbox import find_files, find_manifests
from pipeline.ingest.load import read_document, replace_tagging
from pipeline.ingest.outcomes import IngestSettings, RunSummary, SourceFile
from pipeline.ingest.workers import process_all
from pipeline.ingest.writer import BatchWriter
from pipeline.progress import progress_bar
from pipeline.tag.tagger import VersionedTagger, tagging_version
from pipeline.tag.taxonomy import Taxonomy, load_taxonomy
from warehouse.db import connect_write, run_query, run_statement, writer_lock


def _check_taxonomy(con: duckdb.DuckDBPyConnection, taxonomy: Taxonomy, version: str, retag: bool) -> None:
    """Refuse to mix taxonomy versions: a changed codebook needs `ingest --retag`."""
    themes = [
        {"id": t.id, "label": t.label, "scope": t.scope, "group": t.group, "definition": t.definition}
        for t in taxonomy.themes
    ]
    run_statement(
        con,
        "register_taxonomy",
        version=version,
        human_version=taxonomy.human_version,
        themes=json.dumps(themes),
    )
    active = run_query(con, "active_taxonomy_version")
    stored = run_query(con, "stored_document_count")[0]["documents"]
    if not active or stored == 0:
        run_statement(con, "activate_taxonomy", version=version)
    elif active[0]["version"] != version and not retag:
        raise UsageError(
            "The taxonomy (or the classifier switch) has changed since the warehouse was tagged "
            f"({active[0]['version']} -> {version}). "
            "Run `ingest --retag` to re-tag the stored documents with it, so trends never mix versions."
        )


def _prepare(settings: IngestSettings, taxonomy: Taxonomy) -> tuple[RunSummary, list[SourceFile], list]:
    version = tagging_version(taxonomy, settings.classifier_path)
    paths = find_files(list(settings.paths), extract.SUPPORTED_SUFFIXES)
    manifests = find_manifests(list(settings.paths), settings.manifest)
    con = connect_write(settings.db_path, wait_s=settings.wait_s)
    try:
        run_statement(con, "mark_interrupted_runs")
        _check_taxonomy(con, taxonomy, version, settings.retag)
        (run_id,) = run_statement(
            con,
            "start_run",
            command="ingest --retag" if settings.retag else "ingest",
            workers=settings.workers,
            taxonomy_version=version,
            extractor_version=extract.EXTRACTOR_VERSION,
        )[0]
        sources, unreadable = hash_files(con, paths, manifests)
        todo, skipped = split_known(con, sources)
    finally:
        con.close()
    summary = RunSummary(run_id=run_id, taxonomy_version=version, seen=len(paths), skipped=skipped)
    return summary, todo, unreadable


def _retag_stored(settings: IngestSettings, taxonomy: Taxonomy, summary: RunSummary) -> None:
    """Re-tag stored documents tagged with another taxonomy version, then make it active."""
    tagger = VersionedTagger(taxonomy, settings.classifier_path)
    con = connect_write(settings.db_path, wait_s=settings.wait_s)
    try:
        stale = [row["sha256"] for row in run_query(con, "stale_documents", version=tagger.version)]
        for sha256 in stale:
            replace_tagging(con, tagger.tag_document(read_document(con, sha256)))
            summary.retagged += 1
        run_statement(con, "activate_taxonomy", version=tagger.version)
    finally:
        con.close()


def _finish(settings: IngestSettings, summary: RunSummary) -> None:
    con = connect_write(settings.db_path, wait_s=settings.wait_s)
    try:
        status = "quarantined" if summary.quarantined else "ok"
        run_statement(
            con,
            "finish_run",
            status=status,
            run_id=summary.run_id,
            seen=summary.seen,
            new=summary.new,
            skipped=summary.skipped,
            retagged=summary.retagged,
            quarantined=len(summary.quarantined),
            pages=summary.pages,
        )
    finally:
        con.close()


def ingest(settings: IngestSettings) -> RunSummary:
    """Extract, tag and load every new file under `settings.paths`; return the run summary.

    Raises:
        TaxonomyError: the taxonomy file is malformed.
        UsageError: a path or manifest is wrong, or the taxonomy changed without --retag.
        WarehouseBusyError: another ingest holds the warehouse for longer than `settings.wait_s`.
    """
    started = time.monotonic()
    taxonomy = load_taxonomy(settings.taxonomy_path)
    with writer_lock(settings.db_path, wait_s=settings.wait_s):
        summary, todo, unreadable = _prepare(settings, taxonomy)
        writer = BatchWriter(settings, summary)
        for item in unreadable:
            writer.add(item)
        with progress_bar("Extracting and tagging", len(todo), enabled=settings.show_progress) as advance:
            for outcome in process_all(todo, settings, taxonomy):
                writer.add(outcome)
                advance(1)
        writer.flush()
        if settings.retag:
            _retag_stored(settings, taxonomy, summary)
        summary.duration_s = time.monotonic() - started
        _finish(settings, summary)
    return summary
