"""Writer side of ingest: commit outcomes in short batches, closing the database in between."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import duckdb

from pipeline.ingest.load import load_documents
from pipeline.ingest.outcomes import IngestSettings, QuarantinedFile, RunSummary
from pipeline.records import TaggedDocument
from warehouse.db import connect_write, run_statement

# The writer closes the database between batches so read-only queries can open it.
FLUSH_INTERVAL_S = 2.0


class BatchWriter:
    """Commit outcomes in short batches, closing the database in between."""

    def __init__(self, settings: IngestSettings, summary: RunSummary) -> None:
        self.settings = settings
        self.summary = summary
        self.pending: list[TaggedDocument | QuarantinedFile] = []
        self.last_flush = time.monotonic()

    def add(self, outcome: TaggedDocument | QuarantinedFile) -> None:
        """Queue an outcome; flush when the batch is old or large enough."""
        self.pending.append(outcome)
        full = len(self.pending) >= self.settings.commit_every
        if full or time.monotonic() - self.last_flush > FLUSH_INTERVAL_S:
            self.flush()

    def flush(self) -> None:
        """Write every pending outcome: the documents in one transaction (group commit)."""
        if not self.pending:
            return
        documents = [o for o in self.pending if isinstance(o, TaggedDocument)]
        quarantined = [o for o in self.pending if isinstance(o, QuarantinedFile)]
        con = connect_write(self.settings.db_path, wait_s=self.settings.wait_s)
        try:
            self._load(con, documents)
            for item in quarantined:
                quarantine(con, item, self.summary, self.settings)
        finally:
            con.close()
        self.pending.clear()
        self.last_flush = time.monotonic()

    def _load(self, con: duckdb.DuckDBPyConnection, documents: list[TaggedDocument]) -> None:
        try:
            load_documents(con, documents, run_id=self.summary.run_id)
            self._count(documents)
        except duckdb.Error:
            # One document the database refuses must not take the batch with it.
            for document in documents:
                self._load_one(con, document)

    def _load_one(self, con: duckdb.DuckDBPyConnection, document: TaggedDocument) -> None:
        try:
            load_documents(con, [document], run_id=self.summary.run_id)
            self._count([document])
        except duckdb.Error as error:
            message = f"The warehouse refused this document ({type(error).__name__}: {error})."
            item = QuarantinedFile(
                str(document.document.path), document.document.sha256, "load_failed", message
            )
            quarantine(con, item, self.summary, self.settings)

    def _count(self, documents: list[TaggedDocument]) -> None:
        self.summary.new += len(documents)
        self.summary.pages += sum(tagged.document.pages for tagged in documents)


def quarantine(
    con: duckdb.DuckDBPyConnection, item: QuarantinedFile, summary: RunSummary, settings: IngestSettings
) -> None:
    run_statement(con, "quarantine_file", run_id=summary.run_id, **item.__dict__)
    summary.quarantined.append(item)
    if settings.quarantine_action == "none" or settings.quarantine_dir is None:
        return
    settings.quarantine_dir.mkdir(parents=True, exist_ok=True)
    target = settings.quarantine_dir / Path(item.path).name
    if settings.quarantine_action == "move":
        shutil.move(item.path, target)
    else:
        shutil.copy2(item.path, target)
