"""Writer side of ingest: commit outcomes in short batches, closing the database in between.

- A reader holding the warehouse (a long `sql`, the dashboard) never aborts the run: a
  batch that cannot be committed yet stays pending while workers go on, and is retried;
  only the last commit, or a backlog, waits (up to COMMIT_WAIT_S).
- A document the database refuses is quarantined (`load_failed`); a full disk or another
  I/O failure stops the run with one plain message (DiskFullError), quarantining nothing.
- Quarantined files are copied or moved under a name no other file has: never overwritten.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import shutil
import time
from dataclasses import replace
from pathlib import Path

import duckdb

from pipeline.errors import DiskFullError, WarehouseBusyError
from pipeline.ingest.load import load_documents
from pipeline.ingest.outcomes import IngestSettings, QuarantinedFile, RunSummary
from pipeline.records import TaggedDocument
from warehouse.db import connect_write, run_statement

log = logging.getLogger(__name__)
# The writer closes the database between batches so read-only queries can open it.
FLUSH_INTERVAL_S = 2.0
TRY_COMMIT_WAIT_S = 0.5  # a due batch waits this long for readers, then stays pending
BACKLOG_BATCHES = 4  # pending batches before the writer waits for readers in earnest
COMMIT_WAIT_S = 900.0  # the longest the writer waits for readers to let it commit
DISK_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS)
# DuckDB reports a failed commit as a TransactionException naming the OS error.
DISK_MESSAGES = ("No space left", "Could not write file", "File too large", "quota", "Read-only file system")
COPY_CHUNK = 1 << 20
PAST = {"copy": "copied", "move": "moved"}


def disk_error(error: BaseException) -> DiskFullError:
    """Return the one plain message for a warehouse (or disk) that cannot be written."""
    return DiskFullError(
        f"The warehouse could not be written ({str(error).splitlines()[0][:300]}). If the disk is full, "
        "free some space and run ingest again: nothing committed was lost and no file was quarantined "
        "for it; the next run completes this one."
    )


def is_disk_error(error: BaseException) -> bool:
    """Return whether an error means the disk cannot take more (full, quota, read-only, I/O)."""
    if isinstance(error, OSError):
        return error.errno in DISK_ERRNOS or error.errno == errno.EIO
    if isinstance(error, duckdb.IOException | duckdb.FatalException):
        return True
    return isinstance(error, duckdb.Error) and any(marker in str(error) for marker in DISK_MESSAGES)


class BatchWriter:
    """Commit outcomes in short batches, closing the database in between."""

    def __init__(self, settings: IngestSettings, summary: RunSummary) -> None:
        """Start with nothing pending."""
        self.settings = settings
        self.summary = summary
        self.pending: list[TaggedDocument | QuarantinedFile] = []
        self.also_at: dict[str, tuple[Path, ...]] = {}
        self.last_flush = time.monotonic()

    def add(self, outcome: TaggedDocument | QuarantinedFile, also_at: tuple[Path, ...] = ()) -> None:
        """Queue an outcome; commit when the batch is old or large enough and the warehouse is free."""
        self.pending.append(outcome)
        if also_at and isinstance(outcome, TaggedDocument):
            self.also_at[outcome.document.sha256] = also_at
        elif isinstance(outcome, QuarantinedFile):  # each copy of a bad file is named, listed and set aside
            self.pending.extend(_copy_of(outcome, path) for path in also_at)
        full = len(self.pending) >= self.settings.commit_every
        if full or time.monotonic() - self.last_flush > FLUSH_INTERVAL_S:
            backlog = len(self.pending) >= BACKLOG_BATCHES * self.settings.commit_every
            self.flush(wait_s=COMMIT_WAIT_S if backlog else TRY_COMMIT_WAIT_S, final=backlog)

    def flush(self, *, wait_s: float = COMMIT_WAIT_S, final: bool = True) -> None:
        """Write every pending outcome: the documents in one transaction (group commit).

        Raises:
            WarehouseBusyError: readers kept the warehouse for `wait_s` on a final flush.
            DiskFullError: the warehouse cannot be written.
        """
        if not self.pending:
            return
        try:
            con = connect_write(self.settings.db_path, wait_s=wait_s)
        except WarehouseBusyError:
            if final:
                raise
            log.debug("warehouse busy (a reader): %d outcomes stay pending", len(self.pending))
            self.last_flush = time.monotonic()
            return
        except duckdb.Error as error:
            raise disk_error(error) if is_disk_error(error) else error from None
        try:
            self._write(con)
        finally:
            con.close()
        self.pending.clear()
        self.also_at.clear()
        self.last_flush = time.monotonic()

    def _write(self, con: duckdb.DuckDBPyConnection) -> None:
        documents = [o for o in self.pending if isinstance(o, TaggedDocument)]
        quarantined = [o for o in self.pending if isinstance(o, QuarantinedFile)]
        try:
            self._load(con, documents)
            for item in quarantined:
                quarantine(con, item, self.summary, self.settings)
        except (duckdb.Error, OSError) as error:
            if is_disk_error(error):
                raise disk_error(error) from None
            raise

    def _load(self, con: duckdb.DuckDBPyConnection, documents: list[TaggedDocument]) -> None:
        try:
            load_documents(con, documents, run_id=self.summary.run_id, also_at=self.also_at)
            self._count(documents)
        except duckdb.Error as error:
            if is_disk_error(error):
                raise
            # One document the database refuses must not take the batch with it.
            for document in documents:
                self._load_one(con, document)

    def _load_one(self, con: duckdb.DuckDBPyConnection, document: TaggedDocument) -> None:
        try:
            load_documents(con, [document], run_id=self.summary.run_id, also_at=self.also_at)
            self._count([document])
        except duckdb.Error as error:
            if is_disk_error(error):
                raise
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
    """Record a quarantined file, then copy or move it aside (a failure there is only a warning)."""
    size = mtime_ns = None
    with contextlib.suppress(OSError):
        stat = Path(item.path).stat()
        size, mtime_ns = stat.st_size, stat.st_mtime_ns
    run_statement(
        con, "quarantine_seen_file", run_id=summary.run_id, size=size, mtime_ns=mtime_ns, **item.__dict__
    )
    summary.quarantined.append(item)
    if settings.quarantine_action == "none" or settings.quarantine_dir is None:
        return
    try:
        move = settings.quarantine_action == "move"
        target = set_aside(Path(item.path), settings.quarantine_dir, move=move)
        log.debug("quarantined %s -> %s", item.path, target)
    except OSError as error:
        warning = (
            f"{item.path} could not be {PAST[settings.quarantine_action]} to {settings.quarantine_dir} "
            f"({error.strerror or error}); it is still recorded as quarantined."
        )
        log.warning(warning)
        summary.warnings.append(warning)


def _copy_of(item: QuarantinedFile, path: Path) -> QuarantinedFile:
    """Return the quarantine of the same content found at another path, its message naming that file."""
    message = item.message.replace(Path(item.path).name, path.name)
    return replace(item, path=str(path), message=message)


def set_aside(source: Path, folder: Path, *, move: bool) -> Path:
    """Copy (or move) `source` into `folder` under a name no file there has yet; return it.

    `report.pdf` becomes `report.pdf`, else `report-2.pdf`, `report-3.pdf`...: two damaged
    files with one name never overwrite each other, and an earlier copy is never replaced.
    """
    folder.mkdir(parents=True, exist_ok=True)
    with source.open("rb") as reader:
        for number in range(1, 10_000):
            name = source.name if number == 1 else f"{source.stem}-{number}{source.suffix}"
            target = folder / name
            try:
                writer = target.open("xb")  # exclusive: fails if the name is taken
            except FileExistsError:
                continue
            with writer:
                try:
                    shutil.copyfileobj(reader, writer, COPY_CHUNK)
                except BaseException:
                    writer.close()
                    target.unlink(missing_ok=True)
                    raise
            shutil.copystat(source, target)
            if move:
                source.unlink()
            return target
    raise FileExistsError(errno.EEXIST, "no free name", str(folder / source.name))
