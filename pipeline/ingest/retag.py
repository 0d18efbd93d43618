"""Re-tag stored documents with the run's codebook, atomically for readers.

The new tagging is written beside the active one (`retag_*` tables) in short commits,
the warehouse closed in between, by the same supervised workers as new files. Only when
every stored document is staged does one transaction swap them in and switch the active
version, so trends read the old codebook complete until then and the new one after: a
killed re-tag leaves trends as they were, and the next run (a plain `ingest` too)
resumes it once it has staged a document (killed before its first commit, it wrote
nothing, and a plain run asks for `ingest --retag` again). A document that cannot be
re-tagged is quarantined with its reason and the switch waits, with a warning, so trends
never silently lose it.
"""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pyarrow as pa

from pipeline.ingest.load import mentions_table, read_document, refresh_theme_evidence, units_table
from pipeline.ingest.outcomes import IngestSettings, RetagTask, RunSummary
from pipeline.ingest.pool import WorkerPool
from pipeline.ingest.ray_pool import RayPool
from pipeline.ingest.writer import COMMIT_WAIT_S, BatchWriter, disk_error, is_disk_error
from pipeline.records import TaggedDocument
from warehouse.db import append_rows, connect_write, run_query, run_statement, transaction

READ_CHUNK = 8  # stored documents read per (short) connection


def retag_pending(con: duckdb.DuckDBPyConnection, version: str) -> bool:
    """Return whether a re-tag to `version` was started and not finished (a killed run)."""
    return run_query(con, "retag_staged", version=version)[0]["staged"] > 0


class StagingWriter(BatchWriter):
    """Commit re-tagged documents into the staging tables, in short batches."""

    def _load(self, con: duckdb.DuckDBPyConnection, documents: list[TaggedDocument]) -> None:
        if not documents:
            return
        shas = [tagged.document.sha256 for tagged in documents]
        mention_shas = [tagged.document.sha256 for tagged in documents for _ in tagged.mentions]
        mentions = [mention for tagged in documents for mention in tagged.mentions]
        versions = [tagged.taxonomy_version for tagged in documents for _ in tagged.mentions]
        staged = {"sha256": shas, "version": [tagged.taxonomy_version for tagged in documents]}
        with transaction(con):
            append_rows(con, "retag_text_units", units_table(documents))
            append_rows(con, "retag_mentions", mentions_table(mention_shas, mentions, versions))
            append_rows(con, "retag_documents", pa.table(staged))
        self.summary.retagged += len(documents)


def _connect(settings: IngestSettings) -> duckdb.DuckDBPyConnection:
    try:
        return connect_write(settings.db_path, wait_s=COMMIT_WAIT_S)
    except duckdb.Error as error:
        raise disk_error(error) if is_disk_error(error) else error from None


def _tasks(settings: IngestSettings, shas: list[str]) -> Iterator[RetagTask]:
    """Yield the stored documents to re-tag, reading a few per short connection."""
    for start in range(0, len(shas), READ_CHUNK):
        con = _connect(settings)
        try:
            documents = [read_document(con, sha256) for sha256 in shas[start : start + READ_CHUNK]]
        finally:
            con.close()
        yield from (RetagTask(document) for document in documents)


def retag_stored(settings: IngestSettings, pool: WorkerPool | RayPool, summary: RunSummary) -> None:
    """Re-tag every stored document not tagged with the run's version, then switch in one commit."""
    version = summary.taxonomy_version
    con = _connect(settings)
    try:
        run_statement(con, "start_retag", version=version)
        todo = [row["sha256"] for row in run_query(con, "retag_todo", version=version)]
    finally:
        con.close()
    writer = StagingWriter(settings, summary)
    failed_before = len(summary.quarantined)
    for _, outcome in pool.map_unordered(_tasks(settings, todo)):
        writer.add(outcome)
    writer.flush()
    failed = len(summary.quarantined) - failed_before
    if failed:
        summary.warnings.append(
            f"The re-tag is not complete: {failed} stored document(s) could not be re-tagged (see the "
            "quarantined files). Trends still read the previous codebook, unchanged; fix the cause and "
            "run `ingest --retag` again."
        )
        return
    con = _connect(settings)
    try:
        with transaction(con):
            switched = [row["sha256"] for row in run_query(con, "retag_staged_documents", version=version)]
            run_statement(con, "switch_retag", version=version)
            refresh_theme_evidence(con, switched)
    except duckdb.Error as error:
        raise disk_error(error) if is_disk_error(error) else error from None
    finally:
        con.close()
