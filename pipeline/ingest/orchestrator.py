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

import contextlib
import dataclasses
import json
import logging
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb

from pipeline.errors import IngestStopped, UsageError
from pipeline.extract import document as extract
from pipeline.ingest.corrections import reapply_manifests
from pipeline.ingest.file_index import Plan, hash_files, new_unreadable, plan_sources, record_paths
from pipeline.ingest.folders import choose_folders, remember_folders
from pipeline.ingest.inbox import find_files, find_manifests, missing_files
from pipeline.ingest.outcomes import IngestSettings, RunSummary, SourceFile
from pipeline.ingest.pool import WorkerPool
from pipeline.ingest.ray_pool import RayPool
from pipeline.ingest.retag import retag_pending, retag_stored
from pipeline.ingest.writer import COMMIT_WAIT_S, BatchWriter
from pipeline.progress import progress_bar
from pipeline.tag.tagger import tagging_version
from pipeline.tag.taxonomy import Taxonomy, load_taxonomy
from warehouse.db import connect_write, run_query, run_statement, writer_lock

log = logging.getLogger(__name__)
ABANDON_WAIT_S = 5.0  # how long a failing run tries to mark itself in `runs`


def _check_taxonomy(con: duckdb.DuckDBPyConnection, taxonomy: Taxonomy, version: str, retag: bool) -> bool:
    """Refuse to mix taxonomy versions: a changed codebook needs `ingest --retag`; return whether to re-tag.

    A re-tag that was started and killed is resumed by any run with the same codebook.
    """
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
    elif active[0]["version"] != version and not retag and not retag_pending(con, version):
        raise UsageError(
            "The taxonomy (or the classifier switch) has changed since the warehouse was tagged "
            f"({active[0]['version']} -> {version}). "
            "Run `ingest --retag` to re-tag the stored documents with it, so trends never mix versions."
        )
    return retag or bool(active and active[0]["version"] != version)


def _folders(settings: IngestSettings) -> list[Path]:
    """Return the folders to scan: those named, else those this warehouse was fed before."""
    con = connect_write(settings.db_path, wait_s=COMMIT_WAIT_S)
    try:
        return choose_folders(
            con,
            settings.paths,
            db_path=settings.db_path,
            retag=settings.retag,
            sample_if_new=settings.sample_if_new,
        )
    finally:
        con.close()


def _prepare(settings: IngestSettings, taxonomy: Taxonomy) -> tuple[RunSummary, Plan, list]:
    version = tagging_version(taxonomy, settings.classifier_path)
    folders = _folders(settings)
    suffixes = extract.SUPPORTED_SUFFIXES
    paths = find_files(folders, suffixes, follow_links=settings.follow_symlinks)
    manifests = find_manifests(folders, settings.manifest)
    con = connect_write(settings.db_path, wait_s=COMMIT_WAIT_S)
    try:
        run_statement(con, "mark_interrupted_runs")
        retag = _check_taxonomy(con, taxonomy, version, settings.retag)
        (run_id,) = run_statement(
            con,
            "start_run",
            command="ingest --retag" if settings.retag else "ingest",
            workers=settings.workers,
            taxonomy_version=version,
            extractor_version=extract.EXTRACTOR_VERSION,
        )[0]
        remember_folders(con, folders, run_id)
        sources, unreadable = hash_files(con, paths, manifests)
        retry = settings.retry_quarantined
        plan = plan_sources(con, sources, version=version, retry_quarantined=retry)
        unreadable = new_unreadable(con, unreadable, retry_quarantined=retry)
        record_paths(con, plan.known, folders)
        corrected = reapply_manifests(con, manifests)
    finally:
        con.close()
    summary = RunSummary(run_id=run_id, taxonomy_version=version, seen=len(paths), skipped=plan.skipped)
    summary.still_quarantined = plan.still_quarantined
    summary.folders = [str(folder) for folder in folders]
    summary.corrected = len(corrected)
    summary.warnings.extend(missing_files(manifests))
    plan.retag = retag
    return summary, plan, unreadable


def _finish(settings: IngestSettings, summary: RunSummary) -> None:
    con = connect_write(settings.db_path, wait_s=COMMIT_WAIT_S)
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
            still_quarantined=summary.still_quarantined,
        )
    finally:
        con.close()


def usable_workers(requested: int) -> int:
    """Return `requested` capped at the cores this process may use, saying so when capped."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if requested > cores:
        log.warning("--workers %d is more than the %d cores here: using %d.", requested, cores, cores)
        return cores
    return requested


STOPPED_MESSAGE = (
    "The ingest was stopped (SIGTERM). Everything committed so far stays; the next run completes it."
)


class StopSignal:
    """Whether SIGTERM arrived during the run (see stop_on_sigterm)."""

    def __init__(self) -> None:
        self.requested = False

    def explain(self, error: BaseException) -> BaseException:
        """Return the error a stopped run ends with: IngestStopped, even when the signal landed in a library.

        A SIGTERM that arrives while DuckDB runs a statement surfaces as its own "Query
        interrupted" error, not as the IngestStopped the handler raised.
        """
        if self.requested and not isinstance(error, IngestStopped | KeyboardInterrupt):
            stopped = IngestStopped(STOPPED_MESSAGE)
            stopped.__cause__ = error
            return stopped
        return error

    def raise_if_requested(self) -> None:
        """Raise IngestStopped if SIGTERM arrived but the handler's exception was lost.

        Python discards an exception raised in a signal handler that runs inside a finalizer
        (``__del__``, a weakref callback), and the run would go on to end "ok".
        """
        if self.requested:
            raise IngestStopped(STOPPED_MESSAGE)


@contextlib.contextmanager
def stop_on_sigterm() -> Iterator[StopSignal]:
    """Turn SIGTERM into IngestStopped, so the run ends its workers and marks itself interrupted."""
    state = StopSignal()
    if threading.current_thread() is not threading.main_thread():
        yield state
        return

    def stop(signum: int, frame: Any) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # one stop is enough; let the clean-up run
        state.requested = True
        raise IngestStopped(STOPPED_MESSAGE)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield state
    finally:
        signal.signal(signal.SIGTERM, previous)


def _abandon(settings: IngestSettings, run_id: int, error: BaseException) -> None:
    """Mark a run that ends in an error `failed` (or `interrupted` when stopped), if the warehouse lets us."""
    status = "interrupted" if isinstance(error, IngestStopped | KeyboardInterrupt) else "failed"
    with contextlib.suppress(Exception):
        con = connect_write(settings.db_path, wait_s=ABANDON_WAIT_S)
        try:
            run_statement(con, "abandon_run", run_id=run_id, status=status)
        finally:
            con.close()


def largest_first(files: list[SourceFile]) -> list[SourceFile]:
    """Order files by size, largest first (ties in their given order).

    Workers take the next file as they finish one, so a large report handed out last would keep
    one worker busy while the others sit idle; with the large ones first, the last to finish are
    small. A file that cannot be stat'ed goes last: its worker reports it.
    """

    def size(source: SourceFile) -> int:
        try:
            return source.path.stat().st_size
        except OSError:
            return -1

    return sorted(files, key=size, reverse=True)


def _process_new(
    settings: IngestSettings, pool: WorkerPool | RayPool, todo: list[SourceFile], writer: BatchWriter
) -> None:
    with progress_bar("Extracting and tagging", len(todo), enabled=settings.show_progress) as advance:
        for task, outcome in pool.map_unordered(largest_first(todo)):
            writer.add(outcome, also_at=task.also_at if isinstance(task, SourceFile) else ())
            advance(1)
    writer.flush()


def _make_pool(settings: IngestSettings, taxonomy: Taxonomy) -> WorkerPool | RayPool:
    """The supervised worker processes, or Ray tasks with `--executor ray`."""
    if settings.executor == "ray":
        return RayPool(
            settings.workers,
            taxonomy,
            settings.classifier_path,
            time_limit_s=settings.time_limit_s,
            address=settings.address,
            send_bytes=settings.send_bytes,
        )
    return WorkerPool(
        settings.workers, taxonomy, settings.classifier_path, time_limit_s=settings.time_limit_s
    )


def ingest(settings: IngestSettings) -> RunSummary:
    """Extract, tag and load every new file under `settings.paths`; return the run summary.

    Raises:
        TaxonomyError: the taxonomy file is malformed.
        UsageError: a path or manifest is wrong, or the taxonomy changed without --retag.
        WarehouseBusyError: another ingest holds the warehouse for longer than `settings.wait_s`.
        IngestStopped: SIGTERM arrived; the run is marked interrupted and its workers are gone.
    """
    started = time.monotonic()
    taxonomy = load_taxonomy(settings.taxonomy_path)
    settings = dataclasses.replace(settings, workers=usable_workers(settings.workers))
    command = "ingest --retag" if settings.retag else "ingest"
    with (
        writer_lock(settings.db_path, wait_s=settings.wait_s, command=command) as lock,
        stop_on_sigterm() as stop,
    ):
        summary, plan, unreadable = _prepare(settings, taxonomy)
        lock.note(run_id=summary.run_id)
        try:
            writer = BatchWriter(settings, summary)
            for item in unreadable:
                writer.add(item)
            with _make_pool(settings, taxonomy) as pool:
                if plan.retag:
                    retag_stored(settings, pool, summary)
                todo = [dataclasses.replace(s, ocr=True) for s in plan.todo] if settings.ocr else plan.todo
                _process_new(settings, pool, todo, writer)
            stop.raise_if_requested()
            summary.duration_s = time.monotonic() - started
            _finish(settings, summary)
        except BaseException as error:
            ended = stop.explain(error)
            _abandon(settings, summary.run_id, ended)
            if ended is error:
                raise
            raise ended from error
    return summary
